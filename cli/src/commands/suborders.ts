/**
 * `tee-market suborders`: what data owners and solution authors have to answer. The command as
 * declared (name, options, help); it runs from `../suborders.ts`, loaded only when it runs.
 */
import type { Command, Group } from "../command.js";

const listCommand: Command = {
  name: "list",
  summary:
    "List the suborders of a provider's offers (default: the key's account), or of one offer, newest first.",
  options: {
    provider: {
      type: "string",
      value: "<address>",
      description: "whose offers (default: the key's account)",
    },
    offer: { type: "string", value: "<offerId>", description: "only this offer's suborders" },
    status: {
      type: "string",
      value: "<statuses>",
      description:
        "only these, comma-separated: new (waiting for you), processing, done, error, canceled, ...",
    },
    limit: { type: "string", value: "<n>", description: "at most this many (default 100)" },
  },
  details: [
    "Without --indexer the chain is read: the provider's offers, then each offer's suborders.",
    "With --indexer <url> the index answers in one query.",
  ],
  run: (ctx, input) => import("../suborders.js").then((m) => m.runList(ctx, input)),
};

/** The `suborders` group. */
export const subordersGroup: Group = {
  name: "suborders",
  summary: "List the suborders your offers received.",
  commands: [listCommand],
};
