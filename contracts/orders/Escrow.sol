// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";

import {OrderStatus} from "../interfaces/MarketplaceTypes.sol";
import {IOrders} from "../interfaces/IOrders.sol";
import {Suborders} from "./Suborders.sol";

/// @title Escrow
/// @notice Where deposits come from and go: pulling a deposit (refusing a short transfer), settling
/// a completed order to its providers and consumer, full refunds, and pull payments. The balances
/// are this unit's own (private): only its settlement and refunds credit them (`_credit`).
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
        _credit(orderId, new uint256[](0), order.consumer, order.deposit);
    }

    /// @dev Pays a completed order: the registry prices each slot on its terms (see
    /// `IOfferRegistry.settleSlots`); each provider's receiver is credited its amount and the
    /// consumer the rest.
    function _settle(uint256 orderId, OrderRecord storage order) internal {
        (uint256[] memory payouts, uint256 refund) = _OFFER_REGISTRY.settleSlots(
            _slotIdsOf(orderId, order),
            order.deposit,
            order.startedAt,
            _PROCESSING_TIMEOUT
        );
        _credit(orderId, payouts, order.consumer, refund);
    }

    /// @dev Credits each payout (receiver << 96 | amount, as `settleSlots` returns them), then the
    /// consumer's refund, and emits one `PaymentsCredited` listing the non-zero credits.
    function _credit(uint256 orderId, uint256[] memory payouts, address consumer, uint256 refund) private {
        uint256 slots = payouts.length;
        address[] memory accounts = new address[](slots + 1);
        uint256[] memory amounts = new uint256[](slots + 1);
        uint256 paid = 0;
        for (uint256 i = 0; i <= slots; ++i) {
            // A refund is at most the deposit, which fits 96 bits (see OrderRecord).
            uint256 payout = i == slots ? (uint256(uint160(consumer)) << 96) | refund : payouts[i];
            uint256 amount = uint96(payout);
            if (amount == 0) continue;
            address account = address(uint160(payout >> 96));
            _balances[account] += amount;
            accounts[paid] = account;
            amounts[paid] = amount;
            ++paid;
        }
        // Drops the zero entries the loop skipped: shortens both arrays in place to `paid`
        // (<= their length) elements.
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            mstore(accounts, paid)
            mstore(amounts, paid)
        }
        emit PaymentsCredited(orderId, accounts, amounts);
    }
}
