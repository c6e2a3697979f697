/**
 * `tee-market orders`: read orders with their suborders, complete suborders (the data owner's hash-gated
 * hand-over), save and validate order reports, download and verify results, cancel, withdraw, list.
 * The commands as declared (names, options, help); each runs from `../orders.ts`, loaded only when
 * the command runs, so `--help` loads neither viem nor the SDK.
 */
import type { Command, Group, OptionSpec } from "../command.js";
import { DEFAULT_SUBORDER_FIELDS, ORDER_FIELD_NAMES, SUBORDER_FIELDS } from "../fieldNames.js";
import { QUOTE_DETAILS, QUOTE_OPTIONS } from "../quoteFlags.js";

const implementation = () => import("../orders.js");
const reports = () => import("../reports.js");
const results = () => import("../results.js");

const get: Command = {
  name: "get",
  summary: "Show an order, and with --suborders its suborders.",
  args: "<orderId>",
  positionals: { min: 1, max: 1 },
  options: {
    suborders: { type: "boolean", description: "list the suborders too" },
    suborders_fields: {
      type: "string",
      value: "<fields>",
      description: `suborder columns (default ${DEFAULT_SUBORDER_FIELDS}); also: ${Object.keys(
        SUBORDER_FIELDS,
      )
        .filter((f) => !DEFAULT_SUBORDER_FIELDS.split(",").includes(f))
        .join(", ")}`,
    },
    "suborders-fields": { type: "string", value: "<fields>", description: "the same as --suborders_fields" },
    fields: {
      type: "string",
      value: "<fields>",
      description: `only these order fields: ${ORDER_FIELD_NAMES.join(", ")}`,
    },
    "save-to": { type: "string", value: "<file>", description: "write the JSON result to this file" },
  },
  run: (ctx, input) => implementation().then((m) => m.runGet(ctx, input)),
};

const complete: Command = {
  name: "complete",
  summary: "Complete a suborder of your offer: hand over the resource (done), or decline (error, canceled).",
  args: "<suborderId...>",
  positionals: { min: 1, max: Number.MAX_SAFE_INTEGER },
  options: {
    status: { type: "string", value: "<done|error|canceled>", required: true, description: "the completion" },
    result: {
      type: "string",
      value: "<file>",
      description: "with done: your *.resource.json, encrypted for the active TCB's key",
    },
    "solution-hash": {
      type: "string",
      value: "<sha256|file>",
      description: "with done: the solution you reviewed (hash or solution.resource.json)",
    },
    "data-hash": {
      type: "string",
      value: "<sha256>",
      description: "data hash to pin (default: the result file's hash; zero pins nothing)",
    },
  },
  details: [
    "With done, the solution hash is compared with the one the order committed to before anything is",
    "sent: a different one is refused (SolutionHashMismatch) and no transaction is made.",
    "error or canceled declines: the whole workflow is canceled and its deposit refunded.",
  ],
  run: (ctx, input) => implementation().then((m) => m.runComplete(ctx, input)),
};

const getReport: Command = {
  name: "get-report",
  summary: "Print an order's report in Super Protocol's JSON shape, or save it.",
  args: "<orderId>",
  positionals: { min: 1, max: 1 },
  options: { "save-to": { type: "string", value: "<file>", description: "write the report to this file" } },
  run: (ctx, input) => reports().then((m) => m.runGetReport(ctx, input)),
};

const validateReport: Command = {
  name: "validate-report",
  summary:
    "Check a saved report against the chain (or a Super Protocol report against your files); exit 1 when a check fails.",
  args: "[<file>]",
  positionals: { min: 0, max: 1 },
  options: {
    path: {
      type: "string",
      value: "<file>",
      description: "the report file (spctl's option; or give it as <file>)",
    },
    solution: {
      type: "string",
      value: "<sha256|file>",
      description: "the solution you expect ran (hash or solution.resource.json)",
    },
    data: {
      type: "string",
      multiple: true,
      value: "<sha256|file>",
      description: "a dataset you expect was read (hash or *.resource.json; repeat)",
    },
    ...QUOTE_OPTIONS,
  },
  details: [
    "A report of this marketplace: the SDK's report checks (reports.verify's) on the file's report and",
    "signature, with the chain's evidence: the report hash its event carries, the TCB's key and validity, the",
    "allow-list, the committed solution and pinned data hashes; and that the file's TCB details are the",
    "chain's. With --collateral or --pccs-url, the TCB's quote too (to Intel's root):",
    ...QUOTE_DETAILS,
    "A report Super Protocol's tools saved ({ certificate, workloadInfo }): its runtimeInfo against",
    "--solution and --data (its certificate is not checked).",
  ],
  run: (ctx, input) => reports().then((m) => m.runValidateReport(ctx, input)),
};

