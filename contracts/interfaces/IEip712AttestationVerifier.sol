// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IAttestationVerifier} from "./IAttestationVerifier.sol";

/// @title IEip712AttestationVerifier
/// @notice An attestation verifier that trusts allowed attestation-service signers: the service
/// verifies the quote off-chain (DCAP, or the vendor's service) and signs, with EIP-712 over this
/// contract's domain, `Attestation(bytes32 quoteHash,bytes32 reportData,bytes32 measurement,
/// uint64 expiry)`, where quoteHash = keccak256(quote).
/// @dev `proof` is `abi.encode(bytes32 measurement, uint64 expiry, bytes signature)`.
/// @dev The expiry is how long the service vouches for the quote (for example until its
/// collateral's next update): the TCB registry accepts the attestation only before it and caps the
/// TCB's validity at it.
/// @dev Warning: an allowed signer is trusted to have verified the quote, its report data and its
/// measurement; a compromised signer can attest anything until an admin removes it.
interface IEip712AttestationVerifier is IAttestationVerifier {
    /// @notice The signed attestation's expiry is not in the future.
    /// @param expiry The expiry it was signed with.
    /// @param timestamp The current block timestamp.
    error AttestationExpired(uint64 expiry, uint256 timestamp);

    /// @notice The attestation was not signed by an allowed signer.
    /// @param signer The recovered signer.
    error AttestationSignerNotAllowed(address signer);

    /// @notice `proof` does not decode as (measurement, expiry, signature).
    /// @param length The proof's length.
    error AttestationProofMalformed(uint256 length);

    /// @notice A signer was allowed or disallowed.
    /// @param signer The signer.
    /// @param allowed The new state.
    event AttestationSignerSet(address indexed signer, bool allowed);

    /// @notice Role that manages the signer set.
    /// @return The role id.
    function SIGNER_ADMIN_ROLE() external view returns (bytes32);

    /// @notice Allows or disallows an attestation-service signer. `SIGNER_ADMIN_ROLE` only.
    /// @param signer The signer.
    /// @param allowed The new state.
    function setSigner(address signer, bool allowed) external;

    /// @notice Whether `signer` is allowed.
    /// @param signer The signer.
    /// @return The state.
    function isSigner(address signer) external view returns (bool);

    /// @notice The EIP-712 digest an attestation service signs.
    /// @param quoteHash keccak256 of the quote.
    /// @param reportData The quote's report data.
    /// @param measurement The quote's measurement.
    /// @param expiry Last timestamp at which the attestation may be used.
    /// @return The digest.
    function attestationDigest(
        bytes32 quoteHash,
        bytes32 reportData,
        bytes32 measurement,
        uint64 expiry
    ) external view returns (bytes32);
}
