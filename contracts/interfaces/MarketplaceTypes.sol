// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @notice The protocol's shared vocabulary: the enums whose numeric values are part of the ABI
/// (they match Super Protocol's), the caps on every byte input and list, and the one error for an
/// oversized input. Both halves (offers, orders) and the TCB registry import these from here, so a
/// value is declared once and the SDK's generator reads it from one place.

/* ENUMS */

/// @notice Kind of an offer. Values match Super Protocol's.
enum OfferType {
    TeeOffer,
    Storage,
    Solution,
    Data
}

/// @notice How a slot's price is charged. Values match Super Protocol's.
enum PriceType {
    PerHour,
    Fixed
}

/// @notice Status of an order or a suborder. Values match Super Protocol's.
enum OrderStatus {
    New,
    Processing,
    Canceling,
    Canceled,
    Done,
    Error,
    Blocked,
    Suspended
}

/// @notice Kind of a runtime entry of an order report. Values match Super Protocol's.
enum RuntimeType {
    Image,
    Solution,
    Data
}

/// @notice What a TCB is now, as far as the registry knows.
enum TcbStatus {
    Active,
    Superseded,
    Expired,
    Revoked
}

/* CAPS */

/// @dev Cap on a provider's info blob, in bytes.
uint256 constant MAX_PROVIDER_INFO_SIZE = 4096;
/// @dev Cap on an offer's info blob, in bytes.
uint256 constant MAX_OFFER_INFO_SIZE = 8192;
/// @dev Cap on an offer's public result resource, in bytes.
uint256 constant MAX_RESULT_RESOURCE_SIZE = 2048;
/// @dev Cap on the offer ids an offer may be restricted to.
uint256 constant MAX_RESTRICTED_OFFERS = 16;
/// @dev Cap on the accounts an offer may be restricted to.
uint256 constant MAX_ALLOWED_ACCOUNTS = 32;
/// @dev Cap on a slot's min and max time, in minutes (365 days), so no deadline lies centuries away.
uint256 constant MAX_SLOT_MINUTES = 525_600;
/// @dev Cap on the suborders (input offers) of a workflow.
uint256 constant MAX_SUBORDERS = 16;
/// @dev Cap on the result recipients of a workflow (the consumer's key included).
uint256 constant MAX_RESULT_RECIPIENTS = 8;
/// @dev Cap on a workflow's encrypted arguments, in bytes.
uint256 constant MAX_ENCRYPTED_ARGS_SIZE = 8192;
/// @dev Cap on a suborder's encrypted hand-over, in bytes.
uint256 constant MAX_ENCRYPTED_RESULT_SIZE = 4096;
/// @dev Cap on one encrypted result pointer of a result receipt, in bytes.
uint256 constant MAX_RESULT_POINTER_SIZE = 1024;
/// @dev Cap on a page of a paginated view that returns records.
uint256 constant MAX_PAGE_SIZE = 100;
/// @dev Cap on a page of a paginated view that returns only ids.
uint256 constant MAX_ID_PAGE_SIZE = 1000;
/// @dev Cap on the runtime entries of an order report.
uint256 constant MAX_REPORT_ENTRIES = 32;
/// @dev Cap on a TEE quote, in bytes.
uint256 constant MAX_QUOTE_SIZE = 16384;
/// @dev Cap on a TEE's ECIES public key, in bytes.
uint256 constant MAX_PUBLIC_KEY_SIZE = 256;
/// @dev Cap on a TCB's properties blob, in bytes.
uint256 constant MAX_TCB_PROPERTIES_SIZE = 4096;
/// @dev Cap on an attestation proof, in bytes.
uint256 constant MAX_ATTESTATION_PROOF_SIZE = 16384;
/// @dev Cap on the timeouts set at deployment (processing, blocked orders), in seconds (365 days).
uint256 constant MAX_TIMEOUT = 365 days;

/* ERRORS */

/// @notice A byte input is larger than its cap.
/// @param input Name of the parameter, as in the ABI (for example "encryptedArgs").
/// @param size Length of the input in bytes.
/// @param maxSize The cap.
error InputTooLarge(string input, uint256 size, uint256 maxSize);
