// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {PriceType} from "./MarketplaceTypes.sol";

/// @title ISlots
/// @notice Slots of an offer: the resources it provides, its price and its time limits. A
/// workflow names one slot per offer; the slot's terms are what the order pays.
/// @dev A workflow names, for each slot, the hash of the usage terms the consumer saw
/// (`slotTermsHash`), and is refused with `SlotTermsChanged` when the slot's terms differ: a provider
/// cannot reprice a slot between the consumer's read and the workflow's creation.
/// @dev Warning: a slot used by an open order can be neither updated nor removed, so the terms an
/// order was created with are the terms it settles with. Resource figures are declared by the
/// provider and not checked on-chain.
interface ISlots {
    /// @notice Resources of a slot. `diskUsage`, `ram` and `vram` are in bytes.
    /// @param cpuCores CPU cores.
    /// @param gpuCores GPU cores.
    /// @param diskUsage Disk, in bytes.
    /// @param ram Memory, in bytes.
    /// @param vram GPU memory, in bytes.
    struct SlotInfo {
        uint32 cpuCores;
        uint32 gpuCores;
        uint64 diskUsage;
        uint64 ram;
        uint64 vram;
    }

    /// @notice Price and time limits of a slot.
    /// @param price Price in payment-token base units: per hour or fixed, per `priceType`.
    /// @param priceType How `price` is charged.
    /// @param minTimeMinutes Time always charged for (PerHour), and the least an order runs; at most
    /// `MAX_SLOT_MINUTES`.
    /// @param maxTimeMinutes Most time charged for; 0 means no maximum; at most `MAX_SLOT_MINUTES`.
    /// A Processing order whose provider has not completed it after this time can be refunded by
    /// its consumer.
    struct SlotUsage {
        uint96 price;
        PriceType priceType;
        uint32 minTimeMinutes;
        uint32 maxTimeMinutes;
    }

    /// @notice Network options of a slot.
    /// @param bandwidth Bandwidth, in bits per second.
    /// @param traffic Traffic, in bytes.
    /// @param externalPort Number of external ports.
    struct OptionInfo {
        uint64 bandwidth;
        uint64 traffic;
        uint32 externalPort;
    }

    /// @notice A slot as stored.
    /// @param offerId The offer it belongs to.
    /// @param openOrders Number of open (non-terminal) orders using it.
    /// @param info Resources.
    /// @param usage Price and time limits.
    /// @param option Network options.
    struct Slot {
        uint256 offerId;
        uint256 openOrders;
        SlotInfo info;
        SlotUsage usage;
        OptionInfo option;
    }

    /// @notice No slot has this id (or it was removed).
    /// @param slotId The id.
    error SlotNotFound(uint256 slotId);

    /// @notice The slot belongs to another offer.
    /// @param slotId The slot.
    /// @param offerId The offer it was named with.
    error SlotNotInOffer(uint256 slotId, uint256 offerId);

    /// @notice The slot is used by open orders, so its terms cannot change.
    /// @param slotId The slot.
    /// @param openOrders Number of open orders using it.
    error SlotInUse(uint256 slotId, uint256 openOrders);

    /// @notice The minimum time exceeds the maximum, or either exceeds `MAX_SLOT_MINUTES`.
    /// @param minTimeMinutes The minimum.
    /// @param maxTimeMinutes The maximum (0 = none).
    error SlotInvalidTime(uint32 minTimeMinutes, uint32 maxTimeMinutes);

    /// @notice A slot's usage terms are not the ones the consumer saw.
    /// @param slotId The slot.
    /// @param expected The terms hash the consumer named.
    /// @param actual The slot's terms hash now.
    error SlotTermsChanged(uint256 slotId, bytes32 expected, bytes32 actual);

    /// @notice A slot was added to an offer.
    /// @param slotId The new slot's id.
    /// @param offerId Its offer.
    /// @param info Resources.
    /// @param usage Price and time limits.
    /// @param option Network options.
    event SlotAdded(
        uint256 indexed slotId,
        uint256 indexed offerId,
        SlotInfo info,
        SlotUsage usage,
        OptionInfo option
    );

    /// @notice A slot's terms changed.
    /// @param slotId The slot.
    /// @param offerId Its offer.
    /// @param info Resources.
    /// @param usage Price and time limits.
    /// @param option Network options.
    event SlotUpdated(
        uint256 indexed slotId,
        uint256 indexed offerId,
        SlotInfo info,
        SlotUsage usage,
        OptionInfo option
    );

    /// @notice A slot was removed.
    /// @param slotId The slot.
    /// @param offerId Its offer.
    event SlotRemoved(uint256 indexed slotId, uint256 indexed offerId);

    /// @notice Adds a slot to an offer. Provider authority only.
    /// @param offerId The offer.
    /// @param info Resources.
    /// @param usage Price and time limits.
    /// @param option Network options.
    /// @return slotId The new slot's id (ids start at 1, shared by all offers).
    function addSlot(
        uint256 offerId,
        SlotInfo calldata info,
        SlotUsage calldata usage,
        OptionInfo calldata option
    ) external returns (uint256 slotId);

    /// @notice Replaces a slot's terms. Provider authority only; not while open orders use it.
    /// @param slotId The slot.
    /// @param info Resources.
    /// @param usage Price and time limits.
    /// @param option Network options.
    function updateSlot(
        uint256 slotId,
        SlotInfo calldata info,
        SlotUsage calldata usage,
        OptionInfo calldata option
    ) external;

    /// @notice Removes a slot. Provider authority only; not while open orders use it.
    /// @param slotId The slot.
    function removeSlot(uint256 slotId) external;

    /// @notice A slot.
    /// @param slotId The slot.
    /// @return The slot; reverts with `SlotNotFound` when there is none.
    function getSlot(uint256 slotId) external view returns (Slot memory);

    /// @notice Number of slots an offer has.
    /// @param offerId The offer.
    /// @return The count.
    function offerSlotCount(uint256 offerId) external view returns (uint256);

    /// @notice A page of an offer's slot ids (in no particular order: removal moves the last
    /// slot into the freed place).
    /// @param offerId The offer.
    /// @param offset Index of the first id returned.
    /// @param limit Largest number of ids returned.
    /// @return slotIds The ids.
    function getOfferSlotIds(
        uint256 offerId,
        uint256 offset,
        uint256 limit
    ) external view returns (uint256[] memory slotIds);

    /// @notice The hash a workflow names for this slot: `keccak256(abi.encode(price, priceType,
    /// minTimeMinutes, maxTimeMinutes))` of its usage terms.
    /// @param slotId The slot.
    /// @return The terms hash.
    function slotTermsHash(uint256 slotId) external view returns (bytes32);

    /// @notice Least cost of an order on this slot: Fixed → price; PerHour → price ×
    /// minTimeMinutes / 60 (rounded down).
    /// @param slotId The slot.
    /// @return The cost in payment-token base units.
    function slotMinCost(uint256 slotId) external view returns (uint256);
}
