// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

import {OrderStatus} from "./MarketplaceTypes.sol";
import {IOfferRegistry} from "./IOfferRegistry.sol";
import {IOrderReports} from "./IOrderReports.sol";
import {ITcbRegistry} from "./ITcbRegistry.sol";

/// @title IOrders
/// @notice Workflow orders and their escrow. A workflow is a TEE parent order plus one suborder per
/// input offer (Solution or Data), created in one transaction with the whole deposit pulled in
/// the payment token. The parent stays Blocked while a data owner has not completed a manual
/// suborder; a completion with status Done is accepted only with the solution hash the order
/// committed to. The TEE then starts the order, publishes a signed report (`IOrderReports`) and
/// completes it with a signed result receipt; settlement credits each provider's token receiver
/// and refunds the rest to the consumer, who withdraws with pull payments.
/// @dev The order's enclave: the consumer names, at creation, the TEE key of the TEE offer's valid
/// active TCB (`teeKey`), for which the SDK encrypts the solution hand-over in `encryptedArgs`.
/// Every data owner completes naming that same key (the one their hand-over is encrypted for), and
/// only that key signs the order's report and result receipt. A TCB refresh keeps the key, and so
/// the approvals; a new enclave (another key) serves new workflows only.
/// @dev The terms: each slot of a workflow is named with the hash of the usage terms the consumer
/// saw; a repriced slot refuses the workflow (`SlotTermsChanged`).
/// @dev Order and suborder ids share one sequence: a workflow takes id N for the parent and
/// N+1 .. N+k for its k suborders. Every status write goes through the transition table
/// (`canTransition`) and emits `OrderStatusUpdated`.
/// @dev Invariant: the payment-token balance of this contract equals the deposits of open
/// (non-terminal) parent orders plus the sum of withdrawable balances. A deposit whose transfer
/// delivers less than its amount (a fee-on-transfer token) is refused (`EscrowTransferShortfall`).
/// @dev Warning: the TEE provider is trusted to report elapsed work honestly: PerHour slots are
/// charged for the time between `startOrder` and `completeOrder`, clamped to the slot's min and
/// max time, to the order's deadline and to the deposit. A provider that never completes forfeits:
/// after the deadline the consumer can take a full refund.
/// @dev Warning: what a hand-over says (the data owner's and the consumer's envelopes) is ciphertext
/// the contract cannot read. The enclave must check that an envelope names this chain, this
/// contract, the suborder (or consumer) it was read from, the committed solution hash and its own
/// key, and refuse it otherwise; the SDK's TEE helpers do.
interface IOrders is IOrderReports {
    /// @notice A parent (TEE) order, as returned by views.
    /// @param consumer Account that placed the workflow.
    /// @param status Current status.
    /// @param suborderCount Number of suborders (ids `orderId + 1` .. `orderId + suborderCount`).
    /// @param blockingSuborders Manual suborders not yet Done.
    /// @param recipientCount Number of result recipients (the consumer's key first).
    /// @param cancelable Whether the consumer may cancel while Processing (the TEE offer's flag).
    /// @param startedAt Timestamp of `startOrder` (0 before).
    /// @param teeOfferId The TEE offer.
    /// @param teeSlotId The TEE slot.
    /// @param teeKey The order's enclave: the TEE key its inputs are handed to.
    /// @param argsBlock Block of `WorkflowCreated`, which carries the encrypted arguments and the
    /// result recipients.
    /// @param deposit Deposit held for the order.
    /// @param reportBlock Block of `OrderReportPublished` (0 before).
    /// @param resultBlock Block of `OrderCompleted` (0 before).
    /// @param solutionHash The committed solution hash (sha256).
    struct Order {
        address consumer;
        OrderStatus status;
        uint8 suborderCount;
        uint8 blockingSuborders;
        uint8 recipientCount;
        bool cancelable;
        uint40 startedAt;
        uint256 teeOfferId;
        uint256 teeSlotId;
        address teeKey;
        uint64 argsBlock;
        uint256 deposit;
        uint64 reportBlock;
        uint64 resultBlock;
        bytes32 solutionHash;
    }

    /// @notice A suborder, as returned by views.
    /// @param parentId Its parent order.
    /// @param offerId Its input offer.
    /// @param slotId Its slot.
    /// @param status Current status.
    /// @param createdAt Timestamp of the workflow's creation.
    /// @param resultBlock Block of `SuborderCompleted` (0 before, and for auto-complete suborders).
    /// @param dataHash Data hash pinned by the owner at completion (0 = not pinned).
    struct Suborder {
        uint256 parentId;
        uint256 offerId;
        uint256 slotId;
        OrderStatus status;
        uint40 createdAt;
        uint64 resultBlock;
        bytes32 dataHash;
    }

