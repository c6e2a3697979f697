/**
 * `tee-market tee`: the TEE provider's side of an order (start, report, complete).
 * The commands as declared (names, options, help); each runs from `../tee.ts`, loaded only when
 * the command runs, so `--help` loads neither viem nor the SDK.
 */
import type { Command, Group } from "../command.js";

const implementation = () => import("../tee.js");

const start: Command = {
  name: "start",
  summary: "Start a New order: it becomes Processing.",
  args: "<orderId>",
  positionals: { min: 1, max: 1 },
  run: (ctx, input) => implementation().then((m) => m.runStart(ctx, input)),
};

const report: Command = {
  name: "report",
  summary: "Publish a Processing order's report, signed with the key the CLI runs with (the TCB's TEE key).",
  args: "<orderId>",
  positionals: { min: 1, max: 1 },
  options: {
    image: {
      type: "string",
      value: "<sha256[:size]|path>",
      required: true,
      description: "what ran: the committed solution (a hash, its resource file, or the file or directory)",
    },
    solution: {
      type: "string",
      multiple: true,
      value: "<sha256[:size]|path>",
      description: "a further solution layer (repeat)",
    },
    data: {
      type: "string",
      multiple: true,
      value: "<sha256[:size]|path>",
      description: "a dataset read (repeat): every data hash a data owner pinned must be listed",
    },
    tcb: {
      type: "string",
      value: "<tcbId>",
      description: "the TCB whose key signs (default: the active TCB)",
    },
  },
  details: [
    "A path is hashed as `tee-market files hash` does, and its size counted; a *.resource.json gives",
    "its hash (size 0 unless :<size> follows).",
  ],
  run: (ctx, input) => implementation().then((m) => m.runReport(ctx, input)),
};

const complete: Command = {
  name: "complete",
  summary: "Complete an order and settle it: done (after the report), error, or canceled (when Canceling).",
  args: "<orderId>",
  positionals: { min: 1, max: 1 },
  options: {
    status: { type: "string", value: "<done|error|canceled>", required: true, description: "the completion" },
    "result-hash": { type: "string", value: "<sha256>", description: "the result's hash (the receipt's)" },
    pointer: {
      type: "string",
      value: "<file>",
      multiple: true,
      description: "a result pointer per recipient, in the workflow's order (raw bytes, or 0x hex text)",
    },
  },
  details: [
    "Done: the receipt (order, result hash, pointers) is signed with the order's enclave key the CLI runs with.",
  ],
  run: (ctx, input) => implementation().then((m) => m.runComplete(ctx, input)),
};

/** The `tee` group. */
export const teeGroup: Group = {
  name: "tee",
  summary: "The TEE provider's side of an order: start, report, complete.",
  commands: [start, report, complete],
};
