// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title IProviders
/// @notice Providers of offers. A provider is identified by its authority: the account that
/// registered it. The authority manages the provider's offers and slots and may name an action
/// account for operational calls (completing suborders, starting and completing TEE orders,
/// publishing TCBs) and a token receiver that is credited with the provider's payouts.
/// @dev Warning: the authority is trusted with everything its provider owns; losing its key loses
/// control of the provider. The action account is trusted with operational calls only.
/// @dev Warning: provider info is emitted, not validated: it is a blob (Super Protocol's provider
/// info JSON) whose hash and block are stored.
interface IProviders {
    /// @notice A provider as stored.
    /// @param actionAccount Account allowed to make operational calls besides the authority
    /// (zero when none).
    /// @param infoBlock Block of the last `ProviderRegistered`/`ProviderUpdated` event, where the
    /// info blob is; zero means not registered.
    /// @param offerCount Number of offers the provider created (see `IOffers.offersOfProvider`).
    /// @param tokenReceiver Account credited with the provider's payouts; never zero.
    /// @param infoHash keccak256 of the info blob.
    struct Provider {
        address actionAccount;
        uint64 infoBlock;
        uint32 offerCount;
        address tokenReceiver;
        bytes32 infoHash;
    }

    /// @notice The caller is already a registered provider.
    /// @param authority The caller.
    error ProviderAlreadyRegistered(address authority);

    /// @notice The account is not a registered provider.
    /// @param authority The account.
    error ProviderNotRegistered(address authority);

    /// @notice A provider needs a token receiver: payouts to the zero address would be lost.
    error ProviderTokenReceiverZero();

    /// @notice A provider was registered.
    /// @param authority The provider (the caller).
    /// @param actionAccount Its action account.
    /// @param tokenReceiver Its token receiver.
    /// @param info The info blob (Super Protocol provider info JSON).
    event ProviderRegistered(
        address indexed authority,
        address indexed actionAccount,
        address indexed tokenReceiver,
        bytes info
    );

    /// @notice A provider changed its info, action account or token receiver.
    /// @param authority The provider.
    /// @param actionAccount The new action account.
    /// @param tokenReceiver The new token receiver.
    /// @param info The new info blob.
    event ProviderUpdated(
        address indexed authority,
        address indexed actionAccount,
        address indexed tokenReceiver,
        bytes info
    );

    /// @notice Registers the caller as a provider (the caller becomes its authority).
    /// @param info Provider info blob, at most `MAX_PROVIDER_INFO_SIZE` bytes; emitted, its hash stored.
    /// @param actionAccount Account allowed to make operational calls (zero for none).
    /// @param tokenReceiver Account credited with payouts; not zero.
    function registerProvider(bytes calldata info, address actionAccount, address tokenReceiver) external;

    /// @notice Replaces the caller's provider info, action account and token receiver.
    /// @dev Payouts already credited stay with the old receiver; later ones go to the new one.
    /// @param info New info blob.
    /// @param actionAccount New action account (zero for none).
    /// @param tokenReceiver New token receiver; not zero.
    function updateProvider(bytes calldata info, address actionAccount, address tokenReceiver) external;

    /// @notice The provider registered by `authority`.
    /// @param authority The provider's authority.
    /// @return The provider; reverts with `ProviderNotRegistered` when there is none.
    function getProvider(address authority) external view returns (Provider memory);

    /// @notice Whether `account` may make operational calls for the provider `authority`: it is
    /// the authority itself or its action account.
    /// @param authority The provider's authority.
    /// @param account The account to check.
    /// @return True when `account` is the authority or the action account of a registered provider.
    function isProviderOperator(address authority, address account) external view returns (bool);
}
