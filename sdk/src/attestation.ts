/**
 * Attestations for the TCB registry (docs/design.md §3): the report data a TEE quote must carry, and the
 * EIP-712 attestation that the shipped verifier (`IEip712AttestationVerifier`) accepts from an
 * allowed attestation-service signer, with the `proof` encoding it decodes.
 */
import {
  type Address,
  type Hex,
  decodeAbiParameters,
  encodeAbiParameters,
  hashTypedData,
  keccak256,
} from "viem";

import { InputError } from "./errors.js";
import { type Domain, makeDomain } from "./internal/eip712.js";
import { errorText } from "./internal/fields.js";
import { accountFor } from "./internal/keys.js";
import { toAddress, toBytes32, toHexBytes, toUint } from "./validate.js";

/**
 * What an attestation service signs (`Attestation` in IEip712AttestationVerifier.sol).
 */
export interface Attestation {
  /** keccak256 of the quote (viem's `keccak256(quote)`). */
  quoteHash: Hex;
  /** The quote's report data: {@link tcbReportData}. */
  reportData: Hex;
  /** The attested code measurement. */
  measurement: Hex;
  /** Last unix timestamp (seconds) at which the attestation may be used (uint64). */
  expiry: bigint;
}

/**
 * The EIP-712 types of an attestation, for viem, exactly as in IEip712AttestationVerifier.sol:
 * `Attestation(bytes32 quoteHash,bytes32 reportData,bytes32 measurement,uint64 expiry)`.
 *
 * @example
 * hashTypedData({ domain, types: attestationTypes, primaryType: "Attestation", message: attestation });
 * @throws nothing: it is a constant.
 */
export const attestationTypes = {
  Attestation: [
    { name: "quoteHash", type: "bytes32" },
    { name: "reportData", type: "bytes32" },
    { name: "measurement", type: "bytes32" },
    { name: "expiry", type: "uint64" },
  ],
} as const;

/** The EIP-712 domain of attestations: one verifier contract on one chain. */
export type AttestationDomain = Domain<"TeeMarketplaceAttestation">;

/**
 * The EIP-712 domain attestations are signed over: name `"TeeMarketplaceAttestation"`, version
 * `"1"`, the chain id and the verifier contract's address.
 *
 * @param chainId The chain.
 * @param verifierAddress The `Eip712AttestationVerifier` contract.
 * @example
 * const domain = attestationDomain(5611, deployment.contracts.attestationVerifier);
 * @throws {InputError} naming `chainId` or `verifierAddress` when it is malformed.
 */
export function attestationDomain(chainId: number | bigint, verifierAddress: Address): AttestationDomain {
  return makeDomain("TeeMarketplaceAttestation", chainId, verifierAddress, "verifierAddress");
}

/**
 * The EIP-712 digest an attestation service signs (`attestationDigest` of the verifier).
 *
 * @param domain From {@link attestationDomain}.
 * @param attestation What is attested.
 * @example
 * const digest = attestationDigest(domain, { quoteHash: keccak256(quote), reportData, measurement, expiry });
 * @throws {InputError} naming the field of the attestation that is malformed.
 */
export function attestationDigest(domain: AttestationDomain, attestation: Attestation): Hex {
  return hashTypedData({
    domain,
    types: attestationTypes,
    primaryType: "Attestation",
    message: checkAttestation(attestation),
  });
}

/**
 * Signs an attestation as an attestation service would (for tests, demos and self-run services).
 * The signer's address must be allowed on the verifier.
 *
 * @param signerPrivateKey The attestation service's private key, as `0x` hex.
 * @param domain From {@link attestationDomain}.
 * @param attestation What is attested.
 * @returns The 65-byte signature, to put in {@link encodeAttestationProof}.
 * @example
 * const signature = await signAttestation(serviceKey, domain, { quoteHash, reportData, measurement, expiry });
 * const proof = encodeAttestationProof({ measurement, expiry, signature });
 * @throws {InputError} naming `signerPrivateKey` or the field of the attestation that is malformed.
 */
export async function signAttestation(
  signerPrivateKey: Hex,
  domain: AttestationDomain,
  attestation: Attestation,
): Promise<Hex> {
  const account = accountFor(signerPrivateKey, "signerPrivateKey");
  return account.signTypedData({
    domain,
    types: attestationTypes,
    primaryType: "Attestation",
    message: checkAttestation(attestation),
  });
}

