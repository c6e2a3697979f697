// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {OrderStatus} from "../libraries/OrderStatusTransitions.sol";

/// @dev Cap on the runtime entries of an order report.
uint256 constant MAX_REPORT_ENTRIES = 32;

/// @notice Kind of a runtime entry of an order report. Values match Super Protocol's.
enum RuntimeType {
    Image,
    Solution,
    Data
}

/// @title IOrderReports
/// @notice Order reports: what a TEE says it ran for an order, signed with the `teeKey` of a TCB that
/// is valid and active for the order's TEE offer. The contract accepts a report only if its Image
/// entry is the solution hash the order committed to and every data hash a data owner pinned
/// appears as a Data entry. It stores the report's hash, TCB id and block; the report itself is
/// in `OrderReportPublished`.
/// @dev Signatures are EIP-712 over the Orders contract's domain (name "TeeMarketplaceOrders",
/// version "1", chain id, Orders address) with types
/// `OrderReport(uint256 orderId,uint256 tcbId,uint64 created,RuntimeInfo[] runtimeInfo)` and
/// `RuntimeInfo(uint8 runtimeType,uint64 size,bytes32 hash)`.
/// @dev Warning: sizes, the creation time and entries other than Image and pinned Data are the
/// TEE's word, not checked on-chain.
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
    /// @param tcbId The TCB whose key signs the report.
    /// @param created When the TEE created the report (unix seconds).
    /// @param runtimeInfo What ran, at most `MAX_REPORT_ENTRIES` entries.
    struct OrderReport {
        uint256 orderId;
        uint256 tcbId;
        uint64 created;
        RuntimeInfo[] runtimeInfo;
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

    /// @notice The report's TCB is not the active TCB of the order's TEE offer.
    /// @param orderId The order.
    /// @param tcbId The report's TCB.
    /// @param activeTcbId The active TCB of the order's TEE offer (0 if none).
    error OrderReportTcbNotActive(uint256 orderId, uint256 tcbId, uint256 activeTcbId);

    /// @notice The report's TCB is revoked or expired.
    /// @param orderId The order.
    /// @param tcbId The TCB.
    error OrderReportTcbNotValid(uint256 orderId, uint256 tcbId);

    /// @notice The signature does not recover to the TCB's TEE key.
    /// @param orderId The order.
    /// @param signer The recovered signer.
    /// @param teeKey The TCB's TEE key.
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

    /// @notice A report was published for an order.
    /// @param orderId The order.
    /// @param tcbId The TCB whose key signed it.
    /// @param reportHash The report's EIP-712 struct hash, stored on-chain.
    /// @param report The report.
    /// @param signature The TEE's signature.
    event OrderReportPublished(
        uint256 indexed orderId,
        uint256 indexed tcbId,
        bytes32 reportHash,
        OrderReport report,
        bytes signature
    );

    /// @notice Publishes a Processing order's report. TEE operators only: the TEE offer's provider
    /// authority, its action account, or the active TCB's key.
    /// @param orderId The order.
    /// @param report The report.
    /// @param signature EIP-712 signature of `report` by the TCB's TEE key (65 bytes: r, s, v).
    function publishOrderReport(
        uint256 orderId,
        OrderReport calldata report,
        bytes calldata signature
    ) external;

    /// @notice The EIP-712 digest a TEE signs for `report`.
    /// @param report The report.
    /// @return The digest.
    function orderReportDigest(OrderReport calldata report) external view returns (bytes32);

    /// @notice The EIP-712 struct hash of `report` (what `OrderReportPublished` and the order store).
    /// @param report The report.
    /// @return The hash.
    function orderReportHash(OrderReport calldata report) external pure returns (bytes32);
}
