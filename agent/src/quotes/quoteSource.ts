/**
 * Where the enclave's quotes come from, chosen at start: Linux's configfs-tsm interface when the
 * machine is a TDX guest, otherwise the stand-in enclave (local and test chains only). Whatever the
 * source, a quote is used only when the report data in it is the binding the agent asked for.
 */
import type { Hex } from "viem";

import { InputError, StateError } from "@tee-marketplace/sdk";
import { readQuote, reportDataBinding } from "@tee-marketplace/sdk/dcap";

import type { AgentConfig } from "../config.js";
import { configfsTsmPresent, configfsTsmQuotes } from "./configfsTsm.js";
import { standInQuotes } from "./standIn.js";

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
export async function selectQuoteSource(
  quotes: AgentConfig["quotes"],
  chainId: number,
): Promise<QuoteSource> {
  const present = await configfsTsmPresent(quotes.configfsPath);
  if (quotes.source === "configfs-tsm" || (quotes.source === "auto" && present)) {
    if (!present) {
      throw new InputError(
        "quotes.source",
        `is "configfs-tsm" but ${quotes.configfsPath} is not there: run the agent in a TDX guest with Linux 6.7 ` +
          "or later and configfs mounted (mount -t configfs none /sys/kernel/config)",
      );
    }
    return configfsTsmQuotes(quotes.configfsPath);
  }
  if (quotes.standInUrl === undefined) {
    throw new InputError(
      "quotes.standInUrl",
      `${quotes.configfsPath} is not there (not a TDX guest) and no stand-in enclave is configured: ` +
        "run the agent in a TDX guest, or on a local or test chain name the stand-in enclave's URL",
    );
  }
  return standInQuotes(quotes.standInUrl, chainId);
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
