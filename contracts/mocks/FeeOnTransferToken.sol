// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

/// @title FeeOnTransferToken
/// @notice TEST ONLY: an ERC-20 that burns 1% of every transfer between two accounts, as
/// fee-on-transfer tokens do, so the receiver gets less than the amount sent.
contract FeeOnTransferToken is ERC20 {
    /// @notice Creates the token.
    constructor() ERC20("Fee On Transfer Token (test only)", "FEE") {}

    /// @notice Mints `amount` to `to`.
    /// @param to Receiver.
    /// @param amount Amount.
    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }

    /// @dev Transfers between accounts burn 1% (rounded down) of the amount on the way.
    function _update(address from, address to, uint256 value) internal override {
        if (from == address(0) || to == address(0)) {
            super._update(from, to, value);
            return;
        }
        uint256 fee = value / 100;
        super._update(from, address(0), fee);
        super._update(from, to, value - fee);
    }
}
