/**
 * Where the enclave's quotes come from, chosen at start: Linux's configfs-tsm interface when the
 * machine is a TDX guest, otherwise the stand-in enclave (local and test chains only). Whatever the
 * source, a quote is used only when the report data in it is the binding the agent asked for.
 */
import type { Hex } from "viem";
import type { AgentConfig } from "../config.js";
/** A source of quotes over 64 bytes of report data. */
export interface QuoteSource {
  readonly kind: "configfs-tsm" | "stand-in";
  /** What it is, for the operator (the stand-in says so in capitals). */
  readonly description: string;
  /** A quote whose report data is `reportData` (64 bytes). */
  quote(reportData: Hex): Promise<Hex>;
}
/**
 * The quote source the configuration asks for: `configfs-tsm`, `stand-in`, or with `auto`
 * configfs-tsm when its directory exists and the stand-in otherwise.
 *
 * @param quotes The configuration's `quotes`.
 * @param chainId The deployment's chain.
 * @example
 * const source = await selectQuoteSource(config.quotes, config.deployment.chainId);
 * @throws {InputError} naming `quotes.source` when configfs-tsm is asked for and absent, or the
 * stand-in on a chain that does not allow it; `quotes.standInUrl` when the stand-in is needed and
 * has no URL.
 */
export declare function selectQuoteSource(
  quotes: AgentConfig["quotes"],
  chainId: number,
): Promise<QuoteSource>;
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
export declare function boundQuote(source: QuoteSource, binding: Hex): Promise<Hex>;
