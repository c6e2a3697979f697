/**
 * Reading the quote options (`./quoteFlags.ts`) into what the SDK's DCAP entry takes: the
 * collateral (a file, or a fetch from a PCS/PCCS), the root CA, the accepted statuses and
 * measurements, the time; and the checks as the commands print them.
 */
import path from "node:path";

import type { Hex } from "viem";

import {
  type CheckQuoteOptions,
  type CollateralSource,
  INTEL_PCS_URL,
  QUOTE_TCB_STATUSES,
  type QuoteTcbStatus,
  type VerifiedQuote,
  fetchCollateral,
  isQuoteTcbStatus,
} from "@tee-marketplace/sdk/dcap";
import { readCollateralFile, readRootCaFile } from "@tee-marketplace/sdk/node";

import { hexArg, list, optional } from "./args.js";
import type { CommandContext, CommandInput } from "./command.js";
import { UsageError, table } from "./output.js";

/** The options of `checkQuote` the flags give (all but the report data). */
export type QuoteFlagOptions = Omit<CheckQuoteOptions, "expectedReportData">;

/** One check as printed: `ok`/`FAIL`, its name, its detail. */
export interface PrintedCheck {
  name: string;
  ok: boolean;
  detail: string;
}

/** The checks as table lines: `ok  name  detail` or `FAIL  name  detail`. */
export function checkLines(checks: readonly PrintedCheck[]): string[] {
  return table(checks.map((c) => [c.ok ? "ok" : "FAIL", c.name, c.detail]));
}

/** A quote's verdict as the commands print it. */
export interface QuoteVerdict {
  /** `The quote of … is valid: …` or `… is NOT valid: … (the failed checks)`. */
  summary: string;
  /** What a genuine quote attests, as printed fields (none when it is not genuine). */
  attested: [string, string][];
  /** The same for `--json`. */
  attestedJson: Record<string, unknown>;
}

/**
 * The verdict on a checked quote: one summary line naming the failed checks, and what it attests.
 *
 * @param subject What the quote is, as the summary names it ("the quote in q.bin", "the quote of TCB 3").
 * @param result What `checkQuote` or `verifyTcbQuote` returned.
 */
export function quoteVerdict(
  subject: string,
  result: { checks: readonly PrintedCheck[]; verified?: VerifiedQuote },
): QuoteVerdict {
  const failed = result.checks.filter((c) => !c.ok);
  const summary =
    failed.length === 0
      ? `${subject} is valid: all ${result.checks.length} checks passed`
      : `${subject} is NOT valid: ${failed.length} of ${result.checks.length} checks failed (${failed.map((c) => c.name).join(", ")})`;
  const verified = result.verified;
  if (verified === undefined) return { summary, attested: [], attestedJson: {} };
  return {
    summary,
    attested: [
      ["TEE type", verified.teeType],
      ["TCB status", verified.status],
      ["advisories", verified.advisoryIds.join(", ") || "none"],
      ["measurement", verified.registryMeasurement],
      ["report data", verified.reportData],
    ],
    attestedJson: {
      teeType: verified.teeType,
      status: verified.status,
      advisoryIds: verified.advisoryIds,
      measurement: verified.registryMeasurement,
      reportData: verified.reportData,
      collateralValidUntil: verified.collateralValidUntil,
    },
  };
}

function timeArg(value: string): Date {
  const date = /^\d+$/.test(value) ? new Date(Number(value) * 1000) : new Date(value);
  if (Number.isNaN(date.getTime())) {
    throw new UsageError(`--at: expected an ISO 8601 time or unix seconds, got ${JSON.stringify(value)}`);
  }
  return date;
}

/** The collateral source, the check options and, for messages, where the collateral comes from. */
export interface QuoteFlags {
  collateral: CollateralSource;
  options: QuoteFlagOptions;
  source: string;
}

/**
 * The quote options of the command line, for a command that always verifies: without
 * `--collateral` or `--pccs-url`, the collateral is fetched from Intel's PCS.
 *
 * @throws {UsageError} for both sources at once, an unknown status, a malformed measurement or time.
 */
export async function quoteFlags(ctx: CommandContext, input: CommandInput): Promise<QuoteFlags> {
  const { options, collateral } = await readQuoteFlags(ctx, input);
  return collateral ?? fetchedFrom(INTEL_PCS_URL, options);
}

/**
 * The quote options of the command line, for a command that verifies the quote only when asked:
 * `undefined` without `--collateral` and `--pccs-url`.
 *
 * @throws {UsageError} as {@link quoteFlags}.
 */
export async function optionalQuoteFlags(
  ctx: CommandContext,
  input: CommandInput,
): Promise<QuoteFlags | undefined> {
  return (await readQuoteFlags(ctx, input)).collateral;
}

function fetchedFrom(pccsUrl: string, options: QuoteFlagOptions): QuoteFlags {
  return {
    collateral: (quote: Hex) => fetchCollateral(quote, { pccsUrl }),
    options,
    source: `collateral from ${pccsUrl}`,
  };
}

async function readQuoteFlags(
  ctx: CommandContext,
  input: CommandInput,
): Promise<{ options: QuoteFlagOptions; collateral: QuoteFlags | undefined }> {
  const collateralFile = optional(input, "collateral");
  const pccsUrl = optional(input, "pccs-url");
  if (collateralFile !== undefined && pccsUrl !== undefined) {
    throw new UsageError("pass --collateral <file> or --pccs-url <url>, not both");
  }
  const statuses = list(input, "accept-status").flatMap((value) => value.split(","));
  for (const status of statuses) {
    if (!isQuoteTcbStatus(status)) {
      throw new UsageError(
        `--accept-status: unknown TCB status ${JSON.stringify(status)}; statuses: ${QUOTE_TCB_STATUSES.join(", ")}`,
      );
    }
  }
  const measurements: Hex[] = list(input, "measurement").map((value) => {
    const hex = hexArg(value, "--measurement");
    const size = (hex.length - 2) / 2;
    if (size !== 32 && size !== 48) {
      throw new UsageError(`--measurement: expected 32 or 48 bytes of hex, got ${size} bytes`);
    }
    return hex;
  });
  const rootCaFile = optional(input, "root-ca");
  const atValue = optional(input, "at");
  const options: QuoteFlagOptions = {
    acceptStatuses: ["UpToDate", ...(statuses as QuoteTcbStatus[])],
    ...(measurements.length === 0 ? {} : { measurements }),
    ...(rootCaFile === undefined
      ? {}
      : { rootCa: await readRootCaFile(path.resolve(ctx.io.cwd, rootCaFile)) }),
    ...(atValue === undefined ? {} : { at: timeArg(atValue) }),
  };
  if (collateralFile !== undefined) {
    const file = path.resolve(ctx.io.cwd, collateralFile);
    return {
      options,
      collateral: {
        collateral: await readCollateralFile(file),
        options,
        source: `collateral ${collateralFile}`,
      },
    };
  }
  return { options, collateral: pccsUrl === undefined ? undefined : fetchedFrom(pccsUrl, options) };
}
