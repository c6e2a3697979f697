// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

// `Vm` is the standard cheatcode interface name, kept so tests read like any Solidity test.
// solhint-disable interface-starts-with-i

/// @title Vm
/// @notice The cheatcodes these tests use, at the standard cheatcode address (forge-std is not
/// available from npm, and these few are all the tests need).
interface Vm {
    /// @notice Makes the next call come from `sender`.
    /// @param sender The caller to impersonate.
    function prank(address sender) external;

    /// @notice Sets block.timestamp.
    /// @param timestamp The new timestamp.
    function warp(uint256 timestamp) external;

    /// @notice Signs `digest` with `privateKey`.
    /// @param privateKey The key.
    /// @param digest The digest.
    /// @return v Recovery id.
    /// @return r Signature r.
    /// @return s Signature s.
    function sign(uint256 privateKey, bytes32 digest) external pure returns (uint8 v, bytes32 r, bytes32 s);

    /// @notice The address of `privateKey`.
    /// @param privateKey The key.
    /// @return The address.
    function addr(uint256 privateKey) external pure returns (address);
}

/// @dev keccak256("hevm cheat code") truncated to an address.
Vm constant vm = Vm(0x7109709ECfa91a80626fF3989D68f67F5b1DD12D);