    /// @notice What `createWorkflow` takes.
    /// @param teeOfferId The TEE offer.
    /// @param teeSlotId A slot of the TEE offer.
    /// @param teeTermsHash The TEE slot's `slotTermsHash` as the consumer saw it.
    /// @param teeKey The TEE offer's valid active TEE key, for which `encryptedArgs` is encrypted.
    /// @param solutionHash sha256 of the solution the consumer wants run.
    /// @param inputs The input offers and slots, each with its terms hash.
    /// @param deposit Amount of payment token to escrow.
    /// @param resultRecipients Public keys (secp256k1, 33 or 65 bytes) the result is encrypted for:
    /// the consumer's first, then any further recipients (data owners who should learn the result);
    /// 1 to `MAX_RESULT_RECIPIENTS`.
    /// @param encryptedArgs The consumer's hand-over for the enclave (the solution resource and
    /// arguments, encrypted for `teeKey`'s public key); emitted only.
    struct WorkflowParams {
        uint256 teeOfferId;
        uint256 teeSlotId;
        bytes32 teeTermsHash;
        address teeKey;
        bytes32 solutionHash;
        IOfferRegistry.WorkflowInput[] inputs;
        uint256 deposit;
        bytes[] resultRecipients;
        bytes encryptedArgs;
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

    /// @notice A workflow needs 1 to `MAX_RESULT_RECIPIENTS` result recipients.
    /// @param count Number given.
    /// @param maxCount The cap.
    error OrderResultRecipientCount(uint256 count, uint256 maxCount);

    /// @notice A result recipient is not a 33- or 65-byte public key.
    /// @param index Its position.
    /// @param length Its length.
    error OrderResultKeyInvalid(uint256 index, uint256 length);

    /// @notice The named TEE key is not the TEE offer's valid active key.
    /// @param teeOfferId The TEE offer.
    /// @param teeKey The key named.
    /// @param activeTeeKey The offer's valid active key (zero when it has none).
    error OrderTeeKeyNotActive(uint256 teeOfferId, address teeKey, address activeTeeKey);

    /// @notice The deposit does not cover the sum of the slots' min costs.
    /// @param deposit The deposit.
    /// @param minCost The sum of min costs.
    error OrderDepositTooLow(uint256 deposit, uint256 minCost);

    /// @notice Only the order's consumer may do this.
    /// @param orderId The order.
    /// @param caller The caller.
    error OrderCallerNotConsumer(uint256 orderId, address caller);

    /// @notice Only the order's enclave key (while valid), or the TEE offer's provider authority or
    /// action account, may do this.
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

    /// @notice A data owner completed a suborder naming another enclave than the order's.
    /// @param suborderId The suborder.
    /// @param expected The order's enclave key.
    /// @param provided The key the owner named.
    error SuborderTeeKeyMismatch(uint256 suborderId, address expected, address provided);

    /// @notice A completion status must be Done, Error or Canceled.
    /// @param orderId The order or suborder.
    /// @param status The status given.
    error OrderInvalidCompletionStatus(uint256 orderId, OrderStatus status);

    /// @notice The TEE offer does not let consumers cancel Processing orders.
    /// @param orderId The order.
    error OrderNotCancelable(uint256 orderId);

    /// @notice Only a Blocked order can be expired.
    /// @param orderId The order.
    /// @param status Its status.
    error OrderNotBlocked(uint256 orderId, OrderStatus status);

    /// @notice The deadline has not passed yet.
    /// @param orderId The order.
    /// @param deadline Timestamp from which the action is allowed.
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

    /// @notice A batch view was asked for more records than `MAX_PAGE_SIZE`.
    /// @param count Number asked for.
    /// @param maxCount The cap.
    error OrderPageTooLarge(uint256 count, uint256 maxCount);

    /// @notice An amount must be positive.
    error OrderAmountZero();

    /// @notice A timeout set at deployment must be positive and at most `MAX_TIMEOUT`.
    /// @param timeout The timeout given.
    error OrderTimeoutInvalid(uint256 timeout);

    /// @notice The caller has no balance to withdraw.
    /// @param account The caller.
    error EscrowNothingToWithdraw(address account);

    /// @notice A deposit's transfer delivered less than its amount (a fee-on-transfer token).
    /// @param expected The amount.
    /// @param received What this contract's balance grew by.
    error EscrowTransferShortfall(uint256 expected, uint256 received);

