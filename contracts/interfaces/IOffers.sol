// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {OfferType} from "./MarketplaceTypes.sol";

/// @title IOffers
/// @notice Offers of registered providers: a TEE (compute), storage, a solution or a dataset.
/// Large data (the info JSON, the public result resource) is emitted in events; the offer stores
/// hashes, flags and the block of its last info event.
/// @dev Warning: the content hash (sha256 of the solution image or dataset) is declared by the
/// provider and not checked on-chain; what binds it is the TEE's signed order report.
/// @dev Warning: restrictions and allowed accounts are enforced when a workflow is created; an
/// order created before a change keeps running.
interface IOffers {
    /// @notice What a provider declares when creating an offer.
    /// @param offerType Kind of offer.
    /// @param subType Subtype (`TeeType` for TEE offers, 0 otherwise); not interpreted on-chain.
    /// @param cancelable Whether a consumer may cancel a Processing order of this TEE offer.
    /// @param contentHash sha256 of the solution image or dataset; required (non-zero) for
    /// Solution and Data offers.
    /// @param allowedOfferIds Restriction: offers this one may be combined with.
    /// @param allowedOfferTypes Restriction: offer types this one may be combined with.
    /// @param allowedAccounts If non-empty, only these accounts may order this offer.
    /// @param resultResource Public result resource; non-empty makes the offer auto-complete
    /// (its suborders are Done at creation, without its owner).
    /// @param info The info blob (Super Protocol offer-info.json).
    struct OfferParams {
        OfferType offerType;
        uint8 subType;
        bool cancelable;
        bytes32 contentHash;
        uint256[] allowedOfferIds;
        OfferType[] allowedOfferTypes;
        address[] allowedAccounts;
        bytes resultResource;
        bytes info;
    }

    /// @notice An offer as stored.
    /// @param provider Authority of the provider that owns the offer.
    /// @param offerType Kind of offer.
    /// @param subType Subtype.
    /// @param enabled Whether new workflows may use it.
    /// @param cancelable Whether Processing orders of this TEE offer may be canceled.
    /// @param autoComplete Whether its suborders complete without the owner (public result).
    /// @param allowedTypesMask Restriction by type: bit `t` set allows offers of type `t`.
    /// @param restrictedByOfferId Whether allowed offer ids were given.
    /// @param restrictedToAccounts Whether only allowed accounts may order it.
    /// @param version Content version, starting at 1, incremented by `newOfferVersion`.
    /// @param infoBlock Block of the last event carrying the info blob.
    /// @param contentHash sha256 of the current content version.
    /// @param infoHash keccak256 of the info blob.
    struct Offer {
        address provider;
        OfferType offerType;
        uint8 subType;
        bool enabled;
        bool cancelable;
        bool autoComplete;
        uint8 allowedTypesMask;
        bool restrictedByOfferId;
        bool restrictedToAccounts;
        uint32 version;
        uint64 infoBlock;
        bytes32 contentHash;
        bytes32 infoHash;
    }

    /// @notice No offer has this id.
    /// @param offerId The id.
    error OfferNotFound(uint256 offerId);

    /// @notice Only the offer's provider authority may do this.
    /// @param offerId The offer.
    /// @param caller The caller.
    error OfferCallerNotProvider(uint256 offerId, address caller);

    /// @notice The offer is disabled: no new workflow may use it.
    /// @param offerId The offer.
    error OfferDisabled(uint256 offerId);

    /// @notice Solution and Data offers need a content hash.
    /// @param offerType The type of the offer being created or versioned.
    error OfferContentHashZero(OfferType offerType);

    /// @notice A list in the offer's parameters is longer than its cap.
    /// @param list Name of the list ("allowedOfferIds" or "allowedAccounts").
    /// @param length Its length.
    /// @param maxLength The cap.
    error OfferListTooLong(string list, uint256 length, uint256 maxLength);

    /// @notice An offer was created.
    /// @param offerId The new offer's id.
    /// @param provider Authority of its provider.
    /// @param offerType Its type.
    /// @param params Everything declared, including the info blob and the result resource.
    event OfferCreated(
        uint256 indexed offerId,
        address indexed provider,
        OfferType indexed offerType,
        OfferParams params
    );

