// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";

import {IAttestationVerifier} from "../interfaces/IAttestationVerifier.sol";
import {IEip712AttestationVerifier} from "../interfaces/IEip712AttestationVerifier.sol";

/// @title Eip712AttestationVerifier
/// @notice Accepts a quote when an allowed attestation-service signer signed, over this contract's
/// EIP-712 domain ("TeeMarketplaceAttestation", "1"), the quote's hash, the report data the registry
/// expects, the measurement and an expiry in the future, which it returns.
/// @dev The proof is `abi.encode(bytes32 measurement, uint64 expiry, bytes signature)` in canonical
/// form (the signature's offset is 0x60). It is parsed from calldata with bounds checks, so a short
/// or inconsistent proof reverts with `AttestationProofMalformed` instead of an empty revert.
contract Eip712AttestationVerifier is IEip712AttestationVerifier, EIP712, AccessControl {
    /* STORAGE */

    /// @inheritdoc IEip712AttestationVerifier
    bytes32 public constant SIGNER_ADMIN_ROLE = keccak256("SIGNER_ADMIN_ROLE");

    /// @dev EIP-712 type hash of the signed attestation.
    bytes32 private constant _ATTESTATION_TYPEHASH = keccak256(
        "Attestation(bytes32 quoteHash,bytes32 reportData,bytes32 measurement,uint64 expiry)"
    );

    /// @dev Byte length of the proof's head (measurement, expiry, signature offset) plus the
    /// signature's length word.
    uint256 private constant _PROOF_FIXED_SIZE = 128;

    /// @dev Offset of the signature in a canonically encoded proof: right after the 3-word head.
    uint256 private constant _SIGNATURE_OFFSET = 96;

    /// @dev Allowed attestation-service signers.
    mapping(address signer => bool allowed) private _signers;

    /// @notice Deploys the verifier with no signer allowed.
    /// @param admin Gets `DEFAULT_ADMIN_ROLE` and `SIGNER_ADMIN_ROLE`.
    constructor(address admin) EIP712("TeeMarketplaceAttestation", "1") {
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        _grantRole(SIGNER_ADMIN_ROLE, admin);
    }

    /* ADMIN */

    /// @inheritdoc IEip712AttestationVerifier
    function setSigner(address signer, bool allowed) external onlyRole(SIGNER_ADMIN_ROLE) {
        _signers[signer] = allowed;
        emit AttestationSignerSet(signer, allowed);
    }

    /* VIEWS */

    /// @inheritdoc IEip712AttestationVerifier
    function isSigner(address signer) external view returns (bool) {
        return _signers[signer];
    }

    /// @inheritdoc IEip712AttestationVerifier
    function attestationDigest(
        bytes32 quoteHash,
        bytes32 reportData,
        bytes32 measurement,
        uint64 expiry
    ) external view returns (bytes32) {
        return _attestationDigest(quoteHash, reportData, measurement, expiry);
    }

    /// @inheritdoc IAttestationVerifier
    /// @dev Reverts with `AttestationProofMalformed`, `AttestationExpired`, OpenZeppelin's ECDSA
    /// errors for an unusable signature, or `AttestationSignerNotAllowed`.
    function verifyAttestation(
        bytes calldata quote,
        bytes32 reportData,
        bytes calldata proof
    ) external view returns (bytes32 measurement, uint64 expiresAt) {
        bytes calldata signature;
        (measurement, expiresAt, signature) = _decodeProof(proof);
        // Strictly in the future: an attestation that expires now would make a TCB valid for no time.
        require(expiresAt > block.timestamp, AttestationExpired(expiresAt, block.timestamp));
        bytes32 digest = _attestationDigest(keccak256(quote), reportData, measurement, expiresAt);
        address signer = ECDSA.recoverCalldata(digest, signature);
        require(_signers[signer], AttestationSignerNotAllowed(signer));
    }

    /* INTERNAL */

    /// @notice The EIP-712 digest of an attestation over this contract's domain.
    /// @param quoteHash keccak256 of the quote.
    /// @param reportData The quote's report data.
    /// @param measurement The quote's measurement.
    /// @param expiry Last timestamp at which the attestation may be used.
    /// @return The digest.
    function _attestationDigest(
        bytes32 quoteHash,
        bytes32 reportData,
        bytes32 measurement,
        uint64 expiry
    ) private view returns (bytes32) {
        return
            _hashTypedDataV4(
                keccak256(abi.encode(_ATTESTATION_TYPEHASH, quoteHash, reportData, measurement, expiry))
            );
    }

    /// @notice Parses `abi.encode(bytes32 measurement, uint64 expiry, bytes signature)` from calldata.
    /// Layout: [0, 32) measurement; [32, 64) expiry, left-padded; [64, 96) signature offset, which
    /// must be 96; [96, 128) signature length; then the signature. Trailing padding is ignored.
    /// @param proof The encoded proof.
    /// @return measurement The measurement.
    /// @return expiry The expiry.
    /// @return signature The signature, a slice of `proof`.
    function _decodeProof(
        bytes calldata proof
    ) private pure returns (bytes32 measurement, uint64 expiry, bytes calldata signature) {
        uint256 length = proof.length;
        require(length >= _PROOF_FIXED_SIZE, AttestationProofMalformed(length));
        uint256 rawExpiry = uint256(bytes32(proof[32:64]));
        uint256 offset = uint256(bytes32(proof[64:96]));
        uint256 signatureLength = uint256(bytes32(proof[96:128]));
        require(
            rawExpiry <= type(uint64).max &&
                offset == _SIGNATURE_OFFSET &&
                signatureLength <= length - _PROOF_FIXED_SIZE,
            AttestationProofMalformed(length)
        );
        measurement = bytes32(proof[0:32]);
        // Narrowing cast: rawExpiry <= type(uint64).max was checked above.
        expiry = uint64(rawExpiry);
        signature = proof[_PROOF_FIXED_SIZE:_PROOF_FIXED_SIZE + signatureLength];
    }
}
