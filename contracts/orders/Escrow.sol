// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

import {OrderStatus} from "../interfaces/MarketplaceTypes.sol";
import {IOfferRegistry} from "../interfaces/IOfferRegistry.sol";
import {IOrders} from "../interfaces/IOrders.sol";
import {SlotPricing} from "../libraries/SlotPricing.sol";
import {Suborders} from "./Suborders.sol";

/// @title Escrow
/// @notice Where deposits come from and go: pulling a deposit (refusing a short transfer), settling
/// a completed order to its providers and consumer, full refunds, and pull payments. The balances
/// are this unit's own (private); the rest of the contract credits them through `_credit`.
abstract contract Escrow is Suborders {
    /// @dev Withdrawable balances.
    mapping(address account => uint256 amount) private _balances;

    /* PAYMENTS */

    /// @inheritdoc IOrders
    function withdraw() external nonReentrant {
        uint256 amount = _balances[msg.sender];
        require(amount != 0, EscrowNothingToWithdraw(msg.sender));
        _balances[msg.sender] = 0;
        emit Withdrawn(msg.sender, amount);
        SafeERC20.safeTransfer(_PAYMENT_TOKEN, msg.sender, amount);
    }

    /// @inheritdoc IOrders
    function balanceOf(address account) external view returns (uint256) {
        return _balances[account];
    }

    /* INTERNAL */

    /// @dev Pulls `amount` of the payment token from `from`, refusing a transfer that delivers less
    /// (a fee-on-transfer token would otherwise leave deposits the contract does not hold). Called
    /// last (interactions after effects); the caller is `nonReentrant`.
    function _pullPayment(address from, uint256 amount) internal {
        uint256 before = _PAYMENT_TOKEN.balanceOf(address(this));
        SafeERC20.safeTransferFrom(_PAYMENT_TOKEN, from, address(this), amount);
        uint256 received = _PAYMENT_TOKEN.balanceOf(address(this)) - before;
        require(received == amount, EscrowTransferShortfall(amount, received));
    }

    /// @notice Ends an open workflow as Canceled: the parent and every open suborder, the slots
    /// released, the whole deposit credited back to the consumer.
    /// @param orderId The parent order.
    /// @param order Its record.
    function _cancelWithRefund(uint256 orderId, OrderRecord storage order) internal override {
        _setOrderStatus(orderId, order, OrderStatus.Canceled);
        _cancelOpenSuborders(orderId, order.suborderCount);
        _OFFER_REGISTRY.releaseSlots(_slotIdsOf(orderId, order));
        address[] memory accounts = new address[](1);
        uint256[] memory amounts = new uint256[](1);
        accounts[0] = order.consumer;
        amounts[0] = order.deposit;
        _creditAll(orderId, accounts, amounts);
    }

    /// @dev Pays each slot of a completed order from its deposit and credits the rest to the
    /// consumer. Every slot first gets its min cost (the deposit covered the sum of min costs at
    /// creation, and neither the deposit nor the terms of a slot in use can shrink), then what it
    /// owes beyond that is paid from what is left, in slot order (TEE first). Elapsed time counts
    /// every started minute and stops at the order's deadline: time the consumer could have had
    /// refunded is never charged.
    function _settle(uint256 orderId, OrderRecord storage order) internal {
        IOfferRegistry.SlotTerms[] memory terms = _OFFER_REGISTRY.releaseSlots(_slotIdsOf(orderId, order));
        uint256 startedAt = order.startedAt;
        uint256 deadline = startedAt + SlotPricing.maxRunSeconds(terms[0].usage, _PROCESSING_TIMEOUT);
        // startedAt <= block.timestamp: it was set by an earlier block.
        uint256 elapsedMinutes = Math.ceilDiv(Math.min(block.timestamp, deadline) - startedAt, 60);
        uint256 slots = terms.length;
        address[] memory accounts = new address[](slots + 1);
        uint256[] memory amounts = new uint256[](slots + 1);
        uint256 remaining = order.deposit;
        for (uint256 i = 0; i < slots; ++i) {
            amounts[i] = Math.min(SlotPricing.minCost(terms[i].usage), remaining);
            remaining -= amounts[i];
        }
        for (uint256 i = 0; i < slots; ++i) {
            uint256 extra = Math.min(
                SlotPricing.cost(terms[i].usage, elapsedMinutes) - amounts[i],
                remaining
            );
            remaining -= extra;
            amounts[i] += extra;
            accounts[i] = terms[i].tokenReceiver;
        }
        accounts[slots] = order.consumer;
        amounts[slots] = remaining;
        _creditAll(orderId, accounts, amounts);
    }

    /// @dev Credits each account its amount and emits one `PaymentsCredited` with the non-zero ones.
    function _creditAll(uint256 orderId, address[] memory accounts, uint256[] memory amounts) private {
        uint256 paid = 0;
        for (uint256 i = 0; i < accounts.length; ++i) {
            if (amounts[i] == 0) continue;
            _balances[accounts[i]] += amounts[i];
            accounts[paid] = accounts[i];
            amounts[paid] = amounts[i];
            ++paid;
        }
        // Drops the zero entries, which the loop moved past: shortens both arrays in place to
        // `paid` (<= their length) elements.
        assembly ("memory-safe") {
            mstore(accounts, paid)
            mstore(amounts, paid)
        }
        emit PaymentsCredited(orderId, accounts, amounts);
    }
}
