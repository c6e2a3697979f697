/**
 * The enclave's attestation: a quote that binds its keys to this chain, registry and TEE offer (the
 * report data of docs/design.md §3), the attestation service's proof over it, and the TCB published
 * with both. Done at start and again before the TCB's `validUntil`; a refresh keeps the keys, so the
 * orders bound to this enclave and the hand-overs made to it stay good.
 *
 * The operator's account sends every publication, the first included: it is the TEE offer's
 * provider authority or action account, which the registry lets publish for its offer, so the
 * enclave key needs no gas and no `tcb.authorizeTeeKey` beforehand.
 */
import { type Hex } from "viem";
import { type MarketplaceContext } from "@tee-marketplace/sdk";
import type { ChainWriter } from "./chainWriter.js";
import type { EnclaveKeys } from "./enclaveKeys.js";
import { type QuoteSource } from "./quotes/quoteSource.js";
import { type RetryOptions } from "./retry.js";
/** The enclave's current TCB. */
export interface PublishedTcb {
  readonly tcbId: bigint;
  /** Unix seconds (chain time) from which it is no longer valid. */
  readonly validUntil: number;
  readonly quote: Hex;
}
/** What {@link attestEnclave} needs. */
export interface AttestParameters {
  readonly ctx: MarketplaceContext;
  readonly writer: ChainWriter;
  readonly keys: EnclaveKeys;
  readonly source: QuoteSource;
  /** The attestation service's base URL. */
  readonly attestationService: string;
  readonly teeOfferId: bigint;
  readonly deviceId: Hex;
  readonly benchmark: bigint;
  readonly retry: Omit<RetryOptions, "what" | "retryIf">;
}
/**
 * Quotes, asks for the proof and publishes a TCB for the enclave's keys.
 *
 * @param params See {@link AttestParameters}.
 * @returns The new TCB.
 * @example
 * const tcb = await attestEnclave({ ctx, writer, keys, source, attestationService, teeOfferId, deviceId, benchmark: 0n, retry });
 * @throws {AttestationServiceError} when the service refuses the quote (not when it is busy: that is retried).
 * @throws {ContractError} when the registry refuses the TCB (`TcbMeasurementNotAllowed`,
 * `TcbCallerNotAuthorized`, `AttestationSignerNotAllowed`, ...).
 * @throws {StateError} when the quote source fails or answers a quote for other report data.
 */
export declare function attestEnclave(params: AttestParameters): Promise<PublishedTcb>;