    /// @notice A workflow was created: the parent order and its suborders (ids `orderId + 1` ..,
    /// one per input in order).
    /// @param orderId The parent order.
    /// @param consumer The consumer.
    /// @param teeOfferId The TEE offer.
    /// @param status Blocked, or New when no suborder needs its owner.
    /// @param doneSuborders Bit `i` set when suborder `orderId + 1 + i` was created Done
    /// (auto-complete); the others were created New.
    /// @param params Everything the consumer named: slots and terms, the enclave, the solution hash,
    /// the deposit, the result recipients and the encrypted arguments.
    event WorkflowCreated(
        uint256 indexed orderId,
        address indexed consumer,
        uint256 indexed teeOfferId,
        OrderStatus status,
        uint256 doneSuborders,
        WorkflowParams params
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
    /// @param teeKey The enclave the owner handed over to (the order's).
    /// @param dataHash The pinned data hash (0 = not pinned).
    /// @param encryptedResult The owner's hand-over, encrypted for the enclave.
    event SuborderCompleted(
        uint256 indexed suborderId,
        address indexed operator,
        OrderStatus status,
        address teeKey,
        bytes32 dataHash,
        bytes encryptedResult
    );

    /// @notice The TEE completed an order.
    /// @param orderId The order.
    /// @param status Done, Error or Canceled.
    /// @param resultHash The result hash of the receipt.
    /// @param pointers The encrypted result pointers, one per recipient for Done.
    /// @param signature The enclave's signature of the receipt (checked for Done).
    event OrderCompleted(
        uint256 indexed orderId,
        OrderStatus status,
        bytes32 resultHash,
        bytes[] pointers,
        bytes signature
    );

    /// @notice An order's deposit was topped up.
    /// @param orderId The order.
    /// @param amount The amount added.
    /// @param deposit The new deposit.
    event OrderRefilled(uint256 indexed orderId, uint256 amount, uint256 deposit);

    /// @notice An order's deposit was paid out to withdrawable balances: the providers' token
    /// receivers (TEE slot first, then each input's) and the consumer's remainder, zero amounts
    /// left out.
    /// @param orderId The order.
    /// @param accounts The accounts credited.
    /// @param amounts The amounts.
    event PaymentsCredited(uint256 indexed orderId, address[] accounts, uint256[] amounts);

    /// @notice An account withdrew its balance.
    /// @param account The account.
    /// @param amount The amount.
    event Withdrawn(address indexed account, uint256 amount);

    /* CONSUMER */

    /// @notice Creates a workflow: the TEE parent order and one suborder per input, pulling
    /// `params.deposit` of the payment token from the caller (approve first).
    /// @dev Checks, beyond `IOfferRegistry.reserveWorkflow` (offers, slots, terms, combinations):
    /// `solutionHash` is not zero; `teeKey` is the TEE offer's valid active key; at most
    /// `MAX_SUBORDERS` inputs; 1 to `MAX_RESULT_RECIPIENTS` recipients of 33 or 65 bytes; the deposit
    /// covers the sum of min costs; `encryptedArgs` within its cap. Auto-complete suborders are Done
    /// at once; the parent is Blocked if any suborder is not.
    /// @param params See `WorkflowParams`.
    /// @return orderId The parent order's id.
    function createWorkflow(WorkflowParams calldata params) external returns (uint256 orderId);

    /// @notice Cancels an order. Consumer only. Blocked, New or Suspended: Canceled at once with
    /// a full refund, open suborders Canceled. Processing (if the TEE offer is cancelable):
    /// Canceling, until the provider settles with `completeOrder(Canceled)` or the deadline passes.
    /// @param orderId The order.
    function cancelOrder(uint256 orderId) external;

    /// @notice Refunds the whole deposit of a Processing or Canceling order whose provider did not
    /// complete it before its deadline (`processingDeadline`). Consumer only. The order ends Canceled.
    /// @param orderId The order.
    function forceRefund(uint256 orderId) external;

    /// @notice Cancels, with a full refund to its consumer, an order still Blocked `blockedTimeout`
    /// seconds after its creation (`blockedDeadline`): its data owners never answered, and its
    /// slots are released. Anyone may call it (the TEE provider, whose slot it holds, or a keeper).
    /// @param orderId The order.
    function expireBlockedOrder(uint256 orderId) external;

    /// @notice Adds `amount` to an open order's deposit (Blocked, New, Suspended or Processing).
    /// Consumer only.
    /// @param orderId The order.
    /// @param amount Amount of payment token to pull from the caller.
    function refillOrder(uint256 orderId, uint256 amount) external;

    /* DATA OWNER */

    /// @notice Completes a manual suborder. The suborder offer's provider authority or action
    /// account only, from New or Processing.
    /// @dev Done: `solutionHash` must equal the parent's committed hash (else
    /// `SolutionHashMismatch`) and `teeKey` the order's enclave (else `SuborderTeeKeyMismatch`);
    /// `dataHash` is stored and binds the report; the parent leaves Blocked (to New) when this was
    /// its last blocking suborder. Error or Canceled (the owner declines): the parent and its other
    /// open suborders end Canceled and the whole deposit is refunded.
    /// @param suborderId The suborder.
    /// @param status Done, Error or Canceled.
    /// @param solutionHash The solution hash the owner reviewed.
    /// @param dataHash sha256 of the data the owner releases (0 = not pinned).
    /// @param teeKey The enclave the owner's hand-over is encrypted for.
    /// @param encryptedResult The owner's hand-over (an envelope bound to this suborder), encrypted
    /// for the enclave.
    function completeSuborder(
        uint256 suborderId,
        OrderStatus status,
        bytes32 solutionHash,
        bytes32 dataHash,
        address teeKey,
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
    /// published report and the enclave's receipt with one pointer per recipient) or Error (the
    /// receipt's pointers, at most one per recipient, carry the logs; its signature is not checked);
    /// Canceling → Canceled.
    /// @dev Settlement: a slot costs Fixed → price; PerHour → price × elapsed minutes (every started
    /// minute counts, none past the order's deadline) clamped to [min, max] / 60. Each slot is first
    /// paid its min cost, which the deposit always covers; what a slot costs beyond that is paid
    /// from what is left of the deposit, slot by slot (TEE first, then inputs in order). Payments go
    /// to each provider's current token receiver; the rest of the deposit to the consumer.
    /// @param orderId The order.
    /// @param status Done, Error or Canceled.
    /// @param receipt The result receipt (emitted; the order stores the block).
    /// @param signature The enclave's EIP-712 signature of `receipt`.
    function completeOrder(
        uint256 orderId,
        OrderStatus status,
        ResultReceipt calldata receipt,
        bytes calldata signature
    ) external;

    /* PAYMENTS */

    /// @notice Transfers the caller's whole withdrawable balance to the caller.
    function withdraw() external;

    /* VIEWS */

    /// @notice A parent order.
    /// @param orderId The order.
    /// @return The order; reverts with `OrderNotFound` when there is none.
    function getOrder(uint256 orderId) external view returns (Order memory);

    /// @notice Parent orders by id, in one call.
    /// @param orderIds At most `MAX_PAGE_SIZE` ids.
    /// @return orders The orders; reverts with `OrderNotFound` for an id that is not a parent order.
    function getOrders(uint256[] calldata orderIds) external view returns (Order[] memory orders);

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

    /// @notice What a data owner needs to complete a suborder, in one call: the suborder, its
    /// parent (committed solution hash, enclave key) and the enclave's key record and newest TCB
    /// (whose public key the hand-over is encrypted for).
    /// @param suborderId The suborder.
    /// @return suborder The suborder.
    /// @return parent Its parent order.
    /// @return teeKey The parent's enclave key record.
    /// @return tcb The enclave key's newest TCB.
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
        );

    /// @notice A page of a consumer's orders, newest first.
    /// @param consumer The consumer.
    /// @param cursor First id to return: 0 for the newest, else an order of `consumer` (the
    /// `nextCursor` of the previous page).
    /// @param limit Largest number of ids returned (at most `MAX_ID_PAGE_SIZE`).
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
    /// @param limit Largest number of ids returned (at most `MAX_ID_PAGE_SIZE`).
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

    /// @notice Timestamp from which anyone may expire a Blocked order.
    /// @param orderId The order.
    /// @return The workflow's creation + `blockedTimeout`; 0 for an order without suborders (it is
    /// never Blocked).
    function blockedDeadline(uint256 orderId) external view returns (uint256);

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

    /// @notice The offer registry, which this contract created in its constructor and is the only
    /// caller of its order hooks.
    /// @return The registry.
    function offerRegistry() external view returns (IOfferRegistry);

    /// @notice The TCB registry: the offer registry's address (the TCBs are one of its bases).
    /// @return The registry.
    function tcbRegistry() external view returns (ITcbRegistry);

    /// @notice Seconds a started order may run when its TEE slot has no max time, before the
    /// consumer may force a refund.
    /// @return The timeout.
    function processingTimeout() external view returns (uint256);

    /// @notice Seconds a workflow may stay Blocked before anyone may expire it.
    /// @return The timeout.
    function blockedTimeout() external view returns (uint256);
}
