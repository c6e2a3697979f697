// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";

import {
    OrderStatus,
    MAX_ENCRYPTED_ARGS_SIZE,
    MAX_RESULT_RECIPIENTS,
    MAX_SUBORDERS
} from "../interfaces/MarketplaceTypes.sol";
import {IAttestationVerifier} from "../interfaces/IAttestationVerifier.sol";
import {IOfferRegistry} from "../interfaces/IOfferRegistry.sol";
import {IOrders} from "../interfaces/IOrders.sol";
import {ISlots} from "../interfaces/ISlots.sol";
import {ITcbRegistry} from "../interfaces/ITcbRegistry.sol";
import {OrderStatusTransitions} from "../libraries/OrderStatusTransitions.sol";
import {SizeCaps} from "../libraries/SizeCaps.sol";
import {SlotPricing} from "../libraries/SlotPricing.sol";
import {OfferRegistry} from "../offers/OfferRegistry.sol";
import {OrderRecords} from "./OrderRecords.sol";
import {OrderReports} from "./OrderReports.sol";

/// @title Orders
/// @notice Workflow orders, their suborders, reports and escrow: see `IOrders`. This unit holds
/// the consumer's and the enclave's flows; records, suborders, escrow and reports are its bases.
contract Orders is OrderReports {
    /// @notice Deploys the Orders contract and creates its offer registry (which holds the TCBs),
    /// bound to this contract from its first block: see `IOfferRegistry`.
    /// @param paymentToken_ ERC-20 the deposits are paid in.
    /// @param tcbAdmin Gets the TCB registry's `DEFAULT_ADMIN_ROLE` and `TCB_ADMIN_ROLE`.
    /// @param verifier The attestation verifier; not zero.
    /// @param tcbLifetime Lifetime of published TCBs, in seconds; positive.
    /// @param processingTimeout_ Seconds a started order may run when its TEE slot has no max time.
    /// @param blockedTimeout_ Seconds a workflow may stay Blocked before anyone may expire it.
    constructor(
        IERC20 paymentToken_,
        address tcbAdmin,
        IAttestationVerifier verifier,
        uint40 tcbLifetime,
        uint256 processingTimeout_,
        uint256 blockedTimeout_
    )
        OrderRecords(
            paymentToken_,
            new OfferRegistry(tcbAdmin, verifier, tcbLifetime),
            processingTimeout_,
            blockedTimeout_
        )
    {}

    /* CONSUMER */

    /// @inheritdoc IOrders
    function createWorkflow(WorkflowParams calldata params) external nonReentrant returns (uint256 orderId) {
        require(params.solutionHash != bytes32(0), OrderSolutionHashZero());
        uint256 count = params.inputs.length;
        require(count <= MAX_SUBORDERS, OrderTooManySuborders(count, MAX_SUBORDERS));
        _requireResultRecipients(params.resultRecipients);
        SizeCaps.check(params.encryptedArgs, MAX_ENCRYPTED_ARGS_SIZE, "encryptedArgs");
        // The registry is ours and trusted: it checks the offers, slots and terms and counts the
        // order on each slot.
        IOfferRegistry.Reservation memory reservation = _OFFER_REGISTRY.reserveWorkflow(
            msg.sender,
            params.teeOfferId,
            params.teeSlotId,
            params.teeTermsHash,
            params.inputs,
            params.solutionHash
        );
        require(
            params.deposit >= reservation.minCost,
            OrderDepositTooLow(params.deposit, reservation.minCost)
        );
        address activeTeeKey = _tcbRegistry().activeTeeKeyOf(params.teeOfferId);
        require(
            params.teeKey == activeTeeKey && activeTeeKey != address(0),
            OrderTeeKeyNotActive(params.teeOfferId, params.teeKey, activeTeeKey)
        );

        orderId = _allocateIds(count);
        uint256 doneMask = reservation.autoCompleteMask;
        uint8 blocking = _storeSuborders(orderId, params.inputs, doneMask);
        OrderStatus status = blocking == 0 ? OrderStatus.New : OrderStatus.Blocked;
        _storeOrder(orderId, params, status, blocking, reservation.teeCancelable);
        _emitWorkflowCreated(orderId, params.teeOfferId, status, doneMask);

        _pullPayment(msg.sender, params.deposit);
    }

    /// @inheritdoc IOrders
    function cancelOrder(uint256 orderId) external nonReentrant {
        OrderRecord storage order = _loadOrder(orderId);
        _requireConsumer(orderId, order);
        OrderStatus status = order.status;
        if (status == OrderStatus.Processing) {
            require(order.cancelable, OrderNotCancelable(orderId));
            _setOrderStatus(orderId, order, OrderStatus.Canceling);
        } else {
            // Blocked, New and Suspended orders have not started: full refund. Terminal statuses are
            // refused by the transition table; Canceling → Canceled is in the table but belongs to the
            // provider's settlement or to `forceRefund`, so it is refused here.
            require(
                status != OrderStatus.Canceling,
                OrderInvalidTransition(orderId, status, OrderStatus.Canceled)
            );
            _cancelWithRefund(orderId, order);
        }
    }

    /// @inheritdoc IOrders
    function forceRefund(uint256 orderId) external nonReentrant {
        OrderRecord storage order = _loadOrder(orderId);
        _requireConsumer(orderId, order);
        OrderStatus status = order.status;
        require(
            status == OrderStatus.Processing || status == OrderStatus.Canceling,
            OrderInvalidTransition(orderId, status, OrderStatus.Canceled)
        );
        uint256 deadline = _processingDeadline(order);
        require(block.timestamp >= deadline, OrderDeadlineNotReached(orderId, deadline));
        _cancelWithRefund(orderId, order);
    }

    /// @inheritdoc IOrders
    function expireBlockedOrder(uint256 orderId) external nonReentrant {
        OrderRecord storage order = _loadOrder(orderId);
        OrderStatus status = order.status;
        require(status == OrderStatus.Blocked, OrderNotBlocked(orderId, status));
        // A Blocked order has a manual suborder, so its deadline is not 0.
        uint256 deadline = blockedDeadline(orderId);
        require(block.timestamp >= deadline, OrderDeadlineNotReached(orderId, deadline));
        _cancelWithRefund(orderId, order);
    }

    /// @inheritdoc IOrders
    function refillOrder(uint256 orderId, uint256 amount) external nonReentrant {
        OrderRecord storage order = _loadOrder(orderId);
        _requireConsumer(orderId, order);
        require(amount != 0, OrderAmountZero());
        OrderStatus status = order.status;
        require(
            status == OrderStatus.Blocked ||
                status == OrderStatus.New ||
                status == OrderStatus.Suspended ||
                status == OrderStatus.Processing,
            OrderNotRefillable(orderId, status)
        );
        uint96 deposit = order.deposit + SafeCast.toUint96(amount);
        order.deposit = deposit;
        emit OrderRefilled(orderId, amount, deposit);
        _pullPayment(msg.sender, amount);
    }

    /* TEE */

    /// @inheritdoc IOrders
    function startOrder(uint256 orderId) external {
        OrderRecord storage order = _loadOrder(orderId);
        _requireTeeOperator(orderId, order);
        // Only New → Processing is in the transition table.
        _startProcessing(orderId, order);
    }

    /// @inheritdoc IOrders
    function suspendOrder(uint256 orderId) external {
        OrderRecord storage order = _loadOrder(orderId);
        _requireTeeOperator(orderId, order);
        // Only New → Suspended is in the transition table.
        _setOrderStatus(orderId, order, OrderStatus.Suspended);
    }

    /// @inheritdoc IOrders
    function resumeOrder(uint256 orderId) external {
        OrderRecord storage order = _loadOrder(orderId);
        _requireTeeOperator(orderId, order);
        // The table also allows Blocked → New, which only the data owners may cause.
        require(
            order.status == OrderStatus.Suspended,
            OrderInvalidTransition(orderId, order.status, OrderStatus.New)
        );
        _setOrderStatus(orderId, order, OrderStatus.New);
    }

    /// @inheritdoc IOrders
    function completeOrder(
        uint256 orderId,
        OrderStatus status,
        ResultReceipt calldata receipt,
        bytes calldata signature
    ) external nonReentrant {
        OrderRecord storage order = _loadOrder(orderId);
        // One validity read serves the caller check and the receipt check.
        address teeKey = order.teeKey;
        bool teeKeyValid = _tcbRegistry().isTeeKeyValid(teeKey);
        if (msg.sender != teeKey || !teeKeyValid) _requireProviderOperator(orderId, order);
        require(
            status == OrderStatus.Done || status == OrderStatus.Error || status == OrderStatus.Canceled,
            OrderInvalidCompletionStatus(orderId, status)
        );
        // Done and Error end a Processing order; Canceled ends a Canceling one. The table allows
        // more (New → Done for suborders, Processing → Canceled for declines), so check here.
        OrderStatus required =
            status == OrderStatus.Canceled ? OrderStatus.Canceling : OrderStatus.Processing;
        require(order.status == required, OrderInvalidTransition(orderId, order.status, status));
        require(status != OrderStatus.Done || order.reportBlock != 0, OrderReportMissing(orderId));
        _requireReceipt(orderId, order, status, receipt, signature, teeKeyValid);

        _completeWithResult(orderId, order, status);
        emit OrderCompleted(orderId, status, receipt.resultHash, receipt.pointers, signature);
        _settle(orderId, order);
    }

    /* VIEWS */

    /// @inheritdoc IOrders
    function processingDeadline(uint256 orderId) external view returns (uint256) {
        OrderRecord storage order = _loadOrder(orderId);
        return order.startedAt == 0 ? 0 : _processingDeadline(order);
    }

    /// @inheritdoc IOrders
    function canTransition(OrderStatus from, OrderStatus to) external pure returns (bool) {
        return OrderStatusTransitions.canTransition(from, to);
    }

    /// @inheritdoc IOrders
    function paymentToken() external view returns (IERC20) {
        return _PAYMENT_TOKEN;
    }

    /// @inheritdoc IOrders
    function offerRegistry() external view returns (IOfferRegistry) {
        return _OFFER_REGISTRY;
    }

    /// @inheritdoc IOrders
    function tcbRegistry() external view returns (ITcbRegistry) {
        return _tcbRegistry();
    }

    /// @inheritdoc IOrders
    function processingTimeout() external view returns (uint256) {
        return _PROCESSING_TIMEOUT;
    }

    /// @inheritdoc IOrders
    function blockedTimeout() external view returns (uint256) {
        return _BLOCKED_TIMEOUT;
    }

    /* INTERNAL */

    /// @notice Emits `WorkflowCreated` for the caller's new workflow, the call's own encoding of its
    /// parameters as the event's `params`.
    /// @dev `createWorkflow(WorkflowParams)`'s calldata after the selector is an ABI encoding of
    /// `(WorkflowParams)`: a head word (the offset of the tuple) and the tuple. The event's data is
    /// `(status, doneSuborders, params)`: two words, then the same head and tuple. Copying the
    /// tuple costs a fraction of re-encoding it (1.9k gas less). As for the registry's
    /// `OfferCreated`, a decoder of the event follows the offsets and lengths the contract decoded,
    /// so the event never shows other parameters than the ones the contract checked and stored: a
    /// non-canonical encoding decodes to the same values, and a field the contract would refuse
    /// (dirty bits in the address, a length past the end) reverted on the way in. Holds while
    /// `createWorkflow` takes that one parameter.
    /// @param orderId The new parent order.
    /// @param teeOfferId Its TEE offer.
    /// @param status Its status.
    /// @param doneMask Its suborders created Done.
    function _emitWorkflowCreated(
        uint256 orderId,
        uint256 teeOfferId,
        OrderStatus status,
        uint256 doneMask
    ) private {
        bytes32 topic = WorkflowCreated.selector;
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            let data := mload(0x40)
            mstore(data, status)
            mstore(add(data, 0x20), doneMask)
            // The tuple moves 0x40 bytes further from the start: the calldata's head word is copied
            // to 0x40 and everything after it follows.
            mstore(add(data, 0x40), add(calldataload(4), 0x40))
            let tail := sub(calldatasize(), 0x24)
            calldatacopy(add(data, 0x60), 0x24, tail)
            log4(data, add(tail, 0x60), topic, orderId, caller(), teeOfferId)
        }
    }

    /// @dev startedAt + the TEE slot's max time, or + `processingTimeout` when the slot has none.
    function _processingDeadline(OrderRecord storage order) private view returns (uint256) {
        ISlots.SlotUsage memory usage = _OFFER_REGISTRY.getSlot(order.teeSlotId).usage;
        return SlotPricing.deadline(usage, order.startedAt, _PROCESSING_TIMEOUT);
    }

    /// @dev 1 to MAX_RESULT_RECIPIENTS keys, each a 33-byte (compressed) or 65-byte (uncompressed)
    /// secp256k1 public key. Whether a key is on the curve is the SDK's check: a bad key only hurts
    /// its own recipient, who then cannot open their pointer.
    function _requireResultRecipients(bytes[] calldata recipients) private pure {
        uint256 count = recipients.length;
        require(
            count != 0 && count <= MAX_RESULT_RECIPIENTS,
            OrderResultRecipientCount(count, MAX_RESULT_RECIPIENTS)
        );
        for (uint256 i = 0; i < count; ++i) {
            uint256 length = recipients[i].length;
            require(length == 33 || length == 65, OrderResultKeyInvalid(i, length));
        }
    }
}
