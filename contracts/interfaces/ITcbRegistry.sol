// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {TcbStatus} from "./MarketplaceTypes.sol";
import {IAttestationVerifier} from "./IAttestationVerifier.sol";
import {IOfferRegistry} from "./IOfferRegistry.sol";

/// @title ITcbRegistry
/// @notice Trusted computing bases: attestations that TEEs publish for their TEE offer. A TCB binds
/// a TEE signing key (`teeKey`, which signs order reports and result receipts) and an ECIES public
/// key (consumers and data owners encrypt their hand-overs for it) to a quote whose measurement is
/// on the allow-list. The newest TCB of a TEE offer is its active one, and its key is the enclave
/// that new workflows hand their inputs to.
/// @dev The rules, each closing a way around the marketplace's promise:
/// - The quote's report data must equal `reportDataFor(teeOfferId, teeKey, publicKey)`, which binds
///   the chain id, this registry, the TEE offer, the TEE key and the public key: an attestation
///   cannot be replayed for another key, offer, chain or registry.
/// - Only the offer's provider (authority or action account) decides which enclave serves its
///   offer: it publishes the TCB itself, or authorizes a TEE key to publish once
///   (`authorizeTeeKey`). A TEE key publishes by itself only to refresh the offer's active TCB
///   (same key) or with such an authorization.
/// - A TEE key serves one TEE offer for good.
/// - Each TEE key's attestations are accepted in strictly increasing order of expiry: an
///   attestation is accepted once, and an older one cannot replace a newer one.
/// - A TCB's `validUntil` is `now + tcbLifetime`, but never beyond the attestation's expiry.
/// - Revoking a TCB revokes its TEE key: every TCB of that key is invalid from then on, and no
///   attestation makes the key valid again. The revocation block is stored, so a reader can tell
///   whether a report was signed before it.
/// @dev Warning: the attestation verifier and the measurement allow-list are trusted: an admin who
/// swaps the verifier or allows a measurement decides which code is trusted. The admin can also
/// revoke any TCB. The TEE hardware is trusted to keep `teeKey` inside the enclave.
/// @dev Implemented by the offer registry (`TcbRegistry` is one of its bases): the admin's roles
/// gate only the functions of this interface, never offers, slots or the order hooks.
interface ITcbRegistry {
    /// @notice A TCB as stored, with its key's revocation block. Blobs (quote, public key,
    /// properties) are in `TcbPublished`, at `publishedBlock`; the public key's hash is stored so a
    /// reader can check the key it fetched.
    /// @param teeKey Address of the TEE's signing key.
    /// @param addedAt Timestamp of publication.
    /// @param validUntil Timestamp from which the TCB is no longer valid.
    /// @param revokedBlock Block in which its TEE key was revoked (0 = not revoked).
    /// @param teeOfferId The TEE offer it attests.
    /// @param publishedBlock Block of the `TcbPublished` event.
    /// @param benchmark The TEE's benchmark score, as declared.
    /// @param measurement The attested code measurement.
    /// @param publicKeyHash keccak256 of the ECIES public key.
    struct Tcb {
        address teeKey;
        uint40 addedAt;
        uint40 validUntil;
        uint64 revokedBlock;
        uint256 teeOfferId;
        uint64 publishedBlock;
        uint64 benchmark;
        bytes32 measurement;
        bytes32 publicKeyHash;
    }

    /// @notice A TEE key: the enclave that signs reports and receipts.
    /// @param teeOfferId The TEE offer it serves (0 = no TCB published yet).
    /// @param latestTcbId Its newest TCB (0 before its first).
    /// @param validUntil Until when its newest TCB is valid (0 before its first).
    /// @param attestedUntil Expiry of the newest attestation accepted for it.
    /// @param revokedBlock Block of its revocation (0 = not revoked).
    struct TeeKey {
        uint256 teeOfferId;
        uint256 latestTcbId;
        uint40 validUntil;
        uint64 attestedUntil;
        uint64 revokedBlock;
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

    /// @notice Only the TEE offer's provider (authority or action account) may publish for a TEE key
    /// that is neither the offer's active key (a refresh) nor authorized to publish itself.
    /// @param teeOfferId The TEE offer.
    /// @param caller The caller.
    error TcbCallerNotAuthorized(uint256 teeOfferId, address caller);

    /// @notice A TCB must attest a TEE offer.
    /// @param offerId The offer named.
    error TcbOfferNotTee(uint256 offerId);

    /// @notice The TEE key must not be zero.
    error TcbTeeKeyZero();

    /// @notice The TEE key was revoked: it is never valid again.
    /// @param teeKey The key.
    /// @param revokedBlock The block of its revocation.
    error TcbTeeKeyRevoked(address teeKey, uint256 revokedBlock);

    /// @notice The TEE key serves another TEE offer.
    /// @param teeKey The key.
    /// @param teeOfferId The offer it serves.
    error TcbTeeKeyOfOtherOffer(address teeKey, uint256 teeOfferId);

    /// @notice The attestation is not newer than the last one accepted for this TEE key: it was
    /// used already, or is older.
    /// @param teeKey The key.
    /// @param expiresAt The attestation's expiry.
    /// @param attestedUntil The expiry of the newest attestation accepted for the key.
    error TcbAttestationReused(address teeKey, uint256 expiresAt, uint256 attestedUntil);

