// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";

import {IOrderReports, MAX_REPORT_ENTRIES, RuntimeType} from "../interfaces/IOrderReports.sol";
import {OrderStatus} from "../libraries/OrderStatusTransitions.sol";
import {OrderRecords} from "./OrderRecords.sol";

/// @title OrderReports
/// @notice Accepts a TEE's signed report of a Processing order when it is signed by the key of the
/// valid, active TCB of the order's TEE offer and its hashes are the ones the order committed to.
abstract contract OrderReports is OrderRecords, EIP712 {
    bytes32 private constant _RUNTIME_INFO_TYPEHASH = keccak256(
        "RuntimeInfo(uint8 runtimeType,uint64 size,bytes32 hash)"
    );
    bytes32 private constant _ORDER_REPORT_TYPEHASH = keccak256(
        "OrderReport(uint256 orderId,uint256 tcbId,uint64 created,RuntimeInfo[] runtimeInfo)"
        "RuntimeInfo(uint8 runtimeType,uint64 size,bytes32 hash)"
    );

    /// @notice Sets the EIP-712 domain reports are signed in.
    constructor() EIP712("TeeMarketplaceOrders", "1") {}

    /* TEE */

    /// @inheritdoc IOrderReports
    function publishOrderReport(
        uint256 orderId,
        OrderReport calldata report,
        bytes calldata signature
    ) external nonReentrant {
        OrderRecord storage order = _loadOrder(orderId);
        address teeKey = _requireTeeOperator(orderId, order);
        require(order.status == OrderStatus.Processing, OrderReportNotProcessing(orderId, order.status));
        require(order.reportHash == bytes32(0), OrderReportAlreadyPublished(orderId));
        require(report.orderId == orderId, OrderReportOrderMismatch(orderId, report.orderId));
        uint256 entries = report.runtimeInfo.length;
        require(entries <= MAX_REPORT_ENTRIES, OrderReportTooManyEntries(entries, MAX_REPORT_ENTRIES));

        _requireSigningTcb(orderId, order.teeOfferId, report.tcbId, teeKey);
        bytes32 reportHash = orderReportHash(report);
        address signer = ECDSA.recoverCalldata(_hashTypedDataV4(reportHash), signature);
        require(signer == teeKey, OrderReportSignerMismatch(orderId, signer, teeKey));
        _requireCommittedHashes(orderId, order, report);

        order.reportHash = reportHash;
        // TCB ids are sequential counters and block numbers fit 48 bits (see OrderRecord).
        order.reportTcbId = uint48(report.tcbId);
        order.reportBlock = uint48(block.number);
        emit OrderReportPublished(orderId, report.tcbId, reportHash, report, signature);
    }

    /* VIEWS */

    /// @inheritdoc IOrderReports
    function orderReportDigest(OrderReport calldata report) external view returns (bytes32) {
        return _hashTypedDataV4(orderReportHash(report));
    }

    /// @inheritdoc IOrderReports
    function orderReportHash(OrderReport calldata report) public pure returns (bytes32) {
        uint256 entries = report.runtimeInfo.length;
        bytes32[] memory entryHashes = new bytes32[](entries);
        for (uint256 i = 0; i < entries; ++i) {
            RuntimeInfo calldata entry = report.runtimeInfo[i];
            entryHashes[i] = keccak256(
                abi.encode(_RUNTIME_INFO_TYPEHASH, entry.runtimeType, entry.size, entry.hash)
            );
        }
        return
            keccak256(
                abi.encode(
                    _ORDER_REPORT_TYPEHASH,
                    report.orderId,
                    report.tcbId,
                    report.created,
                    keccak256(abi.encodePacked(entryHashes))
                )
            );
    }

    /* INTERNAL */

    /// @dev `tcbId` must be the active TCB of the order's TEE offer, and valid: `activeTeeKey` (the
    /// active TCB's key, as `activeTeeKeyOf` returned it) is zero when it is revoked or expired.
    function _requireSigningTcb(
        uint256 orderId,
        uint256 teeOfferId,
        uint256 tcbId,
        address activeTeeKey
    ) private view {
        uint256 activeTcbId = _TCB_REGISTRY.activeTcbOf(teeOfferId);
        require(tcbId == activeTcbId && tcbId != 0, OrderReportTcbNotActive(orderId, tcbId, activeTcbId));
        require(activeTeeKey != address(0), OrderReportTcbNotValid(orderId, tcbId));
    }

    /// @dev Exactly one Image entry, equal to the committed solution hash; a Data entry for every
    /// data hash a data owner pinned.
    function _requireCommittedHashes(
        uint256 orderId,
        OrderRecord storage order,
        OrderReport calldata report
    ) private view {
        RuntimeInfo[] calldata entries = report.runtimeInfo;
        uint256 imageEntries = 0;
        bytes32 imageHash;
        for (uint256 i = 0; i < entries.length; ++i) {
            if (entries[i].runtimeType == RuntimeType.Image) {
                ++imageEntries;
                imageHash = entries[i].hash;
            }
        }
        require(imageEntries == 1, OrderReportImageCount(orderId, imageEntries));
        require(
            imageHash == order.solutionHash,
            OrderReportImageMismatch(orderId, order.solutionHash, imageHash)
        );

        uint256 count = order.suborderCount;
        for (uint256 s = 1; s <= count; ++s) {
            bytes32 dataHash = _suborders[orderId + s].dataHash;
            if (dataHash != bytes32(0) && !_hasDataEntry(entries, dataHash)) {
                revert OrderReportDataMissing(orderId, orderId + s, dataHash);
            }
        }
    }

    function _hasDataEntry(RuntimeInfo[] calldata entries, bytes32 dataHash) private pure returns (bool) {
        for (uint256 i = 0; i < entries.length; ++i) {
            if (entries[i].runtimeType == RuntimeType.Data && entries[i].hash == dataHash) return true;
        }
        return false;
    }
}
