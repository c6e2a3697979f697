// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IAttestationVerifier} from "./IAttestationVerifier.sol";
import {IOfferRegistry} from "./IOfferRegistry.sol";

/// @dev Cap on a TEE quote, in bytes.
uint256 constant MAX_QUOTE_SIZE = 16384;
/// @dev Cap on a TEE's ECIES public key, in bytes.
uint256 constant MAX_PUBLIC_KEY_SIZE = 256;
/// @dev Cap on a TCB's properties blob, in bytes.
uint256 constant MAX_TCB_PROPERTIES_SIZE = 4096;
/// @dev Cap on an attestation proof, in bytes.
uint256 constant MAX_ATTESTATION_PROOF_SIZE = 16384;

/// @notice What a TCB is now, as far as the registry knows.
enum TcbStatus {
    Active,
    Superseded,
    Expired,
    Revoked
}

/// @title ITcbRegistry
/// @notice Trusted computing bases: attestations that TEEs publish for their TEE offer. A TCB binds
/// a TEE signing key (`teeKey`, which signs order reports) and an ECIES public key (data owners
/// encrypt inputs for it) to a quote whose measurement is on the allow-list. The newest TCB of a
/// TEE offer is its active one; a TCB is valid until `validUntil` unless revoked.
/// @dev The quote's report data must equal `reportDataFor(teeKey, publicKey)`, which binds the TEE
/// key, the public key, the chain id and this registry, so a quote cannot be replayed for another
/// key, chain or registry.
/// @dev Warning: the attestation verifier and the measurement allow-list are trusted: an admin who
/// swaps the verifier or allows a measurement decides which code is trusted. The admin can also
/// revoke any TCB. The TEE hardware is trusted to keep `teeKey` inside the enclave.
interface ITcbRegistry {
    /// @notice A TCB as stored. Blobs (quote, public key, properties) are in `TcbPublished`, at
    /// `publishedBlock`; the public key's hash is stored so a reader can check the key it fetched.
    /// @param teeKey Address of the TEE's signing key.
    /// @param addedAt Timestamp of publication.
    /// @param validUntil Timestamp after which the TCB is no longer valid.
    /// @param revoked Whether it was revoked.
    /// @param teeOfferId The TEE offer it attests.
    /// @param publishedBlock Block of the `TcbPublished` event.
    /// @param benchmark The TEE's benchmark score, as declared.
    /// @param measurement The attested code measurement.
    /// @param publicKeyHash keccak256 of the ECIES public key.
    struct Tcb {
        address teeKey;
        uint40 addedAt;
        uint40 validUntil;
        bool revoked;
        uint256 teeOfferId;
        uint64 publishedBlock;
        uint64 benchmark;
        bytes32 measurement;
        bytes32 publicKeyHash;
    }

    /// @notice What `publishTcb` takes.
    /// @param teeOfferId The TEE offer the TCB attests.
    /// @param deviceId Identifier of the TEE device.
    /// @param teeKey Address of the TEE's signing key.
    /// @param publicKey The TEE's ECIES public key (uncompressed or compressed secp256k1).
    /// @param quote The TEE quote.
    /// @param benchmark Benchmark score.
    /// @param properties Free-form properties blob.
    /// @param proof Evidence for the attestation verifier.
    struct TcbParams {
        uint256 teeOfferId;
        bytes32 deviceId;
        address teeKey;
        bytes publicKey;
        bytes quote;
        uint64 benchmark;
        bytes properties;
        bytes proof;
    }

    /// @notice No TCB has this id.
    /// @param tcbId The id.
    error TcbNotFound(uint256 tcbId);

    /// @notice Only the TEE offer's provider authority, its action account or the TEE key may publish.
    /// @param teeOfferId The TEE offer.
    /// @param caller The caller.
    error TcbCallerNotAuthorized(uint256 teeOfferId, address caller);

    /// @notice A TCB must attest a TEE offer.
    /// @param offerId The offer named.
    error TcbOfferNotTee(uint256 offerId);

    /// @notice The TEE key must not be zero.
    error TcbTeeKeyZero();

    /// @notice The attested measurement is not on the allow-list.
    /// @param measurement The measurement.
    error TcbMeasurementNotAllowed(bytes32 measurement);

    /// @notice The TCB is already revoked.
    /// @param tcbId The TCB.
    error TcbAlreadyRevoked(uint256 tcbId);

    /// @notice Only an admin or the TEE offer's provider (authority or action account) may revoke.
    /// @param tcbId The TCB.
    /// @param caller The caller.
    error TcbCallerCannotRevoke(uint256 tcbId, address caller);

    /// @notice The TCB lifetime must be positive.
    error TcbLifetimeZero();

    /// @notice The verifier address must not be zero.
    error TcbVerifierZero();

