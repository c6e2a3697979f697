/**
 * Assertions on rejected calls, shared by the integration tests: the error a promise rejects with,
 * and a check that it is the contract's error with its decoded arguments.
 */
import { expect } from "chai";

import { ContractError } from "../../src/index.js";

/** The error `promise` rejects with; fails the test when it resolves. */
export async function caught(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected a rejection");
}

/** Asserts that `error` is a ContractError named `errorName`, with `args` when given. */
export function expectContractError(error: unknown, errorName: string, args?: readonly unknown[]): void {
  expect(error, `a ContractError ${errorName}`).to.be.instanceOf(ContractError);
  expect((error as ContractError).errorName, "errorName").to.equal(errorName);
  if (args !== undefined) expect((error as ContractError).args, `${errorName} args`).to.deep.equal(args);
}
