/**
 * `tee-market orders download-result` and `orders verify-result`: an order's result for one of its
 * recipients. The enclave's receipt is read from the chain, your pointer opened with your result
 * key, the result downloaded, decrypted, checked against the receipt's hash and unpacked (the SDK's
 * `downloadResult`); on an Error order, the logs the enclave left for you. `verify-result` prints
 * `results.verify`'s checks of the receipt.
 */
import path from "node:path";

import { OrderStatus, enumName } from "@tee-marketplace/sdk";
import { downloadResult, progressReporter } from "@tee-marketplace/sdk/node";

import { idArg, optional, positional } from "./args.js";
import type { CommandContext, CommandInput } from "./command.js";
import { loadConfig } from "./configFile.js";
import { type CommandResult, fields } from "./output.js";
import { checkLines } from "./quoteChecks.js";
import { exists, readResultKey, resultKeyPath } from "./resultKey.js";

/** `orders download-result`. */
export async function runDownloadResult(ctx: CommandContext, input: CommandInput): Promise<CommandResult> {
  const orderId = idArg(positional(input, 0), "<orderId>", "an order");
  const saveTo = optional(input, "save-to") ?? `order-${orderId}-result`;
  const keyFile = resultKeyPath(
    ctx.io.cwd,
    await loadConfig(ctx.io, input.values),
    optional(input, "result-key"),
  );
  const key = await readResultKey(keyFile);
  const { client } = await ctx.reader();
  const downloaded = await downloadResult(client.context, {
    orderId,
    privateKey: key.privateKey,
    destination: path.resolve(ctx.io.cwd, saveTo),
    onProgress: progressReporter({
      output: ctx.io.stderr,
      label: `Downloading the result of order ${orderId}`,
    }),
  });
  const done = downloaded.status === OrderStatus.Done;
  return {
    text: [
      done
        ? `Order result was downloaded successfully to ${saveTo}`
        : `Order ${orderId} ended with Error: the logs its enclave left for you were downloaded to ${saveTo}`,
      ...fields([
        ["status", enumName(OrderStatus, downloaded.status)],
        ["result hash", `${downloaded.resultHash} (the receipt's: checked)`],
        ["bytes", `${downloaded.bytes}${downloaded.unpacked ? " (tar.gz, unpacked)" : ""}`],
        ["recipient", `${downloaded.recipientIndex} of ${downloaded.result.resultRecipients.length}`],
        [
          "receipt",
          `block ${downloaded.result.blockNumber}, transaction ${downloaded.result.transactionHash}`,
        ],
      ]),
      ...(done ? [] : ["An Error order's receipt is not signed: the logs are the TEE provider's word."]),
    ].join("\n"),
    json: {
      orderId,
      status: enumName(OrderStatus, downloaded.status),
      path: downloaded.path,
      resultHash: downloaded.resultHash,
      bytes: downloaded.bytes,
      unpacked: downloaded.unpacked,
      recipientIndex: downloaded.recipientIndex,
      checks: downloaded.checks,
      transactionHash: downloaded.result.transactionHash,
    },
  };
}

/** `orders verify-result`. */
export async function runVerifyResult(ctx: CommandContext, input: CommandInput): Promise<CommandResult> {
  const orderId = idArg(positional(input, 0), "<orderId>", "an order");
  const keyFlag = optional(input, "result-key");
  const keyFile = resultKeyPath(ctx.io.cwd, await loadConfig(ctx.io, input.values), keyFlag);
  // The key is optional here: without one, the receipt is checked but no pointer opened.
  const key = keyFlag !== undefined || (await exists(keyFile)) ? await readResultKey(keyFile) : undefined;
  const { client } = await ctx.reader();
  const result = await client.orders.getResult({ orderId });
  const { ok, checks } = await client.results.verify({
    result,
    ...(key === undefined ? {} : { privateKey: key.privateKey }),
  });
  const failed = checks.filter((c) => !c.ok);
  const summary = ok
    ? `The result receipt of order ${orderId} is valid: all ${checks.length} checks passed`
    : `The result receipt of order ${orderId} is NOT valid: ${failed.length} of ${checks.length} checks failed (${failed.map((c) => c.name).join(", ")})`;
  return {
    text: [
      ...checkLines(checks),
      ...fields(
        [
          ["status", enumName(OrderStatus, result.status)],
          ["result hash", result.resultHash],
          ["pointers", `${result.pointers.length} for ${result.resultRecipients.length} recipients`],
          ["enclave", result.teeKey],
          ...(key === undefined ? ([["your pointer", "not opened (no result key)"]] as const) : []),
        ],
        "",
      ),
      summary,
    ].join("\n"),
    json: {
      orderId,
      ok,
      checks,
      status: enumName(OrderStatus, result.status),
      resultHash: result.resultHash,
      pointers: result.pointers.length,
      resultRecipients: result.resultRecipients,
      teeKey: result.teeKey,
    },
    ...(ok ? {} : { exitCode: 1, error: summary }),
  };
}
