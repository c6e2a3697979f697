/**
 * `tee-market providers`: register as a provider, update it, read providers.
 * The commands as declared (names, options, help); each runs from `../providers.ts`, loaded only when
 * the command runs, so `--help` loads neither viem nor the SDK.
 */
import type { Command, Group, OptionSpec } from "../command.js";
import { PROVIDER_FIELD_NAMES } from "../fieldNames.js";

const implementation = () => import("../providers.js");

const INFO_OPTIONS: Record<string, OptionSpec> = {
  info: {
    type: "string",
    value: "<file>",
    description: "provider info: { name, description, tokenReceiver, actionAccount, metadata }",
  },
  name: {
    type: "string",
    value: "<name>",
    description: "the provider's name (instead of, or over, the file's)",
  },
  description: { type: "string", value: "<text>", description: "what the provider offers" },
  metadata: { type: "string", value: "<text>", description: "free-form metadata" },
  "action-account": {
    type: "string",
    value: "<address>",
    description: "may complete suborders and publish TCBs (default: the file's, else the key's account)",
  },
  "token-receiver": {
    type: "string",
    value: "<address>",
    description: "gets the payouts (default: the file's, else the key's account)",
  },
};

const FIELDS_OPTION: OptionSpec = {
  type: "string",
  value: "<fields>",
  description: `columns: ${PROVIDER_FIELD_NAMES.join(", ")}`,
};
const SAVE_TO: OptionSpec = {
  type: "string",
  value: "<file>",
  description: "write the JSON result to this file",
};

const register: Command = {
  name: "register",
  aliases: ["create"],
  summary: "Register the key's account as a provider (it becomes the provider's authority).",
  options: INFO_OPTIONS,
  details: [
    "A name is enough: tee-market providers register --name <name> --description <text>. The action",
    "account and the token receiver default to the key's account. The info goes on-chain as canonical",
    "JSON (sorted keys, no whitespace).",
  ],
  run: (ctx, input) => implementation().then((m) => m.runRegister(ctx, input)),
};

const update: Command = {
  name: "update",
  summary: "Update the key's provider: its info, action account or token receiver.",
  options: INFO_OPTIONS,
  details: ["What is not given stays as it is on-chain."],
  run: (ctx, input) => implementation().then((m) => m.runUpdate(ctx, input)),
};

const get: Command = {
  name: "get",
  summary: "Show a provider (default: the key's account) and its info.",
  args: "[<address>]",
  positionals: { min: 0, max: 1 },
  options: { fields: FIELDS_OPTION, "save-to": SAVE_TO },
  run: (ctx, input) => implementation().then((m) => m.runGet(ctx, input)),
};

const list: Command = {
  name: "list",
  summary: "List the providers of the marketplace's offers.",
  options: { fields: FIELDS_OPTION, "save-to": SAVE_TO },
  details: ["The registry keeps no list of providers: these are the providers of at least one offer."],
  run: (ctx, input) => implementation().then((m) => m.runList(ctx, input)),
};

/** The `providers` group. */
export const providersGroup: Group = {
  name: "providers",
  summary: "Register as a provider (data owner, solution author, TEE provider), update it, read providers.",
  commands: [register, update, get, list],
};
