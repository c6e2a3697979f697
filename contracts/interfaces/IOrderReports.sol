// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {OrderStatus, RuntimeType} from "./MarketplaceTypes.sol";

/// @title IOrderReports
/// @notice What an order's enclave signs: the order report (what it ran, before running it) and
/// the result receipt (what it delivered). Both are signed with EIP-712 by the order's enclave: the
/// TEE key the consumer handed the order to at creation and every data owner approved at
/// completion. The contract accepts a report only from that key, valid now, and only if its Image
/// entry is the solution hash the order committed to and every data hash a data owner pinned
/// appears as a Data entry. It stores the report's hash and block; the report itself is in
/// `OrderReportPublished`.
/// @dev Signatures are EIP-712 over the Orders contract's domain (name "TeeMarketplaceOrders",
/// version "1", chain id, Orders address) with types
/// `OrderReport(uint256 orderId,uint256 tcbId,uint64 created,RuntimeInfo[] runtimeInfo)`,
/// `RuntimeInfo(uint8 runtimeType,uint64 size,bytes32 hash)` and
/// `ResultReceipt(uint256 orderId,bytes32 resultHash,bytes[] pointers)`.
/// @dev Warning: sizes, the creation time and entries other than Image and pinned Data are the
/// TEE's word, not checked on-chain. A result pointer is ciphertext for one recipient's public key:
/// the contract checks that there is one per recipient and that the enclave signed them, not what
/// they decrypt to.
interface IOrderReports {
    /// @notice One thing the TEE ran or read.
    /// @param runtimeType Image (the solution), Solution (a further solution layer) or Data.
    /// @param size Size in bytes.
    /// @param hash sha256 of the content.
    struct RuntimeInfo {
        RuntimeType runtimeType;
        uint64 size;
        bytes32 hash;
    }

    /// @notice A TEE's report of an order.
    /// @param orderId The (parent) order.
    /// @param tcbId A TCB of the order's enclave key (its newest, normally) that the report names.
    /// @param created When the TEE created the report (unix seconds).
    /// @param runtimeInfo What ran, at most `MAX_REPORT_ENTRIES` entries.
    struct OrderReport {
        uint256 orderId;
        uint256 tcbId;
        uint64 created;
        RuntimeInfo[] runtimeInfo;
    }

    /// @notice The enclave's receipt for an order's result.
    /// @param orderId The order.
    /// @param resultHash sha256 of the result (the packed, encrypted output), as every recipient will
    /// check it.
    /// @param pointers One encrypted result pointer per result recipient, in the order the workflow
    /// named them (the consumer's first); each at most `MAX_RESULT_POINTER_SIZE` bytes.
    struct ResultReceipt {
        uint256 orderId;
        bytes32 resultHash;
        bytes[] pointers;
    }

    /// @notice Reports are published while the order is Processing.
    /// @param orderId The order.
    /// @param status Its status.
    error OrderReportNotProcessing(uint256 orderId, OrderStatus status);

    /// @notice The order already has a report.
    /// @param orderId The order.
    error OrderReportAlreadyPublished(uint256 orderId);

    /// @notice The report is for another order than the one it is published for.
    /// @param orderId The order it is published for.
    /// @param reportOrderId The order the report names.
    error OrderReportOrderMismatch(uint256 orderId, uint256 reportOrderId);

    /// @notice The report's TCB attests another TEE key than the order's enclave: the data owners
    /// handed their data to that enclave, not to this one.
    /// @param orderId The order.
    /// @param tcbId The report's TCB.
    /// @param teeKey The TCB's key (zero for an unknown TCB).
    /// @param approvedTeeKey The order's enclave key.
    error OrderReportTeeNotApproved(uint256 orderId, uint256 tcbId, address teeKey, address approvedTeeKey);

    /// @notice The order's enclave key is revoked, or its newest TCB expired.
    /// @param orderId The order.
    /// @param tcbId The report's TCB.
    error OrderReportTcbNotValid(uint256 orderId, uint256 tcbId);

