// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IProviders, MAX_PROVIDER_INFO_SIZE} from "../interfaces/IProviders.sol";
import {SizeCaps} from "../libraries/SizeCaps.sol";

/// @title Providers
/// @notice Registry of providers, keyed by their authority (the account that registered them).
/// Stores the action account, the token receiver and the hash and block of the info blob; the
/// blob itself is only emitted.
/// @dev A provider exists when its `infoBlock` is non-zero: it is set to the block of the
/// registration, and no transaction runs in block 0.
abstract contract Providers is IProviders {
    /* STORAGE */

    /// @dev Providers by authority. `Provider` is stored as declared in `IProviders`, three words:
    ///   word0  actionAccount (160) | infoBlock (64)
    ///   word1  tokenReceiver (160)
    ///   word2  infoHash
    mapping(address authority => Provider) private _providers;

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
        return _providers[authority];
    }

    /// @inheritdoc IProviders
    function isProviderOperator(address authority, address account) external view returns (bool) {
        return _isProviderOperator(authority, account);
    }

    /* INTERNAL */

    /// @notice Checks and stores the caller's provider fields.
    /// @param info Info blob; capped, its hash stored.
    /// @param actionAccount Action account (zero for none).
    /// @param tokenReceiver Token receiver; not zero.
    function _writeProvider(bytes calldata info, address actionAccount, address tokenReceiver) private {
        require(tokenReceiver != address(0), ProviderTokenReceiverZero());
        SizeCaps.check(info, MAX_PROVIDER_INFO_SIZE, "info");
        _providers[msg.sender] = Provider({
            actionAccount: actionAccount,
            // Block numbers fit in 64 bits on any chain for billions of years.
            infoBlock: uint64(block.number),
            tokenReceiver: tokenReceiver,
            infoHash: keccak256(info)
        });
    }

    /// @notice Reverts with `ProviderNotRegistered` when `authority` is not a provider.
    /// @param authority The account to check.
    function _requireProvider(address authority) internal view {
        require(_providers[authority].infoBlock != 0, ProviderNotRegistered(authority));
    }

    /// @notice Whether `account` is the authority or the action account of the provider `authority`.
    /// @param authority The provider's authority.
    /// @param account The account to check.
    /// @return False also when `authority` is not a provider.
    function _isProviderOperator(address authority, address account) internal view returns (bool) {
        Provider storage provider = _providers[authority];
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
