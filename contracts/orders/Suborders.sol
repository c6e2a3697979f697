// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IOrders, MAX_ENCRYPTED_RESULT_SIZE} from "../interfaces/IOrders.sol";
import {OrderStatus} from "../libraries/OrderStatusTransitions.sol";
import {SizeCaps} from "../libraries/SizeCaps.sol";
import {Escrow} from "./Escrow.sol";

/// @title Suborders
/// @notice The gate of a workflow: a data owner completes their suborder by hand, and a Done is
/// accepted only with the solution hash the order committed to.
abstract contract Suborders is Escrow {
    /* DATA OWNER */

    /// @inheritdoc IOrders
    function completeSuborder(
        uint256 suborderId,
        OrderStatus status,
        bytes32 solutionHash,
        bytes32 dataHash,
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
        OrderRecord storage parent = _orders[parentId];
        if (status == OrderStatus.Done) {
            require(
                solutionHash == parent.solutionHash,
                SolutionHashMismatch(suborderId, parent.solutionHash, solutionHash)
            );
        }

        _setSuborderStatus(suborderId, suborder, status);
        // Block numbers fit 48 bits (see OrderRecord).
        suborder.resultBlock = uint48(block.number);
        if (dataHash != bytes32(0)) suborder.dataHash = dataHash;
        emit SuborderCompleted(suborderId, msg.sender, status, dataHash, encryptedResult);

        if (status != OrderStatus.Done) {
            _cancelWithRefund(parentId, parent);
        } else if (--parent.blockingSuborders == 0) {
            _setOrderStatus(parentId, parent, OrderStatus.New);
        }
    }
}