    /// @notice The signature does not recover to the order's enclave key.
    /// @param orderId The order.
    /// @param signer The recovered signer.
    /// @param teeKey The order's enclave key.
    error OrderReportSignerMismatch(uint256 orderId, address signer, address teeKey);

    /// @notice The report does not have exactly one Image entry.
    /// @param orderId The order.
    /// @param imageEntries Number of Image entries found.
    error OrderReportImageCount(uint256 orderId, uint256 imageEntries);

    /// @notice The Image entry is not the solution hash the order committed to.
    /// @param orderId The order.
    /// @param expected The committed solution hash.
    /// @param provided The Image entry's hash.
    error OrderReportImageMismatch(uint256 orderId, bytes32 expected, bytes32 provided);

    /// @notice A data hash pinned by a data owner has no Data entry.
    /// @param orderId The order.
    /// @param suborderId The suborder whose owner pinned it.
    /// @param dataHash The pinned hash.
    error OrderReportDataMissing(uint256 orderId, uint256 suborderId, bytes32 dataHash);

    /// @notice The report has more entries than `MAX_REPORT_ENTRIES`.
    /// @param entries Its number of entries.
    /// @param maxEntries The cap.
    error OrderReportTooManyEntries(uint256 entries, uint256 maxEntries);

    /// @notice The receipt is for another order than the one being completed.
    /// @param orderId The order being completed.
    /// @param receiptOrderId The order the receipt names.
    error OrderReceiptOrderMismatch(uint256 orderId, uint256 receiptOrderId);

    /// @notice A Done order's receipt needs exactly one pointer per result recipient; an Error
    /// order's has at most that many.
    /// @param orderId The order.
    /// @param pointers Number of pointers given.
    /// @param recipients Number of result recipients of the order.
    error OrderReceiptPointerCount(uint256 orderId, uint256 pointers, uint256 recipients);

    /// @notice A Done order's enclave key is revoked, or its newest TCB expired: its receipt cannot
    /// be trusted.
    /// @param orderId The order.
    /// @param teeKey The order's enclave key.
    error OrderReceiptTeeNotValid(uint256 orderId, address teeKey);

    /// @notice The receipt's signature does not recover to the order's enclave key.
    /// @param orderId The order.
    /// @param signer The recovered signer.
    /// @param teeKey The order's enclave key.
    error OrderReceiptSignerMismatch(uint256 orderId, address signer, address teeKey);

    /// @notice A report was published for an order.
    /// @param orderId The order.
    /// @param tcbId The TCB the report names.
    /// @param reportHash The report's EIP-712 struct hash (the order stores the block, not the hash).
    /// @param report The report.
    /// @param signature The enclave's signature.
    event OrderReportPublished(
        uint256 indexed orderId,
        uint256 indexed tcbId,
        bytes32 reportHash,
        OrderReport report,
        bytes signature
    );

    /// @notice Publishes a Processing order's report. TEE operators only: the order's enclave key,
    /// or the TEE offer's provider authority or action account.
    /// @param orderId The order.
    /// @param report The report.
    /// @param signature EIP-712 signature of `report` by the order's enclave key (65 bytes: r, s, v).
    function publishOrderReport(
        uint256 orderId,
        OrderReport calldata report,
        bytes calldata signature
    ) external;

    /// @notice The EIP-712 digest an enclave signs for `report`.
    /// @param report The report.
    /// @return The digest.
    function orderReportDigest(OrderReport calldata report) external view returns (bytes32);

    /// @notice The EIP-712 struct hash of `report` (what `OrderReportPublished` and the order store).
    /// @param report The report.
    /// @return The hash.
    function orderReportHash(OrderReport calldata report) external pure returns (bytes32);

    /// @notice The EIP-712 digest an enclave signs for a result receipt.
    /// @param receipt The receipt.
    /// @return The digest.
    function resultReceiptDigest(ResultReceipt calldata receipt) external view returns (bytes32);
}
