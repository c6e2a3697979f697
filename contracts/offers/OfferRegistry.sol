// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

import {IAttestationVerifier} from "../interfaces/IAttestationVerifier.sol";
import {OfferType} from "../interfaces/MarketplaceTypes.sol";
import {IOfferRegistry} from "../interfaces/IOfferRegistry.sol";
import {SlotPricing} from "../libraries/SlotPricing.sol";
import {TcbRegistry} from "../tcb/TcbRegistry.sol";
import {Slots} from "./Slots.sol";

/// @title OfferRegistry
/// @notice Providers, offers, slots and the TCBs of TEE offers in one deployable, with the hooks of
/// the Orders contract: `reserveWorkflow` checks a workflow and counts it as an open order on each
/// of its slots; `settleSlots` ends that count and prices the order on the slots' terms
/// (`releaseSlots` ends it unpaid).
/// @dev Created by the Orders contract in its constructor: the creator is the only caller of the
/// hooks, kept as an immutable (no binding step, and the hooks' caller check reads no storage).
contract OfferRegistry is Slots, TcbRegistry, IOfferRegistry {
    /// @dev What the combination check needs of each offer of a workflow (read once, from word0).
    struct WorkflowOffer {
        uint256 offerId;
        uint8 typeBit;
        uint8 allowedTypesMask;
        bool restrictedByOfferId;
    }

    /* STORAGE */

    /// @dev The Orders contract: the account that created the registry.
    address private immutable _ORDERS;

    /// @notice Only the Orders contract may call.
    modifier onlyOrders() {
        require(msg.sender == _ORDERS, OfferRegistryCallerNotOrders(msg.sender));
        _;
    }

    /// @notice Records its creator as the Orders contract and sets up the TCBs.
    /// @param admin Gets the TCB registry's `DEFAULT_ADMIN_ROLE` and `TCB_ADMIN_ROLE`.
    /// @param verifier The attestation verifier; not zero.
    /// @param tcbLifetime Lifetime of published TCBs, in seconds; positive.
    constructor(
        address admin,
        IAttestationVerifier verifier,
        uint40 tcbLifetime
    ) TcbRegistry(admin, verifier, tcbLifetime) {
        _ORDERS = msg.sender;
    }

    /* ORDERS */

    /// @inheritdoc IOfferRegistry
    function reserveWorkflow(
        address consumer,
        uint256 teeOfferId,
        uint256 teeSlotId,
        bytes32 teeTermsHash,
        WorkflowInput[] calldata inputs,
        bytes32 solutionHash
    ) external onlyOrders returns (Reservation memory reservation) {
        WorkflowOffer[] memory offers = new WorkflowOffer[](inputs.length + 1);

        bool restricted;
        (reservation.minCost, reservation.teeCancelable, restricted) = _reserveTee(
            offers,
            teeOfferId,
            teeSlotId,
            teeTermsHash,
            consumer
        );

        if (_reserveInputs(offers, inputs, consumer, solutionHash, reservation)) restricted = true;
        if (restricted) _checkCombinations(offers);
    }

    /// @inheritdoc IOfferRegistry
    function releaseSlots(uint256[] calldata slotIds) external onlyOrders {
        for (uint256 i = 0; i < slotIds.length; ++i) {
            _releaseSlot(slotIds[i]);
        }
    }

    /// @inheritdoc IOfferRegistry
    function settleSlots(
        uint256[] calldata slotIds,
        uint256 deposit,
        uint256 startedAt,
        uint256 fallbackTimeout
    ) external onlyOrders returns (uint256[] memory payouts, uint256 refund) {
        uint256 count = slotIds.length;
        payouts = new uint256[](count);
        uint256[] memory extras = new uint256[](count);
        refund = deposit;
        uint256 elapsedMinutes;
        for (uint256 i = 0; i < count; ++i) {
            (uint256 offerId, SlotUsage memory usage) = _releaseSlot(slotIds[i]);
            if (i == 0) elapsedMinutes = _elapsedMinutes(usage, startedAt, fallbackTimeout);
            uint256 minCost = Math.min(SlotPricing.minCost(usage), refund);
            refund -= minCost;
            extras[i] = SlotPricing.cost(usage, elapsedMinutes) - minCost;
            payouts[i] = (uint256(uint160(_tokenReceiver(_offerProvider(offerId)))) << 96) | minCost;
        }
        for (uint256 i = 0; i < count; ++i) {
            uint256 extra = Math.min(extras[i], refund);
            refund -= extra;
            // A slot's amount never exceeds the deposit (< 2^96): the sum stays in the low 96 bits.
            payouts[i] += extra;
        }
    }

    /* VIEWS */

    /// @inheritdoc IOfferRegistry
    function orders() external view returns (address) {
        return _ORDERS;
    }

    /// @inheritdoc IOfferRegistry
    function offerTypeAndOperator(
        uint256 offerId,
        address account
    ) external view returns (OfferType offerType, bool isOperator) {
        return _offerTypeAndOperator(offerId, account);
    }

    /// @inheritdoc IOfferRegistry
    function isOfferOperator(uint256 offerId, address account) external view returns (bool) {
        return _isOfferOperator(offerId, account);
    }

    /* INTERNAL */

    /// @notice An offer's type and whether `account` is its provider's authority or action account:
    /// what the TCB functions ask of offers.
    /// @param offerId The offer; reverts with `OfferNotFound` when there is none.
    /// @param account The account.
    /// @return offerType The offer's type.
    /// @return isOperator Whether `account` operates it.
    function _offerTypeAndOperator(
        uint256 offerId,
        address account
    ) internal view override returns (OfferType offerType, bool isOperator) {
        OfferData storage offer = _offer(offerId);
        return (offer.offerType, _isOperator(offer.provider, account));
    }

    /// @notice Whether `account` is the authority or action account of the offer's provider.
    /// @param offerId The offer.
    /// @param account The account.
    /// @return The answer; false for an unknown offer.
    function _isOfferOperator(uint256 offerId, address account) internal view override returns (bool) {
        return _isOperator(_offerProvider(offerId), account);
    }

    /// @notice Minutes an order is charged for: every started minute from `startedAt` to now, or to
    /// its deadline when that came first (time the consumer could have had refunded is not charged).
    /// @param teeUsage The TEE slot's terms (its max time is the order's).
    /// @param startedAt When the order started (at or before now).
    /// @param fallbackTimeout Seconds allowed when the TEE slot has no max time.
    /// @return The minutes.
    function _elapsedMinutes(
        SlotUsage memory teeUsage,
        uint256 startedAt,
        uint256 fallbackTimeout
    ) private view returns (uint256) {
        uint256 deadline = SlotPricing.deadline(teeUsage, startedAt, fallbackTimeout);
        return Math.ceilDiv(Math.min(block.timestamp, deadline) - startedAt, 60);
    }

    /// @notice Whether `account` is the authority or action account of the provider `authority`.
    /// @param authority An offer's provider (zero for an unknown offer).
    /// @param account The account.
    /// @return The answer; false for an unknown offer.
    function _isOperator(address authority, address account) private view returns (bool) {
        // An offer's provider is always registered (providers are never removed), so the
        // authority itself is answered without reading the provider: the common, cheaper case.
        if (account == authority) return authority != address(0);
        return _isProviderOperator(authority, account);
    }

    /// @notice An offer a consumer may order now: it exists, is enabled and allows the consumer.
    /// @param offerId The offer.
    /// @param consumer The account placing the workflow.
    /// @return offer Its storage; reverts with `OfferNotFound`, `OfferDisabled` or
    /// `OfferAccountNotAllowed`.
    function _orderableOffer(
        uint256 offerId,
        address consumer
    ) private view returns (OfferData storage offer) {
        offer = _offer(offerId);
        uint8 flags = offer.flags;
        require(flags & _ENABLED != 0, OfferDisabled(offerId));
        require(_accountAllowed(offerId, flags, consumer), OfferAccountNotAllowed(offerId, consumer));
    }

    /// @notice Checks the TEE offer of a workflow and reserves its slot. Reserving before every check
    /// of the workflow has passed is safe: a failed check reverts the whole call.
    /// @param offers The workflow's offers, where the TEE offer is recorded first.
    /// @param teeOfferId The TEE offer.
    /// @param teeSlotId A slot of the TEE offer.
    /// @param teeTermsHash The TEE slot's terms hash as the consumer saw it.
    /// @param consumer The account placing the workflow.
    /// @return minCost The slot's min cost.
    /// @return cancelable Whether the TEE offer lets consumers cancel Processing orders.
    /// @return restricted Whether the TEE offer has restrictions.
    function _reserveTee(
        WorkflowOffer[] memory offers,
        uint256 teeOfferId,
        uint256 teeSlotId,
        bytes32 teeTermsHash,
        address consumer
    ) private returns (uint256 minCost, bool cancelable, bool restricted) {
        OfferData storage tee = _orderableOffer(teeOfferId, consumer);
        OfferType teeType = tee.offerType;
        if (teeType != OfferType.TeeOffer) revert OfferNotTee(teeOfferId, teeType);
        minCost = _reserveSlot(teeSlotId, teeOfferId, teeTermsHash);
        cancelable = tee.flags & _CANCELABLE != 0;
        restricted = _collect(offers, 0, teeOfferId, tee);
    }

    /// @notice Checks every input of a workflow and reserves its slot, adding to the reservation.
    /// @param offers The workflow's offers (TEE offer first), where the inputs' are recorded.
    /// @param inputs The inputs.
    /// @param consumer The account placing the workflow.
    /// @param solutionHash The solution hash the order commits to.
    /// @param reservation The reservation: min costs are added, auto-complete bits set.
    /// @return restricted Whether an input's offer has restrictions.
    function _reserveInputs(
        WorkflowOffer[] memory offers,
        WorkflowInput[] calldata inputs,
        address consumer,
        bytes32 solutionHash,
        Reservation memory reservation
    ) private returns (bool restricted) {
        for (uint256 i = 0; i < inputs.length; ++i) {
            (uint256 minCost, bool autoComplete, bool inputRestricted) = _reserveInput(
                offers,
                i + 1,
                inputs[i],
                consumer,
                solutionHash
            );
            reservation.minCost += minCost;
            if (autoComplete) reservation.autoCompleteMask |= 1 << i;
            if (inputRestricted) restricted = true;
        }
    }

    /// @notice Checks one input of a workflow and reserves its slot.
    /// @param offers The workflow's offers (TEE offer first), where this input's is recorded.
    /// @param position Where this input's offer goes in `offers`.
    /// @param input The input.
    /// @param consumer The account placing the workflow.
    /// @param solutionHash The solution hash the order commits to.
    /// @return minCost The slot's min cost.
    /// @return autoComplete Whether the input's suborder completes without its owner.
    /// @return restricted Whether the input's offer has restrictions.
    function _reserveInput(
        WorkflowOffer[] memory offers,
        uint256 position,
        WorkflowInput calldata input,
        address consumer,
        bytes32 solutionHash
    ) private returns (uint256 minCost, bool autoComplete, bool restricted) {
        uint256 offerId = input.offerId;
        OfferData storage offer = _orderableOffer(offerId, consumer);
        OfferType offerType = offer.offerType;
        if (offerType == OfferType.Solution) {
            bytes32 contentHash = offer.contentHash;
            if (contentHash != solutionHash)
                revert OfferSolutionHashMismatch(offerId, contentHash, solutionHash);
        } else if (offerType != OfferType.Data) {
            revert OfferNotInput(offerId, offerType);
        }
        minCost = _reserveSlot(input.slotId, offerId, input.termsHash);
        autoComplete = offer.flags & _AUTO_COMPLETE != 0;
        restricted = _collect(offers, position, offerId, offer);
    }

    /// @notice Records what the combination check needs of one offer of the workflow.
    /// @param offers The workflow's offers (TEE offer first).
    /// @param position Where this offer goes.
    /// @param offerId The offer.
    /// @param offer Its storage.
    /// @return restricted Whether the offer has restrictions.
    function _collect(
        WorkflowOffer[] memory offers,
        uint256 position,
        uint256 offerId,
        OfferData storage offer
    ) private view returns (bool restricted) {
        uint8 mask = offer.allowedTypesMask;
        bool byId = offer.flags & _RESTRICTED_BY_OFFER_ID != 0;
        offers[position] = WorkflowOffer({
            offerId: offerId,
            typeBit: _typeBit(offer.offerType),
            allowedTypesMask: mask,
            restrictedByOfferId: byId
        });
        return mask != 0 || byId;
    }

    /// @notice Checks every ordered pair of distinct offers of a workflow against the combination rule.
    /// Only offers with restrictions are checked against the others; an offer listed twice is not
    /// checked against itself. Quadratic in the workflow's size, which Orders caps (`MAX_SUBORDERS`).
    /// @param offers The workflow's offers.
    function _checkCombinations(WorkflowOffer[] memory offers) private view {
        for (uint256 a = 0; a < offers.length; ++a) {
            uint8 mask = offers[a].allowedTypesMask;
            bool byId = offers[a].restrictedByOfferId;
            if (mask == 0 && !byId) continue;
            uint256 offerId = offers[a].offerId;
            for (uint256 b = 0; b < offers.length; ++b) {
                if (mask & offers[b].typeBit != 0) continue;
                uint256 otherOfferId = offers[b].offerId;
                if (otherOfferId == offerId) continue;
                if (!byId || !_isAllowedOffer(offerId, otherOfferId)) {
                    revert OfferCombinationNotAllowed(offerId, otherOfferId);
                }
            }
        }
    }
}
