// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

import {OrderStatus} from "../libraries/OrderStatusTransitions.sol";
import {IOfferRegistry} from "./IOfferRegistry.sol";
import {IOrderReports} from "./IOrderReports.sol";
import {ITcbRegistry} from "./ITcbRegistry.sol";

/// @dev Cap on the suborders (input offers) of a workflow.
uint256 constant MAX_SUBORDERS = 16;
/// @dev Cap on a workflow's encrypted arguments, in bytes.
uint256 constant MAX_ENCRYPTED_ARGS_SIZE = 4096;
/// @dev Cap on an encrypted result (suborder or order), in bytes.
uint256 constant MAX_ENCRYPTED_RESULT_SIZE = 4096;
/// @dev Cap on a page of a paginated view.
uint256 constant MAX_PAGE_SIZE = 100;

/// @title IOrders
/// @notice Workflow orders and their escrow. A workflow is a TEE parent order plus one suborder per
/// input offer (Solution or Data), created in one transaction with the whole deposit pulled in
/// the payment token. The parent stays Blocked while a data owner has not completed a manual
/// suborder; a completion with status Done is accepted only with the solution hash the order
/// committed to. The TEE then starts the order, publishes a signed report (`IOrderReports`) and
/// completes it; settlement credits each provider's token receiver and refunds the rest to the
/// consumer, who withdraws with pull payments.
/// @dev Order and suborder ids share one sequence: a workflow takes id N for the parent and
/// N+1 .. N+k for its k suborders. Every status write goes through the transition table
/// (`canTransition`) and emits `OrderStatusUpdated`.
/// @dev Invariant: the payment-token balance of this contract equals the deposits of open
/// (non-terminal) parent orders plus the sum of withdrawable balances.
/// @dev Warning: the payment token is trusted to be a plain ERC-20 (no fee on transfer, no
/// rebasing); a token that re-enters is stopped by the reentrancy guard.
/// @dev Warning: the TEE provider is trusted to report elapsed work honestly: PerHour slots are
/// charged for the time between `startOrder` and `completeOrder`, clamped to the slot's min and
/// max time and to the deposit. A provider that never completes forfeits: after the TEE slot's
/// max time (or `processingTimeout` when it has none) the consumer can take a full refund.
/// @dev Warning: data owners are trusted to encrypt their results for the active TCB's public key;
/// the contract stores and emits ciphertext it cannot check.
interface IOrders is IOrderReports {
    /// @notice A parent (TEE) order, as returned by views.
    /// @param consumer Account that placed the workflow.
    /// @param status Current status.
    /// @param suborderCount Number of suborders (ids `orderId + 1` .. `orderId + suborderCount`).
    /// @param blockingSuborders Manual suborders not yet Done.
    /// @param cancelable Whether the consumer may cancel while Processing (the TEE offer's flag).
    /// @param startedAt Timestamp of `startOrder` (0 before).
    /// @param teeOfferId The TEE offer.
    /// @param teeSlotId The TEE slot.
    /// @param argsBlock Block of `WorkflowCreated`, which carries the encrypted arguments.
    /// @param deposit Deposit held for the order.
    /// @param reportTcbId TCB that signed the report (0 before).
    /// @param reportBlock Block of `OrderReportPublished` (0 before).
    /// @param resultBlock Block of `OrderCompleted` (0 before).
    /// @param solutionHash The committed solution hash (sha256).
    /// @param argsHash keccak256 of the encrypted arguments.
    /// @param reportHash EIP-712 struct hash of the report (0 before).
    struct Order {
        address consumer;
        OrderStatus status;
        uint8 suborderCount;
        uint8 blockingSuborders;
        bool cancelable;
        uint40 startedAt;
        uint256 teeOfferId;
        uint256 teeSlotId;
        uint64 argsBlock;
        uint256 deposit;
        uint256 reportTcbId;
        uint64 reportBlock;
        uint64 resultBlock;
        bytes32 solutionHash;
        bytes32 argsHash;
        bytes32 reportHash;
    }

    /// @notice A suborder, as returned by views.
    /// @param parentId Its parent order.
    /// @param offerId Its input offer.
    /// @param slotId Its slot.
    /// @param status Current status.
    /// @param resultBlock Block of `SuborderCompleted` (0 before, and for auto-complete suborders).
    /// @param dataHash Data hash pinned by the owner at completion (0 = not pinned).
    struct Suborder {
        uint256 parentId;
        uint256 offerId;
        uint256 slotId;
        OrderStatus status;
        uint64 resultBlock;
        bytes32 dataHash;
    }

    /// @notice No parent order has this id.
    /// @param orderId The id.
    error OrderNotFound(uint256 orderId);

