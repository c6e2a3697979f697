/**
 * A TCB's quote as verification checks, in the style of `reports.verify`: each check has a name,
 * a verdict and the values it compared, so a reader sees what holds and what does not. A pure
 * function over evidence (the quote, its collateral, the time): it reads no chain.
 */
import type { Hex } from "viem";

import { InputError, QuoteVerificationError } from "../errors.js";
import { describe } from "../internal/fields.js";
import type { QuoteCollateral } from "./collateral.js";
import { matchesMeasurement, toMeasurement } from "./quote.js";
import { QUOTE_TCB_STATUSES, type QuoteTcbStatus, isQuoteTcbStatus } from "./tcbStatus.js";
import { type VerifiedQuote, type VerifyQuoteOptions, verifyQuote } from "./verifyQuote.js";

/** Names of the checks {@link checkQuote} makes. */
export type QuoteCheckName = "quoteGenuine" | "tcbStatus" | "measurementExpected";

/** One check of {@link checkQuote}. */
export interface QuoteCheck {
  name: QuoteCheckName;
  ok: boolean;
  /** What was compared, in words. */
  detail: string;
}

/** What {@link checkQuote} takes besides the quote and its collateral. */
export interface CheckQuoteOptions extends VerifyQuoteOptions {
  /** The TCB statuses you accept; default `["UpToDate"]`. */
  acceptStatuses?: readonly QuoteTcbStatus[];
  /**
   * The measurements you accept: 32-byte registry measurements (MRENCLAVE for SGX) or 48-byte
   * MRTDs. When given, `measurementExpected` is checked against the quote itself, so you need not
   * trust the registry's allow-list.
   */
  measurements?: readonly Hex[];
}

/**
 * Checks a TCB's quote and reports, check by check:
 *
 * - `quoteGenuine`: the quote verifies with its collateral under the root at the time
 *   (`verifyQuote`, with `expectedReportData` when given: the registry's binding); the detail names
 *   the refusal's reason otherwise;
 * - `tcbStatus`: the platform's TCB status is one you accept (default `UpToDate`);
 * - `measurementExpected` (with `measurements`): the quote's own measurement is one you accept.
 *
 * When the quote is not genuine, the other checks fail with "not evaluated".
 *
 * @param quote The TCB's quote.
 * @param collateral Its collateral (a file's content, or `fetchCollateral`'s result).
 * @param options See {@link CheckQuoteOptions}.
 * @returns `ok` when every check passed, the checks, and the verified quote when it is genuine.
 * @example
 * const { ok, checks } = await checkQuote(tcbQuote, collateral, {
 *   expectedReportData,
 *   acceptStatuses: ["UpToDate", "SWHardeningNeeded"],
 *   measurements: [expectedMeasurement],
 * });
 * for (const c of checks) console.log(c.ok ? "ok  " : "FAIL", c.name, c.detail);
 * @throws {InputError} naming the option (`measurements[i]`, `at`, ...) or the collateral field that
 * is malformed, before any check.
 */
export async function checkQuote(
  quote: Hex | Uint8Array,
  collateral: QuoteCollateral | string,
  options: CheckQuoteOptions = {},
): Promise<{ ok: boolean; checks: QuoteCheck[]; verified?: VerifiedQuote }> {
  const accept = options.acceptStatuses ?? ["UpToDate"];
  accept.forEach((status, i) => {
    if (!isQuoteTcbStatus(status)) {
      throw new InputError(
        `acceptStatuses[${i}]`,
        `${describe(status)} is not one of ${QUOTE_TCB_STATUSES.join(", ")}`,
      );
    }
  });
  const measurements = options.measurements?.map((m, i) => toMeasurement(m, `measurements[${i}]`));
  const checks: QuoteCheck[] = [];
  const check = (name: QuoteCheckName, ok: boolean, detail: string) => checks.push({ name, ok, detail });

  let verified: VerifiedQuote;
  try {
    verified = await verifyQuote(quote, collateral, options);
  } catch (error) {
    if (!(error instanceof QuoteVerificationError)) throw error;
    check("quoteGenuine", false, error.message);
    check("tcbStatus", false, "not evaluated: the quote did not verify");
    if (measurements !== undefined)
      check("measurementExpected", false, "not evaluated: the quote did not verify");
    return { ok: false, checks };
  }

  check(
    "quoteGenuine",
    true,
    `a genuine ${verified.teeType} quote under the trusted root` +
      (options.expectedReportData === undefined ? "" : ", carrying the registry's binding"),
  );
  const advisories = verified.advisoryIds.length === 0 ? "" : ` (${verified.advisoryIds.join(", ")})`;
  const accepted = accept.includes(verified.status);
  check(
    "tcbStatus",
    accepted,
    `TCB status ${verified.status}${advisories}; ${accepted ? "accepted" : `you accept ${accept.join(", ")}`}`,
  );
  if (measurements !== undefined) {
    const found = measurements.some((m) => matchesMeasurement(verified, m));
    check(
      "measurementExpected",
      found,
      `measurement ${verified.registryMeasurement} is ${found ? "" : "not "}one you accept`,
    );
  }
  return { ok: checks.every((c) => c.ok), checks, verified };
}

/** Where a quote's collateral comes from: the collateral itself (or its JSON text), or a fetch for the quote. */
export type CollateralSource = QuoteCollateral | string | ((quote: Hex) => Promise<QuoteCollateral>);

/**
 * A quote checker for `reports.verify`'s `quote` option: it runs {@link checkQuote} on the report's
 * TCB quote with the registry's binding for that TCB as `expectedReportData`, so a report's reader
 * trusts Intel's root (or the root you pass) instead of the registry's attestation service.
 *
 * @param collateral The collateral, or a function that gets it for the quote (for example
 * `(quote) => fetchCollateral(quote, { pccsUrl })`).
 * @param options As for {@link checkQuote}, without `expectedReportData` (the report's TCB gives it).
 * @example
 * const { ok, checks } = await client.reports.verify({
 *   orderId,
 *   quote: reportQuoteChecker((quote) => fetchCollateral(quote, { pccsUrl: INTEL_PCS_URL }), { measurements: [expected] }),
 * });
 * @throws {InputError} when called with malformed options (as {@link checkQuote}, at the first check).
 */
export function reportQuoteChecker(
  collateral: CollateralSource,
  options: Omit<CheckQuoteOptions, "expectedReportData"> = {},
): (quote: Hex, expectedReportData: Hex) => Promise<{ checks: QuoteCheck[] }> {
  return async (quote, expectedReportData) => {
    const source = typeof collateral === "function" ? await collateral(quote) : collateral;
    return checkQuote(quote, source, { ...options, expectedReportData });
  };
}
