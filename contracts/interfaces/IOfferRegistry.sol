// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {OfferType} from "./MarketplaceTypes.sol";
import {IOffers} from "./IOffers.sol";
import {IProviders} from "./IProviders.sol";
import {ISlots} from "./ISlots.sol";

/// @title IOfferRegistry
/// @notice Providers, offers and slots in one deployable (with the TCBs of `ITcbRegistry`), plus the
/// hooks the Orders contract uses: `reserveWorkflow` checks a workflow's offers and slots and
/// counts it as an open order on each slot; `settleSlots` ends that count and prices what the
/// order owes each slot's provider (`releaseSlots` ends it unpaid, for a refund).
/// @dev The Orders contract creates the registry in its own constructor, and the registry keeps its
/// creator as the only caller of the hooks (an immutable: no binding step, no deployer privilege,
/// no window in which the hooks are unbound).
interface IOfferRegistry is IProviders, IOffers, ISlots {
    /// @notice One input of a workflow: an offer, one of its slots, and the slot's terms as the
    /// consumer saw them.
    /// @param offerId A Solution or Data offer.
    /// @param slotId A slot of that offer.
    /// @param termsHash The slot's `slotTermsHash` when the consumer read it.
    struct WorkflowInput {
        uint256 offerId;
        uint256 slotId;
        bytes32 termsHash;
    }

    /// @notice What the Orders contract needs to know of a reserved workflow.
    /// @param minCost Sum of the min costs of the TEE slot and every input slot.
    /// @param teeCancelable Whether the TEE offer lets consumers cancel Processing orders.
    /// @param autoCompleteMask Bit `i` set when input `i`'s suborder completes without its owner
    /// (a word rather than a list: the reservation passes back without a dynamic encoding).
    struct Reservation {
        uint256 minCost;
        bool teeCancelable;
        uint256 autoCompleteMask;
    }

    /// @notice Only the Orders contract (the registry's creator) may call this.
    /// @param caller The caller.
    error OfferRegistryCallerNotOrders(address caller);

    /// @notice The TEE offer of a workflow is not a TEE offer.
    /// @param offerId The offer.
    /// @param offerType Its type.
    error OfferNotTee(uint256 offerId, OfferType offerType);

    /// @notice An input of a workflow is not a Solution or Data offer.
    /// @param offerId The offer.
    /// @param offerType Its type.
    error OfferNotInput(uint256 offerId, OfferType offerType);

    /// @notice An offer's restrictions do not allow combining it with another offer of the workflow.
    /// @param offerId The restricted offer.
    /// @param otherOfferId The offer it may not be combined with.
    error OfferCombinationNotAllowed(uint256 offerId, uint256 otherOfferId);

    /// @notice The consumer is not among the offer's allowed accounts.
    /// @param offerId The offer.
    /// @param account The consumer.
    error OfferAccountNotAllowed(uint256 offerId, address account);

    /// @notice A Solution input's content hash differs from the solution hash the order commits to.
    /// @param offerId The Solution offer.
    /// @param contentHash Its content hash.
    /// @param solutionHash The committed solution hash.
    error OfferSolutionHashMismatch(uint256 offerId, bytes32 contentHash, bytes32 solutionHash);

    /// @notice The Orders contract: the registry's creator, the only caller of its hooks.
    /// @return The address.
    function orders() external view returns (address);

    /// @notice Checks a workflow and counts it as an open order on each of its slots. Orders only.
    /// @dev Checks: every offer exists and is enabled; the TEE offer is a TeeOffer and every input a
    /// Solution or Data offer; every slot belongs to its offer and still has the terms the consumer
    /// saw (`SlotTermsChanged`); every offer's restrictions allow every other offer of the workflow;
    /// `consumer` is allowed by every offer; every Solution input's content hash equals
    /// `solutionHash`.
    /// @param consumer The account placing the workflow.
    /// @param teeOfferId The TEE offer.
    /// @param teeSlotId A slot of the TEE offer.
    /// @param teeTermsHash The TEE slot's terms hash as the consumer saw it.
    /// @param inputs The input offers and slots.
    /// @param solutionHash The solution hash the order commits to.
    /// @return reservation What the Orders contract stores and checks next.
    function reserveWorkflow(
        address consumer,
        uint256 teeOfferId,
        uint256 teeSlotId,
        bytes32 teeTermsHash,
        WorkflowInput[] calldata inputs,
        bytes32 solutionHash
    ) external returns (Reservation memory reservation);

    /// @notice Ends an order's use of its slots without paying them (the order is refunded). Orders
    /// only.
    /// @param slotIds The slots the order reserved (TEE slot first).
    function releaseSlots(uint256[] calldata slotIds) external;

    /// @notice Ends a completed order's use of its slots and prices it on the slots' terms (which
    /// could not change while it used them): every slot is first paid its min cost from the deposit
    /// (the deposit covered their sum at creation and never shrinks), then what it owes beyond that
    /// for the elapsed time, from what is left, in slot order (TEE first). Elapsed time counts every
    /// started minute from `startedAt` and stops at the order's deadline: the TEE slot's max time,
    /// or `fallbackTimeout` when it has none. Orders only.
    /// @param slotIds The slots the order reserved (TEE slot first).
    /// @param deposit The order's deposit (below 2^96).
    /// @param startedAt When the order started (at or before now).
    /// @param fallbackTimeout Seconds an order may run when its TEE slot has no max time.
    /// @return payouts Per slot, in the same order: its provider's current token receiver in the
    /// high 160 bits, the amount owed in the low 96 (one word each, so the answer is cheap to pass).
    /// @return refund What is left of the deposit for the consumer.
    function settleSlots(
        uint256[] calldata slotIds,
        uint256 deposit,
        uint256 startedAt,
        uint256 fallbackTimeout
    ) external returns (uint256[] memory payouts, uint256 refund);

    /// @notice An offer's type and whether `account` is one of its operators, in one call (what the
    /// TCB registry asks before a publication).
    /// @param offerId The offer; reverts with `OfferNotFound` when there is none.
    /// @param account The account.
    /// @return offerType The offer's type.
    /// @return isOperator Whether `account` is its provider's authority or action account.
    function offerTypeAndOperator(
        uint256 offerId,
        address account
    ) external view returns (OfferType offerType, bool isOperator);

    /// @notice Whether `account` may make operational calls for the offer: its provider's authority
    /// or action account.
    /// @param offerId The offer.
    /// @param account The account.
    /// @return True when allowed; false also for an unknown offer.
    function isOfferOperator(uint256 offerId, address account) external view returns (bool);
}
