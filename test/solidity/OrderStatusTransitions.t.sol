// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {OrderStatus} from "../../contracts/interfaces/MarketplaceTypes.sol";
import {OrderStatusTransitions} from "../../contracts/libraries/OrderStatusTransitions.sol";

/// @title OrderStatusTransitionsTest
/// @notice Fuzz properties of the order state machine's transition table.
contract OrderStatusTransitionsTest {
    /// @notice A property of the table does not hold.
    /// @param from Status the transition starts from.
    /// @param to Status the transition goes to.
    error PropertyViolated(string property, OrderStatus from, OrderStatus to);

    uint8 private constant STATUS_COUNT = 8;

    /// @notice Done, Error and Canceled have no exit.
    /// @param fromRaw Fuzzed source status, reduced modulo the status count.
    /// @param toRaw Fuzzed target status, reduced modulo the status count.
    function testFuzzNoTransitionLeavesATerminalStatus(uint8 fromRaw, uint8 toRaw) external pure {
        OrderStatus from = OrderStatus(fromRaw % STATUS_COUNT);
        OrderStatus to = OrderStatus(toRaw % STATUS_COUNT);
        if (OrderStatusTransitions.isTerminal(from) && OrderStatusTransitions.canTransition(from, to)) {
            revert PropertyViolated("terminal status has an exit", from, to);
        }
    }

    /// @notice No status moves to itself, so every status write is a real change.
    /// @param statusRaw Fuzzed status, reduced modulo the status count.
    function testFuzzNoStatusMovesToItself(uint8 statusRaw) external pure {
        OrderStatus status = OrderStatus(statusRaw % STATUS_COUNT);
        if (OrderStatusTransitions.canTransition(status, status)) {
            revert PropertyViolated("status moves to itself", status, status);
        }
    }

    /// @notice Liveness: every open status has at least one exit, so no order is stuck.
    /// @param fromRaw Fuzzed status, reduced modulo the status count.
    function testFuzzEveryOpenStatusHasAnExit(uint8 fromRaw) external pure {
        OrderStatus from = OrderStatus(fromRaw % STATUS_COUNT);
        if (OrderStatusTransitions.isTerminal(from)) return;
        for (uint8 to = 0; to < STATUS_COUNT; ++to) {
            if (OrderStatusTransitions.canTransition(from, OrderStatus(to))) return;
        }
        revert PropertyViolated("open status has no exit", from, from);
    }
}
