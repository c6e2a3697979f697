// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";

import {
    OrderStatus,
    RuntimeType,
    MAX_REPORT_ENTRIES,
    MAX_RESULT_POINTER_SIZE
} from "../interfaces/MarketplaceTypes.sol";
import {IOrderReports} from "../interfaces/IOrderReports.sol";
import {SizeCaps} from "../libraries/SizeCaps.sol";
import {Escrow} from "./Escrow.sol";

/// @title OrderReports
/// @notice What the order's enclave signs: accepts a Processing order's report when the order's
/// enclave key signed it, is valid, and its hashes are the ones the order committed to; and checks
/// the enclave's result receipt when an order completes Done.
abstract contract OrderReports is Escrow, EIP712 {
    bytes32 private constant _RUNTIME_INFO_TYPEHASH = keccak256(
        "RuntimeInfo(uint8 runtimeType,uint64 size,bytes32 hash)"
    );
    bytes32 private constant _ORDER_REPORT_TYPEHASH = keccak256(
        "OrderReport(uint256 orderId,uint256 tcbId,uint64 created,RuntimeInfo[] runtimeInfo)"
        "RuntimeInfo(uint8 runtimeType,uint64 size,bytes32 hash)"
    );
    bytes32 private constant _RESULT_RECEIPT_TYPEHASH = keccak256(
        "ResultReceipt(uint256 orderId,bytes32 resultHash,bytes[] pointers)"
    );

    /// @notice Sets the EIP-712 domain reports and receipts are signed in.
    constructor() EIP712("TeeMarketplaceOrders", "1") {}

    /* TEE */

    /// @inheritdoc IOrderReports
    function publishOrderReport(
        uint256 orderId,
        OrderReport calldata report,
        bytes calldata signature
    ) external {
        OrderRecord storage order = _loadOrder(orderId);
        address teeKey = order.teeKey;
        // The enclave's validity is checked below, with its report's TCB, in one call.
        if (msg.sender != teeKey) _requireProviderOperator(orderId, order);
        require(order.status == OrderStatus.Processing, OrderReportNotProcessing(orderId, order.status));
        require(order.reportBlock == 0, OrderReportAlreadyPublished(orderId));
        require(report.orderId == orderId, OrderReportOrderMismatch(orderId, report.orderId));
        uint256 entries = report.runtimeInfo.length;
        require(entries <= MAX_REPORT_ENTRIES, OrderReportTooManyEntries(entries, MAX_REPORT_ENTRIES));

        uint256 tcbId = report.tcbId;
        (address tcbKey, bool keyValid) = _tcbRegistry().tcbKeyState(tcbId);
        require(tcbKey == teeKey, OrderReportTeeNotApproved(orderId, tcbId, tcbKey, teeKey));
        require(keyValid, OrderReportTcbNotValid(orderId, tcbId));
        bytes32 reportHash = orderReportHash(report);
        address signer = ECDSA.recoverCalldata(_hashTypedDataV4(reportHash), signature);
        require(signer == teeKey, OrderReportSignerMismatch(orderId, signer, teeKey));
        _requireCommittedHashes(orderId, order, report);

        // Block numbers fit 40 bits (see OrderRecord).
        order.reportBlock = uint40(block.number);
        _emitOrderReportPublished(orderId, tcbId, reportHash);
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
                    _hashArray(entryHashes)
                )
            );
    }

    /// @inheritdoc IOrderReports
    function resultReceiptDigest(ResultReceipt calldata receipt) public view returns (bytes32) {
        uint256 count = receipt.pointers.length;
        bytes32[] memory pointerHashes = new bytes32[](count);
        for (uint256 i = 0; i < count; ++i) {
            pointerHashes[i] = keccak256(receipt.pointers[i]);
        }
        return
            _hashTypedDataV4(
                keccak256(
                    abi.encode(
                        _RESULT_RECEIPT_TYPEHASH,
                        receipt.orderId,
                        receipt.resultHash,
                        _hashArray(pointerHashes)
                    )
                )
            );
    }

    /* INTERNAL */

    /// @dev A receipt for the order: its pointers capped and, for Done, one per result recipient and
    /// signed by the order's enclave key, which must still be valid; for Error, at most one per
    /// recipient and unsigned (the provider's word).
    function _requireReceipt(
        uint256 orderId,
        OrderRecord storage order,
        OrderStatus status,
        ResultReceipt calldata receipt,
        bytes calldata signature,
        bool teeKeyValid
    ) internal view {
        require(receipt.orderId == orderId, OrderReceiptOrderMismatch(orderId, receipt.orderId));
        uint256 count = receipt.pointers.length;
        for (uint256 i = 0; i < count; ++i) {
            SizeCaps.check(receipt.pointers[i], MAX_RESULT_POINTER_SIZE, "pointers");
        }
        uint256 recipients = order.recipientCount;
        if (status != OrderStatus.Done) {
            require(count <= recipients, OrderReceiptPointerCount(orderId, count, recipients));
            return;
        }
        require(count == recipients, OrderReceiptPointerCount(orderId, count, recipients));
        address teeKey = order.teeKey;
        require(teeKeyValid, OrderReceiptTeeNotValid(orderId, teeKey));
        address signer = ECDSA.recoverCalldata(resultReceiptDigest(receipt), signature);
        require(signer == teeKey, OrderReceiptSignerMismatch(orderId, signer, teeKey));
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
        bytes32 solutionHash = order.solutionHash;
        require(imageHash == solutionHash, OrderReportImageMismatch(orderId, solutionHash, imageHash));

        uint256 count = order.suborderCount;
        for (uint256 s = 1; s <= count; ++s) {
            bytes32 dataHash = _pinnedDataHash(orderId + s);
            if (dataHash != bytes32(0) && !_hasDataEntry(entries, dataHash)) {
                revert OrderReportDataMissing(orderId, orderId + s, dataHash);
            }
        }
    }

    /// @notice Emits `OrderReportPublished`, the call's own encoding of the report and signature as
    /// the event's.
    /// @dev `publishOrderReport(orderId, report, signature)`'s arguments are encoded as the event's
    /// data `(reportHash, report, signature)` is, but for the first word: the order id there, the
    /// report's hash here. Copying them and writing that word costs a fraction of re-encoding the
    /// report (1.6k gas less). As for `WorkflowCreated`, a decoder of the event follows the offsets
    /// and lengths the contract decoded, so the event never shows another report than the one the
    /// contract hashed and checked: a non-canonical encoding decodes to the same values, and a field
    /// the contract would refuse (an entry type out of range, dirty bits in a uint64) reverted in
    /// the hashing. Holds while `publishOrderReport` takes these three parameters.
    /// @param orderId The order.
    /// @param tcbId The TCB the report names.
    /// @param reportHash The report's struct hash.
    function _emitOrderReportPublished(uint256 orderId, uint256 tcbId, bytes32 reportHash) private {
        bytes32 topic = OrderReportPublished.selector;
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            let size := sub(calldatasize(), 4)
            let data := mload(0x40)
            calldatacopy(data, 4, size)
            mstore(data, reportHash)
            log3(data, size, topic, orderId, tcbId)
        }
    }

    /// @dev `keccak256(abi.encodePacked(array))` (EIP-712's hash of an array of words), hashed where
    /// the array lies instead of copied first.
    function _hashArray(bytes32[] memory array) private pure returns (bytes32 hash) {
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            hash := keccak256(add(array, 0x20), shl(5, mload(array)))
        }
    }

    function _hasDataEntry(RuntimeInfo[] calldata entries, bytes32 dataHash) private pure returns (bool) {
        for (uint256 i = 0; i < entries.length; ++i) {
            if (entries[i].runtimeType == RuntimeType.Data && entries[i].hash == dataHash) return true;
        }
        return false;
    }
}