    /// @notice No suborder has this id.
    /// @param suborderId The id.
    error SuborderNotFound(uint256 suborderId);

    /// @notice The transition table does not allow this status write.
    /// @param orderId The order or suborder.
    /// @param from Its status.
    /// @param to The requested status.
    error OrderInvalidTransition(uint256 orderId, OrderStatus from, OrderStatus to);

    /// @notice A workflow must commit to a solution hash.
    error OrderSolutionHashZero();

    /// @notice A workflow has more inputs than `MAX_SUBORDERS`.
    /// @param count Number of inputs.
    /// @param maxCount The cap.
    error OrderTooManySuborders(uint256 count, uint256 maxCount);

    /// @notice The deposit does not cover the sum of the slots' min costs.
    /// @param deposit The deposit.
    /// @param minCost The sum of min costs.
    error OrderDepositTooLow(uint256 deposit, uint256 minCost);

    /// @notice Only the order's consumer may do this.
    /// @param orderId The order.
    /// @param caller The caller.
    error OrderCallerNotConsumer(uint256 orderId, address caller);

    /// @notice Only the TEE offer's provider authority, its action account or the active TCB's key
    /// may do this.
    /// @param orderId The order.
    /// @param caller The caller.
    error OrderCallerNotTeeOperator(uint256 orderId, address caller);

    /// @notice Only the suborder offer's provider authority or action account may complete it.
    /// @param suborderId The suborder.
    /// @param caller The caller.
    error SuborderCallerNotOperator(uint256 suborderId, address caller);

    /// @notice A data owner completed a suborder with another solution hash than the order's.
    /// @param suborderId The suborder.
    /// @param expected The order's committed solution hash.
    /// @param provided The hash the owner reviewed.
    error SolutionHashMismatch(uint256 suborderId, bytes32 expected, bytes32 provided);

    /// @notice A completion status must be Done, Error or Canceled.
    /// @param orderId The order or suborder.
    /// @param status The status given.
    error OrderInvalidCompletionStatus(uint256 orderId, OrderStatus status);

    /// @notice The TEE offer does not let consumers cancel Processing orders.
    /// @param orderId The order.
    error OrderNotCancelable(uint256 orderId);

    /// @notice The provider still has time to complete the order.
    /// @param orderId The order.
    /// @param deadline Timestamp from which the consumer may force the refund.
    error OrderDeadlineNotReached(uint256 orderId, uint256 deadline);

    /// @notice Completing with Done needs a published order report.
    /// @param orderId The order.
    error OrderReportMissing(uint256 orderId);

    /// @notice Only open orders (Blocked, New, Suspended, Processing) can be refilled.
    /// @param orderId The order.
    /// @param status Its status.
    error OrderNotRefillable(uint256 orderId, OrderStatus status);

    /// @notice A pagination cursor must be an id of the list being paged (or 0 for the newest).
    /// @param cursor The cursor given.
    error OrderCursorInvalid(uint256 cursor);

    /// @notice An amount must be positive.
    error OrderAmountZero();

    /// @notice The caller has no balance to withdraw.
    /// @param account The caller.
    error EscrowNothingToWithdraw(address account);

    /// @notice A workflow was created: the parent order. Its suborders follow as `SuborderCreated`.
    /// @param orderId The parent order.
    /// @param consumer The consumer.
    /// @param teeOfferId The TEE offer.
    /// @param teeSlotId The TEE slot.
    /// @param status Blocked, or New when no suborder needs its owner.
    /// @param solutionHash The committed solution hash.
    /// @param deposit The deposit pulled.
    /// @param encryptedArgs The encrypted arguments (their keccak256 is stored).
    event WorkflowCreated(
        uint256 indexed orderId,
        address indexed consumer,
        uint256 indexed teeOfferId,
        uint256 teeSlotId,
        OrderStatus status,
        bytes32 solutionHash,
        uint256 deposit,
        bytes encryptedArgs
    );

    /// @notice A suborder was created.
    /// @param suborderId The suborder.
    /// @param parentId Its parent order.
    /// @param offerId Its input offer.
    /// @param slotId Its slot.
    /// @param status New (manual) or Done (auto-complete).
    event SuborderCreated(
        uint256 indexed suborderId,
        uint256 indexed parentId,
        uint256 indexed offerId,
        uint256 slotId,
        OrderStatus status
    );

    /// @notice An order or suborder changed status.
    /// @param orderId The order or suborder.
    /// @param from The old status.
    /// @param to The new status.
    event OrderStatusUpdated(uint256 indexed orderId, OrderStatus from, OrderStatus to);

