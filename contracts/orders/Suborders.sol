// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {OrderStatus, MAX_ENCRYPTED_RESULT_SIZE} from "../interfaces/MarketplaceTypes.sol";
import {IOfferRegistry} from "../interfaces/IOfferRegistry.sol";
import {IOrders} from "../interfaces/IOrders.sol";
import {ITcbRegistry} from "../interfaces/ITcbRegistry.sol";
import {OrderStatusTransitions} from "../libraries/OrderStatusTransitions.sol";
import {SizeCaps} from "../libraries/SizeCaps.sol";
import {OrderRecords} from "./OrderRecords.sol";

/// @title Suborders
/// @notice The suborders of workflows: their records (private), their creation, each offer's list of
/// them, their views, and the gate of a workflow: a data owner completes their suborder by hand, and
/// a Done is accepted only with the solution hash the order committed to, for the order's enclave.
abstract contract Suborders is OrderRecords {
    /* STORAGE */

    /// @dev A suborder, two words (ids, block numbers and timestamps fit 40 bits: see OrderRecord).
    ///   word0  parentId (40) | offerId (40) | slotId (40) | status (8) | resultBlock (40)
    ///          | previousOfOffer (40) | createdAt (40)                               248 bits
    ///   word1  dataHash (written only when the owner pins one)
    /// `createdAt` is the workflow's creation time, kept here because the parent's words are full
    /// and a Blocked order always has a first suborder to read it from.
    struct SuborderRecord {
        uint40 parentId;
        uint40 offerId;
        uint40 slotId;
        OrderStatus status;
        uint40 resultBlock;
        uint40 previousOfOffer;
        uint40 createdAt;
        bytes32 dataHash;
    }

    mapping(uint256 suborderId => SuborderRecord) private _suborders;
    /// @dev Head of each offer's list of suborders (linked through `previousOfOffer`).
    mapping(uint256 offerId => uint256 suborderId) private _newestSuborderOf;

    /* DATA OWNER */

    /// @inheritdoc IOrders
    function completeSuborder(
        uint256 suborderId,
        OrderStatus status,
        bytes32 solutionHash,
        bytes32 dataHash,
        address teeKey,
        bytes calldata encryptedResult
    ) external nonReentrant {
        SizeCaps.check(encryptedResult, MAX_ENCRYPTED_RESULT_SIZE, "encryptedResult");
        SuborderRecord storage suborder = _loadSuborder(suborderId);
        require(
            _OFFER_REGISTRY.isOfferOperator(suborder.offerId, msg.sender),
            SuborderCallerNotOperator(suborderId, msg.sender)
        );
        require(
            status == OrderStatus.Done || status == OrderStatus.Error || status == OrderStatus.Canceled,
            OrderInvalidCompletionStatus(suborderId, status)
        );
        uint256 parentId = suborder.parentId;
        OrderRecord storage parent = _parentOf(parentId);
        if (status == OrderStatus.Done) {
            bytes32 committed = parent.solutionHash;
            require(solutionHash == committed, SolutionHashMismatch(suborderId, committed, solutionHash));
            address enclave = parent.teeKey;
            require(teeKey == enclave, SuborderTeeKeyMismatch(suborderId, enclave, teeKey));
        }

        _setSuborderStatus(suborderId, suborder, status);
        // Block numbers fit 40 bits (see OrderRecord).
        suborder.resultBlock = uint40(block.number);
        if (dataHash != bytes32(0)) suborder.dataHash = dataHash;
        emit SuborderCompleted(suborderId, msg.sender, status, teeKey, dataHash, encryptedResult);

        if (status != OrderStatus.Done) {
            _cancelWithRefund(parentId, parent);
        } else if (--parent.blockingSuborders == 0) {
            _setOrderStatus(parentId, parent, OrderStatus.New);
        }
    }

    /* VIEWS */

    /// @inheritdoc IOrders
    function getSuborder(uint256 suborderId) public view returns (Suborder memory) {
        SuborderRecord storage record = _loadSuborder(suborderId);
        return
            Suborder({
                parentId: record.parentId,
                offerId: record.offerId,
                slotId: record.slotId,
                status: record.status,
                createdAt: record.createdAt,
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
    function getSuborderContext(
        uint256 suborderId
    )
        external
        view
        returns (
            Suborder memory suborder,
            Order memory parent,
            ITcbRegistry.TeeKey memory teeKey,
            ITcbRegistry.Tcb memory tcb
        )
    {
        suborder = getSuborder(suborderId);
        parent = getOrder(suborder.parentId);
        (teeKey, tcb) = _tcbRegistry().getTeeKey(parent.teeKey);
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
    function blockedDeadline(uint256 orderId) public view returns (uint256) {
        OrderRecord storage order = _loadOrder(orderId);
        if (order.suborderCount == 0) return 0;
        return uint256(_suborders[orderId + 1].createdAt) + _BLOCKED_TIMEOUT;
    }

    /* INTERNAL */

    /// @notice Writes a workflow's suborders (Done at once when auto-complete) and links each into
    /// its offer's list.
    /// @param orderId The parent; the suborders take the next ids.
    /// @param inputs The workflow's inputs.
    /// @param autoCompleteMask Bit `i` set when input `i`'s suborder completes without its owner.
    /// @return blocking Number of suborders created New (they block the parent).
    function _storeSuborders(
        uint256 orderId,
        IOfferRegistry.WorkflowInput[] calldata inputs,
        uint256 autoCompleteMask
    ) internal returns (uint8 blocking) {
        for (uint256 i = 0; i < inputs.length; ++i) {
            bool done = (autoCompleteMask >> i) & 1 != 0;
            // At most MAX_SUBORDERS (16) inputs: the count fits 8 bits.
            if (!done) ++blocking;
            uint256 suborderId = orderId + 1 + i;
            uint256 offerId = inputs[i].offerId;
            // word0 packed whole and stored at once (a field-by-field write costs a read and a
            // write per field); the data-hash word stays unwritten. Offsets follow SuborderRecord's
            // declaration order (resultBlock, bits 128-167, is 0). Ids are sequential 40-bit
            // counters checked by the registry; timestamps fit 40 bits (see OrderRecord).
            uint256 word =
                uint256(uint40(orderId)) |
                    (uint256(uint40(offerId)) << 40) |
                    (uint256(uint40(inputs[i].slotId)) << 80) |
                    (uint256(done ? OrderStatus.Done : OrderStatus.New) << 120) |
                    (uint256(uint40(_newestSuborderOf[offerId])) << 168) |
                    (uint256(uint40(block.timestamp)) << 208);
            SuborderRecord storage suborder = _suborders[suborderId];
            // solhint-disable-next-line no-inline-assembly
            assembly ("memory-safe") {
                sstore(suborder.slot, word)
            }
            _newestSuborderOf[offerId] = suborderId;
        }
    }

    /// @dev The suborder `suborderId`, reverting when there is none.
    function _loadSuborder(uint256 suborderId) internal view returns (SuborderRecord storage suborder) {
        suborder = _suborders[suborderId];
        require(suborder.parentId != 0, SuborderNotFound(suborderId));
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

    /// @dev Cancels every open suborder of a workflow (its parent is being canceled).
    function _cancelOpenSuborders(uint256 orderId, uint256 count) internal {
        for (uint256 i = 1; i <= count; ++i) {
            SuborderRecord storage suborder = _suborders[orderId + i];
            if (!OrderStatusTransitions.isTerminal(suborder.status)) {
                _setSuborderStatus(orderId + i, suborder, OrderStatus.Canceled);
            }
        }
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

    /// @dev The data hash a suborder's owner pinned (0 = none).
    function _pinnedDataHash(uint256 suborderId) internal view returns (bytes32) {
        return _suborders[suborderId].dataHash;
    }

    function _previousSuborderOfOffer(uint256 suborderId) private view returns (uint256) {
        return _suborders[suborderId].previousOfOffer;
    }
}
