// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {OrderStatus} from "../../contracts/interfaces/MarketplaceTypes.sol";
import {IOrders} from "../../contracts/interfaces/IOrders.sol";
import {ITcbRegistry} from "../../contracts/interfaces/ITcbRegistry.sol";
import {OrderStatusTransitions} from "../../contracts/libraries/OrderStatusTransitions.sol";
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

    /// @notice A report is accepted only when signed by the order's enclave key (the one its data
    /// owners handed over to) while that key is valid.
    function invariantReportsOnlyByTheApprovedValidEnclave() external view {
        if (_handler.reportByUnapprovedTee()) revert InvariantViolated("report by an unapproved enclave");
    }

    /// @notice An order completes Done only with a receipt signed by its valid enclave key.
    function invariantDoneOnlyWithTheEnclavesReceipt() external view {
        if (_handler.doneWithoutEnclaveReceipt())
            revert InvariantViolated("Done without the enclave's receipt");
    }

    /// @notice A revoked TEE key is never valid again, and no attestation of it is accepted.
    function invariantRevokedKeysNeverValid() external view {
        if (_handler.revokedKeyRepublished()) revert InvariantViolated("revoked key republished");
        ITcbRegistry registry = _handler.REGISTRY();
        address[] memory keys = _handler.teeKeys();
        for (uint256 i = 0; i < keys.length; ++i) {
            (ITcbRegistry.TeeKey memory key, ) = registry.getTeeKey(keys[i]);
            if (key.revokedBlock != 0 && registry.isTeeKeyValid(keys[i]))
                revert InvariantViolated("revoked key valid");
        }
    }
}
