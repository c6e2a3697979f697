// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IOrders} from "../../contracts/interfaces/IOrders.sol";
import {OrderStatus, OrderStatusTransitions} from "../../contracts/libraries/OrderStatusTransitions.sol";
import {Orders} from "../../contracts/orders/Orders.sol";
import {OrdersHandler} from "./OrdersHandler.sol";

/// @title OrdersInvariantsTest
/// @notice Invariants of the money and the state machine, checked after random action sequences.
contract OrdersInvariantsTest {
    /// @notice An invariant does not hold.
    /// @param invariant Which one.
    error InvariantViolated(string invariant);

    OrdersHandler internal _handler;

    /// @notice Deploys the handler, which deploys the marketplace.
    function setUp() external {
        _handler = new OrdersHandler();
    }

    /// @notice Only the handler's actions are fuzzed.
    /// @return targets The handler.
    function targetContracts() external view returns (address[] memory targets) {
        targets = new address[](1);
        targets[0] = address(_handler);
    }

    /// @notice The escrow's token balance equals the open deposits plus the withdrawable balances.
    function invariantEscrowBalanceEqualsOpenDepositsPlusBalances() external view {
        Orders orders = _handler.ORDERS();
        uint256 owed = 0;
        uint256 count = orders.orderCount();
        for (uint256 id = 1; id <= count; ++id) {
            try orders.getOrder(id) returns (IOrders.Order memory order) {
                if (!OrderStatusTransitions.isTerminal(order.status)) owed += order.deposit;
            } catch {}
        }
        address[3] memory payees = _handler.payees();
        for (uint256 i = 0; i < payees.length; ++i) {
            owed += orders.balanceOf(payees[i]);
        }
        if (_handler.TOKEN().balanceOf(address(orders)) != owed) revert InvariantViolated("escrow balance");
    }

    /// @notice Terminal orders and suborders never change status.
    function invariantTerminalOrdersNeverChange() external view {
        if (_handler.terminalChanged()) revert InvariantViolated("terminal order changed");
    }

    /// @notice A parent is never New, Processing or beyond while one of its suborders is open.
    function invariantNoParentPastBlockedWithAnOpenSuborder() external view {
        Orders orders = _handler.ORDERS();
        uint256 count = orders.orderCount();
        for (uint256 id = 1; id <= count; ++id) {
            try orders.getWorkflow(id) returns (
                IOrders.Order memory order,
                IOrders.Suborder[] memory suborders
            ) {
                if (order.status == OrderStatus.Blocked || order.status == OrderStatus.Canceled) continue;
                for (uint256 i = 0; i < suborders.length; ++i) {
                    if (suborders[i].status != OrderStatus.Done)
                        revert InvariantViolated("parent past Blocked");
                }
            } catch {}
        }
    }

    /// @notice A report is accepted only under the valid active TCB of the order's TEE offer.
    function invariantReportsOnlyUnderAValidTcb() external view {
        if (_handler.reportUnderInvalidTcb()) revert InvariantViolated("report under an invalid TCB");
    }
}
