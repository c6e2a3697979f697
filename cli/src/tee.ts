/**
 * `tee-market tee`: the TEE provider's side of an order, run with the enclave's key (or the TEE
 * offer's provider or action account): start it, publish its report signed by the TEE key, and
 * complete it, which settles the payments.
 */
import path from "node:path";

import { RuntimeType, enumName } from "@tee-marketplace/sdk";

import { formatTokens } from "./amounts.js";
import {
  bytes32Arg,
  completionStatusArg,
  idArg,
  list,
  optional,
  positional,
  readBytesFile,
  required,
  runtimeEntryArg,
} from "./args.js";
import type { CommandContext, CommandInput } from "./command.js";
import { type CommandResult, fields } from "./output.js";

/** `tee start`. */
export async function runStart(ctx: CommandContext, input: CommandInput): Promise<CommandResult> {
  const orderId = idArg(positional(input, 0), "<orderId>", "an order");
  const { client } = await ctx.writer();
  const { receipt } = await ctx.out.pending(`Starting order ${orderId}`, () =>
    client.orders.start({ orderId }),
  );
  return {
    text: [
      `Order ${orderId} was started: Processing`,
      ...fields([["transaction", receipt.transactionHash]]),
    ].join("\n"),
    json: { orderId, status: "Processing", transactionHash: receipt.transactionHash },
  };
}

/** `tee report`: the order report, signed with the key the CLI runs with (the TCB's TEE key). */
export async function runReport(ctx: CommandContext, input: CommandInput): Promise<CommandResult> {
  const orderId = idArg(positional(input, 0), "<orderId>", "an order");
  const cwd = ctx.io.cwd;
  const runtimeInfo = [
    await runtimeEntryArg(
      cwd,
      required(input, "image", "<sha256[:size]|path>"),
      RuntimeType.Image,
      "--image",
    ),
    ...(await Promise.all(
      list(input, "solution").map((v) => runtimeEntryArg(cwd, v, RuntimeType.Solution, "--solution")),
    )),
    ...(await Promise.all(
      list(input, "data").map((v) => runtimeEntryArg(cwd, v, RuntimeType.Data, "--data")),
    )),
  ];
  const tcbValue = optional(input, "tcb");
  const tcbId = tcbValue === undefined ? undefined : idArg(tcbValue, "--tcb", "a TCB");
  const { client, signer } = await ctx.writer();
  const { report, reportHash, receipt } = await ctx.out.pending(
    `Publishing the report of order ${orderId}`,
    () => client.reports.publish({ orderId, runtimeInfo, signer, ...(tcbId === undefined ? {} : { tcbId }) }),
  );
  return {
    text: [
      `The report of order ${orderId} has been published`,
      ...fields([
        ["TCB", String(report.tcbId)],
        [
          "entries",
          report.runtimeInfo.map((e) => `${enumName(RuntimeType, e.runtimeType)} ${e.hash}`).join(", "),
        ],
        ["report hash", reportHash],
        ["transaction", receipt.transactionHash],
      ]),
    ].join("\n"),
    json: {
      orderId,
      tcbId: report.tcbId,
      reportHash,
      runtimeInfo: report.runtimeInfo,
      transactionHash: receipt.transactionHash,
    },
  };
}

/**
 * `tee complete`: ends the order and settles it. Done needs a published report and the enclave's
 * receipt: `--result-hash` and one `--pointer <file>` per result recipient, signed here with the
 * enclave's key the CLI runs with.
 */
export async function runComplete(ctx: CommandContext, input: CommandInput): Promise<CommandResult> {
  const orderId = idArg(positional(input, 0), "<orderId>", "an order");
  const status = completionStatusArg(required(input, "status", "<done|error|canceled>"), "--status");
  const resultHashValue = optional(input, "result-hash");
  const resultHash = resultHashValue === undefined ? undefined : bytes32Arg(resultHashValue, "--result-hash");
  const pointers = await Promise.all(
    list(input, "pointer").map((file) => readBytesFile(path.resolve(ctx.io.cwd, file), "--pointer")),
  );
  const { client, token, signer } = await ctx.writer();
  const tokenInfo = await token();
  const { payments, receipt } = await ctx.out.pending(`Completing order ${orderId} (${status})`, () =>
    client.orders.complete({
      orderId,
      status,
      pointers,
      signer,
      ...(resultHash === undefined ? {} : { resultHash }),
    }),
  );
  return {
    text: [
      `Order ${orderId} has been completed successfully: status=${status}`,
      ...fields([
        ...payments.map((p) => [`paid to ${p.account}`, formatTokens(p.amount, tokenInfo)] as const),
        ["transaction", receipt.transactionHash],
      ]),
    ].join("\n"),
    json: {
      orderId,
      status,
      payments,
      transactionHash: receipt.transactionHash,
    },
  };
}