/** What the EIP-712 verifier's `proof` holds. */
export interface AttestationProof {
  /** The attested measurement. */
  measurement: Hex;
  /** The expiry the attestation was signed with (uint64). */
  expiry: bigint;
  /** The attestation service's signature. */
  signature: Hex;
}

/**
 * The `proof` argument of `publishTcb` for the EIP-712 verifier:
 * `abi.encode(bytes32 measurement, uint64 expiry, bytes signature)`.
 *
 * @param proof The measurement, expiry and signature.
 * @example
 * const proof = encodeAttestationProof({ measurement, expiry: 1767225600n, signature });
 * @throws {InputError} naming the field that is malformed.
 */
export function encodeAttestationProof(proof: AttestationProof): Hex {
  return encodeAbiParameters(
    [{ type: "bytes32" }, { type: "uint64" }, { type: "bytes" }],
    [
      toBytes32(proof.measurement, "measurement"),
      toUint(proof.expiry, "expiry", { bits: 64 }),
      toHexBytes(proof.signature, "signature"),
    ],
  );
}

/**
 * Reads a `proof` written by {@link encodeAttestationProof}.
 *
 * @param proof The encoded proof.
 * @example
 * const { measurement, expiry, signature } = decodeAttestationProof(proof);
 * @throws {InputError} naming `proof` when it does not decode as (bytes32, uint64, bytes).
 */
export function decodeAttestationProof(proof: Hex): AttestationProof {
  const hex = toHexBytes(proof, "proof");
  try {
    const [measurement, expiry, signature] = decodeAbiParameters(
      [{ type: "bytes32" }, { type: "uint64" }, { type: "bytes" }],
      hex,
    );
    return { measurement, expiry, signature };
  } catch (error) {
    throw new InputError(
      "proof",
      `does not decode as abi.encode(bytes32 measurement, uint64 expiry, bytes signature): ${errorText(error)}`,
      { cause: error },
    );
  }
}

/**
 * The report data a TEE quote must carry for the TCB registry to accept it (`reportDataFor` of
 * ITcbRegistry.sol): `keccak256(abi.encode(uint256 chainId, address registry, uint256 teeOfferId,
 * address teeKey, bytes32 keccak256(publicKey)))`, in the first 32 bytes of the quote's 64-byte
 * report data. It binds the TEE signing key and the ECIES public key to one TEE offer of one
 * registry on one chain, so a quote cannot be replayed for another key, offer, registry or chain.
 *
 * Parameters are named (not positional) because two of them are addresses.
 *
 * @param params `chainId`; `registry`: the TCB registry's address; `teeOfferId`; `teeKey`: the TEE
 * signing key's address; `publicKey`: the ECIES public key, as published in the TCB (exact bytes:
 * compressed and uncompressed forms give different data).
 * @example
 * const reportData = tcbReportData({ chainId: 5611, registry, teeOfferId: 1n, teeKey: teeAccount.address, publicKey });
 * @throws {InputError} naming the field that is malformed.
 */
export function tcbReportData(params: {
  chainId: number | bigint;
  registry: Address;
  teeOfferId: bigint | number | string;
  teeKey: Address;
  publicKey: Hex | Uint8Array;
}): Hex {
  return keccak256(
    encodeAbiParameters(
      [
        { type: "uint256" },
        { type: "address" },
        { type: "uint256" },
        { type: "address" },
        { type: "bytes32" },
      ],
      [
        toUint(params.chainId, "chainId", { min: 1n, expected: "a chain id (a positive integer)" }),
        toAddress(params.registry, "registry"),
        toUint(params.teeOfferId, "teeOfferId", { min: 1n, expected: "a TEE offer id (a positive integer)" }),
        toAddress(params.teeKey, "teeKey"),
        keccak256(toHexBytes(params.publicKey, "publicKey")),
      ],
    ),
  );
}

function checkAttestation(attestation: Attestation): Attestation {
  return {
    quoteHash: toBytes32(attestation.quoteHash, "quoteHash"),
    reportData: toBytes32(attestation.reportData, "reportData"),
    measurement: toBytes32(attestation.measurement, "measurement"),
    expiry: toUint(attestation.expiry, "expiry", { bits: 64 }),
  };
}
