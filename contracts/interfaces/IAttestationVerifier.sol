// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title IAttestationVerifier
/// @notice Checks a TEE quote for the TCB registry: that the quote is genuine, that the report data
/// it carries equals the value the registry expects, and what measurement (code identity) it
/// attests. The registry then checks the measurement against its allow-list.
/// @dev How an on-chain DCAP verifier fits later: `verifyAttestation` would parse `quote` (an
/// SGX/TDX quote v4), verify the PCK certificate chain and the quote's ECDSA P-256 signature with
/// the RIP-7212 precompile (at address 0x100 on opBNB), check collateral freshness (TCB info, QE
/// identity, CRLs) given in `proof`, require the first 32 bytes of the quote's 64-byte report data
/// to equal `reportData`, and return MRENCLAVE (SGX) or MRTD (TDX) as the measurement. Nothing in
/// the registry changes: it only swaps the verifier address.
interface IAttestationVerifier {
    /// @notice Verifies an attestation.
    /// @param quote The TEE quote, as produced by the hardware.
    /// @param reportData What the quote's report data must be (the registry's binding of TEE key,
    /// public key, chain id and registry address).
    /// @param proof Verifier-specific evidence (for example an attestation service's signature).
    /// @return measurement The attested code measurement. Reverts when anything does not hold.
    function verifyAttestation(
        bytes calldata quote,
        bytes32 reportData,
        bytes calldata proof
    ) external view returns (bytes32 measurement);
}
