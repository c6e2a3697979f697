/**
 * `tee-market offers`: create offers with their slots from Super Protocol's files, add slots, read and list offers.
 * The commands as declared (names, options, help); each runs from `../offers.ts`, loaded only when
 * the command runs, so `--help` loads neither viem nor the SDK.
 */
import type { Command, Group, OptionSpec } from "../command.js";
import { OFFER_FIELD_NAMES } from "../fieldNames.js";

const implementation = () => import("../offers.js");
const content = () => import("../offerContent.js");

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
  options: {
    fields: {
      type: "string",
      value: "<fields>",
      description: `only these: ${OFFER_FIELD_NAMES.join(", ")}`,
    },
    "save-to": { type: "string", value: "<file>", description: "write the JSON result to this file" },
  },
  run: (ctx, input) => implementation().then((m) => m.runGet(ctx, input)),
};

const listCommand: Command = {
  name: "list",
  summary:
    "List offers by id, optionally of one type, provider or keywords (from the indexer with --indexer).",
  options: {
    type: { type: "string", value: "<type>", description: "TeeOffer, Storage, Solution or Data (or 0-3)" },
    provider: { type: "string", value: "<address>", description: "only this provider's offers" },
    keywords: {
      type: "string",
      value: "<keywords>",
      description: "only offers whose info names all these keywords, comma-separated",
    },
    from: { type: "string", value: "<offerId>", description: "first offer id (default 1)" },
    limit: { type: "string", value: "<n>", description: "offer ids to scan (default 100)" },
  },
  run: (ctx, input) => implementation().then((m) => m.runList(ctx, input)),
};

const search: Command = {
  name: "search",
  summary: "Rank Data offers by the Jaccard similarity of their keywords to yours (dataset discovery).",
  options: {
    keywords: {
      type: "string",
      value: "<keywords>",
      required: true,
      description: "comma-separated, for example feedback,2025 (a year matches datasets that cover it)",
    },
    "min-similarity": {
      type: "string",
      value: "<0..1>",
      description: "least similarity shown (default: any shared keyword)",
    },
    limit: { type: "string", value: "<n>", description: "most offers shown, 1 to 100 (default 20)" },
  },
  details: [
    "Similarity: shared terms / all terms of your keywords and the offer's (its keywords, plus the years",
    "of yours its time range covers). Disabled offers are left out. Prints each match's slots and prices.",
    "With --indexer the index answers at once; without, every offer is read from the chain, 100 at a time.",
  ],
  run: (ctx, input) => import("../search.js").then((m) => m.runSearch(ctx, input)),
};

const offerIdArg = { args: "<offerId>", positionals: { min: 1, max: 1 } } as const;
const CONTENT_OPTIONS: Record<string, OptionSpec> = {
  resource: { type: "string", value: "<file>", description: "the new content's *.resource.json" },
  "content-hash": { type: "string", value: "<sha256>", description: "the new content hash, 64 hex digits" },
  content: { type: "string", value: "<path>", description: "the new content itself (a file or directory)" },
};

const update: Command = {
  name: "update",
  summary: "Replace an offer's info (offer-info.json) on-chain.",
  ...offerIdArg,
  options: {
    offer: { type: "string", value: "<file>", required: true, description: "the new offer-info.json" },
  },
  run: (ctx, input) => implementation().then((m) => m.runUpdate(ctx, input)),
};

const enable: Command = {
  name: "enable",
  summary: "Enable an offer for new workflows.",
  ...offerIdArg,
  run: (ctx, input) => implementation().then((m) => m.runEnable(ctx, input)),
};

const disable: Command = {
  name: "disable",
  summary: "Disable an offer: no new workflow may use it (open orders go on).",
  ...offerIdArg,
  run: (ctx, input) => implementation().then((m) => m.runDisable(ctx, input)),
};

const updateSlot: Command = {
  name: "update-slot",
  summary: "Replace a slot's terms (not while an open order uses it).",
  options: {
    offer: { type: "string", value: "<offerId>", required: true, description: "the offer" },
    slot: { type: "string", value: "<slotId>", required: true, description: "its slot" },
    path: { type: "string", value: "<file>", required: true, description: "the new slot-info.json" },
  },
  run: (ctx, input) => implementation().then((m) => m.runUpdateSlot(ctx, input)),
};

const deleteSlot: Command = {
  name: "delete-slot",
  summary: "Delete a slot (not while an open order uses it).",
  options: {
    offer: { type: "string", value: "<offerId>", required: true, description: "the offer" },
    slot: { type: "string", value: "<slotId>", required: true, description: "its slot" },
  },
  run: (ctx, input) => implementation().then((m) => m.runDeleteSlot(ctx, input)),
};

const addVersion: Command = {
  name: "add-version",
  summary:
    "Publish a new version of an offer: a new content hash and its offer-info.json (spctl: offer version add).",
  ...offerIdArg,
  options: {
    offer: {
      type: "string",
      value: "<file>",
      required: true,
      description: "the new version's offer-info.json",
    },
    ...CONTENT_OPTIONS,
  },
  details: ["Orders created before keep the solution hash they committed to."],
  run: (ctx, input) => implementation().then((m) => m.runAddVersion(ctx, input)),
};

const downloadContent: Command = {
  name: "download-content",
  summary: "Download the public content of a Solution or Data offer, checked against its content hash.",
  ...offerIdArg,
  options: {
    "save-to": { type: "string", value: "<dir>", description: "the directory to save it in (default .)" },
    unpack: { type: "boolean", description: "unpack a tar.gz into a directory of its name" },
  },
  details: [
    "Only for offers whose provider made the content public: a resource file in the offer's info",
    "(resultResource). Its hash must be the offer's current content hash, and the content's sha256 too.",
  ],
  run: (ctx, input) => content().then((m) => m.runDownloadContent(ctx, input)),
};

/** The `offers` group. */
export const offersGroup: Group = {
  name: "offers",
  summary: "Create and manage offers and their slots from Super Protocol's files, and read offers.",
  commands: [
    create,
    addSlot,
    get,
    listCommand,
    search,
    update,
    enable,
    disable,
    updateSlot,
    deleteSlot,
    addVersion,
    downloadContent,
  ],
};
