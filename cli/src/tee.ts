/**
 * `tee-market tee`: the TEE provider's side of an order, run with the enclave's key (or the TEE
 * offer's provider or action account): start it, publish its report signed by the TEE key, and
 * complete it, which settles the payments.
 */
import { readdir, stat } from "node:fs/promises";
import path from "node:path";

import type { Hex } from "viem";

import { type RuntimeInfo, RuntimeType, enumName } from "@tee-marketplace/sdk";
import { readResourceFile, sha256Path } from "@tee-marketplace/sdk/node";

import { formatTokens } from "./amounts.js";
import { bytes32Arg, idArg, list, optional, positional, readBytesFile, required } from "./args.js";
import type { CommandContext, CommandInput } from "./command.js";
import { type CommandResult, UsageError, fields } from "./output.js";

/** Bytes of a file, or of every regular file under a directory. */
async function pathSize(file: string): Promise<bigint> {
  const info = await stat(file);
  if (!info.isDirectory()) return BigInt(info.size);
  let total = 0n;
  for (const entry of await readdir(file, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) total += BigInt((await stat(path.join(entry.parentPath, entry.name))).size);
  }
  return total;
}

/**
 * One runtime entry from `<sha256>[:<size>]`, a `*.resource.json` (its hash; size 0 unless
 * `:<size>` follows), or the path of what ran (its sha256, file or directory, and its size).
 */
async function runtimeEntry(
  cwd: string,
  value: string,
  runtimeType: RuntimeType,
  label: string,
): Promise<RuntimeInfo> {
  const match = /^((?:0x)?[0-9a-f]{64})(?::(\d+))?$/i.exec(value);
  if (match !== null) {
    return { runtimeType, hash: bytes32Arg(match[1] ?? "", label), size: BigInt(match[2] ?? "0") };
  }
  const [file = "", size] = value.split(/:(?=\d+$)/);
  const full = path.resolve(cwd, file);
  if (file.endsWith(".resource.json")) {
    return { runtimeType, hash: (await readResourceFile(full)).hash, size: BigInt(size ?? "0") };
  }
  const [hash, bytes] = await Promise.all([sha256Path(full), pathSize(full)]);
  return { runtimeType, hash, size: size === undefined ? bytes : BigInt(size) };
}

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
    await runtimeEntry(cwd, required(input, "image", "<sha256[:size]|path>"), RuntimeType.Image, "--image"),
    ...(await Promise.all(
      list(input, "solution").map((v) => runtimeEntry(cwd, v, RuntimeType.Solution, "--solution")),
    )),
    ...(await Promise.all(list(input, "data").map((v) => runtimeEntry(cwd, v, RuntimeType.Data, "--data")))),
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

const STATUSES = { done: "Done", error: "Error", canceled: "Canceled" } as const;

/** `tee complete`: ends the order and settles it (Done needs a published report). */
export async function runComplete(ctx: CommandContext, input: CommandInput): Promise<CommandResult> {
  const orderId = idArg(positional(input, 0), "<orderId>", "an order");
  const statusValue = required(input, "status", "<done|error|canceled>");
  const status = STATUSES[statusValue.toLowerCase() as keyof typeof STATUSES];
  if (status === undefined) {
    throw new UsageError(`--status: expected done, error or canceled, got ${JSON.stringify(statusValue)}`);
  }
  const resultFile = optional(input, "result");
  const encryptedResult: Hex =
    resultFile === undefined ? "0x" : await readBytesFile(path.resolve(ctx.io.cwd, resultFile), "--result");
  const { client, token } = await ctx.writer();
  const tokenInfo = await token();
  const { payments, receipt } = await ctx.out.pending(`Completing order ${orderId} (${status})`, () =>
    client.orders.complete({ orderId, status, encryptedResult }),
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
