/**
 * `tee-market orders get-report` and `orders validate-report`: an order's report in Super
 * Protocol's JSON shape, and its validation. A report of this marketplace is judged by the SDK's
 * report checks with the chain's evidence (and, with collateral, its TCB's quote to Intel's root);
 * a report Super Protocol's tools saved (`{ certificate, workloadInfo }`) carries no signature this
 * chain knows, so its `runtimeInfo` is compared with your resource files.
 */
import { rename, writeFile } from "node:fs/promises";
import path from "node:path";

import type { Hex } from "viem";

import {
  type ContentHashInput,
  checkRuntimeInfo,
  reportFromJson,
  toContentHash,
  workloadFromJson,
} from "@tee-marketplace/sdk";

import { hashOrResource, idArg, inFile, list, optional, positional, readJsonFile } from "./args.js";
import type { CommandContext, CommandInput } from "./command.js";
import { type CommandResult, UsageError, fields, toJsonText } from "./output.js";
import { type PrintedCheck, checkLines, optionalQuoteFlags } from "./quoteChecks.js";

function sameHex(a: unknown, b: string): boolean {
  return typeof a === "string" && a.toLowerCase() === b.toLowerCase();
}

/** `orders get-report`. */
export async function runGetReport(ctx: CommandContext, input: CommandInput): Promise<CommandResult> {
  const orderId = idArg(positional(input, 0), "<orderId>", "an order");
  const saveTo = optional(input, "save-to");
  const { client } = await ctx.reader();
  const published = await client.reports.get({ orderId });
  const report = client.reports.toJson(published);
  if (saveTo === undefined) return { text: toJsonText(report), json: report };
  const file = path.resolve(ctx.io.cwd, saveTo);
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, `${toJsonText(report)}\n`);
  await rename(temporary, file);
  return {
    text: [
      `The report of order ${orderId} has been saved to ${saveTo}`,
      ...fields([
        ["TCB", `${published.tcb.id} (TEE key ${published.tcb.teeKey})`],
        ["entries", report.workloadInfo.runtimeInfo.map((e) => `${e.type} ${e.hash.hash}`).join(", ")],
        ["published", `block ${published.blockNumber}, transaction ${published.transactionHash}`],
      ]),
    ].join("\n"),
    json: report,
  };
}

/** The checks' result: a table, a summary line, exit 1 when one failed. */
function checksResult(
  checks: readonly PrintedCheck[],
  what: string,
  notes: readonly string[],
  json: Record<string, unknown>,
): CommandResult {
  const failed = checks.filter((c) => !c.ok);
  const ok = failed.length === 0;
  const summary = ok
    ? `${what} is valid: all ${checks.length} checks passed`
    : `${what} is NOT valid: ${failed.length} of ${checks.length} checks failed (${failed.map((c) => c.name).join(", ")})`;
  return {
    text: [...checkLines(checks), ...notes, summary].join("\n"),
    json: { ...json, ok, checks },
    ...(ok ? {} : { exitCode: 1, error: summary }),
  };
}

/** Whether a report file is this marketplace's (an order, a TCB, a signature) rather than Super Protocol's. */
function isMarketplaceReport(raw: unknown): boolean {
  return (
    typeof raw === "object" &&
    raw !== null &&
    ["orderId", "signature", "tcb"].some((key) => Object.hasOwn(raw as object, key))
  );
}

