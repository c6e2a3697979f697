// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";

import {IOfferRegistry} from "../interfaces/IOfferRegistry.sol";
import {
    IOrders,
    MAX_ENCRYPTED_ARGS_SIZE,
    MAX_ENCRYPTED_RESULT_SIZE,
    MAX_PAGE_SIZE,
    MAX_SUBORDERS
} from "../interfaces/IOrders.sol";
import {ITcbRegistry} from "../interfaces/ITcbRegistry.sol";
import {OrderStatus, OrderStatusTransitions} from "../libraries/OrderStatusTransitions.sol";
import {SizeCaps} from "../libraries/SizeCaps.sol";
import {OrderRecords} from "./OrderRecords.sol";
import {OrderReports} from "./OrderReports.sol";
import {Suborders} from "./Suborders.sol";

/// @title Orders
/// @notice Workflow orders, their suborders, reports and escrow: see `IOrders`.
contract Orders is Suborders, OrderReports {
    /// @notice Deploys the Orders contract; bind it to the offer registry with `bindOrders` next.
    /// @param paymentToken_ ERC-20 the deposits are paid in.
    /// @param offerRegistry_ The offer registry.
    /// @param tcbRegistry_ The TCB registry.
    /// @param processingTimeout_ Seconds a started order may run when its TEE slot has no max time.
    constructor(
        IERC20 paymentToken_,
        IOfferRegistry offerRegistry_,
        ITcbRegistry tcbRegistry_,
        uint256 processingTimeout_
    ) OrderRecords(paymentToken_, offerRegistry_, tcbRegistry_, processingTimeout_) {}

    /* CONSUMER */

    /// @inheritdoc IOrders
    function createWorkflow(
        uint256 teeOfferId,
        uint256 teeSlotId,
        bytes32 solutionHash,
        IOfferRegistry.WorkflowInput[] calldata inputs,
        uint256 deposit,
        bytes calldata encryptedArgs
    ) external nonReentrant returns (uint256 orderId) {
        require(solutionHash != bytes32(0), OrderSolutionHashZero());
        uint256 count = inputs.length;
        require(count <= MAX_SUBORDERS, OrderTooManySuborders(count, MAX_SUBORDERS));
        SizeCaps.check(encryptedArgs, MAX_ENCRYPTED_ARGS_SIZE, "encryptedArgs");
        // The registry is ours and trusted: it checks the offers and counts the order on each slot.
        IOfferRegistry.Reservation memory reservation = _OFFER_REGISTRY.reserveWorkflow(
            msg.sender,
            teeOfferId,
            teeSlotId,
            inputs,
            solutionHash
        );
        require(deposit >= reservation.minCost, OrderDepositTooLow(deposit, reservation.minCost));

        orderId = _orderCount + 1;
        _orderCount = orderId + count;
        _storeOrder(orderId, teeOfferId, teeSlotId, solutionHash, deposit, encryptedArgs, reservation);
        for (uint256 i = 0; i < count; ++i) {
            _storeSuborder(orderId, orderId + 1 + i, inputs[i], reservation.inputAutoComplete[i]);
        }

        SafeERC20.safeTransferFrom(_PAYMENT_TOKEN, msg.sender, address(this), deposit);
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
        SafeERC20.safeTransferFrom(_PAYMENT_TOKEN, msg.sender, address(this), amount);
    }

    /* TEE */

    /// @inheritdoc IOrders
    function startOrder(uint256 orderId) external nonReentrant {
        OrderRecord storage order = _loadOrder(orderId);
        _requireTeeOperator(orderId, order);
        // Only New → Processing is in the transition table.
        _setOrderStatus(orderId, order, OrderStatus.Processing);
        // Timestamps fit 40 bits until the year 36812.
        order.startedAt = uint40(block.timestamp);
    }

    /// @inheritdoc IOrders
    function suspendOrder(uint256 orderId) external nonReentrant {
        OrderRecord storage order = _loadOrder(orderId);
        _requireTeeOperator(orderId, order);
        // Only New → Suspended is in the transition table.
        _setOrderStatus(orderId, order, OrderStatus.Suspended);
    }

    /// @inheritdoc IOrders
    function resumeOrder(uint256 orderId) external nonReentrant {
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
        bytes32 resultHash,
        bytes calldata encryptedResult
    ) external nonReentrant {
        SizeCaps.check(encryptedResult, MAX_ENCRYPTED_RESULT_SIZE, "encryptedResult");
        OrderRecord storage order = _loadOrder(orderId);
        _requireTeeOperator(orderId, order);
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

        _setOrderStatus(orderId, order, status);
        // Block numbers fit 48 bits (see OrderRecord).
        order.resultBlock = uint48(block.number);
        emit OrderCompleted(orderId, status, resultHash, encryptedResult);
        _settle(orderId, order);
    }

    /* VIEWS */

    /// @inheritdoc IOrders
    function getOrder(uint256 orderId) public view returns (Order memory) {
        OrderRecord storage record = _loadOrder(orderId);
        return
            Order({
                consumer: record.consumer,
                status: record.status,
                suborderCount: record.suborderCount,
                blockingSuborders: record.blockingSuborders,
                cancelable: record.cancelable,
                startedAt: record.startedAt,
                teeOfferId: record.teeOfferId,
                teeSlotId: record.teeSlotId,
                argsBlock: record.argsBlock,
                deposit: record.deposit,
                reportTcbId: record.reportTcbId,
                reportBlock: record.reportBlock,
                resultBlock: record.resultBlock,
                solutionHash: record.solutionHash,
                argsHash: record.argsHash,
                reportHash: record.reportHash
            });
    }

    /// @inheritdoc IOrders
    function getSuborder(uint256 suborderId) public view returns (Suborder memory) {
        SuborderRecord storage record = _loadSuborder(suborderId);
        return
            Suborder({
                parentId: record.parentId,
                offerId: record.offerId,
                slotId: record.slotId,
                status: record.status,
                resultBlock: record.resultBlock,
                dataHash: record.dataHash
            });
    }

    /// @inheritdoc IOrders
    function getWorkflow(
        uint256 orderId
    ) external view returns (Order memory order, Suborder[] memory suborders) {
        order = getOrder(orderId);
        suborders = new Suborder[](order.suborderCount);
        for (uint256 i = 0; i < suborders.length; ++i) {
            suborders[i] = getSuborder(orderId + 1 + i);
        }
    }

    /// @inheritdoc IOrders
    function ordersOfConsumer(
        address consumer,
        uint256 cursor,
        uint256 limit
    ) external view returns (uint256[] memory orderIds, uint256 nextCursor) {
        if (cursor == 0) cursor = _newestOrderOf[consumer];
        else require(_orders[cursor].consumer == consumer, OrderCursorInvalid(cursor));
        return _page(cursor, limit, _previousOrderOfConsumer);
    }

    /// @inheritdoc IOrders
    function subordersOfOffer(
        uint256 offerId,
        uint256 cursor,
        uint256 limit
    ) external view returns (uint256[] memory suborderIds, uint256 nextCursor) {
        if (cursor == 0) cursor = _newestSuborderOf[offerId];
        else require(offerId != 0 && _suborders[cursor].offerId == offerId, OrderCursorInvalid(cursor));
        return _page(cursor, limit, _previousSuborderOfOffer);
    }

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
    function orderCount() external view returns (uint256) {
        return _orderCount;
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
        return _TCB_REGISTRY;
    }

    /// @inheritdoc IOrders
    function processingTimeout() external view returns (uint256) {
        return _PROCESSING_TIMEOUT;
    }

    /* INTERNAL */

    /// @dev Writes a new parent order, links it into its consumer's list and emits `WorkflowCreated`.
    /// The parent is Blocked while any suborder needs its owner, else New.
    function _storeOrder(
        uint256 orderId,
        uint256 teeOfferId,
        uint256 teeSlotId,
        bytes32 solutionHash,
        uint256 deposit,
        bytes calldata encryptedArgs,
        IOfferRegistry.Reservation memory reservation
    ) private {
        bool[] memory autoComplete = reservation.inputAutoComplete;
        uint8 blocking = 0;
        for (uint256 i = 0; i < autoComplete.length; ++i) {
            if (!autoComplete[i]) ++blocking;
        }
        OrderStatus status = blocking == 0 ? OrderStatus.New : OrderStatus.Blocked;
        _orders[orderId] = OrderRecord({
            consumer: msg.sender,
            status: status,
            // At most MAX_SUBORDERS (16) inputs: the counts fit 8 bits.
            suborderCount: uint8(autoComplete.length),
            blockingSuborders: blocking,
            cancelable: reservation.teeCancelable,
            startedAt: 0,
            // Offer, slot and order ids are registry and local counters; block numbers fit 48 bits.
            teeOfferId: uint48(teeOfferId),
            teeSlotId: uint48(teeSlotId),
            argsBlock: uint48(block.number),
            previousOfConsumer: uint48(_newestOrderOf[msg.sender]),
            deposit: SafeCast.toUint96(deposit),
            reportTcbId: 0,
            reportBlock: 0,
            resultBlock: 0,
            solutionHash: solutionHash,
            argsHash: keccak256(encryptedArgs),
            reportHash: bytes32(0)
        });
        _newestOrderOf[msg.sender] = orderId;
        emit WorkflowCreated(
            orderId,
            msg.sender,
            teeOfferId,
            teeSlotId,
            status,
            solutionHash,
            deposit,
            encryptedArgs
        );
    }

    /// @dev Writes a suborder (Done at once when auto-complete) and links it into its offer's list.
    function _storeSuborder(
        uint256 orderId,
        uint256 suborderId,
        IOfferRegistry.WorkflowInput calldata input,
        bool autoComplete
    ) private {
        OrderStatus status = autoComplete ? OrderStatus.Done : OrderStatus.New;
        uint256 offerId = input.offerId;
        // Ids are sequential counters checked by the registry (see OrderRecord).
        _suborders[suborderId] = SuborderRecord({
            parentId: uint48(orderId),
            offerId: uint48(offerId),
            slotId: uint48(input.slotId),
            status: status,
            resultBlock: 0,
            previousOfOffer: uint48(_newestSuborderOf[offerId]),
            dataHash: bytes32(0)
        });
        _newestSuborderOf[offerId] = suborderId;
        emit SuborderCreated(suborderId, orderId, offerId, input.slotId, status);
    }

    /// @dev startedAt + the TEE slot's max time, or + `processingTimeout` when the slot has none.
    function _processingDeadline(OrderRecord storage order) private view returns (uint256) {
        uint256 maxMinutes = _OFFER_REGISTRY.getSlot(order.teeSlotId).usage.maxTimeMinutes;
        return uint256(order.startedAt) + (maxMinutes == 0 ? _PROCESSING_TIMEOUT : maxMinutes * 60);
    }

    /// @dev Walks a linked list from `cursor` for at most `limit` (capped) ids.
    function _page(
        uint256 cursor,
        uint256 limit,
        function(uint256) view returns (uint256) previous
    ) private view returns (uint256[] memory ids, uint256 nextCursor) {
        uint256 length = Math.min(limit, MAX_PAGE_SIZE);
        ids = new uint256[](length);
        for (uint256 i = 0; i < length; ++i) {
            if (cursor == 0) return (_prefix(ids, i), 0);
            ids[i] = cursor;
            cursor = previous(cursor);
        }
        nextCursor = cursor;
    }

    function _previousOrderOfConsumer(uint256 orderId) private view returns (uint256) {
        return _orders[orderId].previousOfConsumer;
    }

    function _previousSuborderOfOffer(uint256 suborderId) private view returns (uint256) {
        return _suborders[suborderId].previousOfOffer;
    }

    /// @dev The first `length` elements of `array`, as a new array.
    function _prefix(uint256[] memory array, uint256 length) private pure returns (uint256[] memory prefix) {
        prefix = new uint256[](length);
        for (uint256 i = 0; i < length; ++i) {
            prefix[i] = array[i];
        }
    }
}
