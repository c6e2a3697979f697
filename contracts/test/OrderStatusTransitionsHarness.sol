// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {OrderStatus, OrderStatusTransitions} from "../libraries/OrderStatusTransitions.sol";

/// @title OrderStatusTransitionsHarness
/// @notice Test-only: exposes the internal transition table so TypeScript tests can call it.
contract OrderStatusTransitionsHarness {
    /// @notice See `OrderStatusTransitions.canTransition`.
    /// @param from Current status.
    /// @param to Requested status.
    /// @return Whether the table allows the write.
    function canTransition(OrderStatus from, OrderStatus to) external pure returns (bool) {
        return OrderStatusTransitions.canTransition(from, to);
    }

    /// @notice See `OrderStatusTransitions.isTerminal`.
    /// @param status The status to classify.
    /// @return Whether nothing may leave `status`.
    function isTerminal(OrderStatus status) external pure returns (bool) {
        return OrderStatusTransitions.isTerminal(status);
    }
}
