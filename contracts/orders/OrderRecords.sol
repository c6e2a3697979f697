// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";

import {IOfferRegistry} from "../interfaces/IOfferRegistry.sol";
import {IOrders} from "../interfaces/IOrders.sol";
import {ITcbRegistry} from "../interfaces/ITcbRegistry.sol";
import {OrderStatus, OrderStatusTransitions} from "../libraries/OrderStatusTransitions.sol";

/// @title OrderRecords
/// @notice Storage of orders and suborders, the one place where their statuses are written, and
/// the caller checks shared by the order flows.
abstract contract OrderRecords is IOrders, ReentrancyGuardTransient {
    /* STORAGE */

    /// @dev A parent order. Ids, offer ids and slot ids are sequential counters narrowed to 48 bits
    /// (2.8e14 ids cannot be exhausted); block numbers fit 48 bits for millions of years.
    /// word0: consumer (160) | status (8) | suborderCount (8) | blockingSuborders (8) | cancelable (8)
    ///        | startedAt (40)
    /// word1: teeOfferId (48) | teeSlotId (48) | argsBlock (48) | previousOfConsumer (48)
    /// word2: deposit (96) | reportTcbId (48) | reportBlock (48) | resultBlock (48)
    /// word3: solutionHash; word4: argsHash; word5: reportHash
    /// A deposit fits 96 bits (7.9e28 base units: 79 billion tokens of 18 decimals); larger ones
    /// revert with SafeCast's error. The result hash is only emitted (`OrderCompleted`), so that
    /// completing an order writes no new storage word.
    struct OrderRecord {
        address consumer;
        OrderStatus status;
        uint8 suborderCount;
        uint8 blockingSuborders;
        bool cancelable;
        uint40 startedAt;
        uint48 teeOfferId;
        uint48 teeSlotId;
        uint48 argsBlock;
        uint48 previousOfConsumer;
        uint96 deposit;
        uint48 reportTcbId;
        uint48 reportBlock;
        uint48 resultBlock;
        bytes32 solutionHash;
        bytes32 argsHash;
        bytes32 reportHash;
    }

    /// @dev A suborder.
    /// word0: parentId (48) | offerId (48) | slotId (48) | status (8) | resultBlock (48)
    ///        | previousOfOffer (48)
    /// word1: dataHash
    struct SuborderRecord {
        uint48 parentId;
        uint48 offerId;
        uint48 slotId;
        OrderStatus status;
        uint48 resultBlock;
        uint48 previousOfOffer;
        bytes32 dataHash;
    }

    IERC20 internal immutable _PAYMENT_TOKEN;
    IOfferRegistry internal immutable _OFFER_REGISTRY;
    ITcbRegistry internal immutable _TCB_REGISTRY;
    uint256 internal immutable _PROCESSING_TIMEOUT;

    /// @dev Last id handed out; parents and suborders share the sequence.
    uint256 internal _orderCount;
    mapping(uint256 orderId => OrderRecord) internal _orders;
    mapping(uint256 suborderId => SuborderRecord) internal _suborders;
    /// @dev Heads of the per-consumer and per-offer linked lists that the paginated views walk.
    mapping(address consumer => uint256 orderId) internal _newestOrderOf;
    mapping(uint256 offerId => uint256 suborderId) internal _newestSuborderOf;
    mapping(address account => uint256 amount) internal _balances;

    /// @notice Sets the contracts and the timeout the order flows use.
    /// @param paymentToken_ ERC-20 the deposits are paid in.
    /// @param offerRegistry_ The offer registry (bound to this contract by its deployer).
    /// @param tcbRegistry_ The TCB registry.
    /// @param processingTimeout_ Seconds a started order may run when its TEE slot has no max time.
    constructor(
        IERC20 paymentToken_,
        IOfferRegistry offerRegistry_,
        ITcbRegistry tcbRegistry_,
        uint256 processingTimeout_
    ) {
        _PAYMENT_TOKEN = paymentToken_;
        _OFFER_REGISTRY = offerRegistry_;
        _TCB_REGISTRY = tcbRegistry_;
        _PROCESSING_TIMEOUT = processingTimeout_;
    }

    /* INTERNAL */

    /// @dev The parent order `orderId`, reverting when there is none.
    function _loadOrder(uint256 orderId) internal view returns (OrderRecord storage order) {
        order = _orders[orderId];
        require(order.consumer != address(0), OrderNotFound(orderId));
    }

    /// @dev The suborder `suborderId`, reverting when there is none.
    function _loadSuborder(uint256 suborderId) internal view returns (SuborderRecord storage suborder) {
        suborder = _suborders[suborderId];
        require(suborder.parentId != 0, SuborderNotFound(suborderId));
    }

    /// @dev The one status write of parent orders: checked against the transition table.
    function _setOrderStatus(uint256 orderId, OrderRecord storage order, OrderStatus to) internal {
        OrderStatus from = order.status;
        _requireTransition(orderId, from, to);
        order.status = to;
        emit OrderStatusUpdated(orderId, from, to);
    }

    /// @dev The one status write of suborders: checked against the transition table.
    function _setSuborderStatus(
        uint256 suborderId,
        SuborderRecord storage suborder,
        OrderStatus to
    ) internal {
        OrderStatus from = suborder.status;
        _requireTransition(suborderId, from, to);
        suborder.status = to;
        emit OrderStatusUpdated(suborderId, from, to);
    }

    function _requireTransition(uint256 id, OrderStatus from, OrderStatus to) internal pure {
        require(OrderStatusTransitions.canTransition(from, to), OrderInvalidTransition(id, from, to));
    }

    function _requireConsumer(uint256 orderId, OrderRecord storage order) internal view {
        require(order.consumer == msg.sender, OrderCallerNotConsumer(orderId, msg.sender));
    }

    /// @dev TEE operators: the key of the offer's valid active TCB (checked first: the TEE itself
    /// makes most of these calls), or the TEE offer's provider authority or action account.
    /// Returns that key (zero when the offer has no valid active TCB) for callers that need it too.
    function _requireTeeOperator(
        uint256 orderId,
        OrderRecord storage order
    ) internal view returns (address activeTeeKey) {
        uint256 teeOfferId = order.teeOfferId;
        activeTeeKey = _TCB_REGISTRY.activeTeeKeyOf(teeOfferId);
        if (activeTeeKey == msg.sender) return activeTeeKey;
        require(
            _OFFER_REGISTRY.isOfferOperator(teeOfferId, msg.sender),
            OrderCallerNotTeeOperator(orderId, msg.sender)
        );
    }

    /// @dev The slots an order reserved: the TEE slot first, then each suborder's, in id order.
    function _slotIdsOf(
        uint256 orderId,
        OrderRecord storage order
    ) internal view returns (uint256[] memory slotIds) {
        uint256 count = order.suborderCount;
        slotIds = new uint256[](count + 1);
        slotIds[0] = order.teeSlotId;
        for (uint256 i = 0; i < count; ++i) {
            slotIds[i + 1] = _suborders[orderId + 1 + i].slotId;
        }
    }
}
