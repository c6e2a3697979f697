/**
 * The attestation service's client: `POST /v1/attestations` with the quote and the keys and
 * deployment it binds; the service verifies the quote (to Intel's root, or the test root it was
 * configured with) and answers the `proof` that `tcb.upload` sends. A refusal (the quote, the
 * status or the measurement is not accepted) is final; a busy or unreachable service (429, 503,
 * no answer) is retried by the caller.
 */
import type { Address, Hex } from "viem";

import { MarketplaceError } from "@tee-marketplace/sdk";

/** The largest answer read from the service. */
const MAX_ANSWER_BYTES = 64 * 1024;

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
export class AttestationServiceError extends MarketplaceError {
  override name = "AttestationServiceError";
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
  }) {
    super(params.message, { cause: params.cause });
    this.code = params.code;
    this.status = params.status;
    this.transient = params.status === undefined || params.status === 429 || params.status >= 500;
    this.retryAfterMs = params.retryAfterMs;
  }
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
export async function requestAttestation(baseUrl: string, request: AttestationRequest): Promise<Hex> {
  let response: Response;
  try {
    response = await fetch(`${baseUrl}/v1/attestations`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        quote: request.quote,
        chainId: String(request.chainId),
        registry: request.registry,
        teeOfferId: request.teeOfferId.toString(),
        teeKey: request.teeKey,
        publicKey: request.publicKey,
      }),
      signal: AbortSignal.timeout(30_000),
    });
  } catch (error) {
    throw new AttestationServiceError({
      code: "Unreachable",
      message: `The attestation service at ${baseUrl} did not answer (${(error as Error).message}); check attestationService.`,
      cause: error,
    });
  }
  const text = (await response.text()).slice(0, MAX_ANSWER_BYTES);
  let body: { proof?: unknown; error?: { code?: unknown; message?: unknown } } = {};
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    // Not JSON: reported below with the status.
  }
  if (response.ok && typeof body.proof === "string" && body.proof.startsWith("0x")) return body.proof as Hex;
  const retryAfter = Number(response.headers.get("retry-after"));
  const code = typeof body.error?.code === "string" ? body.error.code : `HTTP${response.status}`;
  const detail = typeof body.error?.message === "string" ? body.error.message : text.slice(0, 200);
  throw new AttestationServiceError({
    code,
    status: response.status,
    message: `The attestation service at ${baseUrl} refused the quote (${response.status} ${code}): ${detail}`,
    ...(Number.isFinite(retryAfter) && retryAfter > 0 ? { retryAfterMs: retryAfter * 1000 } : {}),
  });
}
