// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {OrderStatus} from "../interfaces/MarketplaceTypes.sol";

/// @title OrderStatusTransitions
/// @notice The one transition table of the order state machine. Every status write of an order
/// or a suborder is checked against `canTransition`; functions may be stricter (for example,
/// only `completeOrder` moves Processing to Done), never looser.
/// @dev The table, `from` → allowed `to`:
///   Blocked    → New (last blocking suborder Done), Canceled (consumer cancels, owner declines)
///   Suspended  → New (provider resumes), Canceled (consumer cancels)
///   New        → Processing (start), Done, Error (suborder completion), Suspended (provider
///                pauses before starting), Canceled (consumer cancels, owner declines)
///   Processing → Done, Error (completion), Canceling (consumer asks to cancel),
///                Canceled (suborder declined while processing)
///   Canceling  → Canceled (provider settles, or the consumer forces the refund after timeout)
///   Done, Error, Canceled are terminal: nothing leaves them. No status moves to itself.
library OrderStatusTransitions {
    /// @notice Whether the state machine allows a status write from `from` to `to`.
    /// @param from Current status.
    /// @param to Requested status.
    /// @return Whether the table allows the write.
    function canTransition(OrderStatus from, OrderStatus to) internal pure returns (bool) {
        if (from == OrderStatus.Blocked) {
            return to == OrderStatus.New || to == OrderStatus.Canceled;
        }
        if (from == OrderStatus.Suspended) {
            return to == OrderStatus.New || to == OrderStatus.Canceled;
        }
        if (from == OrderStatus.New) {
            return
                to == OrderStatus.Processing ||
                to == OrderStatus.Done ||
                to == OrderStatus.Error ||
                to == OrderStatus.Suspended ||
                to == OrderStatus.Canceled;
        }
        if (from == OrderStatus.Processing) {
            return
                to == OrderStatus.Done ||
                to == OrderStatus.Error ||
                to == OrderStatus.Canceling ||
                to == OrderStatus.Canceled;
        }
        if (from == OrderStatus.Canceling) {
            return to == OrderStatus.Canceled;
        }
        return false;
    }

    /// @notice Whether nothing may leave `status`.
    /// @param status The status to classify.
    /// @return True for Done, Error and Canceled.
    function isTerminal(OrderStatus status) internal pure returns (bool) {
        return status == OrderStatus.Done || status == OrderStatus.Error || status == OrderStatus.Canceled;
    }
}
