// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

/// @title ReentrantToken
/// @notice TEST ONLY: an ERC-20 that, when armed, calls back into a target during every transfer,
/// the way a malicious or hook-bearing token would, to test reentrancy guards.
contract ReentrantToken is ERC20 {
    address private _target;
    bytes private _callData;

    /// @notice The reentrant call failed; carries its revert data so tests can match it.
    /// @param reason The revert data of the reentrant call.
    error ReentrantCallFailed(bytes reason);

    /// @notice Creates the token.
    constructor() ERC20("Reentrant Token (test only)", "REENTER") {}

    /// @notice Mints `amount` to `to`.
    /// @param to Receiver.
    /// @param amount Amount.
    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }

    /// @notice Makes every later transfer call `target` with `callData` first.
    /// @param target Contract to re-enter.
    /// @param callData Call to make.
    function arm(address target, bytes calldata callData) external {
        _target = target;
        _callData = callData;
    }

    /// @dev Re-enters before moving the balance; a failing reentrant call fails the transfer.
    function _update(address from, address to, uint256 value) internal override {
        address target = _target;
        if (target != address(0)) {
            _target = address(0);
            // A raw call on purpose: this mock exists to make arbitrary reentrant calls.
            // solhint-disable-next-line avoid-low-level-calls
            (bool ok, bytes memory reason) = target.call(_callData);
            if (!ok) revert ReentrantCallFailed(reason);
        }
        super._update(from, to, value);
    }
}
