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
import { type Hex, parseEventLogs } from "viem";

import {
  type MarketplaceContext,
  tcbRegistryAbi,
  teeAttestationReportData,
  uploadTcbCall,
} from "@tee-marketplace/sdk";

import { type AttestationServiceError, requestAttestation } from "./attestationService.js";
import type { ChainWriter } from "./chainWriter.js";
import type { EnclaveKeys } from "./enclaveKeys.js";
import { type QuoteSource, boundQuote } from "./quotes/quoteSource.js";
import { type RetryOptions, isTransient, withRetry } from "./retry.js";

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
export async function attestEnclave(params: AttestParameters): Promise<PublishedTcb> {
  const { ctx, keys, teeOfferId } = params;
  const binding = teeAttestationReportData(ctx, {
    teeOfferId,
    teeKey: keys.teeKey,
    publicKey: keys.publicKey,
  });
  const quote = await withRetry(() => boundQuote(params.source, binding), {
    ...params.retry,
    what: `getting a quote from ${params.source.kind}`,
  });
  const proof = await withRetry(
    () =>
      requestAttestation(params.attestationService, {
        quote,
        chainId: ctx.deployment.chainId,
        registry: ctx.deployment.contracts.tcbRegistry,
        teeOfferId,
        teeKey: keys.teeKey,
        publicKey: keys.publicKey,
      }),
    {
      ...params.retry,
      what: "asking the attestation service for its proof",
      retryIf: (error) =>
        (error as Partial<AttestationServiceError>).transient === true || isTransient(error),
    },
  );
  const call = uploadTcbCall(ctx, {
    teeOfferId,
    deviceId: params.deviceId,
    teeKey: keys.teeKey,
    publicKey: keys.publicKey,
    quote,
    benchmark: params.benchmark,
    proof,
  });
  const receipt = await params.writer.send(call, `publishing the TCB of enclave ${keys.teeKey}`);
  const [published] = parseEventLogs({
    abi: tcbRegistryAbi,
    eventName: "TcbPublished",
    logs: receipt.logs.filter((log) => log.address.toLowerCase() === call.address.toLowerCase()),
    strict: true,
  });
  if (published === undefined) {
    throw new TypeError(
      `Transaction ${receipt.transactionHash} published no TCB: is the deployment's TcbRegistry right?`,
    );
  }
  return { tcbId: published.args.tcbId, validUntil: Number(published.args.validUntil), quote };
}
