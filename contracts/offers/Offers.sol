// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {
    OfferType,
    MAX_OFFER_INFO_SIZE,
    MAX_RESULT_RESOURCE_SIZE,
    MAX_RESTRICTED_OFFERS,
    MAX_ALLOWED_ACCOUNTS,
    MAX_PAGE_SIZE,
    MAX_ID_PAGE_SIZE
} from "../interfaces/MarketplaceTypes.sol";
import {IOffers} from "../interfaces/IOffers.sol";
import {SizeCaps} from "../libraries/SizeCaps.sol";
import {Providers} from "./Providers.sol";

/// @title Offers
/// @notice Offers of registered providers. An offer stores its provider, type, flags, restrictions
/// and the hashes of its content and info; the info blob and the public result resource are only
/// emitted. Restrictions and allowed accounts are fixed at creation. Each provider's offers are
/// listed in the order they were created.
/// @dev An offer exists when its `provider` is non-zero. Offer ids run from 1 to `offerCount()`.
abstract contract Offers is Providers, IOffers {
    /* STORAGE */

    /// @dev Bits of `OfferData.flags`.
    uint8 internal constant _ENABLED = 1;
    uint8 internal constant _CANCELABLE = 2;
    uint8 internal constant _AUTO_COMPLETE = 4;
    uint8 internal constant _RESTRICTED_BY_OFFER_ID = 8;
    uint8 internal constant _RESTRICTED_TO_ACCOUNTS = 16;

    /// @dev An offer in storage, four words:
    ///   word0  provider (160) | offerType (8) | subType (8) | flags (8) | allowedTypesMask (8)
    ///          | infoBlock (40) | version (24)                                     256 bits
    ///   word1  contentHash (never written for a TEE or Storage offer without one)
    ///   word2  infoHash
    ///   word3  the head of the slot id list, which `Slots` keeps (written by the first slot)
    /// Creating an offer writes words 0–2 only. word0 is what a workflow reads (word1 too for a
    /// Solution input). Block numbers fit 40 bits for thousands of years; 2^24 versions of one
    /// offer would cost more gas than any chain will ever spend (the increment is checked).
    struct OfferData {
        address provider;
        OfferType offerType;
        uint8 subType;
        uint8 flags;
        uint8 allowedTypesMask;
        uint40 infoBlock;
        uint24 version;
        bytes32 contentHash;
        bytes32 infoHash;
        SlotListHead slots;
    }

    /// @dev The first ids of an offer's slot list and its length, in one word; the rest of the list
    /// is in `Slots`' chunks. `Slots` owns this word.
    struct SlotListHead {
        uint32 count;
        uint40 id0;
        uint40 id1;
        uint40 id2;
        uint40 id3;
        uint40 id4;
    }

    /// @dev Ids per chunk word of a list of 40-bit ids.
    uint256 internal constant _IDS_PER_CHUNK = 6;

    /// @dev Offers by id.
    mapping(uint256 offerId => OfferData) private _offers;

    /// @dev Restriction by id: `_allowedOffers[x][y]` when offer `x` may be combined with offer `y`.
    mapping(uint256 offerId => mapping(uint256 otherOfferId => bool allowed)) private _allowedOffers;

    /// @dev Allowed accounts: `_allowedAccounts[x][a]` when account `a` may order offer `x`.
    mapping(uint256 offerId => mapping(address account => bool allowed)) private _allowedAccounts;

    /// @dev Each provider's offer ids in creation order, six per word: index `i` is element `i % 6`
    /// of chunk `i / 6`. The length is the provider's `offerCount`.
    mapping(address authority => mapping(uint256 chunk => uint40[_IDS_PER_CHUNK] offerIds))
        private _providerOfferChunks;

    /// @dev Number of offers ever created. Declared last so that it shares its word with the slot
    /// counter that `Slots` declares first (one warm word for both counters).
    uint40 private _offerCount;

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
        // Checked: 2^40 offers would cost more gas than any chain will ever spend.
        uint40 newOfferId = _offerCount + 1;
        for (uint256 i = 0; i < params.allowedOfferIds.length; ++i) {
            uint256 otherOfferId = params.allowedOfferIds[i];
            require(otherOfferId != 0 && otherOfferId < newOfferId, OfferNotFound(otherOfferId));
        }

        _offerCount = newOfferId;
        offerId = newOfferId;
        _writeRestrictions(offerId, params.allowedOfferIds, params.allowedAccounts);
        OfferData storage offer = _offers[offerId];
        // word0 packed whole and stored at once (a field-by-field write costs a read and a write per
        // field), at the offsets of OfferData's declaration order. Block numbers fit 40 bits.
        uint256 word0 =
            uint256(uint160(msg.sender)) |
                (uint256(params.offerType) << 160) |
                (uint256(params.subType) << 168) |
                (uint256(_creationFlags(params)) << 176) |
                (uint256(_typesMask(params.allowedOfferTypes)) << 184) |
                (uint256(uint40(block.number)) << 192) |
                (1 << 232);
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            sstore(offer.slot, word0)
        }
        // No zero-word write: a TEE or Storage offer without content leaves word1 untouched.
        if (params.contentHash != bytes32(0)) offer.contentHash = params.contentHash;
        offer.infoHash = keccak256(params.info);
        _appendProviderOffer(msg.sender, newOfferId);
        _emitOfferCreated(offerId, params.offerType);
    }

    /// @inheritdoc IOffers
    function updateOfferInfo(uint256 offerId, bytes calldata info) external {
        OfferData storage offer = _providerOffer(offerId);
        SizeCaps.check(info, MAX_OFFER_INFO_SIZE, "info");
        offer.infoHash = keccak256(info);
        // Narrowing cast: block numbers fit 40 bits (see OfferData).
        offer.infoBlock = uint40(block.number);
        emit OfferInfoUpdated(offerId, info);
    }

    /// @inheritdoc IOffers
    function setOfferEnabled(uint256 offerId, bool enabled) external {
        OfferData storage offer = _providerOffer(offerId);
        offer.flags = enabled ? offer.flags | _ENABLED : offer.flags & ~_ENABLED;
        emit OfferEnabledSet(offerId, enabled);
    }

    /// @inheritdoc IOffers
    function newOfferVersion(uint256 offerId, bytes32 contentHash, bytes calldata info) external {
        OfferData storage offer = _providerOffer(offerId);
        _checkContentHash(offer.offerType, contentHash);
        SizeCaps.check(info, MAX_OFFER_INFO_SIZE, "info");
        // Checked: reverts after 2^24 - 1 versions (see OfferData).
        uint24 version = offer.version + 1;
        offer.contentHash = contentHash;
        offer.infoHash = keccak256(info);
        // Narrowing cast: block numbers fit 40 bits (see OfferData).
        offer.infoBlock = uint40(block.number);
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
    function getOffers(uint256 firstOfferId, uint256 limit) external view returns (Offer[] memory offers) {
        uint256 count = _offerCount;
        uint256 start = firstOfferId == 0 ? 1 : firstOfferId;
        if (start > count) return offers;
        if (limit > MAX_PAGE_SIZE) limit = MAX_PAGE_SIZE;
        uint256 available = count - start + 1;
        offers = new Offer[](limit < available ? limit : available);
        for (uint256 i = 0; i < offers.length; ++i) {
            offers[i] = _toOffer(_offers[start + i]);
        }
    }

    /// @inheritdoc IOffers
    function offersOfProvider(
        address authority,
        uint256 offset,
        uint256 limit
    ) external view returns (uint256[] memory offerIds) {
        uint256 count = _providerOfferCount(authority);
        uint256 available = offset < count ? count - offset : 0;
        if (limit > MAX_ID_PAGE_SIZE) limit = MAX_ID_PAGE_SIZE;
        offerIds = new uint256[](limit < available ? limit : available);
        mapping(uint256 chunk => uint40[_IDS_PER_CHUNK]) storage chunks = _providerOfferChunks[authority];
        for (uint256 i = 0; i < offerIds.length; ++i) {
            uint256 index = offset + i;
            offerIds[i] = chunks[index / _IDS_PER_CHUNK][index % _IDS_PER_CHUNK];
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
                offer.flags & _RESTRICTED_BY_OFFER_ID != 0,
                otherOfferId,
                otherType
            );
    }

    /// @inheritdoc IOffers
    function isAccountAllowed(uint256 offerId, address account) external view returns (bool) {
        return _accountAllowed(offerId, _offer(offerId).flags, account);
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
    /// @param flags The offer's flags (whether it has an allowed-account list).
    /// @param account The would-be consumer.
    /// @return True when the offer has no list or lists `account`.
    function _accountAllowed(uint256 offerId, uint8 flags, address account) internal view returns (bool) {
        return flags & _RESTRICTED_TO_ACCOUNTS == 0 || _allowedAccounts[offerId][account];
    }

    /// @notice The mask bit of an offer type.
    /// @param offerType The type.
    /// @return `1 << offerType`.
    function _typeBit(OfferType offerType) internal pure returns (uint8) {
        // Cannot truncate: OfferType has 4 values, so the shift is at most 3.
        return uint8(1 << uint8(offerType));
    }

    /// @notice Builds the view of a stored offer.
    /// @param offer The stored offer.
    /// @return The view.
    function _toOffer(OfferData storage offer) private view returns (Offer memory) {
        uint8 flags = offer.flags;
        return
            Offer({
                provider: offer.provider,
                offerType: offer.offerType,
                subType: offer.subType,
                enabled: flags & _ENABLED != 0,
                cancelable: flags & _CANCELABLE != 0,
                autoComplete: flags & _AUTO_COMPLETE != 0,
                allowedTypesMask: offer.allowedTypesMask,
                restrictedByOfferId: flags & _RESTRICTED_BY_OFFER_ID != 0,
                restrictedToAccounts: flags & _RESTRICTED_TO_ACCOUNTS != 0,
                version: offer.version,
                infoBlock: offer.infoBlock,
                contentHash: offer.contentHash,
                infoHash: offer.infoHash
            });
    }

    /// @notice The flags of a new offer: enabled, and what its parameters declare.
    /// @param params The offer's parameters.
    /// @return flags The `OfferData.flags` bits.
    function _creationFlags(OfferParams calldata params) private pure returns (uint8 flags) {
        flags = _ENABLED;
        if (params.cancelable) flags |= _CANCELABLE;
        if (params.resultResource.length != 0) flags |= _AUTO_COMPLETE;
        if (params.allowedOfferIds.length != 0) flags |= _RESTRICTED_BY_OFFER_ID;
        if (params.allowedAccounts.length != 0) flags |= _RESTRICTED_TO_ACCOUNTS;
    }

    /// @notice Emits `OfferCreated` for the caller's new offer, the call's own parameters as its data.
    /// @dev `createOffer(OfferParams)`'s calldata after the selector is an ABI encoding of
    /// `(OfferParams)`, which is the event's data: copying it costs a fraction of re-encoding the
    /// struct (2.3k gas less). A decoder of the event reads the same offsets and lengths the
    /// contract decoded, so the event never shows other parameters than the ones the contract
    /// checked and stored: a non-canonical encoding (another offset, words in between or after the
    /// end) decodes to the same values, and a field the contract would refuse (an enum out of range,
    /// dirty bits in a bool, a uint8 or an address, a length past the end) reverted on the way in.
    /// Holds while `createOffer` takes that one parameter.
    /// @param offerId The new offer.
    /// @param offerType Its type.
    function _emitOfferCreated(uint256 offerId, OfferType offerType) private {
        bytes32 topic = OfferCreated.selector;
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            let size := sub(calldatasize(), 4)
            let data := mload(0x40)
            calldatacopy(data, 4, size)
            log4(data, size, topic, offerId, caller(), offerType)
        }
    }

    /// @notice Appends an offer to its provider's list.
    /// @param authority The provider's authority.
    /// @param offerId The new offer.
    function _appendProviderOffer(address authority, uint40 offerId) private {
        uint256 index = _countProviderOffer(authority);
        _providerOfferChunks[authority][index / _IDS_PER_CHUNK][index % _IDS_PER_CHUNK] = offerId;
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
}
