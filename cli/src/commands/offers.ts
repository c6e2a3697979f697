/**
 * `tee-market offers`: create offers with their slots from Super Protocol's files, add slots, read and list offers.
 * The commands as declared (names, options, help); each runs from `../offers.ts`, loaded only when
 * the command runs, so `--help` loads neither viem nor the SDK.
 */
import type { Command, Group } from "../command.js";

const implementation = () => import("../offers.js");

const slotOption = {
  type: "string",
  multiple: true,
  value: "<file>",
  description: "slot-info.json: { info, usage, option } (repeat for more slots)",
} as const;

const create: Command = {
  name: "create",
  summary: "Create an offer of the key's provider, and its slots.",
  options: {
    offer: {
      type: "string",
      value: "<file>",
      required: true,
      description: "offer-info.json (or spctl's TEE offer info, which has teeType and no offerType)",
    },
    slot: slotOption,
    resource: {
      type: "string",
      value: "<file>",
      description: "the content's *.resource.json: its hash is the offer's content hash",
    },
    "content-hash": { type: "string", value: "<sha256>", description: "the content hash, 64 hex digits" },
    content: {
      type: "string",
      value: "<path>",
      description: "the content itself: its sha256 (a directory: the SDK's directory hash)",
    },
  },
  details: [
    "Data and Solution offers need their content hash: one of --resource, --content-hash, --content.",
    "Every file is checked before anything is sent; then the offer is created and each slot added.",
  ],
  run: (ctx, input) => implementation().then((m) => m.runCreate(ctx, input)),
};

const addSlot: Command = {
  name: "add-slot",
  summary: "Add slots to an offer of the key's provider.",
  args: "<offerId>",
  positionals: { min: 1, max: 1 },
  options: { slot: { ...slotOption, required: true } },
  run: (ctx, input) => implementation().then((m) => m.runAddSlot(ctx, input)),
};

const get: Command = {
  name: "get",
  summary: "Show an offer, its info and its slots.",
  args: "<offerId>",
  positionals: { min: 1, max: 1 },
  run: (ctx, input) => implementation().then((m) => m.runGet(ctx, input)),
};

const listCommand: Command = {
  name: "list",
  summary: "List offers by id, optionally of one type or provider.",
  options: {
    type: { type: "string", value: "<type>", description: "TeeOffer, Storage, Solution or Data (or 0-3)" },
    provider: { type: "string", value: "<address>", description: "only this provider's offers" },
    from: { type: "string", value: "<offerId>", description: "first offer id (default 1)" },
    limit: { type: "string", value: "<n>", description: "offer ids to scan (default 100)" },
  },
  run: (ctx, input) => implementation().then((m) => m.runList(ctx, input)),
};

/** The `offers` group. */
export const offersGroup: Group = {
  name: "offers",
  summary: "Create offers with their slots from Super Protocol's files, and read offers.",
  commands: [create, addSlot, get, listCommand],
};
