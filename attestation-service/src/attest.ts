/**
 * The attestation itself: a request names a quote and the keys and deployment it claims to bind;
 * the service verifies the quote with its collateral under the trusted root (Intel's unless the
 * configuration names a test root), requires its report data to be the registry's binding of that
 * claim, refuses debug enclaves, TCB statuses the operator did not accept and measurements off the
 * operator's list, and only then signs, with EIP-712 over the deployment's verifier domain,
 * `Attestation(quoteHash, reportData, measurement, expiry)`, returning the `proof` that
 * `tcb.upload` sends to the registry.
 */
import { type Address, type Hex, hexToBytes, keccak256 } from "viem";
import { privateKeyToAccount } from "viem/accounts";

import { attestationDomain, encodeAttestationProof, signAttestation } from "@tee-marketplace/sdk";
import {
  type QuoteTcbStatus,
  QuoteVerificationError,
  type QuoteTeeType,
  matchesMeasurement,
  verifyQuote,
} from "@tee-marketplace/sdk/dcap";

import { type BindingClaim, expectedReportData } from "./binding.js";
import { type CollateralSource, CollateralNotFoundError } from "./collateralSource.js";
import type { ServiceConfig } from "./config.js";

/** A request: the quote and what it claims to bind. */
export interface AttestationRequest extends BindingClaim {
  quote: Hex;
}

/** A signed attestation, with what was verified. */
export interface AttestationResult {
  /** `abi.encode(measurement, expiry, signature)`: the `proof` argument of `publishTcb`. */
  proof: Hex;
  /** What was signed. */
  attestation: { quoteHash: Hex; reportData: Hex; measurement: Hex; expiry: bigint };
  /** The service's signing address (allowed on the verifier). */
  signer: Address;
  chainId: bigint;
  verifier: Address;
  teeType: QuoteTeeType;
  tcbStatus: QuoteTcbStatus;
  advisoryIds: string[];
}

/**
 * A request the service will not sign: `code` names the rule (a `QuoteVerificationError` reason,
 * or `DeploymentNotServed`, `TcbStatusNotAccepted`, `MeasurementNotAllowed`, `CollateralNotFound`),
 * `status` is the HTTP status to answer with.
 */
export class AttestationRefusedError extends Error {
  override name = "AttestationRefusedError";
  readonly code: string;
  readonly status: number;

  constructor(code: string, status: number, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.status = status;
  }
}

/** Signs attestations after the checks. */
export interface Attestor {
  signer: Address;
  attest(request: AttestationRequest): Promise<AttestationResult>;
}

/**
 * Creates the attestor.
 *
 * @param params The configuration, the signing key, the collateral source, the root CA to trust
 * instead of Intel's (tests and local networks) and the clock (unix milliseconds).
 * @example
 * const attestor = createAttestor({ config, signingKey, collateral: await collateralSource(config.collateral) });
 * const { proof } = await attestor.attest({ quote, chainId, registry, teeOfferId, teeKey, publicKey });
 * @throws {InputError} when the signing key is malformed.
 */
export function createAttestor(params: {
  config: ServiceConfig;
  signingKey: Hex;
  collateral: CollateralSource;
  rootCa?: string | Uint8Array;
  now?: () => number;
}): Attestor {
  const { config, signingKey, collateral } = params;
  const now = params.now ?? Date.now;
  const signer = privateKeyToAccount(signingKey).address;
  return {
    signer,
    async attest(request) {
      const chain = config.chains.find(
        (served) => served.chainId === request.chainId && served.registry === request.registry,
      );
      if (chain === undefined) {
        throw new AttestationRefusedError(
          "DeploymentNotServed",
          422,
          `this service attests for ${config.chains.map((c) => `registry ${c.registry} on chain ${c.chainId}`).join(", ")}; ` +
            `not for registry ${request.registry} on chain ${request.chainId}`,
        );
      }
      const reportData = expectedReportData(request);
      const quote = hexToBytes(request.quote);
      const verified = await refusalsNamed(async () =>
        verifyQuote(quote, await collateral(quote), {
          at: new Date(now()),
          expectedReportData: reportData,
          ...(params.rootCa === undefined ? {} : { rootCa: params.rootCa }),
        }),
      );
      if (!config.acceptedStatuses.includes(verified.status)) {
        throw new AttestationRefusedError(
          "TcbStatusNotAccepted",
          422,
          `the platform's TCB status is ${verified.status}` +
            (verified.advisoryIds.length === 0 ? "" : ` (${verified.advisoryIds.join(", ")})`) +
            `; this service attests ${config.acceptedStatuses.join(", ")}: update the platform's firmware`,
        );
      }
      if (!config.measurements.some((allowed) => matchesMeasurement(verified, allowed))) {
        throw new AttestationRefusedError(
          "MeasurementNotAllowed",
          422,
          `the ${verified.teeType === "TDX" ? "TD" : "enclave"} measures ${verified.registryMeasurement}` +
            (verified.teeType === "TDX" ? ` (MRTD ${verified.measurement.mrTd})` : "") +
            ", which is not on this service's list of measurements",
        );
      }
      const nowSeconds = BigInt(Math.floor(now() / 1000));
      const expiry = [
        nowSeconds + BigInt(config.expirySeconds),
        BigInt(verified.collateralValidUntil),
      ].reduce((a, b) => (a < b ? a : b));
      const attestation = {
        quoteHash: keccak256(request.quote),
        reportData,
        measurement: verified.registryMeasurement,
        expiry,
      };
      const signature = await signAttestation(
        signingKey,
        attestationDomain(chain.chainId, chain.verifier),
        attestation,
      );
      return {
        proof: encodeAttestationProof({ measurement: attestation.measurement, expiry, signature }),
        attestation,
        signer,
        chainId: chain.chainId,
        verifier: chain.verifier,
        teeType: verified.teeType,
        tcbStatus: verified.status,
        advisoryIds: verified.advisoryIds,
      };
    },
  };
}

/** Runs a verification step and names its refusal for the HTTP answer. */
async function refusalsNamed<T>(step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (error) {
    if (error instanceof QuoteVerificationError) {
      const status = error.reason === "CollateralFetchFailed" ? 503 : 422;
      throw new AttestationRefusedError(error.reason, status, error.message, { cause: error });
    }
    if (error instanceof CollateralNotFoundError) {
      throw new AttestationRefusedError("CollateralNotFound", 422, error.message, { cause: error });
    }
    throw error;
  }
}
