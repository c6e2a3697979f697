// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

import {PriceType} from "../interfaces/MarketplaceTypes.sol";
import {ISlots} from "../interfaces/ISlots.sol";

/// @title SlotPricing
/// @notice The one pricing rule of a slot, used where a workflow is reserved (its min cost, the
/// terms hash the consumer names) and where an order is settled (its cost): both paths call these
/// functions, so what a deposit must cover and what a settlement pays cannot drift apart.
library SlotPricing {
    /// @notice What an order on the slot costs after `elapsedMinutes` of work: Fixed → the price;
    /// PerHour → price × elapsed minutes clamped to [min, max] (max 0 = none) / 60, rounded down.
    /// With 0 elapsed minutes this is the slot's min cost.
    /// @param usage The slot's price and time limits.
    /// @param elapsedMinutes Minutes the order ran.
    /// @return The cost in payment-token base units.
    function cost(ISlots.SlotUsage memory usage, uint256 elapsedMinutes) internal pure returns (uint256) {
        if (usage.priceType == PriceType.Fixed) return usage.price;
        uint256 minutes_ = Math.max(elapsedMinutes, usage.minTimeMinutes);
        if (usage.maxTimeMinutes != 0) minutes_ = Math.min(minutes_, usage.maxTimeMinutes);
        // Cannot overflow: a uint96 price times minutes that are at most an order's elapsed time.
        return (uint256(usage.price) * minutes_) / 60;
    }

    /// @notice Least cost of an order on the slot: what a deposit must cover for it.
    /// @param usage The slot's price and time limits.
    /// @return `cost(usage, 0)`.
    function minCost(ISlots.SlotUsage memory usage) internal pure returns (uint256) {
        return cost(usage, 0);
    }

    /// @notice The hash of the usage terms that a workflow names for the slot, so it is created only
    /// on the terms the consumer saw.
    /// @param usage The slot's price and time limits.
    /// @return `keccak256(abi.encode(price, priceType, minTimeMinutes, maxTimeMinutes))`.
    function termsHash(ISlots.SlotUsage memory usage) internal pure returns (bytes32) {
        return
            keccak256(abi.encode(usage.price, usage.priceType, usage.minTimeMinutes, usage.maxTimeMinutes));
    }

    /// @notice When an order on the slot started at `startedAt` reaches its deadline: its consumer
    /// may force a refund from then on, and settlement charges no time past it. An order may run for
    /// the slot's max time, or `fallbackTimeout` when it has none.
    /// @param usage The slot's price and time limits.
    /// @param startedAt When the order started.
    /// @param fallbackTimeout Seconds allowed when the slot has no max time.
    /// @return The deadline's timestamp.
    function deadline(
        ISlots.SlotUsage memory usage,
        uint256 startedAt,
        uint256 fallbackTimeout
    ) internal pure returns (uint256) {
        return startedAt + (usage.maxTimeMinutes == 0 ? fallbackTimeout : uint256(usage.maxTimeMinutes) * 60);
    }
}
