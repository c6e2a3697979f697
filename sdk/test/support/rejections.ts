/**
 * Assertions on rejected calls, shared by the tests: the error a promise rejects with, the
 * InputError a call throws, and a check that an error is the contract's with its decoded arguments.
 */
import { expect } from "chai";

import { ContractError, InputError } from "../../src/index.js";

/** The error `promise` rejects with; fails the test when it resolves. */
export async function caught(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected a rejection");
}

/** The Error `promise` rejects with; fails the test when it resolves or rejects with a non-Error. */
export async function failure(promise: Promise<unknown>): Promise<Error> {
  const error = await caught(promise);
  if (error instanceof Error) return error;
  throw new Error(`expected an Error, the call rejected with ${String(error)}`);
}

/** The InputError `run` throws; fails the test when it throws nothing, rethrows any other error. */
export function inputErrorOf(run: () => unknown): InputError {
  try {
    run();
  } catch (error) {
    if (error instanceof InputError) return error;
    throw error;
  }
  throw new Error("expected an InputError, nothing was thrown");
}

/** Asserts that `error` is a ContractError named `errorName`, with `args` when given. */
export function expectContractError(error: unknown, errorName: string, args?: readonly unknown[]): void {
  expect(error, `a ContractError ${errorName}`).to.be.instanceOf(ContractError);
  expect((error as ContractError).errorName, "errorName").to.equal(errorName);
  if (args !== undefined) expect((error as ContractError).args, `${errorName} args`).to.deep.equal(args);
}
