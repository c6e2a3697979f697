/**
 * The attestation service's client: `POST /v1/attestations` with the quote and the keys and
 * deployment it binds; the service verifies the quote (to Intel's root, or the test root it was
 * configured with) and answers the `proof` that `tcb.upload` sends. A refusal (the quote, the
 * status or the measurement is not accepted) is final; a busy or unreachable service (429, 503,
 * no answer) is retried by the caller.
 */
import type { Address, Hex } from "viem";
import { MarketplaceError } from "@tee-marketplace/sdk";
/** What the service is asked to attest. */
export interface AttestationRequest {
  quote: Hex;
  chainId: number;
  registry: Address;
  teeOfferId: bigint;
  teeKey: Address;
  publicKey: Hex;
}
/**
 * The attestation service refused, or could not be reached. `transient` is true when trying again
 * later may work (no answer, 429 with `retryAfterMs`, 5xx); `code` is the service's error code.
 *
 * @example
 * try {
 *   await requestAttestation(url, request);
 * } catch (error) {
 *   if (error instanceof AttestationServiceError && !error.transient) console.error(error.code);
 * }
 * @throws nothing: constructing it does not throw.
 */
export declare class AttestationServiceError extends MarketplaceError {
  name: string;
  /** The service's error code (`MeasurementNotAllowed`, `RateLimited`, ...), or `Unreachable`. */
  readonly code: string;
  /** The HTTP status, when it answered. */
  readonly status: number | undefined;
  readonly transient: boolean;
  /** How long the service asked to wait, from `Retry-After`. */
  readonly retryAfterMs: number | undefined;
  constructor(params: {
    code: string;
    status?: number;
    message: string;
    retryAfterMs?: number;
    cause?: unknown;
  });
}
/**
 * Asks the attestation service for the proof of a quote.
 *
 * @param baseUrl The service's base URL.
 * @param request The quote and what it binds.
 * @returns The `proof` for `tcb.upload`.
 * @example
 * const proof = await requestAttestation("http://127.0.0.1:8645", { quote, chainId, registry, teeOfferId, teeKey, publicKey });
 * @throws {AttestationServiceError} with the service's code and message when it refuses, or
 * `Unreachable` when it does not answer.
 */
export declare function requestAttestation(baseUrl: string, request: AttestationRequest): Promise<Hex>;