    /// @notice The attested measurement is not on the allow-list.
    /// @param measurement The measurement.
    error TcbMeasurementNotAllowed(bytes32 measurement);

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

    /// @notice A TEE key was authorized (or no longer) to publish its next TCB for a TEE offer.
    /// @param teeOfferId The TEE offer.
    /// @param teeKey The key.
    /// @param authorized The new state.
    event TeeKeyAuthorized(uint256 indexed teeOfferId, address indexed teeKey, bool authorized);

    /// @notice A TCB was revoked, and with it its TEE key.
    /// @param tcbId The TCB.
    /// @param teeKey Its TEE key, revoked for good.
    /// @param by The caller.
    event TcbRevoked(uint256 indexed tcbId, address indexed teeKey, address indexed by);

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

    /// @notice Publishes a TCB; it becomes the active TCB of its TEE offer. The offer's provider
    /// (authority or action account), or the TEE key itself when it is the offer's active key or
    /// was authorized (the authorization is used up).
    /// @param params See `TcbParams`.
    /// @return tcbId The new TCB's id (ids start at 1).
    function publishTcb(TcbParams calldata params) external returns (uint256 tcbId);

    /// @notice Authorizes a TEE key to publish its next TCB for a TEE offer itself, or withdraws the
    /// authorization. The offer's provider authority or action account only.
    /// @param teeOfferId The TEE offer.
    /// @param teeKey The key; not zero, not revoked, not serving another offer.
    /// @param authorized The new state.
    function authorizeTeeKey(uint256 teeOfferId, address teeKey, bool authorized) external;

    /// @notice Revokes a TCB and its TEE key, for good. Admin, or the TEE offer's provider authority
    /// or action account.
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

    /// @notice The active TCB of a TEE offer with its status, in one call.
    /// @param teeOfferId The TEE offer.
    /// @return tcbId The active TCB (0 if none was published; then the other values are empty).
    /// @return tcb The TCB.
    /// @return status Its status.
    function getActiveTcb(
        uint256 teeOfferId
    ) external view returns (uint256 tcbId, Tcb memory tcb, TcbStatus status);

    /// @notice A TEE key and its newest TCB, in one call.
    /// @param teeKey The key.
    /// @return key The key's record (all zero for a key without a TCB that was never revoked).
    /// @return latestTcb Its newest TCB (all zero before its first).
    function getTeeKey(address teeKey) external view returns (TeeKey memory key, Tcb memory latestTcb);

    /// @notice What a TCB is now.
    /// @param tcbId The TCB.
    /// @return Revoked (its key was revoked), Expired, Superseded (not its offer's active TCB) or
    /// Active, checked in that order.
    function tcbStatus(uint256 tcbId) external view returns (TcbStatus);

    /// @notice Whether a TCB is valid: its key is not revoked and it has not expired.
    /// @param tcbId The TCB.
    /// @return The answer; false for an unknown id.
    function isTcbValid(uint256 tcbId) external view returns (bool);

    /// @notice Whether the offer's provider authorized a TEE key to publish its next TCB for the
    /// offer itself.
    /// @param teeOfferId The TEE offer.
    /// @param teeKey The key.
    /// @return The state.
    function isTeeKeyAuthorized(uint256 teeOfferId, address teeKey) external view returns (bool);

    /// @notice Whether a TEE key is valid now: not revoked, and its newest TCB has not expired.
    /// @param teeKey The key.
    /// @return The answer; false for an unknown key.
    function isTeeKeyValid(address teeKey) external view returns (bool);

    /// @notice The TEE key of a TCB and whether that key is valid now (one call for the Orders
    /// contract's report check).
    /// @param tcbId The TCB.
    /// @return teeKey The key (zero for an unknown id).
    /// @return keyValid Whether the key is valid now.
    function tcbKeyState(uint256 tcbId) external view returns (address teeKey, bool keyValid);

    /// @notice The active TCB of a TEE offer: its newest TCB (whatever its validity).
    /// @param teeOfferId The TEE offer.
    /// @return The TCB id, 0 if none was published.
    function activeTcbOf(uint256 teeOfferId) external view returns (uint256);

    /// @notice The signing key of the TEE offer's active TCB, if that TCB is valid.
    /// @param teeOfferId The TEE offer.
    /// @return The TEE key, or zero when there is no valid active TCB.
    function activeTeeKeyOf(uint256 teeOfferId) external view returns (address);

    /// @notice The report data a quote must carry to attest `teeKey` and `publicKey` for a TEE offer
    /// on this chain and registry:
    /// keccak256(abi.encode(block.chainid, this, teeOfferId, teeKey, keccak256(publicKey))), in the
    /// first 32 bytes of the quote's 64-byte report data (the rest zero).
    /// @param teeOfferId The TEE offer.
    /// @param teeKey The TEE signing key.
    /// @param publicKey The ECIES public key.
    /// @return The report data.
    function reportDataFor(
        uint256 teeOfferId,
        address teeKey,
        bytes calldata publicKey
    ) external view returns (bytes32);

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

    /// @notice The offer registry that says which offers are TEE offers and who operates them: the
    /// TCBs live in it, so this is the contract's own address.
    /// @return The registry.
    function offerRegistry() external view returns (IOfferRegistry);
}
