// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";

import {IAttestationVerifier} from "../interfaces/IAttestationVerifier.sol";
import {IOfferRegistry} from "../interfaces/IOfferRegistry.sol";
import {
    OfferType,
    TcbStatus,
    MAX_QUOTE_SIZE,
    MAX_PUBLIC_KEY_SIZE,
    MAX_TCB_PROPERTIES_SIZE,
    MAX_ATTESTATION_PROOF_SIZE
} from "../interfaces/MarketplaceTypes.sol";
import {ITcbRegistry} from "../interfaces/ITcbRegistry.sol";
import {SizeCaps} from "../libraries/SizeCaps.sol";

/// @title TcbRegistry
/// @notice Stores the TCBs (attestations) of TEE offers and the TEE keys they attest: checks the
/// quote with the attestation verifier, the measurement against the allow-list, who may make a key
/// serve an offer, that each attestation is used once, and makes each new TCB the active one of
/// its TEE offer. Quotes, public keys and properties are only emitted in `TcbPublished`.
/// @dev A base of `OfferRegistry`, which answers what this unit asks of offers (their type and
/// operators: `_offerTypeAndOperator`, `_isOfferOperator`). TCBs, offers and slots are one
/// deployable, so the Orders contract's enclave checks and its settlement call one contract (the
/// second call of a transaction to it is warm) and publishing a TCB reads its offer without an
/// external call.
abstract contract TcbRegistry is ITcbRegistry, AccessControl {
    using SizeCaps for bytes;

    /* STORAGE */

    /// @dev A TCB as stored: four words.
    ///   word 0: teeKey (160) | addedAt (40) | validUntil (40)
    ///   word 1: teeOfferId (40) | publishedBlock (40) | benchmark (64)
    ///   word 2: measurement
    ///   word 3: publicKeyHash
    /// The quote is checked by the verifier when published and then only emitted: no rule reads it
    /// again, and its block is stored. Ids and block numbers fit 40 bits for thousands of years.
    struct StoredTcb {
        address teeKey;
        uint40 addedAt;
        uint40 validUntil;
        uint40 teeOfferId;
        uint40 publishedBlock;
        uint64 benchmark;
        bytes32 measurement;
        bytes32 publicKeyHash;
    }

    /// @dev A TEE key, one word: teeOfferId (40) | latestTcbId (40) | validUntil (40)
    /// | revokedBlock (40) | attestedUntil (64). What the Orders contract asks of an enclave (is it
    /// valid?) is this one word.
    struct KeyRecord {
        uint40 teeOfferId;
        uint40 latestTcbId;
        uint40 validUntil;
        uint40 revokedBlock;
        uint64 attestedUntil;
    }

    /// @dev The active TCB of a TEE offer, one word: tcbId (40) | teeKey (160) | validUntil (40).
    /// `validUntil` is the key's (a refresh extends it) and is zeroed when the key is revoked, so
    /// "the offer's valid active key" is one read.
    struct ActiveTcb {
        uint40 tcbId;
        address teeKey;
        uint40 validUntil;
    }

    /// @dev Settings read by every `publishTcb`, with the TCB counter, in one word:
    ///   verifier (160) | lifetime (40) | tcbCount (40)
    /// Keeping the counter in an already non-zero word makes the first TCB as cheap as the next.
    struct Config {
        IAttestationVerifier verifier;
        uint40 lifetime;
        uint40 tcbCount;
    }

    /// @inheritdoc ITcbRegistry
    bytes32 public constant TCB_ADMIN_ROLE = keccak256("TCB_ADMIN_ROLE");

    /// @dev Verifier, lifetime and TCB counter (ids run from 1 to `tcbCount`).
    Config private _config;

    /// @dev TCBs by id.
    mapping(uint256 tcbId => StoredTcb) private _tcbs;

    /// @dev TEE keys.
    mapping(address teeKey => KeyRecord) private _keys;

    /// @dev Active TCB of each TEE offer.
    mapping(uint256 teeOfferId => ActiveTcb) private _active;

    /// @dev Keys a TEE offer's provider authorized to publish their next TCB for the offer.
    mapping(uint256 teeOfferId => mapping(address teeKey => bool authorized)) private _authorized;

    /// @dev Measurement allow-list.
    mapping(bytes32 measurement => bool allowed) private _measurements;

    /// @notice Sets up the TCBs with an empty measurement allow-list.
    /// @param admin Gets `DEFAULT_ADMIN_ROLE` and `TCB_ADMIN_ROLE`.
    /// @param verifier The attestation verifier; not zero.
    /// @param lifetime Lifetime of published TCBs, in seconds; positive.
    constructor(address admin, IAttestationVerifier verifier, uint40 lifetime) {
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        _grantRole(TCB_ADMIN_ROLE, admin);
        _setAttestationVerifier(verifier);
        _setTcbLifetime(lifetime);
    }

    /* TEE */

    /// @inheritdoc ITcbRegistry
    function publishTcb(TcbParams calldata params) external returns (uint256 tcbId) {
        params.quote.check(MAX_QUOTE_SIZE, "quote");
        params.publicKey.check(MAX_PUBLIC_KEY_SIZE, "publicKey");
        params.properties.check(MAX_TCB_PROPERTIES_SIZE, "properties");
        params.proof.check(MAX_ATTESTATION_PROOF_SIZE, "proof");
        KeyRecord memory key = _usableKey(params.teeOfferId, params.teeKey);
        _requirePublisher(params.teeOfferId, params.teeKey);
        (bytes32 measurement, uint64 expiresAt, bytes32 publicKeyHash) = _verify(params, key.attestedUntil);
        tcbId = _record(params, measurement, expiresAt, publicKeyHash);
    }

    /// @inheritdoc ITcbRegistry
    function authorizeTeeKey(uint256 teeOfferId, address teeKey, bool authorized) external {
        (OfferType offerType, bool isOperator) = _offerTypeAndOperator(teeOfferId, msg.sender);
        require(offerType == OfferType.TeeOffer, TcbOfferNotTee(teeOfferId));
        _usableKey(teeOfferId, teeKey);
        require(isOperator, TcbCallerNotAuthorized(teeOfferId, msg.sender));
        _authorized[teeOfferId][teeKey] = authorized;
        emit TeeKeyAuthorized(teeOfferId, teeKey, authorized);
    }

    /// @inheritdoc ITcbRegistry
    function revokeTcb(uint256 tcbId) external {
        StoredTcb storage tcb = _getTcb(tcbId);
        uint256 teeOfferId = tcb.teeOfferId;
        require(
            hasRole(TCB_ADMIN_ROLE, msg.sender) || _isOfferOperator(teeOfferId, msg.sender),
            TcbCallerCannotRevoke(tcbId, msg.sender)
        );
        address teeKey = tcb.teeKey;
        KeyRecord storage key = _keys[teeKey];
        require(key.revokedBlock == 0, TcbTeeKeyRevoked(teeKey, key.revokedBlock));
        // Narrowing cast: block numbers fit 40 bits (see StoredTcb).
        key.revokedBlock = uint40(block.number);
        ActiveTcb storage active = _active[teeOfferId];
        if (active.teeKey == teeKey) active.validUntil = 0;
        emit TcbRevoked(tcbId, teeKey, msg.sender);
    }

    /* ADMIN */

    /// @inheritdoc ITcbRegistry
    function setMeasurement(bytes32 measurement, bool allowed) external onlyRole(TCB_ADMIN_ROLE) {
        _measurements[measurement] = allowed;
        emit MeasurementSet(measurement, allowed);
    }

    /// @inheritdoc ITcbRegistry
    function setTcbLifetime(uint40 lifetime) external onlyRole(TCB_ADMIN_ROLE) {
        _setTcbLifetime(lifetime);
    }

    /// @inheritdoc ITcbRegistry
    function setAttestationVerifier(IAttestationVerifier verifier) external onlyRole(TCB_ADMIN_ROLE) {
        _setAttestationVerifier(verifier);
    }

    /* VIEWS */

    /// @inheritdoc ITcbRegistry
    function getTcb(uint256 tcbId) public view returns (Tcb memory) {
        return _toTcb(_getTcb(tcbId));
    }

    /// @inheritdoc ITcbRegistry
    function getActiveTcb(
        uint256 teeOfferId
    ) external view returns (uint256 tcbId, Tcb memory tcb, TcbStatus status) {
        tcbId = _active[teeOfferId].tcbId;
        if (tcbId != 0) {
            tcb = getTcb(tcbId);
            status = tcbStatus(tcbId);
        }
    }

    /// @inheritdoc ITcbRegistry
    function getTeeKey(address teeKey) external view returns (TeeKey memory key, Tcb memory latestTcb) {
        KeyRecord storage record = _keys[teeKey];
        key = TeeKey({
            teeOfferId: record.teeOfferId,
            latestTcbId: record.latestTcbId,
            validUntil: record.validUntil,
            attestedUntil: record.attestedUntil,
            revokedBlock: record.revokedBlock
        });
        if (record.latestTcbId != 0) latestTcb = _toTcb(_tcbs[record.latestTcbId]);
    }

    /// @inheritdoc ITcbRegistry
    function tcbStatus(uint256 tcbId) public view returns (TcbStatus) {
        StoredTcb storage tcb = _getTcb(tcbId);
        if (_keys[tcb.teeKey].revokedBlock != 0) return TcbStatus.Revoked;
        if (block.timestamp >= tcb.validUntil) return TcbStatus.Expired;
        if (_active[tcb.teeOfferId].tcbId != tcbId) return TcbStatus.Superseded;
        return TcbStatus.Active;
    }

    /// @inheritdoc ITcbRegistry
    function isTcbValid(uint256 tcbId) external view returns (bool) {
        StoredTcb storage tcb = _tcbs[tcbId];
        // An unknown id has validUntil 0: not valid.
        return block.timestamp < tcb.validUntil && _keys[tcb.teeKey].revokedBlock == 0;
    }

    /// @inheritdoc ITcbRegistry
    function isTeeKeyValid(address teeKey) public view returns (bool) {
        KeyRecord storage key = _keys[teeKey];
        // An unknown key has validUntil 0: not valid.
        return block.timestamp < key.validUntil && key.revokedBlock == 0;
    }

    /// @inheritdoc ITcbRegistry
    function tcbKeyState(uint256 tcbId) external view returns (address teeKey, bool keyValid) {
        teeKey = _tcbs[tcbId].teeKey;
        keyValid = isTeeKeyValid(teeKey);
    }

    /// @inheritdoc ITcbRegistry
    function isTeeKeyAuthorized(uint256 teeOfferId, address teeKey) external view returns (bool) {
        return _authorized[teeOfferId][teeKey];
    }

    /// @inheritdoc ITcbRegistry
    function activeTcbOf(uint256 teeOfferId) external view returns (uint256) {
        return _active[teeOfferId].tcbId;
    }

    /// @inheritdoc ITcbRegistry
    function activeTeeKeyOf(uint256 teeOfferId) external view returns (address) {
        ActiveTcb storage active = _active[teeOfferId];
        return block.timestamp < active.validUntil ? active.teeKey : address(0);
    }

    /// @inheritdoc ITcbRegistry
    function reportDataFor(
        uint256 teeOfferId,
        address teeKey,
        bytes calldata publicKey
    ) external view returns (bytes32) {
        return _reportData(teeOfferId, teeKey, keccak256(publicKey));
    }

    /// @inheritdoc ITcbRegistry
    function isMeasurementAllowed(bytes32 measurement) external view returns (bool) {
        return _measurements[measurement];
    }

    /// @inheritdoc ITcbRegistry
    function tcbLifetime() external view returns (uint40) {
        return _config.lifetime;
    }

    /// @inheritdoc ITcbRegistry
    function attestationVerifier() external view returns (IAttestationVerifier) {
        return _config.verifier;
    }

    /// @inheritdoc ITcbRegistry
    function offerRegistry() external view returns (IOfferRegistry) {
        return IOfferRegistry(address(this));
    }

    /* INTERNAL */

    /// @notice An offer's type and whether `account` is its provider's authority or action account.
    /// @param offerId The offer; reverts with `OfferNotFound` when there is none.
    /// @param account The account.
    /// @return offerType The offer's type.
    /// @return isOperator Whether `account` operates it.
    function _offerTypeAndOperator(
        uint256 offerId,
        address account
    ) internal view virtual returns (OfferType offerType, bool isOperator);

    /// @notice Whether `account` is the authority or action account of the offer's provider.
    /// @param offerId The offer.
    /// @param account The account.
    /// @return The answer; false for an unknown offer.
    function _isOfferOperator(uint256 offerId, address account) internal view virtual returns (bool);

    /// @notice Checks and sets the lifetime of TCBs published from now on.
    /// @param lifetime Seconds; positive.
    function _setTcbLifetime(uint40 lifetime) private {
        require(lifetime != 0, TcbLifetimeZero());
        _config.lifetime = lifetime;
        emit TcbLifetimeSet(lifetime);
    }

    /// @notice Checks and sets the attestation verifier.
    /// @param verifier The verifier; not zero.
    function _setAttestationVerifier(IAttestationVerifier verifier) private {
        require(address(verifier) != address(0), TcbVerifierZero());
        _config.verifier = verifier;
        emit AttestationVerifierSet(address(verifier));
    }

    /// @notice A TEE key that may serve the offer: not zero, not revoked, serving no other offer.
    /// @param teeOfferId The offer.
    /// @param teeKey The key.
    /// @return key Its record.
    function _usableKey(uint256 teeOfferId, address teeKey) private view returns (KeyRecord memory key) {
        require(teeKey != address(0), TcbTeeKeyZero());
        key = _keys[teeKey];
        require(key.revokedBlock == 0, TcbTeeKeyRevoked(teeKey, key.revokedBlock));
        require(
            key.teeOfferId == 0 || key.teeOfferId == teeOfferId,
            TcbTeeKeyOfOtherOffer(teeKey, key.teeOfferId)
        );
    }

    /// @notice Checks that the offer is a TEE offer (reverting with the offer registry's
    /// `OfferNotFound` when there is none) and that the caller may publish `teeKey` for it: one of
    /// the offer's operators, or the key itself when it is the offer's active key (a refresh) or
    /// was authorized (the authorization is used up).
    /// @param teeOfferId The offer named in `publishTcb`.
    /// @param teeKey The TEE key named in `publishTcb`.
    function _requirePublisher(uint256 teeOfferId, address teeKey) private {
        (OfferType offerType, bool isOperator) = _offerTypeAndOperator(teeOfferId, msg.sender);
        require(offerType == OfferType.TeeOffer, TcbOfferNotTee(teeOfferId));
        if (isOperator) return;
        if (msg.sender == teeKey) {
            if (_active[teeOfferId].teeKey == teeKey) return;
            if (_authorized[teeOfferId][teeKey]) {
                _authorized[teeOfferId][teeKey] = false;
                return;
            }
        }
        revert TcbCallerNotAuthorized(teeOfferId, msg.sender);
    }

    /// @notice Has the verifier check the attestation against the report data this registry expects,
    /// and checks that it is newer than the key's last one and attests an allowed measurement.
    /// @param params The TCB's parameters.
    /// @param attestedUntil Expiry of the newest attestation accepted for the key.
    /// @return measurement The attested measurement.
    /// @return expiresAt The attestation's expiry.
    /// @return publicKeyHash keccak256 of the public key.
    function _verify(
        TcbParams calldata params,
        uint64 attestedUntil
    ) private view returns (bytes32 measurement, uint64 expiresAt, bytes32 publicKeyHash) {
        publicKeyHash = keccak256(params.publicKey);
        // A view call (STATICCALL): the verifier cannot re-enter to change state.
        (measurement, expiresAt) = _config.verifier.verifyAttestation(
            params.quote,
            _reportData(params.teeOfferId, params.teeKey, publicKeyHash),
            params.proof
        );
        require(expiresAt > attestedUntil, TcbAttestationReused(params.teeKey, expiresAt, attestedUntil));
        require(_measurements[measurement], TcbMeasurementNotAllowed(measurement));
    }

    /// @notice Stores a verified TCB, makes it its key's newest and its offer's active TCB, and
    /// emits `TcbPublished`.
    /// @param params The TCB's parameters.
    /// @param measurement The attested measurement.
    /// @param expiresAt The attestation's expiry.
    /// @param publicKeyHash keccak256 of the public key.
    /// @return tcbId The new TCB's id.
    function _record(
        TcbParams calldata params,
        bytes32 measurement,
        uint64 expiresAt,
        bytes32 publicKeyHash
    ) private returns (uint256 tcbId) {
        Config memory config = _config;
        // Checked: 2^40 TCBs would cost far more gas than a chain ever spends.
        uint40 newTcbId = config.tcbCount + 1;
        _config.tcbCount = newTcbId;
        tcbId = newTcbId;
        uint40 validUntil = _validUntil(config.lifetime, expiresAt);
        // Narrowing casts: timestamps and block numbers fit 40 bits (see StoredTcb); the offer
        // exists (its type was read) and offer ids are the offer registry's 40-bit counter.
        uint40 teeOfferId = uint40(params.teeOfferId);
        _tcbs[tcbId] = StoredTcb({
            teeKey: params.teeKey,
            addedAt: uint40(block.timestamp),
            validUntil: validUntil,
            teeOfferId: teeOfferId,
            publishedBlock: uint40(block.number),
            benchmark: params.benchmark,
            measurement: measurement,
            publicKeyHash: publicKeyHash
        });
        _keys[params.teeKey] = KeyRecord({
            teeOfferId: teeOfferId,
            latestTcbId: newTcbId,
            validUntil: validUntil,
            revokedBlock: 0,
            attestedUntil: expiresAt
        });
        uint256 previousTcbId = _active[teeOfferId].tcbId;
        _active[teeOfferId] = ActiveTcb({tcbId: newTcbId, teeKey: params.teeKey, validUntil: validUntil});
        _emitTcbPublished(tcbId, previousTcbId, measurement, validUntil, params);
    }

    /// @notice Emits `TcbPublished`; a function of its own to keep `publishTcb`'s stack shallow.
    /// @param tcbId The new TCB.
    /// @param previousTcbId The TCB it superseded (0 if none).
    /// @param measurement The attested measurement.
    /// @param validUntil End of its validity.
    /// @param params The published TCB's parameters (last, so the deepest stack item is reachable).
    function _emitTcbPublished(
        uint256 tcbId,
        uint256 previousTcbId,
        bytes32 measurement,
        uint40 validUntil,
        TcbParams calldata params
    ) private {
        emit TcbPublished(
            tcbId,
            params.teeOfferId,
            params.deviceId,
            params.teeKey,
            previousTcbId,
            measurement,
            validUntil,
            params.benchmark,
            params.publicKey,
            params.quote,
            params.properties
        );
    }

    /// @notice A stored TCB; reverts with `TcbNotFound` when there is none.
    /// @param tcbId The TCB.
    /// @return tcb The TCB.
    function _getTcb(uint256 tcbId) private view returns (StoredTcb storage tcb) {
        tcb = _tcbs[tcbId];
        require(tcb.teeKey != address(0), TcbNotFound(tcbId));
    }

    /// @notice The view of a stored TCB, with its key's revocation block.
    /// @param tcb The stored TCB.
    /// @return The view.
    function _toTcb(StoredTcb storage tcb) private view returns (Tcb memory) {
        address teeKey = tcb.teeKey;
        return
            Tcb({
                teeKey: teeKey,
                addedAt: tcb.addedAt,
                validUntil: tcb.validUntil,
                revokedBlock: _keys[teeKey].revokedBlock,
                teeOfferId: tcb.teeOfferId,
                publishedBlock: tcb.publishedBlock,
                benchmark: tcb.benchmark,
                measurement: tcb.measurement,
                publicKeyHash: tcb.publicKeyHash
            });
    }

    /// @notice End of validity of a TCB published now: `now + lifetime`, never beyond the
    /// attestation's expiry, saturated at the largest uint40 timestamp.
    /// @param lifetime The lifetime, in seconds.
    /// @param expiresAt The attestation's expiry.
    /// @return validUntil The timestamp.
    function _validUntil(uint40 lifetime, uint64 expiresAt) private view returns (uint40 validUntil) {
        uint256 end = block.timestamp + lifetime;
        if (end > expiresAt) end = expiresAt;
        // Narrowing cast: `end` is clamped to type(uint40).max first.
        validUntil = end > type(uint40).max ? type(uint40).max : uint40(end);
    }

    /// @notice The report data binding a TEE key and a public key to a TEE offer on this chain and
    /// registry.
    /// @param teeOfferId The TEE offer.
    /// @param teeKey The TEE signing key.
    /// @param publicKeyHash keccak256 of the ECIES public key.
    /// @return The report data.
    function _reportData(
        uint256 teeOfferId,
        address teeKey,
        bytes32 publicKeyHash
    ) private view returns (bytes32) {
        return keccak256(abi.encode(block.chainid, address(this), teeOfferId, teeKey, publicKeyHash));
    }
}
