// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";

import {IAttestationVerifier} from "../interfaces/IAttestationVerifier.sol";
import {IOfferRegistry} from "../interfaces/IOfferRegistry.sol";
import {OfferType} from "../interfaces/IOffers.sol";
import {
    ITcbRegistry,
    TcbStatus,
    MAX_QUOTE_SIZE,
    MAX_PUBLIC_KEY_SIZE,
    MAX_TCB_PROPERTIES_SIZE,
    MAX_ATTESTATION_PROOF_SIZE
} from "../interfaces/ITcbRegistry.sol";
import {SizeCaps} from "../libraries/SizeCaps.sol";

/// @title TcbRegistry
/// @notice Stores the TCBs (attestations) of TEE offers: checks the quote with the attestation
/// verifier, the measurement against the allow-list, and makes each new TCB the active one of its
/// TEE offer. Quotes, public keys and properties are only emitted in `TcbPublished`.
contract TcbRegistry is ITcbRegistry, AccessControl {
    using SizeCaps for bytes;

    /* STORAGE */

    /// @dev A TCB as stored: four words.
    ///   word 0: teeKey (160) | addedAt (40) | validUntil (40) | revoked (8)
    ///   word 1: teeOfferId (64) | publishedBlock (64) | benchmark (64)
    ///   word 2: measurement
    ///   word 3: publicKeyHash
    /// The quote is checked by the verifier when published and then only emitted: no rule reads it
    /// again, and its block is stored.
    /// Offer ids are sequential from 1, so a uint64 holds any offer that can exist.
    struct StoredTcb {
        address teeKey;
        uint40 addedAt;
        uint40 validUntil;
        bool revoked;
        uint64 teeOfferId;
        uint64 publishedBlock;
        uint64 benchmark;
        bytes32 measurement;
        bytes32 publicKeyHash;
    }

    /// @dev Settings read by every `publishTcb`, with the TCB counter, in one word:
    ///   verifier (160) | lifetime (40) | tcbCount (56)
    /// Keeping the counter in an already non-zero word makes the first TCB as cheap as the next.
    struct Config {
        IAttestationVerifier verifier;
        uint40 lifetime;
        uint56 tcbCount;
    }

    /// @inheritdoc ITcbRegistry
    bytes32 public constant TCB_ADMIN_ROLE = keccak256("TCB_ADMIN_ROLE");

    /// @dev The offer registry: offer types and operators.
    IOfferRegistry private immutable _OFFER_REGISTRY;

    /// @dev Verifier, lifetime and TCB counter (ids run from 1 to `tcbCount`).
    Config private _config;

    /// @dev TCBs by id.
    mapping(uint256 tcbId => StoredTcb) private _tcbs;

    /// @dev Newest TCB of each TEE offer (0 when none).
    mapping(uint256 teeOfferId => uint256 tcbId) private _activeTcbs;

    /// @dev Measurement allow-list.
    mapping(bytes32 measurement => bool allowed) private _measurements;

    /// @notice Deploys the registry with an empty measurement allow-list.
    /// @param admin Gets `DEFAULT_ADMIN_ROLE` and `TCB_ADMIN_ROLE`.
    /// @param offerRegistry_ The offer registry that says which offers are TEE offers and who operates them.
    /// @param verifier The attestation verifier; not zero.
    /// @param lifetime Lifetime of published TCBs, in seconds; positive.
    constructor(
        address admin,
        IOfferRegistry offerRegistry_,
        IAttestationVerifier verifier,
        uint40 lifetime
    ) {
        _OFFER_REGISTRY = offerRegistry_;
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
        uint256 teeOfferId = params.teeOfferId;
        _requirePublisher(teeOfferId, params.teeKey);

        Config memory config = _config;
        bytes32 publicKeyHash = keccak256(params.publicKey);
        // A view call (STATICCALL): the verifier cannot re-enter to change state.
        bytes32 measurement = config.verifier.verifyAttestation(
            params.quote,
            _reportData(params.teeKey, publicKeyHash),
            params.proof
        );
        require(_measurements[measurement], TcbMeasurementNotAllowed(measurement));

        // Cannot overflow in practice: 2^56 TCBs would cost far more gas than a chain ever spends.
        tcbId = uint256(config.tcbCount) + 1;
        // Narrowing cast: tcbId <= 2^56 - 1, see above.
        _config.tcbCount = uint56(tcbId);
        uint40 validUntil = _validUntil(config.lifetime);
        _tcbs[tcbId] = StoredTcb({
            teeKey: params.teeKey,
            // Narrowing cast: timestamps fit in 40 bits until the year 36812.
            addedAt: uint40(block.timestamp),
            validUntil: validUntil,
            revoked: false,
            // Narrowing cast: the offer exists (getOffer did not revert) and offer ids are
            // sequential from 1, so the id is far below 2^64.
            teeOfferId: uint64(teeOfferId),
            // Narrowing cast: block numbers fit in 64 bits.
            publishedBlock: uint64(block.number),
            benchmark: params.benchmark,
            measurement: measurement,
            publicKeyHash: publicKeyHash
        });
        uint256 previousTcbId = _activeTcbs[teeOfferId];
        _activeTcbs[teeOfferId] = tcbId;

        _emitTcbPublished(tcbId, previousTcbId, measurement, validUntil, params);
    }

    /// @inheritdoc ITcbRegistry
    function revokeTcb(uint256 tcbId) external {
        StoredTcb storage tcb = _getTcb(tcbId);
        require(
            hasRole(TCB_ADMIN_ROLE, msg.sender) ||
                _OFFER_REGISTRY.isOfferOperator(tcb.teeOfferId, msg.sender),
            TcbCallerCannotRevoke(tcbId, msg.sender)
        );
        require(!tcb.revoked, TcbAlreadyRevoked(tcbId));
        tcb.revoked = true;
        emit TcbRevoked(tcbId, msg.sender);
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
    function getTcb(uint256 tcbId) external view returns (Tcb memory) {
        StoredTcb storage tcb = _getTcb(tcbId);
        return
            Tcb({
                teeKey: tcb.teeKey,
                addedAt: tcb.addedAt,
                validUntil: tcb.validUntil,
                revoked: tcb.revoked,
                teeOfferId: tcb.teeOfferId,
                publishedBlock: tcb.publishedBlock,
                benchmark: tcb.benchmark,
                measurement: tcb.measurement,
                publicKeyHash: tcb.publicKeyHash
            });
    }

    /// @inheritdoc ITcbRegistry
    function tcbStatus(uint256 tcbId) external view returns (TcbStatus) {
        StoredTcb storage tcb = _getTcb(tcbId);
        if (tcb.revoked) return TcbStatus.Revoked;
        if (block.timestamp >= tcb.validUntil) return TcbStatus.Expired;
        if (_activeTcbs[tcb.teeOfferId] != tcbId) return TcbStatus.Superseded;
        return TcbStatus.Active;
    }

    /// @inheritdoc ITcbRegistry
    function isTcbValid(uint256 tcbId) external view returns (bool) {
        return _isValid(_tcbs[tcbId]);
    }

    /// @inheritdoc ITcbRegistry
    function activeTcbOf(uint256 teeOfferId) external view returns (uint256) {
        return _activeTcbs[teeOfferId];
    }

    /// @inheritdoc ITcbRegistry
    function activeTeeKeyOf(uint256 teeOfferId) external view returns (address) {
        StoredTcb storage tcb = _tcbs[_activeTcbs[teeOfferId]];
        return _isValid(tcb) ? tcb.teeKey : address(0);
    }

    /// @inheritdoc ITcbRegistry
    function reportDataFor(address teeKey, bytes calldata publicKey) external view returns (bytes32) {
        return _reportData(teeKey, keccak256(publicKey));
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
        return _OFFER_REGISTRY;
    }

    /* INTERNAL */

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

    /// @notice Checks that `teeKey` is set, that the offer is a TEE offer and that the caller is one of
    /// its operators or `teeKey` itself.
    /// @dev Reverts with the offer registry's `OfferNotFound` for an unknown offer.
    /// @param teeOfferId The offer named in `publishTcb`.
    /// @param teeKey The TEE key named in `publishTcb`.
    function _requirePublisher(uint256 teeOfferId, address teeKey) private view {
        require(teeKey != address(0), TcbTeeKeyZero());
        require(_OFFER_REGISTRY.getOfferType(teeOfferId) == OfferType.TeeOffer, TcbOfferNotTee(teeOfferId));
        require(
            msg.sender == teeKey || _OFFER_REGISTRY.isOfferOperator(teeOfferId, msg.sender),
            TcbCallerNotAuthorized(teeOfferId, msg.sender)
        );
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

    /// @notice Whether a TCB is not revoked and not expired; false for an empty (unknown) record,
    /// whose `validUntil` is 0.
    /// @param tcb The TCB.
    /// @return The answer.
    function _isValid(StoredTcb storage tcb) private view returns (bool) {
        return !tcb.revoked && block.timestamp < tcb.validUntil;
    }

    /// @notice End of validity of a TCB published now, saturated at the largest uint40 timestamp so that
    /// a very long lifetime means "until further notice" rather than a revert.
    /// @param lifetime The lifetime, in seconds.
    /// @return validUntil The timestamp.
    function _validUntil(uint40 lifetime) private view returns (uint40 validUntil) {
        uint256 end = block.timestamp + lifetime;
        // Narrowing cast: `end` is clamped to type(uint40).max first.
        validUntil = end > type(uint40).max ? type(uint40).max : uint40(end);
    }

    /// @notice The report data binding a TEE key and a public key to this chain and registry.
    /// @param teeKey The TEE signing key.
    /// @param publicKeyHash keccak256 of the ECIES public key.
    /// @return The report data.
    function _reportData(address teeKey, bytes32 publicKeyHash) private view returns (bytes32) {
        return keccak256(abi.encode(teeKey, publicKeyHash, block.chainid, address(this)));
    }
}