const RESULT_KEY: OptionSpec = {
  type: "string",
  value: "<file>",
  description: "your result key (default: the config's resultKey, else tee-market.result-key.json beside it)",
};

const downloadResult: Command = {
  name: "download-result",
  summary: "Download your copy of an order's result (or an Error order's logs), checked against the receipt.",
  args: "<orderId>",
  positionals: { min: 1, max: 1 },
  options: {
    "save-to": {
      type: "string",
      value: "<dir>",
      description: "the directory to create for the result (default ./order-<orderId>-result)",
    },
    "result-key": RESULT_KEY,
  },
  details: [
    "Reads the enclave's receipt, opens your pointer with your result key, downloads and decrypts the result",
    "and checks it against the receipt's result hash; a tar.gz is unpacked. The directory appears only once",
    "everything is checked: on any failure nothing is left. An Error order's logs are not signed.",
  ],
  run: (ctx, input) => results().then((m) => m.runDownloadResult(ctx, input)),
};

const verifyResult: Command = {
  name: "verify-result",
  summary: "Check an order's result receipt: the enclave's signature, a pointer per recipient, yours opens.",
  args: "<orderId>",
  positionals: { min: 1, max: 1 },
  options: { "result-key": RESULT_KEY },
  details: [
    "receiptSigned (by the order's enclave), pointerPerRecipient (every recipient got the same result hash",
    "in one receipt) and, with a result key, pointerOpens. Exit 1 when one fails (an Error order's receipt",
    "is not signed).",
  ],
  run: (ctx, input) => results().then((m) => m.runVerifyResult(ctx, input)),
};

const cancel: Command = {
  name: "cancel",
  summary: "Cancel your order: Blocked, New or Suspended at once; Processing becomes Canceling.",
  args: "<orderId...>",
  positionals: { min: 1, max: Number.MAX_SAFE_INTEGER },
  run: (ctx, input) => implementation().then((m) => m.runCancel(ctx, input)),
};

const withdraw: Command = {
  name: "withdraw",
  summary: "Withdraw the key's account's whole balance: payouts and refunds.",
  run: (ctx, input) => implementation().then((m) => m.runWithdraw(ctx, input)),
};

const listCommand: Command = {
  name: "list",
  summary: "List a consumer's orders, newest first (default: the key's account).",
  options: {
    consumer: {
      type: "string",
      value: "<address>",
      description: "whose orders (default: the key's account)",
    },
    status: {
      type: "string",
      value: "<statuses>",
      description:
        "only these, comma-separated: new, processing, canceling, canceled, done, error, blocked, suspended",
    },
    offers: {
      type: "string",
      value: "<offerIds>",
      description: "only orders of these offers (the TEE offer or an input's), comma-separated",
    },
    fields: {
      type: "string",
      value: "<fields>",
      description: `columns (default id,status,offer_id,sub_orders_count,total_deposit): ${ORDER_FIELD_NAMES.join(", ")}`,
    },
    limit: { type: "string", value: "<n>", description: "at most this many orders (default 100)" },
    "save-to": { type: "string", value: "<file>", description: "write the JSON result to this file" },
  },
  run: (ctx, input) => implementation().then((m) => m.runList(ctx, input)),
};

const history: Command = {
  name: "history",
  summary: "Everything that happened to a workflow, oldest first (from the indexer with --indexer).",
  args: "<orderId>",
  positionals: { min: 1, max: 1 },
  details: [
    "Its creation, the status changes of the order and its suborders, the data owners' completions,",
    "refills, the report, the completion and the payments: block, time, event, the order or suborder",
    "it names, transaction. Without --indexer the chain's logs are read in ranges from the deployment.",
  ],
  run: (ctx, input) => import("../history.js").then((m) => m.runHistory(ctx, input)),
};

/** The `orders` group. */
export const ordersGroup: Group = {
  name: "orders",
  summary: "Read orders, complete suborders, save and validate reports, download results, cancel, withdraw.",
  commands: [
    get,
    history,
    complete,
    getReport,
    validateReport,
    downloadResult,
    verifyResult,
    cancel,
    withdraw,
    listCommand,
  ],
};
