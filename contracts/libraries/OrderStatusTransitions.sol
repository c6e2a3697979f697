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
    /// @dev The table above as bits: byte `from` of the constant has bit `to` set when `from` → `to`
    /// is allowed (statuses by their enum values: New 0, Processing 1, Canceling 2, Canceled 3,
    /// Done 4, Error 5, Blocked 6, Suspended 7). One shift and mask replace a chain of comparisons
    /// on every status write.
    ///   New        0xBA  Processing, Canceled, Done, Error, Suspended
    ///   Processing 0x3C  Canceling, Canceled, Done, Error
    ///   Canceling  0x08  Canceled
    ///   Blocked    0x09  New, Canceled
    ///   Suspended  0x09  New, Canceled
    uint256 private constant _TABLE = 0x0909000000083CBA;

    /// @notice Whether the state machine allows a status write from `from` to `to`.
    /// @param from Current status.
    /// @param to Requested status.
    /// @return Whether the table allows the write.
    function canTransition(OrderStatus from, OrderStatus to) internal pure returns (bool) {
        return (_TABLE >> ((uint256(from) << 3) | uint256(to))) & 1 == 1;
    }

    /// @notice Whether nothing may leave `status`.
    /// @param status The status to classify.
    /// @return True for Done, Error and Canceled.
    function isTerminal(OrderStatus status) internal pure returns (bool) {
        return status == OrderStatus.Done || status == OrderStatus.Error || status == OrderStatus.Canceled;
    }
}
