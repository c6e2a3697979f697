/**
 * A source of the enclave's quotes (configfs-tsm or the stand-in, chosen by `selectQuoteSource.ts`),
 * and the one way the agent takes a quote from it: only when the report data in it is the binding
 * the agent asked for.
 */
import type { Hex } from "viem";

import { StateError } from "@tee-marketplace/sdk";
import { readQuote, reportDataBinding } from "@tee-marketplace/sdk/dcap";

/** A source of quotes over 64 bytes of report data. */
export interface QuoteSource {
  readonly kind: "configfs-tsm" | "stand-in";
  /** What it is, for the operator (the stand-in says so in capitals). */
  readonly description: string;
  /** A quote whose report data is `reportData` (64 bytes). */
  quote(reportData: Hex): Promise<Hex>;
}

/**
 * A quote from `source` for the registry's 32-byte binding, checked to carry exactly that binding.
 *
 * @param source The quote source.
 * @param binding The registry's report data (`tee.attestationReportData`).
 * @example
 * const quote = await boundQuote(source, client.tee.attestationReportData({ teeOfferId, teeKey, publicKey }));
 * @throws {StateError} when the quote carries other report data (another writer, a wrong source).
 * @throws what the source throws; {@link QuoteVerificationError} when the answer is not a quote.
 */
export async function boundQuote(source: QuoteSource, binding: Hex): Promise<Hex> {
  const quote = await source.quote(`${binding}${"00".repeat(32)}`);
  const carried = reportDataBinding(readQuote(quote).reportData);
  if (carried?.toLowerCase() !== binding.toLowerCase()) {
    throw new StateError(
      `The ${source.kind} quote carries report data ${readQuote(quote).reportData}, not the binding ${binding} ` +
        "of this enclave's keys; the quote source answered for something else.",
    );
  }
  return quote;
}
