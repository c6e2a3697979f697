// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";

import {OrderStatus, MAX_PAGE_SIZE, MAX_ID_PAGE_SIZE, MAX_TIMEOUT} from "../interfaces/MarketplaceTypes.sol";
import {IOfferRegistry} from "../interfaces/IOfferRegistry.sol";
import {IOrders} from "../interfaces/IOrders.sol";
import {ITcbRegistry} from "../interfaces/ITcbRegistry.sol";
import {OrderStatusTransitions} from "../libraries/OrderStatusTransitions.sol";

/// @title OrderRecords
/// @notice The parent orders: their storage (private, behind the accessors below), the one place
/// where their statuses are written, the consumer's list of orders, and the caller checks shared
/// by the order flows.
abstract contract OrderRecords is IOrders, ReentrancyGuardTransient {
    /* STORAGE */

    /// @dev A parent order, four words. Ids, offer ids and slot ids are sequential counters and
    /// block numbers and timestamps fit 40 bits for thousands of years.
    ///   word0  teeKey (160) | status (8) | blockingSuborders (8) | startedAt (40)
    ///          | resultBlock (40)                                                  256 bits
    ///   word1  consumer (160) | teeOfferId (40) | teeSlotId (40) | recipientCount (8)
    ///          | cancelable (8)                                                    256 bits
    ///   word2  deposit (96) | argsBlock (40) | previousOfConsumer (40) | reportBlock (40)
    ///          | suborderCount (8)                                                 224 bits
    ///   word3  solutionHash
    /// word0 is what the enclave's calls read and write (its key, the status, the start time, the
    /// result's block) and what a data owner's completion updates (status, blocking count): one
    /// cold read, one warm write. The fields the consumer's and the settlement's flows read sit in
    /// word1 and word2, which those flows read anyway (consumer, slot, deposit). Creating an order
    /// writes every word. A deposit fits 96 bits (7.9e28 base units: 79 billion tokens of 18
    /// decimals); larger ones revert with SafeCast's error. The encrypted arguments, the result
    /// recipients, the report and its hash, the result hash and pointers are emitted, not stored:
    /// no rule reads them on-chain later, and their blocks are stored.
    struct OrderRecord {
        address teeKey;
        OrderStatus status;
        uint8 blockingSuborders;
        uint40 startedAt;
        uint40 resultBlock;
        address consumer;
        uint40 teeOfferId;
        uint40 teeSlotId;
        uint8 recipientCount;
        bool cancelable;
        uint96 deposit;
        uint40 argsBlock;
        uint40 previousOfConsumer;
        uint40 reportBlock;
        uint8 suborderCount;
        bytes32 solutionHash;
    }

    /// @dev Where word0's status (8 bits), start time and result block (40 bits each) sit: Solidity
    /// packs a struct's fields from the low bits in declaration order. Every flow's tests read them
    /// back through getOrder.
    uint256 private constant _STATUS_BIT = 160;
    uint256 private constant _STARTED_AT_BIT = 176;
    uint256 private constant _RESULT_BLOCK_BIT = 216;
    uint256 private constant _STATUS_MASK = 0xff << _STATUS_BIT;
    uint256 private constant _STARTED_AT_MASK = 0xffffffffff << _STARTED_AT_BIT;
    uint256 private constant _RESULT_BLOCK_MASK = 0xffffffffff << _RESULT_BLOCK_BIT;

    IERC20 internal immutable _PAYMENT_TOKEN;
    IOfferRegistry internal immutable _OFFER_REGISTRY;
    uint256 internal immutable _PROCESSING_TIMEOUT;
    uint256 internal immutable _BLOCKED_TIMEOUT;

    /// @dev Last id handed out; parents and suborders share the sequence.
    uint256 private _orderCount;
    mapping(uint256 orderId => OrderRecord) private _orders;
    /// @dev Head of each consumer's list of orders (linked through `previousOfConsumer`).
    mapping(address consumer => uint256 orderId) private _newestOrderOf;

    /// @notice Sets the contracts and the timeouts the order flows use.
    /// @param paymentToken_ ERC-20 the deposits are paid in.
    /// @param offerRegistry_ The offer registry, which holds the TCBs too (created by `Orders`).
    /// @param processingTimeout_ Seconds a started order may run when its TEE slot has no max time.
    /// @param blockedTimeout_ Seconds a workflow may stay Blocked before anyone may expire it.
    constructor(
        IERC20 paymentToken_,
        IOfferRegistry offerRegistry_,
        uint256 processingTimeout_,
        uint256 blockedTimeout_
    ) {
        _requireTimeout(processingTimeout_);
        _requireTimeout(blockedTimeout_);
        _PAYMENT_TOKEN = paymentToken_;
        _OFFER_REGISTRY = offerRegistry_;
        _PROCESSING_TIMEOUT = processingTimeout_;
        _BLOCKED_TIMEOUT = blockedTimeout_;
    }

    /* VIEWS */

    /// @inheritdoc IOrders
    function getOrder(uint256 orderId) public view returns (Order memory) {
        return _toOrder(_loadOrder(orderId));
    }

    /// @inheritdoc IOrders
    function getOrders(uint256[] calldata orderIds) external view returns (Order[] memory orders) {
        uint256 count = orderIds.length;
        require(count <= MAX_PAGE_SIZE, OrderPageTooLarge(count, MAX_PAGE_SIZE));
        orders = new Order[](count);
        for (uint256 i = 0; i < count; ++i) {
            orders[i] = getOrder(orderIds[i]);
        }
    }

    /// @inheritdoc IOrders
    function ordersOfConsumer(
        address consumer,
        uint256 cursor,
        uint256 limit
    ) external view returns (uint256[] memory orderIds, uint256 nextCursor) {
        if (cursor == 0)
            cursor = _newestOrderOf[consumer];
            // A parent order has a non-zero consumer: a suborder or an unknown id is refused, whatever
            // `consumer` is (the zero address included).
        else
            require(
                consumer != address(0) && _orders[cursor].consumer == consumer,
                OrderCursorInvalid(cursor)
            );
        return _page(cursor, limit, _previousOrderOfConsumer);
    }

    /// @inheritdoc IOrders
    function orderCount() external view returns (uint256) {
        return _orderCount;
    }

    /* INTERNAL */

    /// @notice Hands out the ids of a workflow: the parent's, then one per suborder.
    /// @param suborderCount Number of suborders.
    /// @return orderId The parent's id; the suborders take the next ones.
    function _allocateIds(uint256 suborderCount) internal returns (uint256 orderId) {
        orderId = _orderCount + 1;
        _orderCount = orderId + suborderCount;
    }

    /// @dev Writes a new parent order (its four words; none is zero) and links it into its consumer's list.
    function _storeOrder(
        uint256 orderId,
        WorkflowParams calldata params,
        OrderStatus status,
        uint8 blocking,
        bool cancelable
    ) internal {
        // Each word packed whole and stored at once: a field-by-field write costs a read and a
        // write per field. Offsets follow the declaration order of OrderRecord (Solidity packs a
        // struct's fields from the low bits of each word). Offer and slot ids are the registry's
        // 40-bit counters (it checked they exist); order ids are this contract's counter; block
        // numbers fit 40 bits; at most MAX_SUBORDERS (16) inputs and MAX_RESULT_RECIPIENTS (8)
        // recipients fit 8 bits.
        uint256 word0 =
            uint256(uint160(params.teeKey)) | (uint256(status) << 160) | (uint256(blocking) << 168);
        uint256 word1 =
            uint256(uint160(msg.sender)) |
                (uint256(uint40(params.teeOfferId)) << 160) |
                (uint256(uint40(params.teeSlotId)) << 200) |
                (params.resultRecipients.length << 240) |
                (cancelable ? 1 << 248 : 0);
        uint256 word2 =
            SafeCast.toUint96(params.deposit) |
                (uint256(uint40(block.number)) << 96) |
                (uint256(uint40(_newestOrderOf[msg.sender])) << 136) |
                (params.inputs.length << 216);
        OrderRecord storage order = _orders[orderId];
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            let slot := order.slot
            sstore(slot, word0)
            sstore(add(slot, 1), word1)
            sstore(add(slot, 2), word2)
        }
        order.solutionHash = params.solutionHash;
        _newestOrderOf[msg.sender] = orderId;
    }

    /// @dev The parent order `orderId`, reverting when there is none. Every order has an enclave key
    /// (createWorkflow requires one), and it is in word0, which every flow reads anyway.
    function _loadOrder(uint256 orderId) internal view returns (OrderRecord storage order) {
        order = _orders[orderId];
        require(order.teeKey != address(0), OrderNotFound(orderId));
    }

    /// @dev The parent of a suborder (which exists, so its parent does).
    function _parentOf(uint256 parentId) internal view returns (OrderRecord storage) {
        return _orders[parentId];
    }

    /// @dev The one status write of parent orders: checked against the transition table.
    function _setOrderStatus(uint256 orderId, OrderRecord storage order, OrderStatus to) internal {
        OrderStatus from = order.status;
        _requireTransition(orderId, from, to);
        order.status = to;
        emit OrderStatusUpdated(orderId, from, to);
    }

    /// @dev `_setOrderStatus(orderId, order, Processing)` and the start time: word0 read once and
    /// written once (field accesses would read it for the status and again for each write; a
    /// helper shared with `_completeWithResult` is not inlined and costs startOrder 100 gas, over
    /// its budget). Timestamps fit 40 bits.
    function _startProcessing(uint256 orderId, OrderRecord storage order) internal {
        uint256 word;
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            word := sload(order.slot)
        }
        OrderStatus from = OrderStatus(uint8(word >> _STATUS_BIT));
        _requireTransition(orderId, from, OrderStatus.Processing);
        uint256 updated =
            (word & ~(_STATUS_MASK | _STARTED_AT_MASK)) |
                (uint256(OrderStatus.Processing) << _STATUS_BIT) |
                (uint256(uint40(block.timestamp)) << _STARTED_AT_BIT);
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            sstore(order.slot, updated)
        }
        emit OrderStatusUpdated(orderId, from, OrderStatus.Processing);
    }

    /// @dev `_setOrderStatus(orderId, order, to)` for a completion and the result's block, word0
    /// read and written once as in `_startProcessing`. Block numbers fit 40 bits.
    function _completeWithResult(uint256 orderId, OrderRecord storage order, OrderStatus to) internal {
        uint256 word;
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            word := sload(order.slot)
        }
        OrderStatus from = OrderStatus(uint8(word >> _STATUS_BIT));
        _requireTransition(orderId, from, to);
        uint256 updated =
            (word & ~(_STATUS_MASK | _RESULT_BLOCK_MASK)) |
                (uint256(to) << _STATUS_BIT) |
                (uint256(uint40(block.number)) << _RESULT_BLOCK_BIT);
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            sstore(order.slot, updated)
        }
        emit OrderStatusUpdated(orderId, from, to);
    }

    /// @dev Reverts with `OrderInvalidTransition` when the table refuses `from` → `to`.
    function _requireTransition(uint256 id, OrderStatus from, OrderStatus to) internal pure {
        require(OrderStatusTransitions.canTransition(from, to), OrderInvalidTransition(id, from, to));
    }

    /// @dev The TCB registry: the offer registry itself, through its TCB interface (the TCBs are one
    /// of its bases).
    function _tcbRegistry() internal view returns (ITcbRegistry) {
        return ITcbRegistry(address(_OFFER_REGISTRY));
    }

    function _requireConsumer(uint256 orderId, OrderRecord storage order) internal view {
        require(order.consumer == msg.sender, OrderCallerNotConsumer(orderId, msg.sender));
    }

    /// @dev TEE operators: the order's enclave key while it is valid (checked first: the enclave
    /// makes most of these calls), or the TEE offer's provider authority or action account.
    function _requireTeeOperator(uint256 orderId, OrderRecord storage order) internal view {
        address teeKey = order.teeKey;
        if (msg.sender == teeKey && _tcbRegistry().isTeeKeyValid(teeKey)) return;
        _requireProviderOperator(orderId, order);
    }

    /// @dev The TEE offer's provider authority or action account.
    function _requireProviderOperator(uint256 orderId, OrderRecord storage order) internal view {
        require(
            _OFFER_REGISTRY.isOfferOperator(order.teeOfferId, msg.sender),
            OrderCallerNotTeeOperator(orderId, msg.sender)
        );
    }

    /// @dev Ends an open workflow as Canceled with its whole deposit credited back to the consumer.
    function _cancelWithRefund(uint256 orderId, OrderRecord storage order) internal virtual;

    /// @dev Walks a linked list from `cursor` for at most `limit` (capped) ids.
    function _page(
        uint256 cursor,
        uint256 limit,
        function(uint256) view returns (uint256) previous
    ) internal view returns (uint256[] memory ids, uint256 nextCursor) {
        uint256 length = Math.min(limit, MAX_ID_PAGE_SIZE);
        ids = new uint256[](length);
        for (uint256 i = 0; i < length; ++i) {
            if (cursor == 0) return (_prefix(ids, i), 0);
            ids[i] = cursor;
            cursor = previous(cursor);
        }
        nextCursor = cursor;
    }

    /// @dev The view of a stored order.
    function _toOrder(OrderRecord storage record) private view returns (Order memory) {
        return
            Order({
                consumer: record.consumer,
                status: record.status,
                suborderCount: record.suborderCount,
                blockingSuborders: record.blockingSuborders,
                recipientCount: record.recipientCount,
                cancelable: record.cancelable,
                startedAt: record.startedAt,
                teeOfferId: record.teeOfferId,
                teeSlotId: record.teeSlotId,
                teeKey: record.teeKey,
                argsBlock: record.argsBlock,
                deposit: record.deposit,
                reportBlock: record.reportBlock,
                resultBlock: record.resultBlock,
                solutionHash: record.solutionHash
            });
    }

    function _previousOrderOfConsumer(uint256 orderId) private view returns (uint256) {
        return _orders[orderId].previousOfConsumer;
    }

    /// @dev The first `length` elements of `array`, as a new array.
    function _prefix(uint256[] memory array, uint256 length) private pure returns (uint256[] memory prefix) {
        prefix = new uint256[](length);
        for (uint256 i = 0; i < length; ++i) {
            prefix[i] = array[i];
        }
    }

    /// @dev Reverts with `OrderTimeoutInvalid` unless 0 < timeout <= MAX_TIMEOUT.
    function _requireTimeout(uint256 timeout) private pure {
        require(timeout != 0 && timeout <= MAX_TIMEOUT, OrderTimeoutInvalid(timeout));
    }
}
