// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

/// @title TestPaymentToken
/// @notice TEST ONLY: an ERC-20 that anyone can mint, used as the payment token on local and test
/// networks. Never deploy it as the payment token of a real marketplace.
contract TestPaymentToken is ERC20 {
    /// @notice Creates the token with the name "Test Payment Token (test only)".
    constructor() ERC20("Test Payment Token (test only)", "TEST") {}

    /// @notice Mints `amount` to `to`. Open to everyone: this is a test token.
    /// @param to Receiver.
    /// @param amount Amount in base units.
    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }
}
