import type { QuoteSource } from "./quoteSource.js";
/** Chains the stand-in enclave may attest on: Hardhat's and other local nodes', and opBNB testnet. */
export declare const STAND_IN_CHAINS: readonly number[];
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
export declare function standInQuotes(url: string, chainId: number): QuoteSource;
