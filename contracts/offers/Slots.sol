// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";

import {MAX_PAGE_SIZE, MAX_SLOT_MINUTES, PriceType} from "../interfaces/MarketplaceTypes.sol";
import {ISlots} from "../interfaces/ISlots.sol";
import {SlotPricing} from "../libraries/SlotPricing.sol";
import {Offers} from "./Offers.sol";

/// @title Slots
/// @notice Slots of offers: resources, price and time limits. Each offer keeps the list of its slot
/// ids; a slot counts the open orders that use it and cannot change while that count is not zero.
/// A workflow reserves a slot only with the hash of the usage terms its consumer saw.
/// @dev A slot exists when its `exists` flag is set. Slot ids are shared by all offers and start at 1.
abstract contract Slots is Offers, ISlots {
    /* STORAGE */

    /// @dev Number of slots ever added. Declared first so that it shares its word with `_offerCount`,
    /// declared last in `Offers` (one warm word for both counters).
    uint40 private _slotCount;

    /// @dev A slot in storage, three words:
    ///   word0  offerId (40) | price (96) | minTimeMinutes (24) | maxTimeMinutes (24)
    ///          | openOrders (24) | index (24) | priceType (8) | exists (8)          248 bits
    ///   word1  info: cpuCores (32) | gpuCores (32) | diskUsage (64) | ram (64) | vram (64)
    ///   word2  bandwidth (64) | traffic (64) | externalPort (32)                    160 bits
    /// word0 is everything a workflow reads and writes (terms, the open-order count): reserving a
    /// slot reads one cold word and rewrites it warm. Adding a slot writes word1 and word2 only when
    /// they are not zero. `index` is the slot's position in its offer's slot id list. Times are at
    /// most MAX_SLOT_MINUTES (checked), so 24 bits hold them; 2^24 open orders on one slot, or slots
    /// in one offer, would cost more gas than any chain will ever spend (both are checked).
    struct SlotData {
        uint40 offerId;
        uint96 price;
        uint24 minTimeMinutes;
        uint24 maxTimeMinutes;
        uint24 openOrders;
        uint24 index;
        PriceType priceType;
        bool exists;
        SlotInfo info;
        uint64 bandwidth;
        uint64 traffic;
        uint32 externalPort;
    }

    /// @dev Slots by id.
    mapping(uint256 slotId => SlotData) private _slots;

    /// @dev Each offer's slot id list beyond the 5 ids of its head word (`Offers.SlotListHead`):
    /// index `i` (from 5 on) is element `(i - 5) % 6` of chunk `(i - 5) / 6`.
    mapping(uint256 offerId => mapping(uint256 chunk => uint40[_IDS_PER_CHUNK] slotIds))
        private _slotIdChunks;

    /// @dev Slot ids kept in an offer's head word.
    uint256 private constant _HEAD_IDS = 5;

    /// @dev Where SlotData's fields sit in word0: Solidity packs a struct's fields from the low bits
    /// in declaration order (offerId at bit 0). Every workflow test reads them: a wrong offset fails
    /// the existence check, the offer check, the terms hash or the open-order counts.
    uint256 private constant _PRICE_BIT = 40;
    uint256 private constant _MIN_TIME_BIT = 136;
    uint256 private constant _MAX_TIME_BIT = 160;
    uint256 private constant _OPEN_ORDERS_BIT = 184;
    uint256 private constant _PRICE_TYPE_BIT = 232;
    uint256 private constant _EXISTS_BIT = 240;

    /* PROVIDER */

    /// @inheritdoc ISlots
    function addSlot(
        uint256 offerId,
        SlotInfo calldata info,
        SlotUsage calldata usage,
        OptionInfo calldata option
    ) external returns (uint256 slotId) {
        OfferData storage offer = _providerOffer(offerId);
        _checkTime(usage);

        uint32 index = offer.slots.count;
        // Checked: 2^40 slots would cost more gas than any chain will ever spend.
        uint40 id = _slotCount + 1;
        _slotCount = id;
        // Checked: 2^32 slots of one offer likewise.
        offer.slots.count = index + 1;
        _setSlotIdAt(offer, offerId, index, id);
        // Cannot truncate: the offer exists, so offerId <= offerCount, a uint40.
        _writeSlot(id, uint40(offerId), SafeCast.toUint24(index), info, usage, option, false);
        emit SlotAdded(id, offerId, info, usage, option);
        return id;
    }

    /// @inheritdoc ISlots
    function updateSlot(
        uint256 slotId,
        SlotInfo calldata info,
        SlotUsage calldata usage,
        OptionInfo calldata option
    ) external {
        SlotData storage slot = _unusedProviderSlot(slotId);
        _checkTime(usage);
        uint40 offerId = slot.offerId;
        _writeSlot(slotId, offerId, slot.index, info, usage, option, true);
        emit SlotUpdated(slotId, offerId, info, usage, option);
    }

    /// @inheritdoc ISlots
    function removeSlot(uint256 slotId) external {
        SlotData storage slot = _unusedProviderSlot(slotId);
        uint40 offerId = slot.offerId;
        OfferData storage offer = _offer(offerId);

        // Swap and pop: the last id of the list takes the removed one's place.
        uint32 last = offer.slots.count - 1;
        uint24 index = slot.index;
        if (index != last) {
            uint40 movedId = _slotIdAt(offer, offerId, last);
            _setSlotIdAt(offer, offerId, index, movedId);
            _slots[movedId].index = index;
        }
        _setSlotIdAt(offer, offerId, last, 0);
        offer.slots.count = last;
        delete _slots[slotId];
        emit SlotRemoved(slotId, offerId);
    }

    /* VIEWS */

    /// @inheritdoc ISlots
    function getSlot(uint256 slotId) external view returns (Slot memory) {
        SlotData storage slot = _slot(slotId);
        return
            Slot({
                offerId: slot.offerId,
                openOrders: slot.openOrders,
                info: slot.info,
                usage: _usage(slot),
                option: OptionInfo({
                    bandwidth: slot.bandwidth,
                    traffic: slot.traffic,
                    externalPort: slot.externalPort
                })
            });
    }

    /// @inheritdoc ISlots
    function offerSlotCount(uint256 offerId) external view returns (uint256) {
        return _offer(offerId).slots.count;
    }

    /// @inheritdoc ISlots
    /// @dev `limit` is capped at `MAX_PAGE_SIZE`.
    function getOfferSlotIds(
        uint256 offerId,
        uint256 offset,
        uint256 limit
    ) external view returns (uint256[] memory slotIds) {
        OfferData storage offer = _offer(offerId);
        uint256 count = offer.slots.count;
        uint256 available = offset < count ? count - offset : 0;
        if (limit > MAX_PAGE_SIZE) limit = MAX_PAGE_SIZE;
        slotIds = new uint256[](limit < available ? limit : available);
        for (uint256 i = 0; i < slotIds.length; ++i) {
            slotIds[i] = _slotIdAt(offer, offerId, offset + i);
        }
    }

    /// @inheritdoc ISlots
    function slotMinCost(uint256 slotId) external view returns (uint256) {
        return SlotPricing.minCost(_usage(_slot(slotId)));
    }

    /// @inheritdoc ISlots
    function slotTermsHash(uint256 slotId) external view returns (bytes32) {
        return SlotPricing.termsHash(_usage(_slot(slotId)));
    }

    /* INTERNAL */

    /// @notice Reserves a slot for a workflow: checks that it exists, belongs to the offer and has the
    /// terms the consumer saw, and counts one more open order on it.
    /// @param slotId The slot.
    /// @param offerId The offer it was named with.
    /// @param termsHash The terms hash the consumer saw (`slotTermsHash`).
    /// @return minCost The slot's min cost.
    function _reserveSlot(
        uint256 slotId,
        uint256 offerId,
        bytes32 termsHash
    ) internal returns (uint256 minCost) {
        SlotData storage slot = _slots[slotId];
        uint256 word = _termsWord(slot, slotId);
        require(uint40(word) == offerId, SlotNotInOffer(slotId, offerId));
        SlotUsage memory usage = _usageIn(word);
        bytes32 actual = SlotPricing.termsHash(usage);
        require(actual == termsHash, SlotTermsChanged(slotId, termsHash, actual));
        // Checked: reverts at 2^24 open orders on one slot (see SlotData).
        _storeOpenOrders(slot, word, uint24(word >> _OPEN_ORDERS_BIT) + 1);
        return SlotPricing.minCost(usage);
    }

    /// @notice Counts one open order less on a slot and returns what settling it needs.
    /// @dev Reverts (arithmetic underflow) when the slot has no open order: the Orders contract
    /// releases only what it reserved.
    /// @param slotId The slot.
    /// @return offerId The slot's offer.
    /// @return usage The slot's price and time limits.
    function _releaseSlot(uint256 slotId) internal returns (uint256 offerId, SlotUsage memory usage) {
        SlotData storage slot = _slots[slotId];
        uint256 word = _termsWord(slot, slotId);
        // Checked: reverts when the slot has no open order.
        _storeOpenOrders(slot, word, uint24(word >> _OPEN_ORDERS_BIT) - 1);
        return (uint40(word), _usageIn(word));
    }

    /// @notice A slot's word0 (offer, terms, open orders: see SlotData), read once where a workflow
    /// needs several of its fields: a read per field would cost 100 gas each.
    /// @param slot The stored slot.
    /// @param slotId Its id, for the error.
    /// @return word The word; reverts with `SlotNotFound` when the slot does not exist.
    function _termsWord(SlotData storage slot, uint256 slotId) private view returns (uint256 word) {
        word = _word0(slot);
        require((word >> _EXISTS_BIT) & 0xff != 0, SlotNotFound(slotId));
    }

    /// @notice A slot's word0, as stored (see SlotData).
    /// @param slot The stored slot.
    /// @return word The word.
    function _word0(SlotData storage slot) private view returns (uint256 word) {
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            word := sload(slot.slot)
        }
    }

    /// @notice Writes a slot's open-order count into its word0 as already read: one write, where a
    /// field write would read the word again.
    /// @param slot The stored slot.
    /// @param word Its word0, as read.
    /// @param openOrders The new count.
    function _storeOpenOrders(SlotData storage slot, uint256 word, uint24 openOrders) private {
        uint256 updated =
            (word & ~(uint256(type(uint24).max) << _OPEN_ORDERS_BIT)) |
                (uint256(openOrders) << _OPEN_ORDERS_BIT);
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            sstore(slot.slot, updated)
        }
    }

    /// @notice The usage terms in a slot's word0 (offsets of SlotData's declaration order).
    /// @param word The word.
    /// @return The usage.
    function _usageIn(uint256 word) private pure returns (SlotUsage memory) {
        return
            SlotUsage({
                price: uint96(word >> _PRICE_BIT),
                priceType: PriceType(uint8(word >> _PRICE_TYPE_BIT)),
                minTimeMinutes: uint24(word >> _MIN_TIME_BIT),
                maxTimeMinutes: uint24(word >> _MAX_TIME_BIT)
            });
    }

    /// @notice The stored slot `slotId`; reverts with `SlotNotFound` when there is none.
    /// @param slotId The slot.
    /// @return slot Its storage.
    function _slot(uint256 slotId) private view returns (SlotData storage slot) {
        slot = _slots[slotId];
        require(slot.exists, SlotNotFound(slotId));
    }

    /// @notice The stored slot `slotId`, when the caller is its offer's provider authority and no
    /// open order uses it.
    /// @param slotId The slot.
    /// @return slot Its storage; reverts with `SlotNotFound`, `OfferCallerNotProvider` or `SlotInUse`.
    function _unusedProviderSlot(uint256 slotId) private view returns (SlotData storage slot) {
        slot = _slot(slotId);
        _providerOffer(slot.offerId);
        uint24 openOrders = slot.openOrders;
        require(openOrders == 0, SlotInUse(slotId, openOrders));
    }

    /// @notice Stores a slot's terms. A new slot's zero words are not written (they are zero
    /// already); an update rewrites every word.
    /// @param slotId The slot.
    /// @param offerId Its offer.
    /// @param index Its position in the offer's slot id list.
    /// @param info Resources.
    /// @param usage Price and time limits.
    /// @param option Network options.
    /// @param overwrite Whether the slot existed (an update).
    function _writeSlot(
        uint256 slotId,
        uint40 offerId,
        uint24 index,
        SlotInfo calldata info,
        SlotUsage calldata usage,
        OptionInfo calldata option,
        bool overwrite
    ) private {
        SlotData storage slot = _slots[slotId];
        slot.offerId = offerId;
        slot.price = usage.price;
        // Narrowing casts: _checkTime capped both at MAX_SLOT_MINUTES (see SlotData).
        slot.minTimeMinutes = uint24(usage.minTimeMinutes);
        slot.maxTimeMinutes = uint24(usage.maxTimeMinutes);
        slot.index = index;
        slot.priceType = usage.priceType;
        slot.exists = true;
        bool hasInfo =
            info.cpuCores != 0 ||
                info.gpuCores != 0 ||
                info.diskUsage != 0 ||
                info.ram != 0 ||
                info.vram != 0;
        if (overwrite || hasInfo) slot.info = info;
        if (overwrite || option.bandwidth != 0 || option.traffic != 0 || option.externalPort != 0) {
            slot.bandwidth = option.bandwidth;
            slot.traffic = option.traffic;
            slot.externalPort = option.externalPort;
        }
    }

    /// @notice Reverts with `SlotInvalidTime` when a time exceeds `MAX_SLOT_MINUTES` or a maximum is
    /// set and below the minimum.
    /// @param usage The slot's price and time limits.
    function _checkTime(SlotUsage calldata usage) private pure {
        uint32 minTime = usage.minTimeMinutes;
        uint32 maxTime = usage.maxTimeMinutes;
        bool valid =
            minTime <= MAX_SLOT_MINUTES &&
                maxTime <= MAX_SLOT_MINUTES &&
                (maxTime == 0 || minTime <= maxTime);
        require(valid, SlotInvalidTime(minTime, maxTime));
    }

    /// @notice A slot's price and time limits.
    /// @param slot The stored slot.
    /// @return The usage.
    function _usage(SlotData storage slot) private view returns (SlotUsage memory) {
        return _usageIn(_word0(slot));
    }

    /// @notice The slot id at `index` of an offer's list.
    /// @param offer The stored offer.
    /// @param offerId Its id.
    /// @param index The position, below the offer's slot count.
    /// @return The slot id.
    function _slotIdAt(
        OfferData storage offer,
        uint256 offerId,
        uint256 index
    ) private view returns (uint40) {
        if (index >= _HEAD_IDS) {
            uint256 rest = index - _HEAD_IDS;
            return _slotIdChunks[offerId][rest / _IDS_PER_CHUNK][rest % _IDS_PER_CHUNK];
        }
        SlotListHead storage head = offer.slots;
        if (index == 0) return head.id0;
        if (index == 1) return head.id1;
        if (index == 2) return head.id2;
        if (index == 3) return head.id3;
        return head.id4;
    }

    /// @notice Writes the slot id at `index` of an offer's list.
    /// @param offer The stored offer.
    /// @param offerId Its id.
    /// @param index The position.
    /// @param slotId The slot id (zero to clear).
    function _setSlotIdAt(OfferData storage offer, uint256 offerId, uint256 index, uint40 slotId) private {
        if (index >= _HEAD_IDS) {
            uint256 rest = index - _HEAD_IDS;
            _slotIdChunks[offerId][rest / _IDS_PER_CHUNK][rest % _IDS_PER_CHUNK] = slotId;
            return;
        }
        SlotListHead storage head = offer.slots;
        if (index == 0) head.id0 = slotId;
        else if (index == 1) head.id1 = slotId;
        else if (index == 2) head.id2 = slotId;
        else if (index == 3) head.id3 = slotId;
        else head.id4 = slotId;
    }
}
