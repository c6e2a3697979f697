/**
 * Quotes from the stand-in enclave: an HTTP endpoint (`POST /v1/quote`, the repository's
 * `mocks/standInQuotes.ts`) that answers TDX quotes in the genuine layout signed under a test root,
 * not Intel's. It exists because there is no TDX hardware on development machines and in the tests;
 * the attestation service verifies its quotes only when configured with that test root, and the
 * agent refuses it on any chain but local and test ones ({@link STAND_IN_CHAINS}).
 */
import { type Hex, isHex } from "viem";

import { InputError, MAX_QUOTE_SIZE, StateError } from "@tee-marketplace/sdk";

import type { QuoteSource } from "./quoteSource.js";

/** Chains the stand-in enclave may attest on: Hardhat's and other local nodes', and opBNB testnet. */
export const STAND_IN_CHAINS: readonly number[] = [31337, 1337, 5611];

/** The most a quoting answer may be: a quote of the registry's cap in hex, and some JSON. */
const MAX_ANSWER_BYTES = 2 * MAX_QUOTE_SIZE + 1024;

/**
 * The stand-in enclave's quote source, for a chain that allows it.
 *
 * @param url The endpoint's base URL.
 * @param chainId The deployment's chain.
 * @example
 * const source = standInQuotes("http://127.0.0.1:9000", 31337);
 * @throws {InputError} naming `quotes.source` when the chain is not a local or test chain (opBNB
 * mainnet, 204, above all).
 */
export function standInQuotes(url: string, chainId: number): QuoteSource {
  if (!STAND_IN_CHAINS.includes(chainId)) {
    throw new InputError(
      "quotes.source",
      `the stand-in enclave is not a TEE: it is refused on chain ${chainId}${chainId === 204 ? " (opBNB mainnet)" : ""}; ` +
        `it attests only on local and test chains (${STAND_IN_CHAINS.join(", ")}). Run the agent in a TDX guest (configfs-tsm)`,
    );
  }
  return {
    kind: "stand-in",
    description: `STAND-IN ENCLAVE (${url}; test quotes, not a TEE)`,
    async quote(reportData: Hex): Promise<Hex> {
      let response: Response;
      try {
        response = await fetch(`${url}/v1/quote`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ reportData }),
          signal: AbortSignal.timeout(10_000),
        });
      } catch (error) {
        throw Object.assign(
          new StateError(`The stand-in enclave at ${url} did not answer (${(error as Error).message}).`, {
            cause: error,
          }),
          { transient: true as const },
        );
      }
      const text = await response.text();
      if (text.length > MAX_ANSWER_BYTES || !response.ok) {
        throw new StateError(
          `The stand-in enclave at ${url} answered ${response.status}` +
            (response.ok
              ? ` with ${text.length} bytes, more than a quote can be`
              : `: ${text.slice(0, 200)}`),
        );
      }
      const quote = (JSON.parse(text) as { quote?: unknown }).quote;
      if (typeof quote !== "string" || !isHex(quote)) {
        throw new StateError(`The stand-in enclave at ${url} answered no quote: ${text.slice(0, 200)}`);
      }
      return quote;
    },
  };
}
