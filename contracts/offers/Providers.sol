// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {MAX_PROVIDER_INFO_SIZE} from "../interfaces/MarketplaceTypes.sol";
import {IProviders} from "../interfaces/IProviders.sol";
import {SizeCaps} from "../libraries/SizeCaps.sol";

/// @title Providers
/// @notice Registry of providers, keyed by their authority (the account that registered them).
/// Stores the action account, the token receiver, the hash and block of the info blob, and how
/// many offers the provider created; the blob itself is only emitted.
/// @dev A provider exists when its `infoBlock` is non-zero: it is set to the block of the
/// registration, and no transaction runs in block 0.
abstract contract Providers is IProviders {
    /* STORAGE */

    /// @dev A provider in storage, three words:
    ///   word0  actionAccount (160) | infoBlock (40) | offerCount (32)         232 bits
    ///   word1  tokenReceiver (160)
    ///   word2  infoHash
    /// word0 is what the operator check reads; `offerCount` sits there because creating an offer
    /// reads the word anyway (the provider check), so counting costs a warm write.
    /// Block numbers fit 40 bits for thousands of years at opBNB's block rate.
    struct ProviderRecord {
        address actionAccount;
        uint40 infoBlock;
        uint32 offerCount;
        address tokenReceiver;
        bytes32 infoHash;
    }

    /// @dev Providers by authority.
    mapping(address authority => ProviderRecord) private _providers;

    /* PROVIDER */

    /// @inheritdoc IProviders
    function registerProvider(bytes calldata info, address actionAccount, address tokenReceiver) external {
        require(_providers[msg.sender].infoBlock == 0, ProviderAlreadyRegistered(msg.sender));
        _writeProvider(info, actionAccount, tokenReceiver);
        emit ProviderRegistered(msg.sender, actionAccount, tokenReceiver, info);
    }

    /// @inheritdoc IProviders
    function updateProvider(bytes calldata info, address actionAccount, address tokenReceiver) external {
        _requireProvider(msg.sender);
        _writeProvider(info, actionAccount, tokenReceiver);
        emit ProviderUpdated(msg.sender, actionAccount, tokenReceiver, info);
    }

    /* VIEWS */

    /// @inheritdoc IProviders
    function getProvider(address authority) external view returns (Provider memory) {
        _requireProvider(authority);
        ProviderRecord storage provider = _providers[authority];
        return
            Provider({
                actionAccount: provider.actionAccount,
                infoBlock: provider.infoBlock,
                offerCount: provider.offerCount,
                tokenReceiver: provider.tokenReceiver,
                infoHash: provider.infoHash
            });
    }

    /// @inheritdoc IProviders
    function isProviderOperator(address authority, address account) external view returns (bool) {
        return _isProviderOperator(authority, account);
    }

    /* INTERNAL */

    /// @notice Checks and stores the caller's provider fields, keeping its offer count.
    /// @param info Info blob; capped, its hash stored.
    /// @param actionAccount Action account (zero for none).
    /// @param tokenReceiver Token receiver; not zero.
    function _writeProvider(bytes calldata info, address actionAccount, address tokenReceiver) private {
        require(tokenReceiver != address(0), ProviderTokenReceiverZero());
        SizeCaps.check(info, MAX_PROVIDER_INFO_SIZE, "info");
        ProviderRecord storage provider = _providers[msg.sender];
        provider.actionAccount = actionAccount;
        // Narrowing cast: block numbers fit 40 bits (see ProviderRecord).
        provider.infoBlock = uint40(block.number);
        provider.tokenReceiver = tokenReceiver;
        provider.infoHash = keccak256(info);
    }

    /// @notice Reverts with `ProviderNotRegistered` when `authority` is not a provider.
    /// @param authority The account to check.
    function _requireProvider(address authority) internal view {
        require(_providers[authority].infoBlock != 0, ProviderNotRegistered(authority));
    }

    /// @notice Counts a new offer of a registered provider.
    /// @param authority The provider's authority (registered: checked by the caller).
    /// @return index The new offer's index among the provider's offers.
    function _countProviderOffer(address authority) internal returns (uint256 index) {
        ProviderRecord storage provider = _providers[authority];
        index = provider.offerCount;
        // Checked: 2^32 offers of one provider would cost more gas than any chain will ever
        // spend, and the increment reverts if it ever came to that.
        ++provider.offerCount;
    }

    /// @notice Number of offers a provider created.
    /// @param authority The provider's authority.
    /// @return The count (0 for an account that is not a provider).
    function _providerOfferCount(address authority) internal view returns (uint256) {
        return _providers[authority].offerCount;
    }

    /// @notice Whether `account` is the authority or the action account of the provider `authority`.
    /// @param authority The provider's authority.
    /// @param account The account to check.
    /// @return False also when `authority` is not a provider.
    function _isProviderOperator(address authority, address account) internal view returns (bool) {
        ProviderRecord storage provider = _providers[authority];
        if (provider.infoBlock == 0) return false;
        return account == authority || (account == provider.actionAccount && account != address(0));
    }

    /// @notice Current token receiver of a provider (zero when `authority` is not a provider).
    /// @param authority The provider's authority.
    /// @return The token receiver.
    function _tokenReceiver(address authority) internal view returns (address) {
        return _providers[authority].tokenReceiver;
    }
}
