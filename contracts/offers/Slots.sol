// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {MAX_PAGE_SIZE} from "../interfaces/IOrders.sol";
import {ISlots, PriceType} from "../interfaces/ISlots.sol";
import {Offers} from "./Offers.sol";

/// @title Slots
/// @notice Slots of offers: resources, price and time limits. Each offer keeps the list of its slot
/// ids; a slot counts the open orders that use it and cannot change while that count is not zero.
/// @dev A slot exists when its `exists` flag is set. Slot ids are shared by all offers and start at 1.
abstract contract Slots is Offers, ISlots {
    /* STORAGE */

    /// @dev Number of slots ever added. Declared first so that it shares its word with `_offerCount`,
    /// declared last in `Offers` (one warm word for both counters).
    uint64 private _slotCount;

    /// @dev A slot in storage, three words:
    ///   word0  offerId (64) | price (128) | minTimeMinutes (32) | maxTimeMinutes (32)    256 bits
    ///   word1  info: cpuCores (32) | gpuCores (32) | diskUsage (64) | ram (64) | vram (64)  256 bits
    ///   word2  exists (8) | priceType (8) | openOrders (32) | index (32) | bandwidth (64)
    ///          | traffic (64) | externalPort (32)                                          240 bits
    /// `index` is the slot's position in its offer's slot id list. `exists` also keeps word2
    /// non-zero, so counting an open order rewrites a word instead of allocating one.
    struct SlotData {
        uint64 offerId;
        uint128 price;
        uint32 minTimeMinutes;
        uint32 maxTimeMinutes;
        SlotInfo info;
        bool exists;
        PriceType priceType;
        uint32 openOrders;
        uint32 index;
        uint64 bandwidth;
        uint64 traffic;
        uint32 externalPort;
    }

    /// @dev Slots by id.
    mapping(uint256 slotId => SlotData) private _slots;

    /// @dev Each offer's slot id list, from index 2 on (indexes 0 and 1 are in the offer's word3, see
    /// `Offers.OfferData`): index `i` is element `(i - 2) % 4` of chunk `(i - 2) / 4`, four ids per
    /// word. The length is the offer's `slotCount`. Adding the 3rd, 7th, 11th... slot of an offer
    /// allocates a chunk word; the others write into a word that exists.
    mapping(uint256 offerId => mapping(uint256 chunk => uint64[4] slotIds)) private _slotIdChunks;

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

        uint32 index = offer.slotCount;
        // Cannot overflow: 2^64 slots would cost more gas than any chain will ever spend.
        uint64 id = _slotCount + 1;
        _slotCount = id;
        offer.slotCount = index + 1;
        _setSlotIdAt(offer, offerId, index, id);
        // Cannot truncate: the offer exists, so offerId <= offerCount, a uint64.
        _writeSlot(id, uint64(offerId), index, info, usage, option);
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
        uint64 offerId = slot.offerId;
        _writeSlot(slotId, offerId, slot.index, info, usage, option);
        emit SlotUpdated(slotId, offerId, info, usage, option);
    }

    /// @inheritdoc ISlots
    function removeSlot(uint256 slotId) external {
        SlotData storage slot = _unusedProviderSlot(slotId);
        uint64 offerId = slot.offerId;
        OfferData storage offer = _offer(offerId);

        // Swap and pop: the last id of the list takes the removed one's place.
        uint32 last = offer.slotCount - 1;
        uint32 index = slot.index;
        if (index != last) {
            uint64 movedId = _slotIdAt(offer, offerId, last);
            _setSlotIdAt(offer, offerId, index, movedId);
            _slots[movedId].index = index;
        }
        _setSlotIdAt(offer, offerId, last, 0);
        offer.slotCount = last;
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
        return _offer(offerId).slotCount;
    }

    /// @inheritdoc ISlots
    /// @dev `limit` is capped at `MAX_PAGE_SIZE`.
    function getOfferSlotIds(
        uint256 offerId,
        uint256 offset,
        uint256 limit
    ) external view returns (uint256[] memory slotIds) {
        OfferData storage offer = _offer(offerId);
        uint256 count = offer.slotCount;
        uint256 available = offset < count ? count - offset : 0;
        if (limit > MAX_PAGE_SIZE) limit = MAX_PAGE_SIZE;
        if (limit > available) limit = available;
        slotIds = new uint256[](limit);
        for (uint256 i = 0; i < limit; ++i) {
            slotIds[i] = _slotIdAt(offer, offerId, offset + i);
        }
    }

    /// @inheritdoc ISlots
    function slotMinCost(uint256 slotId) external view returns (uint256) {
        return _minCost(_slot(slotId));
    }

    /* INTERNAL */

    /// @notice Checks that a slot exists and belongs to an offer, and returns its min cost.
    /// @param slotId The slot.
    /// @param offerId The offer it was named with.
    /// @return The slot's min cost.
    function _checkOfferSlot(uint256 slotId, uint256 offerId) internal view returns (uint256) {
        SlotData storage slot = _slot(slotId);
        require(slot.offerId == offerId, SlotNotInOffer(slotId, offerId));
        return _minCost(slot);
    }

    /// @notice Counts one more open order on a slot.
    /// @param slotId An existing slot.
    function _openSlot(uint256 slotId) internal {
        ++_slots[slotId].openOrders;
    }

    /// @notice Counts one open order less on a slot and returns what settling it needs.
    /// @dev Reverts (arithmetic underflow) when the slot has no open order: the Orders contract
    /// releases only what it reserved.
    /// @param slotId The slot.
    /// @return offerId The slot's offer.
    /// @return usage The slot's price and time limits.
    function _closeSlot(uint256 slotId) internal returns (uint256 offerId, SlotUsage memory usage) {
        SlotData storage slot = _slot(slotId);
        --slot.openOrders;
        return (slot.offerId, _usage(slot));
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
        uint32 openOrders = slot.openOrders;
        require(openOrders == 0, SlotInUse(slotId, openOrders));
    }

    /// @notice Stores a slot.
    /// @param slotId The slot.
    /// @param offerId Its offer.
    /// @param index Its position in the offer's slot id list.
    /// @param info Resources.
    /// @param usage Price and time limits.
    /// @param option Network options.
    function _writeSlot(
        uint256 slotId,
        uint64 offerId,
        uint32 index,
        SlotInfo calldata info,
        SlotUsage calldata usage,
        OptionInfo calldata option
    ) private {
        _slots[slotId] = SlotData({
            offerId: offerId,
            price: usage.price,
            minTimeMinutes: usage.minTimeMinutes,
            maxTimeMinutes: usage.maxTimeMinutes,
            info: info,
            exists: true,
            priceType: usage.priceType,
            openOrders: 0,
            index: index,
            bandwidth: option.bandwidth,
            traffic: option.traffic,
            externalPort: option.externalPort
        });
    }

    /// @notice Reverts with `SlotInvalidTime` when a maximum time is set and below the minimum.
    /// @param usage The slot's price and time limits.
    function _checkTime(SlotUsage calldata usage) private pure {
        uint32 minTime = usage.minTimeMinutes;
        uint32 maxTime = usage.maxTimeMinutes;
        if (maxTime != 0 && minTime > maxTime) revert SlotInvalidTime(minTime, maxTime);
    }

    /// @notice A slot's price and time limits.
    /// @param slot The stored slot.
    /// @return The usage.
    function _usage(SlotData storage slot) private view returns (SlotUsage memory) {
        return
            SlotUsage({
                price: slot.price,
                priceType: slot.priceType,
                minTimeMinutes: slot.minTimeMinutes,
                maxTimeMinutes: slot.maxTimeMinutes
            });
    }

    /// @notice Least cost of an order on a slot: Fixed → price; PerHour → price × minTime / 60.
    /// @param slot The stored slot.
    /// @return The cost, rounded down.
    function _minCost(SlotData storage slot) private view returns (uint256) {
        if (slot.priceType == PriceType.Fixed) return slot.price;
        // Cannot overflow: a uint128 times a uint32.
        return (uint256(slot.price) * slot.minTimeMinutes) / 60;
    }

    /// @notice The slot id at `index` of an offer's list.
    /// @param offer The stored offer.
    /// @param offerId Its id.
    /// @param index The position, below the offer's `slotCount`.
    /// @return The slot id.
    function _slotIdAt(
        OfferData storage offer,
        uint256 offerId,
        uint256 index
    ) private view returns (uint64) {
        if (index == 0) return offer.slotId0;
        if (index == 1) return offer.slotId1;
        return _slotIdChunks[offerId][(index - 2) / 4][(index - 2) % 4];
    }

    /// @notice Writes the slot id at `index` of an offer's list.
    /// @param offer The stored offer.
    /// @param offerId Its id.
    /// @param index The position.
    /// @param slotId The slot id (zero to clear).
    function _setSlotIdAt(OfferData storage offer, uint256 offerId, uint256 index, uint64 slotId) private {
        if (index == 0) offer.slotId0 = slotId;
        else if (index == 1) offer.slotId1 = slotId;
        else _slotIdChunks[offerId][(index - 2) / 4][(index - 2) % 4] = slotId;
    }
}
