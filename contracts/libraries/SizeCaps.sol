// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {InputTooLarge} from "../interfaces/MarketplaceTypes.sol";

/// @title SizeCaps
/// @notice The one place where byte inputs are checked against their caps, so every contract
/// reports an oversized input the same way.
library SizeCaps {
    /// @notice Reverts with `InputTooLarge` when `data` is longer than `maxSize`.
    /// @param data The input.
    /// @param maxSize The cap in bytes.
    /// @param input Name of the parameter, for the error.
    function check(bytes calldata data, uint256 maxSize, string memory input) internal pure {
        if (data.length > maxSize) revert InputTooLarge(input, data.length, maxSize);
    }
}
