/**
 * STAND-IN FOR INTEL'S ROOT AND PCS: the real attestation service (`@tee-marketplace/attestation-service`,
 * the program an operator runs) started on 127.0.0.1, trusting the test root of ./testPki.ts
 * instead of Intel's and fetching collateral from the stand-in PCCS of ./pccs.ts, which serves the
 * test PKI's collateral. The stand-in enclave (./tee.ts) makes genuine-layout TDX quotes signed
 * under that root, so every quote the demo and the tests publish is verified by the same code as in
 * production (the PCK chain, the CRLs, TCB info and QE identity, the QE report, the quote
 * signature, the registry's binding, the measurement list, the TCB status); only the root differs.
 */
import type { Address, Hex } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";

import { type AttestationService, startAttestationService } from "@tee-marketplace/attestation-service";

import { type TestPccs, startTestPccs } from "./pccs.js";
import { TEST_TD_REGISTRY_MEASUREMENT } from "./tdxQuote.js";
import { type TestPki, createTestPki } from "./testPki.js";

/** What a TEE sends the service: its quote and the keys and deployment the quote binds. */
export interface AttestationClaim {
  quote: Hex;
  teeOfferId: bigint;
  teeKey: Address;
  publicKey: Hex;
}

/** The local attestation: the test PKI, the running service and a client for it. */
export interface LocalAttestation {
  /** The test PKI the stand-in enclave quotes under. */
  readonly pki: TestPki;
  /** The service's signing address: the deployment's `attestationSigner`. */
  readonly signer: Address;
  /** The service's URL (`POST /v1/attestations`), once started. */
  readonly url: string;
  /**
   * Starts the stand-in PCCS and the service for one deployment (chain, verifier, registry). Call
   * it once the deployment exists: the service only attests for the deployments it is configured for.
   */
  start(deployment: {
    chainId: number;
    contracts: { attestationVerifier: Address; tcbRegistry: Address };
  }): Promise<void>;
  /** Asks the service for the `proof` of `tcb.upload`: it verifies the quote and signs, or refuses. */
  attest(claim: AttestationClaim): Promise<Hex>;
  /** Moves the service's clock (attestation expiries, collateral freshness) with the chain's. */
  advanceClock(seconds: number): void;
  close(): Promise<void>;
}

/**
 * A local attestation service for the stand-in enclave. The signing key is fresh (its address is
 * known before the deployment, which allows it); the service starts with {@link LocalAttestation.start}.
 *
 * @example
 * const attestation = localAttestation();
 * const deployment = await deploy({ attestationSigner: attestation.signer });
 * await attestation.start(deployment);
 * const proof = await attestation.attest({ quote, teeOfferId, teeKey, publicKey });
 */
export function localAttestation(
  options: { measurements?: readonly Hex[]; log?: (line: string) => void } = {},
): LocalAttestation {
  const pki = createTestPki();
  const signingKey = generatePrivateKey();
  let offsetMs = 0;
  let pccs: TestPccs | undefined;
  let service: AttestationService | undefined;
  let deploymentChain: { chainId: bigint; registry: Address } | undefined;

  return {
    pki,
    signer: privateKeyToAccount(signingKey).address,
    get url() {
      if (service === undefined) throw new Error("the local attestation service is not started");
      return service.url;
    },
    async start(deployment) {
      pccs = await startTestPccs(pki.collateral());
      deploymentChain = { chainId: BigInt(deployment.chainId), registry: deployment.contracts.tcbRegistry };
      service = await startAttestationService({
        config: {
          address: "127.0.0.1",
          port: 0,
          chains: [
            {
              chainId: BigInt(deployment.chainId),
              verifier: deployment.contracts.attestationVerifier,
              registry: deployment.contracts.tcbRegistry,
            },
          ],
          acceptedStatuses: ["UpToDate"],
          measurements: [...(options.measurements ?? [TEST_TD_REGISTRY_MEASUREMENT])],
          collateral: { pccsUrl: pccs.url },
          rateLimit: { requests: 1000, perSeconds: 1 },
          expirySeconds: 86_400,
        },
        signingKey,
        rootCa: pki.rootCaPem,
        now: () => Date.now() + offsetMs,
        ...(options.log === undefined ? {} : { log: options.log }),
      });
    },
    async attest(claim) {
      if (service === undefined || deploymentChain === undefined) {
        throw new Error("the local attestation service is not started");
      }
      const response = await fetch(`${service.url}/v1/attestations`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          quote: claim.quote,
          chainId: deploymentChain.chainId.toString(),
          registry: deploymentChain.registry,
          teeOfferId: claim.teeOfferId.toString(),
          teeKey: claim.teeKey,
          publicKey: claim.publicKey,
        }),
      });
      const body = (await response.json()) as { proof?: Hex; error?: { code: string; message: string } };
      if (!response.ok || body.proof === undefined) {
        throw new Error(
          `The attestation service refused the quote (${response.status} ${body.error?.code ?? ""}): ${body.error?.message ?? ""}`,
        );
      }
      return body.proof;
    },
    advanceClock(seconds) {
      offsetMs += seconds * 1000;
    },
    async close() {
      await service?.close();
      await pccs?.close();
    },
  };
}