    /// @notice An offer's info blob changed.
    /// @param offerId The offer.
    /// @param info The new info blob.
    event OfferInfoUpdated(uint256 indexed offerId, bytes info);

    /// @notice An offer was enabled or disabled.
    /// @param offerId The offer.
    /// @param enabled The new state.
    event OfferEnabledSet(uint256 indexed offerId, bool enabled);

    /// @notice An offer got a new content version.
    /// @param offerId The offer.
    /// @param version The new version number.
    /// @param contentHash sha256 of the new content.
    /// @param info The info blob of the new version.
    event OfferVersionCreated(uint256 indexed offerId, uint32 version, bytes32 contentHash, bytes info);

    /// @notice Creates an offer of the caller, who must be a registered provider.
    /// @param params What the offer is; see `OfferParams`.
    /// @return offerId The new offer's id (ids start at 1).
    function createOffer(OfferParams calldata params) external returns (uint256 offerId);

    /// @notice Replaces an offer's info blob. Provider authority only.
    /// @param offerId The offer.
    /// @param info The new info blob.
    function updateOfferInfo(uint256 offerId, bytes calldata info) external;

    /// @notice Enables or disables an offer for new workflows. Provider authority only.
    /// @param offerId The offer.
    /// @param enabled The new state.
    function setOfferEnabled(uint256 offerId, bool enabled) external;

    /// @notice Publishes a new content version (new content hash and info). Provider authority only.
    /// @dev Orders already created keep the solution hash they committed to.
    /// @param offerId The offer.
    /// @param contentHash sha256 of the new content; non-zero for Solution and Data offers.
    /// @param info The info blob of the new version.
    function newOfferVersion(uint256 offerId, bytes32 contentHash, bytes calldata info) external;

    /// @notice An offer.
    /// @param offerId The offer.
    /// @return The offer; reverts with `OfferNotFound` when there is none.
    function getOffer(uint256 offerId) external view returns (Offer memory);

    /// @notice The type of an offer (one storage read; for contracts that need only that).
    /// @param offerId The offer.
    /// @return The type; reverts with `OfferNotFound` when there is none.
    function getOfferType(uint256 offerId) external view returns (OfferType);

    /// @notice Number of offers ever created; ids run from 1 to this number.
    /// @return The count.
    function offerCount() external view returns (uint256);

    /// @notice A page of offers by id.
    /// @param firstOfferId First id of the page (ids start at 1; 0 reads as 1).
    /// @param limit Largest number of offers returned (at most `MAX_PAGE_SIZE`).
    /// @return offers The offers with ids from `max(firstOfferId, 1)`, at most `limit` of them.
    function getOffers(uint256 firstOfferId, uint256 limit) external view returns (Offer[] memory offers);

    /// @notice A page of a provider's offers, oldest first: its cost grows with the provider's
    /// offers, not with the marketplace's.
    /// @param authority The provider's authority.
    /// @param offset Index of the first offer returned (the provider's offers are counted by
    /// `IProviders.Provider.offerCount`).
    /// @param limit Largest number of ids returned (at most `MAX_ID_PAGE_SIZE`).
    /// @return offerIds The ids.
    function offersOfProvider(
        address authority,
        uint256 offset,
        uint256 limit
    ) external view returns (uint256[] memory offerIds);

    /// @notice Whether `offerId`'s restrictions allow combining it with `otherOfferId`.
    /// @param offerId The offer whose restrictions apply.
    /// @param otherOfferId The other offer of the workflow.
    /// @return True when `offerId` has no restrictions, or allows the other's id or type.
    function isCombinationAllowed(uint256 offerId, uint256 otherOfferId) external view returns (bool);

    /// @notice Whether `account` may order `offerId`.
    /// @param offerId The offer.
    /// @param account The would-be consumer.
    /// @return True when the offer has no allowed-account list or lists `account`.
    function isAccountAllowed(uint256 offerId, address account) external view returns (bool);
}
