// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title IAttestationVerifier
/// @notice Checks a TEE quote for the TCB registry: that the quote is genuine, that the report data
/// it carries equals the value the registry expects, what measurement (code identity) it attests,
/// and until when the attestation vouches for it. The registry then checks the measurement against
/// its allow-list, caps the TCB's validity at the attestation's expiry, and accepts each TEE key's
/// attestations only in increasing order of expiry, so an attestation is used once.
/// @dev How an on-chain DCAP verifier fits later: `verifyAttestation` would parse `quote` (an
/// SGX/TDX quote v4), verify the PCK certificate chain and the quote's ECDSA P-256 signature with
/// the RIP-7212 precompile (at address 0x100 on opBNB), check collateral freshness (TCB info, QE
/// identity, CRLs) given in `proof`, require the first 32 bytes of the quote's 64-byte report data
/// to equal `reportData`, and return the measurement (MRENCLAVE for SGX; for TDX, whose MRTD and
/// RTMRs are 48 bytes each, keccak256(MRTD || RTMR0 || RTMR1 || RTMR2 || RTMR3)) and the collateral's
/// next update as the expiry. Nothing in the registry changes: it only swaps the
/// verifier address.
interface IAttestationVerifier {
    /// @notice Verifies an attestation.
    /// @param quote The TEE quote, as produced by the hardware.
    /// @param reportData What the quote's report data must be (the registry's binding of chain id,
    /// registry, TEE offer, TEE key and public key).
    /// @param proof Verifier-specific evidence (for example an attestation service's signature).
    /// @return measurement The attested code measurement (for TDX and SGX: as above), which the
    /// registry checks against its allow-list.
    /// @return expiresAt The last timestamp the attestation vouches for the quote; in the future.
    /// Reverts when anything does not hold.
    function verifyAttestation(
        bytes calldata quote,
        bytes32 reportData,
        bytes calldata proof
    ) external view returns (bytes32 measurement, uint64 expiresAt);
}
