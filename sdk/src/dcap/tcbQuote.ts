/**
 * A published TCB's quote, verified: its quote and public key from the chain, the registry's
 * binding for its offer and keys, then {@link checkQuote}. What `tee-market tcb verify` prints, and
 * how anyone checks a TCB trusting only Intel's root.
 */
import type { Hex } from "viem";

import { getTcb, getTcbQuoteBinding } from "../actions/tcb.js";
import type { MarketplaceContext } from "../context.js";
import { type CheckQuoteOptions, type CollateralSource, type QuoteCheck, checkQuote } from "./checks.js";
import type { VerifiedQuote } from "./verifyQuote.js";

/**
 * Verifies a TCB's quote: reads the TCB and its publication (the quote, the public key), computes
 * the report data the registry bound it to (chain, registry, TEE offer, TEE key, public key) and
 * checks the quote against it: `quoteGenuine`, `tcbStatus`, and `measurementExpected` when you
 * name the measurements you accept. Three round trips.
 *
 * @param ctx The marketplace context (`client.context`).
 * @param params `tcbId`; `collateral` (or a function fetching it for the quote); the options of
 * {@link checkQuote} but `expectedReportData`.
 * @returns `ok` when every check passed, the checks, the verified quote when genuine, and the
 * report data the quote had to carry.
 * @example
 * const { ok, checks } = await verifyTcbQuote(client.context, { tcbId, collateral: (quote) => fetchCollateral(quote, { pccsUrl }) });
 * @throws {InputError} naming `tcbId` or a malformed option.
 * @throws {ContractError} `TcbNotFound`.
 * @throws {StateError} when the TCB's publication is missing or its public key does not hash to the stored hash.
 */
export async function verifyTcbQuote(
  ctx: MarketplaceContext,
  params: { tcbId: bigint | number | string; collateral: CollateralSource } & Omit<
    CheckQuoteOptions,
    "expectedReportData"
  >,
): Promise<{ ok: boolean; checks: QuoteCheck[]; verified?: VerifiedQuote; expectedReportData: Hex }> {
  const { tcbId, collateral, ...options } = params;
  const tcb = await getTcb(ctx, { tcbId });
  const { quote, expectedReportData } = await getTcbQuoteBinding(ctx, tcb);
  const source = typeof collateral === "function" ? await collateral(quote) : collateral;
  const result = await checkQuote(quote, source, { ...options, expectedReportData });
  return { ...result, expectedReportData };
}
