// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

import {IOfferRegistry} from "../interfaces/IOfferRegistry.sol";
import {IOrders} from "../interfaces/IOrders.sol";
import {PriceType} from "../interfaces/ISlots.sol";
import {OrderStatus, OrderStatusTransitions} from "../libraries/OrderStatusTransitions.sol";
import {OrderRecords} from "./OrderRecords.sol";

/// @title Escrow
/// @notice Where deposits go when an order ends: settlement to providers and the consumer, full
/// refunds, and pull payments. Balances are credited here and withdrawn with `withdraw`.
abstract contract Escrow is OrderRecords {
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

    /// @dev Ends an open workflow as Canceled with its whole deposit credited back to the consumer:
    /// the parent and every open suborder become Canceled and the slots are released.
    function _cancelWithRefund(uint256 orderId, OrderRecord storage order) internal {
        _setOrderStatus(orderId, order, OrderStatus.Canceled);
        uint256 count = order.suborderCount;
        for (uint256 i = 1; i <= count; ++i) {
            SuborderRecord storage suborder = _suborders[orderId + i];
            if (!OrderStatusTransitions.isTerminal(suborder.status)) {
                _setSuborderStatus(orderId + i, suborder, OrderStatus.Canceled);
            }
        }
        _credit(order.consumer, orderId, order.deposit);
        _OFFER_REGISTRY.releaseSlots(_slotIdsOf(orderId, order));
    }

    /// @dev Pays each slot of a completed order from its deposit and credits the rest to the
    /// consumer. Every slot first gets its min cost (the deposit covered the sum of min costs at
    /// creation, and neither the deposit nor the terms of a slot in use can shrink), then what it
    /// owes beyond that is paid from what is left, in slot order (TEE first).
    function _settle(uint256 orderId, OrderRecord storage order) internal {
        IOfferRegistry.SlotTerms[] memory terms = _OFFER_REGISTRY.releaseSlots(_slotIdsOf(orderId, order));
        // startedAt <= block.timestamp: it was set by an earlier block. Every started minute counts.
        uint256 elapsedMinutes = Math.ceilDiv(block.timestamp - order.startedAt, 60);
        uint256 slots = terms.length;
        uint256[] memory payouts = new uint256[](slots);
        uint256 remaining = order.deposit;
        for (uint256 i = 0; i < slots; ++i) {
            payouts[i] = Math.min(_slotCost(terms[i].usage, 0), remaining);
            remaining -= payouts[i];
        }
        for (uint256 i = 0; i < slots; ++i) {
            uint256 extra = Math.min(_slotCost(terms[i].usage, elapsedMinutes) - payouts[i], remaining);
            remaining -= extra;
            _credit(terms[i].tokenReceiver, orderId, payouts[i] + extra);
        }
        _credit(order.consumer, orderId, remaining);
    }

    /// @dev Fixed: the price. PerHour: price × elapsed minutes clamped to [min, max] (max 0 = none)
    /// / 60. With 0 elapsed minutes this is the slot's min cost.
    function _slotCost(
        IOfferRegistry.SlotUsage memory usage,
        uint256 elapsedMinutes
    ) internal pure returns (uint256) {
        if (usage.priceType == PriceType.Fixed) return usage.price;
        uint256 minutes_ = Math.max(elapsedMinutes, usage.minTimeMinutes);
        if (usage.maxTimeMinutes != 0) minutes_ = Math.min(minutes_, usage.maxTimeMinutes);
        return (uint256(usage.price) * minutes_) / 60;
    }

    function _credit(address account, uint256 orderId, uint256 amount) internal {
        if (amount == 0) return;
        _balances[account] += amount;
        emit PaymentCredited(account, orderId, amount);
    }
}
