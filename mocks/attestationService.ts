/**
 * STAND-IN FOR THE ATTESTATION SERVICE: not a real service, it verifies nothing.
 *
 * In production an attestation service (Intel's DCAP quote verification run by a trusted party, or
 * the TEE vendor's service) checks a TEE's quote against the vendor's certificate chain and signs
 * the attestation that the `Eip712AttestationVerifier` accepts: the quote hash, the report data
 * (which binds the TEE key, its ECIES public key, the chain and the TCB registry), the enclave
 * measurement and an expiry. Here a local key signs whatever it is asked to, so the demo and the
 * SDK's tests can publish TCBs; its address is the deployment's `attestationSigner`. Never allow
 * its address on a real deployment.
 */
import { type Address, type Hex, keccak256 } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { getBlock } from "viem/actions";

import { type MarketplaceClient, encodeAttestationProof, signAttestation } from "../sdk/src/index.js";

/** The stand-in: an address to allow on the verifier, and `attest` to sign attestations. */
export interface MockAttestationService {
  readonly address: Address;
  /**
   * Signs an attestation that `quote` attests `measurement` for the TEE key and public key (bound
   * through the registry's report data), valid for `validForSeconds` (default 1 hour) of chain
   * time, and returns the `proof` for `tcb.upload`.
   */
  attest(params: {
    client: MarketplaceClient;
    quote: Hex;
    teeKey: Address;
    publicKey: Hex;
    measurement: Hex;
    validForSeconds?: bigint;
  }): Promise<Hex>;
}

/** The stand-in attestation service, signing with `privateKey`. */
export function mockAttestationService(privateKey: Hex): MockAttestationService {
  const account = privateKeyToAccount(privateKey);
  return {
    address: account.address,
    async attest({ client, quote, teeKey, publicKey, measurement, validForSeconds = 3600n }) {
      const { timestamp } = await getBlock(client.context.publicClient);
      const expiry = timestamp + validForSeconds;
      const reportData = client.tee.attestationReportData({ teeKey, publicKey });
      const signature = await signAttestation(privateKey, client.tee.attestationDomain(), {
        quoteHash: keccak256(quote),
        reportData,
        measurement,
        expiry,
      });
      return encodeAttestationProof({ measurement, expiry, signature });
    },
  };
}