    /// @notice A TCB was published and became the active TCB of its TEE offer.
    /// @param tcbId The new TCB.
    /// @param teeOfferId Its TEE offer.
    /// @param deviceId The TEE device.
    /// @param teeKey The TEE signing key.
    /// @param previousTcbId The TCB it superseded (0 if none).
    /// @param measurement The attested measurement.
    /// @param validUntil End of its validity.
    /// @param benchmark Benchmark score.
    /// @param publicKey The ECIES public key.
    /// @param quote The quote.
    /// @param properties The properties blob.
    event TcbPublished(
        uint256 indexed tcbId,
        uint256 indexed teeOfferId,
        bytes32 indexed deviceId,
        address teeKey,
        uint256 previousTcbId,
        bytes32 measurement,
        uint40 validUntil,
        uint64 benchmark,
        bytes publicKey,
        bytes quote,
        bytes properties
    );

    /// @notice A TCB was revoked.
    /// @param tcbId The TCB.
    /// @param by The caller.
    event TcbRevoked(uint256 indexed tcbId, address indexed by);

    /// @notice A measurement was allowed or disallowed.
    /// @param measurement The measurement.
    /// @param allowed The new state.
    event MeasurementSet(bytes32 indexed measurement, bool allowed);

    /// @notice The lifetime of new TCBs changed.
    /// @param lifetime The new lifetime, in seconds.
    event TcbLifetimeSet(uint40 lifetime);

    /// @notice The attestation verifier changed.
    /// @param verifier The new verifier.
    event AttestationVerifierSet(address indexed verifier);

    /// @notice Role that manages the measurement allow-list, the lifetime and the verifier, and
    /// may revoke any TCB.
    /// @return The role id.
    function TCB_ADMIN_ROLE() external view returns (bytes32);

    /// @notice Publishes a TCB; it becomes the active TCB of its TEE offer.
    /// @param params See `TcbParams`.
    /// @return tcbId The new TCB's id (ids start at 1).
    function publishTcb(TcbParams calldata params) external returns (uint256 tcbId);

    /// @notice Revokes a TCB. Admin, or the TEE offer's provider authority or action account.
    /// @param tcbId The TCB.
    function revokeTcb(uint256 tcbId) external;

    /// @notice Allows or disallows a measurement. `TCB_ADMIN_ROLE` only.
    /// @param measurement The measurement.
    /// @param allowed The new state.
    function setMeasurement(bytes32 measurement, bool allowed) external;

    /// @notice Sets the lifetime of TCBs published from now on. `TCB_ADMIN_ROLE` only.
    /// @param lifetime Seconds; positive.
    function setTcbLifetime(uint40 lifetime) external;

    /// @notice Replaces the attestation verifier. `TCB_ADMIN_ROLE` only.
    /// @param verifier The new verifier.
    function setAttestationVerifier(IAttestationVerifier verifier) external;

    /// @notice A TCB.
    /// @param tcbId The TCB.
    /// @return The TCB; reverts with `TcbNotFound` when there is none.
    function getTcb(uint256 tcbId) external view returns (Tcb memory);

    /// @notice What a TCB is now.
    /// @param tcbId The TCB.
    /// @return Active (the offer's newest, valid), Superseded, Expired or Revoked (checked in the
    /// order Revoked, Expired, Superseded).
    function tcbStatus(uint256 tcbId) external view returns (TcbStatus);

    /// @notice Whether a TCB is not revoked and not expired.
    /// @param tcbId The TCB.
    /// @return The answer; false for an unknown id.
    function isTcbValid(uint256 tcbId) external view returns (bool);

    /// @notice The active TCB of a TEE offer: its newest TCB (whatever its validity).
    /// @param teeOfferId The TEE offer.
    /// @return The TCB id, 0 if none was published.
    function activeTcbOf(uint256 teeOfferId) external view returns (uint256);

    /// @notice The signing key of the TEE offer's active TCB, if that TCB is valid.
    /// @param teeOfferId The TEE offer.
    /// @return The TEE key, or zero when there is no valid active TCB.
    function activeTeeKeyOf(uint256 teeOfferId) external view returns (address);

    /// @notice The report data a quote must carry to attest `teeKey` and `publicKey` on this chain
    /// and registry: keccak256(abi.encode(teeKey, keccak256(publicKey), block.chainid, this)).
    /// @param teeKey The TEE signing key.
    /// @param publicKey The ECIES public key.
    /// @return The report data.
    function reportDataFor(address teeKey, bytes calldata publicKey) external view returns (bytes32);

    /// @notice Whether a measurement is allowed.
    /// @param measurement The measurement.
    /// @return The state.
    function isMeasurementAllowed(bytes32 measurement) external view returns (bool);

    /// @notice Lifetime of TCBs published from now on, in seconds.
    /// @return The lifetime.
    function tcbLifetime() external view returns (uint40);

    /// @notice The attestation verifier in use.
    /// @return The verifier.
    function attestationVerifier() external view returns (IAttestationVerifier);

    /// @notice The offer registry that says which offers are TEE offers and who operates them.
    /// @return The registry.
    function offerRegistry() external view returns (IOfferRegistry);
}