    /// @notice A data owner completed a suborder.
    /// @param suborderId The suborder.
    /// @param operator The caller (provider authority or action account).
    /// @param status Done, Error or Canceled.
    /// @param dataHash The pinned data hash (0 = not pinned).
    /// @param encryptedResult The owner's resource, encrypted for the TEE.
    event SuborderCompleted(
        uint256 indexed suborderId,
        address indexed operator,
        OrderStatus status,
        bytes32 dataHash,
        bytes encryptedResult
    );

    /// @notice The TEE completed an order.
    /// @param orderId The order.
    /// @param status Done, Error or Canceled.
    /// @param resultHash The result hash.
    /// @param encryptedResult The encrypted result pointer.
    event OrderCompleted(
        uint256 indexed orderId,
        OrderStatus status,
        bytes32 resultHash,
        bytes encryptedResult
    );

    /// @notice An order's deposit was topped up.
    /// @param orderId The order.
    /// @param amount The amount added.
    /// @param deposit The new deposit.
    event OrderRefilled(uint256 indexed orderId, uint256 amount, uint256 deposit);

    /// @notice An account's withdrawable balance was credited from an order's deposit.
    /// @param account The account.
    /// @param orderId The order.
    /// @param amount The amount.
    event PaymentCredited(address indexed account, uint256 indexed orderId, uint256 amount);

    /// @notice An account withdrew its balance.
    /// @param account The account.
    /// @param amount The amount.
    event Withdrawn(address indexed account, uint256 amount);

    /* CONSUMER */

    /// @notice Creates a workflow: the TEE parent order and one suborder per input, pulling
    /// `deposit` of the payment token from the caller (approve first).
    /// @dev Checks, beyond `IOfferRegistry.reserveWorkflow`: `solutionHash` is not zero; at most
    /// `MAX_SUBORDERS` inputs; `deposit` covers the sum of min costs; `encryptedArgs` within its cap.
    /// Auto-complete suborders are Done at once; the parent is Blocked if any suborder is not.
    /// @param teeOfferId The TEE offer.
    /// @param teeSlotId A slot of the TEE offer.
    /// @param solutionHash sha256 of the solution the consumer wants run.
    /// @param inputs The input offers and slots.
    /// @param deposit Amount of payment token to escrow.
    /// @param encryptedArgs Arguments for the TEE, encrypted; emitted, their hash stored.
    /// @return orderId The parent order's id.
    function createWorkflow(
        uint256 teeOfferId,
        uint256 teeSlotId,
        bytes32 solutionHash,
        IOfferRegistry.WorkflowInput[] calldata inputs,
        uint256 deposit,
        bytes calldata encryptedArgs
    ) external returns (uint256 orderId);

    /// @notice Cancels an order. Consumer only. Blocked, New or Suspended: Canceled at once with
    /// a full refund, open suborders Canceled. Processing (if the TEE offer is cancelable):
    /// Canceling, until the provider settles with `completeOrder(Canceled)` or the deadline passes.
    /// @param orderId The order.
    function cancelOrder(uint256 orderId) external;

    /// @notice Refunds the whole deposit of a Processing or Canceling order whose provider did not
    /// complete it before its deadline (`processingDeadline`). Consumer only. The order ends Canceled.
    /// @param orderId The order.
    function forceRefund(uint256 orderId) external;

    /// @notice Adds `amount` to an open order's deposit (Blocked, New, Suspended or Processing).
    /// Consumer only.
    /// @param orderId The order.
    /// @param amount Amount of payment token to pull from the caller.
    function refillOrder(uint256 orderId, uint256 amount) external;

    /* DATA OWNER */

    /// @notice Completes a manual suborder. The suborder offer's provider authority or action
    /// account only, from New or Processing.
    /// @dev Done: `solutionHash` must equal the parent's committed hash (else
    /// `SolutionHashMismatch`); `dataHash` is stored and binds the report; the parent leaves Blocked
    /// (to New) when this was its last blocking suborder. Error or Canceled (the owner declines):
    /// the parent and its other open suborders end Canceled and the whole deposit is refunded.
    /// @param suborderId The suborder.
    /// @param status Done, Error or Canceled.
    /// @param solutionHash The solution hash the owner reviewed.
    /// @param dataHash sha256 of the data the owner releases (0 = not pinned).
    /// @param encryptedResult The owner's resource, encrypted for the TEE.
    function completeSuborder(
        uint256 suborderId,
        OrderStatus status,
        bytes32 solutionHash,
        bytes32 dataHash,
        bytes calldata encryptedResult
    ) external;

    /* TEE */

    /// @notice Starts a New order (Processing). TEE operators only.
    /// @param orderId The order.
    function startOrder(uint256 orderId) external;