/** `orders validate-report`. */
export async function runValidateReport(ctx: CommandContext, input: CommandInput): Promise<CommandResult> {
  const name = input.positionals[0] ?? optional(input, "path");
  if (name === undefined) {
    throw new UsageError("name the report file: tee-market orders validate-report <file> (or --path <file>)");
  }
  const file = path.resolve(ctx.io.cwd, name);
  const raw = await readJsonFile(file);
  const solution = optional(input, "solution");
  const solutionHash =
    solution === undefined ? undefined : await hashOrResource(ctx.io.cwd, solution, "--solution");
  const data = list(input, "data");
  const dataHashes =
    data.length === 0
      ? undefined
      : await Promise.all(data.map((d) => hashOrResource(ctx.io.cwd, d, "--data")));
  const quote = await optionalQuoteFlags(ctx, input);

  if (!isMarketplaceReport(raw)) {
    return validateSuperProtocolReport(name, file, raw, solutionHash, dataHashes, quote !== undefined);
  }
  const fromFile = inFile(file, () => reportFromJson(raw));
  const { client } = await ctx.reader();
  const orderId = fromFile.report.orderId;
  const quoteChecker =
    quote === undefined
      ? undefined
      : (await import("@tee-marketplace/sdk/dcap")).reportQuoteChecker(quote.collateral, quote.options);
  const { evidence } = await ctx.out.pending(`Reading the evidence of order ${orderId}'s report`, () =>
    client.reports.evidence({
      orderId,
      ...(solutionHash === undefined ? {} : { solutionHash }),
      ...(dataHashes === undefined ? {} : { dataHashes }),
      ...(quoteChecker === undefined ? {} : { quote: quoteChecker }),
    }),
  );
  // The chain's evidence with the file's report and signature in place of the published ones: the
  // SDK's checks then say whether the file is the report the order stored, signed by its TCB.
  const publication =
    evidence.publication === undefined
      ? undefined
      : { ...evidence.publication, report: fromFile.report, signature: fromFile.signature };
  const verification = client.reports.check({ ...evidence, publication });
  const checks: PrintedCheck[] = [...verification.checks];
  const tcb = evidence.tcb;
  if (publication !== undefined && tcb !== undefined) {
    const tcbProblems = [
      fromFile.tcb["teeKey"] === undefined || sameHex(fromFile.tcb["teeKey"], tcb.teeKey)
        ? ""
        : `the file's teeKey ${String(fromFile.tcb["teeKey"])} is not the TCB's ${tcb.teeKey}`,
      fromFile.tcb["measurement"] === undefined || sameHex(fromFile.tcb["measurement"], tcb.measurement)
        ? ""
        : `the file's measurement ${String(fromFile.tcb["measurement"])} is not the TCB's ${tcb.measurement}`,
    ].filter((p) => p !== "");
    checks.push({
      name: "fileTcb",
      ok: tcbProblems.length === 0,
      detail:
        tcbProblems.length === 0
          ? `the file's TCB details are TCB ${tcb.id}'s on the chain`
          : tcbProblems.join("; "),
    });
  }
  const notes =
    quote === undefined
      ? [
          "The TCB's quote was not verified: pass --pccs-url <url> or --collateral <file> to check it to Intel's root.",
        ]
      : [];
  return checksResult(checks, `The report of order ${orderId} in ${name}`, notes, { file, orderId });
}

/** A Super Protocol report: its runtime entries against the resource files given. */
function validateSuperProtocolReport(
  name: string,
  file: string,
  raw: unknown,
  solution: ContentHashInput | undefined,
  data: readonly ContentHashInput[] | undefined,
  quoteAsked: boolean,
): CommandResult {
  if (quoteAsked) {
    throw new UsageError(
      `${name} is a Super Protocol report (no orderId, tcb or signature): it names no TCB on this chain, so its quote cannot be checked here`,
    );
  }
  if (solution === undefined && data === undefined) {
    throw new UsageError(
      `${name} is a Super Protocol report, which names no order of this chain: pass --solution and --data ` +
        `(your resource files or hashes) to compare its runtimeInfo with them`,
    );
  }
  const { runtimeInfo } = inFile(file, () => workloadFromJson(raw));
  const checks = checkRuntimeInfo(runtimeInfo, {
    ...(solution === undefined ? {} : { solutionHash: toContentHash(solution, "--solution") as Hex }),
    ...(data === undefined ? {} : { dataHashes: data.map((d) => toContentHash(d, "--data")) }),
  });
  return checksResult(
    checks,
    `The runtimeInfo of ${name}`,
    [
      `${name} is a Super Protocol report: its runtimeInfo was compared with your resource files; its certificate ` +
        "(Super Protocol's order certificate chain) is not checked by tee-market.",
    ],
    { file, format: "super-protocol" },
  );
}
