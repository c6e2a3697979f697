// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {
    IOffers,
    OfferType,
    MAX_OFFER_INFO_SIZE,
    MAX_RESULT_RESOURCE_SIZE,
    MAX_RESTRICTED_OFFERS,
    MAX_ALLOWED_ACCOUNTS
} from "../interfaces/IOffers.sol";
import {MAX_PAGE_SIZE} from "../interfaces/IOrders.sol";
import {SizeCaps} from "../libraries/SizeCaps.sol";
import {Providers} from "./Providers.sol";

/// @title Offers
/// @notice Offers of registered providers. An offer stores its provider, type, flags, restrictions
/// and the hashes of its content and info; the info blob and the public result resource are only
/// emitted. Restrictions and allowed accounts are fixed at creation.
/// @dev An offer exists when its `provider` is non-zero. Offer ids run from 1 to `offerCount()`.
abstract contract Offers is Providers, IOffers {
    /* STORAGE */

    /// @dev An offer in storage, four words:
    ///   word0  provider (160) | offerType (8) | subType (8) | enabled (8) | cancelable (8)
    ///          | autoComplete (8) | allowedTypesMask (8) | restrictedByOfferId (8)
    ///          | restrictedToAccounts (8)                                       224 bits
    ///   word1  contentHash
    ///   word2  infoHash
    ///   word3  infoBlock (64) | version (32) | slotCount (32) | slotId0 (64) | slotId1 (64)
    /// word0 is what a workflow reads (word1 too for a Solution input). word3 also holds the head of
    /// the offer's slot id list, which `Slots` keeps: its length and its first two ids live in a
    /// word the offer already pays for, so adding the first slots of an offer allocates no new word.
    struct OfferData {
        address provider;
        OfferType offerType;
        uint8 subType;
        bool enabled;
        bool cancelable;
        bool autoComplete;
        uint8 allowedTypesMask;
        bool restrictedByOfferId;
        bool restrictedToAccounts;
        bytes32 contentHash;
        bytes32 infoHash;
        uint64 infoBlock;
        uint32 version;
        uint32 slotCount;
        uint64 slotId0;
        uint64 slotId1;
    }

    /// @dev Offers by id.
    mapping(uint256 offerId => OfferData) private _offers;

    /// @dev Restriction by id: `_allowedOffers[x][y]` when offer `x` may be combined with offer `y`.
    mapping(uint256 offerId => mapping(uint256 otherOfferId => bool allowed)) private _allowedOffers;

    /// @dev Allowed accounts: `_allowedAccounts[x][a]` when account `a` may order offer `x`.
    mapping(uint256 offerId => mapping(address account => bool allowed)) private _allowedAccounts;

    /// @dev Number of offers ever created. Declared last so that it shares its word with the slot
    /// counter that `Slots` declares first (one warm word for both counters).
    uint64 private _offerCount;

    /* PROVIDER */

    /// @inheritdoc IOffers
    /// @dev Every id in `allowedOfferIds` must be an existing offer.
    function createOffer(OfferParams calldata params) external returns (uint256 offerId) {
        _requireProvider(msg.sender);
        SizeCaps.check(params.info, MAX_OFFER_INFO_SIZE, "info");
        SizeCaps.check(params.resultResource, MAX_RESULT_RESOURCE_SIZE, "resultResource");
        _checkContentHash(params.offerType, params.contentHash);
        _checkListLength("allowedOfferIds", params.allowedOfferIds.length, MAX_RESTRICTED_OFFERS);
        _checkListLength("allowedAccounts", params.allowedAccounts.length, MAX_ALLOWED_ACCOUNTS);
        // Cannot overflow: 2^64 offers would cost more gas than any chain will ever spend.
        uint64 newOfferId = _offerCount + 1;
        for (uint256 i = 0; i < params.allowedOfferIds.length; ++i) {
            uint256 otherOfferId = params.allowedOfferIds[i];
            require(otherOfferId != 0 && otherOfferId < newOfferId, OfferNotFound(otherOfferId));
        }

        _offerCount = newOfferId;
        offerId = newOfferId;
        _writeRestrictions(offerId, params.allowedOfferIds, params.allowedAccounts);
        _offers[offerId] = OfferData({
            provider: msg.sender,
            offerType: params.offerType,
            subType: params.subType,
            enabled: true,
            cancelable: params.cancelable,
            autoComplete: params.resultResource.length != 0,
            allowedTypesMask: _typesMask(params.allowedOfferTypes),
            restrictedByOfferId: params.allowedOfferIds.length != 0,
            restrictedToAccounts: params.allowedAccounts.length != 0,
            contentHash: params.contentHash,
            infoHash: keccak256(params.info),
            // Block numbers fit in 64 bits on any chain for billions of years.
            infoBlock: uint64(block.number),
            version: 1,
            slotCount: 0,
            slotId0: 0,
            slotId1: 0
        });
        emit OfferCreated(offerId, msg.sender, params.offerType, params.contentHash, params);
    }

    /// @inheritdoc IOffers
    function updateOfferInfo(uint256 offerId, bytes calldata info) external {
        OfferData storage offer = _providerOffer(offerId);
        SizeCaps.check(info, MAX_OFFER_INFO_SIZE, "info");
        offer.infoHash = keccak256(info);
        // Block numbers fit in 64 bits on any chain for billions of years.
        offer.infoBlock = uint64(block.number);
        emit OfferInfoUpdated(offerId, info);
    }

    /// @inheritdoc IOffers
    function setOfferEnabled(uint256 offerId, bool enabled) external {
        OfferData storage offer = _providerOffer(offerId);
        offer.enabled = enabled;
        emit OfferEnabledSet(offerId, enabled);
    }

    /// @inheritdoc IOffers
    function newOfferVersion(uint256 offerId, bytes32 contentHash, bytes calldata info) external {
        OfferData storage offer = _providerOffer(offerId);
        _checkContentHash(offer.offerType, contentHash);
        SizeCaps.check(info, MAX_OFFER_INFO_SIZE, "info");
        uint32 version = offer.version + 1;
        offer.contentHash = contentHash;
        offer.infoHash = keccak256(info);
        // Block numbers fit in 64 bits on any chain for billions of years.
        offer.infoBlock = uint64(block.number);
        offer.version = version;
        emit OfferVersionCreated(offerId, version, contentHash, info);
    }

    /* VIEWS */

    /// @inheritdoc IOffers
    function getOffer(uint256 offerId) external view returns (Offer memory) {
        return _toOffer(_offer(offerId));
    }

    /// @inheritdoc IOffers
    function getOfferType(uint256 offerId) external view returns (OfferType) {
        return _offer(offerId).offerType;
    }

    /// @inheritdoc IOffers
    function offerCount() external view returns (uint256) {
        return _offerCount;
    }

    /// @inheritdoc IOffers
    /// @dev `limit` is capped at `MAX_PAGE_SIZE`.
    function getOffers(uint256 firstOfferId, uint256 limit) external view returns (Offer[] memory offers) {
        uint256 count = _offerCount;
        if (limit > MAX_PAGE_SIZE) limit = MAX_PAGE_SIZE;
        if (firstOfferId > count) return offers;
        uint256 start = firstOfferId == 0 ? 1 : firstOfferId;
        // Cannot overflow: firstOfferId <= count < 2^64 and limit <= MAX_PAGE_SIZE.
        uint256 end = firstOfferId + limit;
        if (end > count + 1) end = count + 1;
        offers = new Offer[](end > start ? end - start : 0);
        for (uint256 i = 0; i < offers.length; ++i) {
            offers[i] = _toOffer(_offers[start + i]);
        }
    }

    /// @inheritdoc IOffers
    function isCombinationAllowed(uint256 offerId, uint256 otherOfferId) external view returns (bool) {
        OfferData storage offer = _offer(offerId);
        OfferType otherType = _offer(otherOfferId).offerType;
        return
            _combinationAllowed(
                offerId,
                offer.allowedTypesMask,
                offer.restrictedByOfferId,
                otherOfferId,
                otherType
            );
    }

    /// @inheritdoc IOffers
    function isAccountAllowed(uint256 offerId, address account) external view returns (bool) {
        return _accountAllowed(offerId, _offer(offerId).restrictedToAccounts, account);
    }

    /* INTERNAL */

    /// @notice The stored offer `offerId`; reverts with `OfferNotFound` when there is none.
    /// @param offerId The offer.
    /// @return offer Its storage.
    function _offer(uint256 offerId) internal view returns (OfferData storage offer) {
        offer = _offers[offerId];
        require(offer.provider != address(0), OfferNotFound(offerId));
    }

    /// @notice The stored offer `offerId`, when the caller is its provider's authority.
    /// @param offerId The offer.
    /// @return offer Its storage; reverts with `OfferNotFound` or `OfferCallerNotProvider`.
    function _providerOffer(uint256 offerId) internal view returns (OfferData storage offer) {
        offer = _offer(offerId);
        require(offer.provider == msg.sender, OfferCallerNotProvider(offerId, msg.sender));
    }

    /// @notice The provider authority of an offer.
    /// @param offerId The offer.
    /// @return Its provider's authority; zero when the offer does not exist.
    function _offerProvider(uint256 offerId) internal view returns (address) {
        return _offers[offerId].provider;
    }

    /// @notice The combination rule: an offer with restrictions (a type mask or allowed ids) allows
    /// another offer only if the other's type is in its mask or the other's id is among its allowed ids.
    /// @param offerId The offer whose restrictions apply.
    /// @param allowedTypesMask Its type mask.
    /// @param restrictedByOfferId Whether it has allowed ids.
    /// @param otherOfferId The other offer.
    /// @param otherType The other offer's type.
    /// @return Whether the combination is allowed.
    function _combinationAllowed(
        uint256 offerId,
        uint8 allowedTypesMask,
        bool restrictedByOfferId,
        uint256 otherOfferId,
        OfferType otherType
    ) internal view returns (bool) {
        if (allowedTypesMask == 0 && !restrictedByOfferId) return true;
        if (allowedTypesMask & _typeBit(otherType) != 0) return true;
        return restrictedByOfferId && _isAllowedOffer(offerId, otherOfferId);
    }

    /// @notice Whether `otherOfferId` is among the allowed ids of `offerId`.
    /// @param offerId The offer whose restrictions apply.
    /// @param otherOfferId The other offer.
    /// @return Whether it is listed.
    function _isAllowedOffer(uint256 offerId, uint256 otherOfferId) internal view returns (bool) {
        return _allowedOffers[offerId][otherOfferId];
    }

    /// @notice Whether `account` may order an offer.
    /// @param offerId The offer.
    /// @param restrictedToAccounts Whether the offer has an allowed-account list.
    /// @param account The would-be consumer.
    /// @return True when the offer has no list or lists `account`.
    function _accountAllowed(
        uint256 offerId,
        bool restrictedToAccounts,
        address account
    ) internal view returns (bool) {
        return !restrictedToAccounts || _allowedAccounts[offerId][account];
    }

    /// @notice Builds the view of a stored offer.
    /// @param offer The stored offer.
    /// @return The view.
    function _toOffer(OfferData storage offer) private view returns (Offer memory) {
        return
            Offer({
                provider: offer.provider,
                offerType: offer.offerType,
                subType: offer.subType,
                enabled: offer.enabled,
                cancelable: offer.cancelable,
                autoComplete: offer.autoComplete,
                allowedTypesMask: offer.allowedTypesMask,
                restrictedByOfferId: offer.restrictedByOfferId,
                restrictedToAccounts: offer.restrictedToAccounts,
                version: offer.version,
                infoBlock: offer.infoBlock,
                contentHash: offer.contentHash,
                infoHash: offer.infoHash
            });
    }

    /// @notice Stores a new offer's allowed ids and allowed accounts.
    /// @param offerId The new offer.
    /// @param allowedOfferIds Offers it may be combined with.
    /// @param allowedAccounts Accounts that may order it.
    function _writeRestrictions(
        uint256 offerId,
        uint256[] calldata allowedOfferIds,
        address[] calldata allowedAccounts
    ) private {
        for (uint256 i = 0; i < allowedOfferIds.length; ++i) {
            _allowedOffers[offerId][allowedOfferIds[i]] = true;
        }
        for (uint256 i = 0; i < allowedAccounts.length; ++i) {
            _allowedAccounts[offerId][allowedAccounts[i]] = true;
        }
    }

    /// @notice Reverts with `OfferContentHashZero` when a Solution or Data offer has no content hash.
    /// @param offerType The offer's type.
    /// @param contentHash The content hash.
    function _checkContentHash(OfferType offerType, bytes32 contentHash) private pure {
        bool needsHash = offerType == OfferType.Solution || offerType == OfferType.Data;
        require(!needsHash || contentHash != bytes32(0), OfferContentHashZero(offerType));
    }

    /// @notice Reverts with `OfferListTooLong` when a list is longer than its cap.
    /// @param list Name of the list.
    /// @param length Its length.
    /// @param maxLength The cap.
    function _checkListLength(string memory list, uint256 length, uint256 maxLength) private pure {
        if (length > maxLength) revert OfferListTooLong(list, length, maxLength);
    }

    /// @notice The type mask of a list of offer types.
    /// @param types The types.
    /// @return mask Bit `t` set for each type `t` listed.
    function _typesMask(OfferType[] calldata types) private pure returns (uint8 mask) {
        for (uint256 i = 0; i < types.length; ++i) {
            mask |= _typeBit(types[i]);
        }
    }

    /// @notice The mask bit of an offer type.
    /// @param offerType The type.
    /// @return `1 << offerType`.
    function _typeBit(OfferType offerType) internal pure returns (uint8) {
        // Cannot truncate: OfferType has 4 values, so the shift is at most 3.
        return uint8(1 << uint8(offerType));
    }
}
