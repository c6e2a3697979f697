import { expect } from "chai";
import {
  ContractFunctionExecutionError,
  ContractFunctionRevertedError,
  type Hex,
  HttpRequestError,
  encodeErrorResult,
  getAddress,
} from "viem";

import {
  ContractError,
  SolutionHashMismatchError,
  contractErrorFrom,
  marketplaceErrorsAbi,
  offerRegistryAbi,
  ordersAbi,
} from "../src/index.js";

const EXPECTED: Hex = `0x${"ab".repeat(32)}`;
const PROVIDED: Hex = `0x${"cd".repeat(32)}`;
const ORDERS = getAddress("0x5fbdb2315678afecb367f032d93f642f64180aa3");

/** What viem throws when a simulated call of Orders reverts with `data`. */
function revertOfOrders(data: Hex | undefined, functionName = "completeSuborder") {
  const reverted = new ContractFunctionRevertedError({ abi: ordersAbi, data, functionName });
  return new ContractFunctionExecutionError(reverted, {
    abi: ordersAbi,
    functionName,
    args: [],
    contractAddress: ORDERS,
  });
}

describe("contractErrorFrom", function () {
  it("maps a revert decoded with the contract's ABI to a ContractError with name, args, hint and cause", function () {
    const viemError = revertOfOrders(
      encodeErrorResult({
        abi: ordersAbi,
        errorName: "SolutionHashMismatch",
        args: [12n, EXPECTED, PROVIDED],
      }),
    );
    const error = contractErrorFrom(viemError, { action: "Cannot complete suborder 12" });
    expect(error, "mapped error").to.be.instanceOf(ContractError);
    expect(error?.errorName, "errorName").to.equal("SolutionHashMismatch");
    expect(error?.args, "args").to.deep.equal([12n, EXPECTED, PROVIDED]);
    expect(error?.cause, "cause").to.equal(viemError);
    expect(error?.message, "message").to.equal(
      `Cannot complete suborder 12: SolutionHashMismatch(12, ${EXPECTED}, ${PROVIDED}). ` +
        `The order committed to solution ${EXPECTED}; complete the suborder with that hash, or decline it with status Error`,
    );
  });

  it("decodes an error of another contract bubbled up through the call (registry error inside createWorkflow)", function () {
    const data = encodeErrorResult({ abi: offerRegistryAbi, errorName: "OfferDisabled", args: [7n] });
    const error = contractErrorFrom(revertOfOrders(data, "createWorkflow"));
    expect(error?.errorName, "errorName").to.equal("OfferDisabled");
    expect(error?.args, "args").to.deep.equal([7n]);
    expect(error?.message, "message").to.match(/^OfferDisabled\(7\)\. Offer 7 is disabled/);
  });

  it("decodes OpenZeppelin's ERC-20 errors and says to approve (the SDK never approves implicitly)", function () {
    const data = encodeErrorResult({
      abi: marketplaceErrorsAbi,
      errorName: "ERC20InsufficientAllowance",
      args: [ORDERS, 0n, 200n],
    });
    const error = contractErrorFrom(revertOfOrders(data, "createWorkflow"), {
      action: "Cannot create the workflow",
    });
    expect(error?.errorName, "errorName").to.equal("ERC20InsufficientAllowance");
    expect(error?.args, "args").to.deep.equal([ORDERS, 0n, 200n]);
    expect(error?.message, "message").to.include("payments.approve");
  });

  it("maps Error(string) and Panic(uint256)", function () {
    const reason = encodeErrorResult({
      abi: [{ type: "error", name: "Error", inputs: [{ name: "message", type: "string" }] }],
      errorName: "Error",
      args: ["nope"],
    });
    expect(contractErrorFrom(revertOfOrders(reason))?.errorName, "Error(string)").to.equal("Error");
    expect(contractErrorFrom(revertOfOrders(reason))?.args, "Error(string) args").to.deep.equal(["nope"]);
    const panic = encodeErrorResult({
      abi: [{ type: "error", name: "Panic", inputs: [{ name: "code", type: "uint256" }] }],
      errorName: "Panic",
      args: [0x11n],
    });
    expect(contractErrorFrom(revertOfOrders(panic))?.errorName, "Panic(uint256)").to.equal("Panic");
  });

  it("keeps undecodable revert data as UnknownError and a revert without data as Reverted", function () {
    const unknown = contractErrorFrom(revertOfOrders("0xdeadbeef"));
    expect(unknown?.errorName, "unknown selector").to.equal("UnknownError");
    expect(unknown?.args, "raw data").to.deep.equal(["0xdeadbeef"]);
    expect(contractErrorFrom(revertOfOrders(undefined))?.errorName, "no data").to.equal("Reverted");
  });

  it("returns undefined for errors that are not reverts", function () {
    expect(contractErrorFrom(new HttpRequestError({ url: "http://127.0.0.1:1" })), "HTTP error").to.equal(
      undefined,
    );
    expect(contractErrorFrom(new Error("boom")), "plain Error").to.equal(undefined);
    expect(contractErrorFrom("boom"), "a string").to.equal(undefined);
  });

  it("returns a ContractError as is (the SDK's local SolutionHashMismatch included)", function () {
    const local = new SolutionHashMismatchError({ suborderId: 3n, expected: EXPECTED, provided: PROVIDED });
    expect(contractErrorFrom(local), "same error").to.equal(local);
    expect(local.errorName, "errorName").to.equal("SolutionHashMismatch");
    expect(local.args, "args as the contract's").to.deep.equal([3n, EXPECTED, PROVIDED]);
    expect(local.message, "message").to.include("nothing was sent");
  });

  it("merges every contract's errors once: names are unique", function () {
    const names = marketplaceErrorsAbi.map((item) => item.name);
    expect(new Set(names).size, "distinct error names").to.equal(names.length);
    for (const name of [
      "SolutionHashMismatch",
      "OfferNotFound",
      "TcbNotFound",
      "ERC20InsufficientAllowance",
    ]) {
      expect(names, `merged errors include ${name}`).to.include(name);
    }
  });
});
