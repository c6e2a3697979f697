/**
 * `tee-market quotes validate`: an Intel DCAP quote (TDX v4/v5, SGX v3) from a file, verified to
 * the root with its collateral (spctl's `quotes validate`, on a file rather than a URL), and what
 * it attests: TEE type, TCB status and advisories, measurement, report data.
 */
import path from "node:path";

import { optional, positional, readBytesFile, bytes32Arg } from "./args.js";
import type { CommandContext, CommandInput } from "./command.js";
import { type CommandResult, fields } from "./output.js";
import { checkLines, quoteFlags, quoteVerdict } from "./quoteChecks.js";

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
  const { summary, attested, attestedJson } = quoteVerdict(`The quote in ${name}`, result);
  return {
    text: [
      ...checkLines(result.checks),
      ...fields([["collateral", flags.source], ...attested], ""),
      summary,
    ].join("\n"),
    json: { file: name, ok: result.ok, checks: result.checks, ...attestedJson },
    ...(result.ok ? {} : { exitCode: 1, error: summary }),
  };
}
