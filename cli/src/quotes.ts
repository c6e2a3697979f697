/**
 * `tee-market quotes validate`: an Intel DCAP quote (TDX v4/v5, SGX v3) from a file, verified to
 * the root with its collateral (spctl's `quotes validate`, on a file rather than a URL), and what
 * it attests: TEE type, TCB status and advisories, measurement, report data.
 */
import path from "node:path";

import { optional, positional, readBytesFile, bytes32Arg } from "./args.js";
import type { CommandContext, CommandInput } from "./command.js";
import { type CommandResult, fields } from "./output.js";
import { checkLines, quoteFlags } from "./quoteChecks.js";

/** `quotes validate`. */
export async function runValidate(ctx: CommandContext, input: CommandInput): Promise<CommandResult> {
  const name = positional(input, 0);
  const quote = await readBytesFile(path.resolve(ctx.io.cwd, name), "<quote-file>");
  const reportDataValue = optional(input, "report-data");
  const expectedReportData =
    reportDataValue === undefined ? undefined : bytes32Arg(reportDataValue, "--report-data");
  const flags = await quoteFlags(ctx, input);
  const { checkQuote } = await import("@tee-marketplace/sdk/dcap");
  const result = await ctx.out.pending(`Verifying ${name}`, async () =>
    checkQuote(
      quote,
      typeof flags.collateral === "function" ? await flags.collateral(quote) : flags.collateral,
      {
        ...flags.options,
        ...(expectedReportData === undefined ? {} : { expectedReportData }),
      },
    ),
  );
  const failed = result.checks.filter((c) => !c.ok);
  const summary =
    failed.length === 0
      ? `The quote in ${name} is valid: all ${result.checks.length} checks passed`
      : `The quote in ${name} is NOT valid: ${failed.length} of ${result.checks.length} checks failed (${failed.map((c) => c.name).join(", ")})`;
  const verified = result.verified;
  return {
    text: [
      ...checkLines(result.checks),
      ...fields(
        [
          ["collateral", flags.source],
          ...(verified === undefined
            ? []
            : ([
                ["TEE type", verified.teeType],
                ["TCB status", verified.status],
                ["advisories", verified.advisoryIds.join(", ") || "none"],
                ["measurement", verified.registryMeasurement],
                ["report data", verified.reportData],
              ] as const)),
        ],
        "",
      ),
      summary,
    ].join("\n"),
    json: {
      file: name,
      ok: result.ok,
      checks: result.checks,
      ...(verified === undefined
        ? {}
        : {
            teeType: verified.teeType,
            status: verified.status,
            advisoryIds: verified.advisoryIds,
            measurement: verified.registryMeasurement,
            reportData: verified.reportData,
            collateralValidUntil: verified.collateralValidUntil,
          }),
    },
    ...(result.ok ? {} : { exitCode: 1, error: summary }),
  };
}
