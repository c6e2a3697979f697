/**
 * What an attestation service does, for the contract tests: signs, with EIP-712 over the
 * verifier's domain, `Attestation(quoteHash, reportData, measurement, expiry)` and encodes the
 * proof the verifier takes. Written from IEip712AttestationVerifier.sol, not from the SDK, so the
 * tests check the contracts against the interface independently.
 */
import { AbiCoder, type Signer, type TypedDataDomain, keccak256 } from "ethers";

export const ATTESTATION_TYPES = {
  Attestation: [
    { name: "quoteHash", type: "bytes32" },
    { name: "reportData", type: "bytes32" },
    { name: "measurement", type: "bytes32" },
    { name: "expiry", type: "uint64" },
  ],
};

/** The verifier's EIP-712 domain on `chainId`. */
export function attestationDomain(chainId: bigint, verifierAddress: string): TypedDataDomain {
  return { name: "TeeMarketplaceAttestation", version: "1", chainId, verifyingContract: verifierAddress };
}

/** The proof for `quote`: `abi.encode(measurement, expiry, signature)`, signed by `service`. */
export async function signAttestationProof(
  service: Signer,
  domain: TypedDataDomain,
  fields: { quote: string; reportData: string; measurement: string; expiry: bigint },
): Promise<string> {
  const signature = await service.signTypedData(domain, ATTESTATION_TYPES, {
    quoteHash: keccak256(fields.quote),
    reportData: fields.reportData,
    measurement: fields.measurement,
    expiry: fields.expiry,
  });
  return AbiCoder.defaultAbiCoder().encode(
    ["bytes32", "uint64", "bytes"],
    [fields.measurement, fields.expiry, signature],
  );
}