    /// @notice Pauses a New order before it starts (Suspended). TEE operators only.
    /// @param orderId The order.
    function suspendOrder(uint256 orderId) external;

    /// @notice Resumes a Suspended order (New). TEE operators only.
    /// @param orderId The order.
    function resumeOrder(uint256 orderId) external;

    /// @notice Completes an order and settles it. TEE operators only. Processing → Done (needs a
    /// published report) or Error; Canceling → Canceled.
    /// @dev Settlement: a slot costs Fixed → price; PerHour → price × elapsed minutes (every started
    /// minute counts) clamped to [min, max] / 60. Each slot is first paid its min cost, which the
    /// deposit always covers; what a slot costs beyond that is paid from what is left of the
    /// deposit, slot by slot (TEE first, then inputs in order). Payments go to each provider's
    /// current token receiver; the rest of the deposit to the consumer.
    /// @param orderId The order.
    /// @param status Done, Error or Canceled.
    /// @param resultHash Hash of the result (emitted with the result; the order stores the block).
    /// @param encryptedResult Encrypted result pointer (emitted).
    function completeOrder(
        uint256 orderId,
        OrderStatus status,
        bytes32 resultHash,
        bytes calldata encryptedResult
    ) external;

    /* PAYMENTS */

    /// @notice Transfers the caller's whole withdrawable balance to the caller.
    function withdraw() external;

    /* VIEWS */

    /// @notice A parent order.
    /// @param orderId The order.
    /// @return The order; reverts with `OrderNotFound` when there is none.
    function getOrder(uint256 orderId) external view returns (Order memory);

    /// @notice A suborder.
    /// @param suborderId The suborder.
    /// @return The suborder; reverts with `SuborderNotFound` when there is none.
    function getSuborder(uint256 suborderId) external view returns (Suborder memory);

    /// @notice A parent order with all its suborders, in one call.
    /// @param orderId The order.
    /// @return order The order.
    /// @return suborders Its suborders, in id order.
    function getWorkflow(
        uint256 orderId
    ) external view returns (Order memory order, Suborder[] memory suborders);

    /// @notice A page of a consumer's orders, newest first.
    /// @param consumer The consumer.
    /// @param cursor First id to return: 0 for the newest, else an order of `consumer` (the
    /// `nextCursor` of the previous page).
    /// @param limit Largest number of ids returned (at most `MAX_PAGE_SIZE`).
    /// @return orderIds The ids.
    /// @return nextCursor Cursor of the next page; 0 when there is none.
    function ordersOfConsumer(
        address consumer,
        uint256 cursor,
        uint256 limit
    ) external view returns (uint256[] memory orderIds, uint256 nextCursor);

    /// @notice A page of an offer's suborders, newest first.
    /// @param offerId The input offer.
    /// @param cursor First id to return: 0 for the newest, else a suborder of `offerId` (the
    /// `nextCursor` of the previous page).
    /// @param limit Largest number of ids returned (at most `MAX_PAGE_SIZE`).
    /// @return suborderIds The ids.
    /// @return nextCursor Cursor of the next page; 0 when there is none.
    function subordersOfOffer(
        uint256 offerId,
        uint256 cursor,
        uint256 limit
    ) external view returns (uint256[] memory suborderIds, uint256 nextCursor);

    /// @notice Timestamp from which the consumer may force the refund of a started order.
    /// @param orderId The order.
    /// @return startedAt + the TEE slot's max time (or `processingTimeout` when it has none); 0 when
    /// the order has not started.
    function processingDeadline(uint256 orderId) external view returns (uint256);

    /// @notice An account's withdrawable balance.
    /// @param account The account.
    /// @return The balance.
    function balanceOf(address account) external view returns (uint256);

    /// @notice The state machine: whether a status write from `from` to `to` is allowed.
    /// @param from Current status.
    /// @param to Requested status.
    /// @return The answer.
    function canTransition(OrderStatus from, OrderStatus to) external pure returns (bool);

    /// @notice Number of ids (orders and suborders) handed out; the next workflow starts after it.
    /// @return The count.
    function orderCount() external view returns (uint256);

    /// @notice The payment token.
    /// @return The token.
    function paymentToken() external view returns (IERC20);

    /// @notice The offer registry.
    /// @return The registry.
    function offerRegistry() external view returns (IOfferRegistry);

    /// @notice The TCB registry.
    /// @return The registry.
    function tcbRegistry() external view returns (ITcbRegistry);

    /// @notice Seconds a started order may run when its TEE slot has no max time, before the
    /// consumer may force a refund.
    /// @return The timeout.
    function processingTimeout() external view returns (uint256);
}
