/**
 * TEST STAND-IN FOR THE ATTESTATION SERVICE. In production an attestation service (Intel's DCAP
 * verification run by a trusted party, or the vendor's service) checks a TEE's quote and signs the
 * attestation the `Eip712AttestationVerifier` accepts. Here a local key signs whatever it is asked
 * to, so the tests can publish TCBs; its address is the deployment's `attestationSigner`. Never use
 * this outside tests: it verifies nothing.
 */
import { type Address, type Hex, keccak256 } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { getBlock } from "viem/actions";

import { type MarketplaceClient, encodeAttestationProof, signAttestation } from "../../src/index.js";

/** The stand-in: an address to allow on the verifier, and `attest` to sign attestations. */
export interface TestAttestationService {
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
export function testAttestationService(privateKey: Hex): TestAttestationService {
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
