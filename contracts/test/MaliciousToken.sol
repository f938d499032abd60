// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

/// @notice Attack token: on a transfer touching `hookTarget` it calls back into it once with `hookData` (a reentrancy
/// attempt, outcome recorded), and it can be told to report failure by returning false instead of reverting.
contract MaliciousToken is ERC20 {
    address public hookTarget;
    bytes public hookData;
    bool public hookCalled;
    bool public hookSucceeded;
    bytes public hookReturn;
    bool public returnFalse;

    constructor() ERC20("Malicious Token", "EVIL") {}

    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }

    /// @notice Arms a one-shot callback into `target` with `data` on the next transfer from or to `target`.
    function arm(address target, bytes calldata data) external {
        hookTarget = target;
        hookData = data;
        hookCalled = false;
        hookSucceeded = false;
        delete hookReturn;
    }

    function setReturnFalse(bool value) external {
        returnFalse = value;
    }

    function transfer(address to, uint256 value) public override returns (bool) {
        if (returnFalse) return false;
        return super.transfer(to, value);
    }

    function transferFrom(address from, address to, uint256 value) public override returns (bool) {
        if (returnFalse) return false;
        return super.transferFrom(from, to, value);
    }

    function _update(address from, address to, uint256 value) internal override {
        super._update(from, to, value);
        address target = hookTarget;
        if (target != address(0) && (from == target || to == target)) {
            hookTarget = address(0);
            hookCalled = true;
            (bool ok, bytes memory ret) = target.call(hookData);
            hookSucceeded = ok;
            hookReturn = ret;
        }
    }
}
