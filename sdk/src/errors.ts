/**
 * The SDK's errors. Every error the SDK throws on purpose is a {@link MarketplaceError}, a viem
 * `BaseError` (`shortMessage`, `details`, `walk()`); the subclasses say whose fault it is: the
 * caller's input ({@link InputError}, {@link FileFormatError}), the contract ({@link ContractError},
 * and {@link SolutionHashMismatchError} when the SDK finds the same revert locally before sending),
 * the chain's state as read before a write ({@link StateError}), a mined transaction that reverted
 * anyway ({@link TransactionRevertedError}) or a ciphertext that does not open ({@link DecryptionError}).
 * Messages say what was expected; the original error, when there is one, is kept as `cause`.
 */
import { BaseError, type ContractErrorArgs, type Hex, type ContractErrorName as AbiErrorName } from "viem";

import type { marketplaceErrorsAbi } from "./abi/errors.js";

/**
 * Base class of every error the SDK throws on purpose: a viem `BaseError`, so `walk()` finds the
 * viem error inside (`error.walk((e) => e instanceof HttpRequestError)`), `details` holds the
 * cause's message, and `shortMessage` the SDK's. Unlike viem's, `message` is the SDK's message alone
 * (one line that says what to fix), without viem's docs and version lines.
 *
 * @example
 * try {
 *   parseOfferInfo(json, { contentHash });
 * } catch (error) {
 *   if (error instanceof MarketplaceError) console.error(error.message);
 *   else throw error;
 * }
 * @throws nothing: constructing it does not throw.
 */
export class MarketplaceError extends BaseError {
  override name = "MarketplaceError";

  constructor(message: string, options: { cause?: unknown } = {}) {
    const cause =
      options.cause === undefined
        ? undefined
        : options.cause instanceof Error
          ? options.cause
          : new Error(String(options.cause));
    super(message, cause === undefined ? {} : { cause });
    this.message = message;
  }
}

/**
 * Bad local input, found before any RPC: malformed hex, a hash of the wrong length, an unknown enum
 * value, a missing or malformed field of a Super Protocol JSON file.
 *
 * `field` is the path of the offending value (`"restrictions.offers[1]"`, `"usage.price"`,
 * `"contentHash"`), or `""` when the whole input is wrong (not JSON, not an object). The message is
 * `"<field>: <detail>"`.
 *
 * @example
 * throw new InputError("restrictions.offers[1]", 'expected an offer id (a positive integer), got "abc"');
 * // message: restrictions.offers[1]: expected an offer id (a positive integer), got "abc"
 * @throws nothing: constructing it does not throw.
 */
export class InputError extends MarketplaceError {
  override name = "InputError";
  /** Path of the offending value, `""` for the input as a whole. */
  readonly field: string;
  /** What is wrong and what is expected, without the field. */
  readonly detail: string;

  constructor(field: string, detail: string, options?: { cause?: unknown }) {
    super(field === "" ? detail : `${field}: ${detail}`, options);
    this.field = field;
    this.detail = detail;
  }
}

/**
 * A file whose content is not what it should be: not JSON, or a field fails validation. Extends
 * {@link InputError} (so `field` and `detail` are there too) with the file's `path`. The message is
 * `"<path>: <field>: <detail>"`.
 *
 * @example
 * throw new FileFormatError("./offer-info.json", "offerType", '"9" is not one of TeeOffer=0, ...');
 * @throws nothing: constructing it does not throw.
 */
export class FileFormatError extends InputError {
  override name = "FileFormatError";
  /** The file, as the caller named it. */
  readonly path: string;

  constructor(path: string, field: string, detail: string, options?: { cause?: unknown }) {
    super(field, detail, options);
    this.path = path;
    this.message = `${path}: ${this.message}`;
    this.shortMessage = this.message;
  }
}

/** The custom errors of the marketplace's contracts (OpenZeppelin's included), from their ABIs. */
export type MarketplaceErrorName = AbiErrorName<typeof marketplaceErrorsAbi>;

/**
 * Every `errorName` a {@link ContractError} can have: the contracts' custom errors, and the four the
 * SDK gives to reverts without one: `Error` (a `require` message), `Panic` (a failed assertion or an
 * arithmetic error, with its code), `UnknownError` (data nothing decodes, as its one argument) and
 * `Reverted` (no data).
 */
export type ContractErrorName = MarketplaceErrorName | "Error" | "Panic" | "UnknownError" | "Reverted";

/** The decoded arguments of the error `name`, typed from the ABI. */
export type ContractErrorArguments<name extends ContractErrorName> = name extends MarketplaceErrorName
  ? ContractErrorArgs<typeof marketplaceErrorsAbi, name>
  : name extends "Error"
    ? readonly [reason: string]
    : name extends "Panic"
      ? readonly [code: bigint]
      : name extends "UnknownError"
        ? readonly [data: Hex]
        : readonly [];

/** A {@link ContractError} of one error name or another: `switch (error.errorName)` narrows `args`. */
export type AnyContractError = { [name in ContractErrorName]: ContractError<name> }[ContractErrorName];

/** What {@link ContractError} is made from. */
export interface ContractErrorParameters<name extends ContractErrorName> {
  errorName: name;
  args: ContractErrorArguments<name>;
  /** What was being done, for example `"Suborder 12 cannot be completed"`. */
  action?: string;
  /** What the caller can do about it. */
  hint?: string;
  cause?: unknown;
}

/**
 * A contract call reverted with a custom error. Carries the Solidity error's name and its decoded
 * arguments; the message puts them after what was being done and before what to do about it:
 * `"Suborder 12 cannot be completed: SolutionHashMismatch(12, 0xab…, 0xcd…). Complete it with the
 * solution hash the order committed to."`
 *
 * `errorName` is typed as the union of the contracts' error names, and `error instanceof
 * ContractError` gives an {@link AnyContractError}: a `switch` on `errorName` narrows `args` to
 * that error's parameters, as the ABI declares them.
 *
 * @example
 * try {
 *   await client.orders.createWorkflow(params);
 * } catch (error) {
 *   if (!(error instanceof ContractError)) throw error;
 *   switch (error.errorName) {
 *     case "OrderDepositTooLow": // args: readonly [deposit: bigint, minimum: bigint]
 *       console.log(`deposit at least ${error.args[1]}`);
 *       break;
 *     case "OfferDisabled": // args: readonly [offerId: bigint]
 *       console.log(`offer ${error.args[0]} is disabled`);
 *       break;
 *   }
 * }
 * @throws nothing: constructing it does not throw.
 */
export class ContractError<name extends ContractErrorName = ContractErrorName> extends MarketplaceError {
  override name = "ContractError";
  /** The Solidity error's name, for example `"SolutionHashMismatch"`. */
  readonly errorName: name;
  /** The error's decoded arguments, in ABI order. */
  readonly args: ContractErrorArguments<name>;
  /** What was being done, when the SDK knows (`"Cannot create the workflow"`). */
  readonly action: string | undefined;
  /** What the caller can do about it, when the SDK knows. */
  readonly hint: string | undefined;

  constructor(params: ContractErrorParameters<name>) {
    super(contractErrorMessage(params), { cause: params.cause });
    this.errorName = params.errorName;
    this.args = params.args;
    this.action = params.action;
    this.hint = params.hint;
  }

  /** `error instanceof ContractError` narrows to {@link AnyContractError}; a subclass to itself. */
  static override [Symbol.hasInstance]<T>(
    this: abstract new (...args: never[]) => T,
    value: unknown,
  ): value is T extends ContractError ? (ContractError extends T ? AnyContractError : T) : T {
    return Function.prototype[Symbol.hasInstance].call(this, value);
  }
}

/**
 * The message of a contract error: `<action>: <errorName>(<args>). <hint>`, each part when present.
 *
 * @example
 * contractErrorMessage({ action: "Cannot cancel order 7", errorName: "OrderCallerNotConsumer", args: [7n, bob] });
 * // "Cannot cancel order 7: OrderCallerNotConsumer(7, 0x…)"
 * @throws nothing.
 */
export function contractErrorMessage(params: {
  errorName: string;
  args: readonly unknown[];
  action?: string | undefined;
  hint?: string | undefined;
}): string {
  const call = `${params.errorName}(${params.args.map(formatArg).join(", ")})`;
  const head = params.action === undefined ? call : `${params.action}: ${call}`;
  return params.hint === undefined ? head : `${head}. ${params.hint}`;
}

/**
 * A data owner's solution hash differs from the one the order committed to, found by the SDK before
 * sending `completeSuborder` (no transaction, no gas). It is a {@link ContractError} with exactly the
 * `errorName` and `args` the contract would revert with: `SolutionHashMismatch(suborderId, expected,
 * provided)`, so code that handles the revert handles this too.
 *
 * @example
 * try {
 *   await client.suborders.complete({ suborderId, status: "Done", solutionHash, resourceFile });
 * } catch (error) {
 *   if (error instanceof ContractError && error.errorName === "SolutionHashMismatch") {
 *     console.error(`The order runs ${error.args[1]}, not the solution you reviewed.`);
 *   }
 * }
 * @throws nothing: constructing it does not throw.
 */
export class SolutionHashMismatchError extends ContractError<"SolutionHashMismatch"> {
  override name = "SolutionHashMismatchError";
  /** The suborder. */
  readonly suborderId: bigint;
  /** The solution hash the order committed to. */
  readonly expected: Hex;
  /** The solution hash the data owner reviewed. */
  readonly provided: Hex;

  constructor(params: { suborderId: bigint; expected: Hex; provided: Hex }) {
    super({
      action: `Suborder ${params.suborderId} cannot be completed (checked locally, nothing was sent)`,
      errorName: "SolutionHashMismatch",
      args: [params.suborderId, params.expected, params.provided],
      hint:
        `The order committed to solution ${params.expected}; you reviewed ${params.provided}. ` +
        `Review the solution the order runs, or decline the suborder with status Error`,
    });
    this.suborderId = params.suborderId;
    this.expected = params.expected;
    this.provided = params.provided;
  }
}

/**
 * The chain's state, read before a write, does not allow it, or what the chain returned does not
 * hold together: no active TCB to encrypt for, an expired or revoked TCB, an order without a report,
 * a public key whose hash is not the one the registry stored. Nothing was sent.
 *
 * @example
 * try {
 *   await client.suborders.complete({ suborderId, status: "Done", solutionHash, resourceFile });
 * } catch (error) {
 *   if (error instanceof StateError) console.error(error.message); // "The active TCB 3 of TEE offer 1 expired ..."
 * }
 * @throws nothing: constructing it does not throw.
 */
export class StateError extends MarketplaceError {
  override name = "StateError";
}

/**
 * A transaction was mined but reverted, although its simulation just before passed (the state
 * changed in between, for example another transaction took the same order first). Gas was spent.
 *
 * @example
 * try {
 *   await client.orders.cancel(orderId);
 * } catch (error) {
 *   if (error instanceof TransactionRevertedError) console.error(`reverted on-chain: ${error.hash}`);
 * }
 * @throws nothing: constructing it does not throw.
 */
export class TransactionRevertedError extends MarketplaceError {
  override name = "TransactionRevertedError";
  /** The transaction. */
  readonly hash: Hex;

  constructor(params: { hash: Hex; action: string }) {
    super(
      `${params.action}: transaction ${params.hash} reverted on-chain although its simulation passed; ` +
        `the state changed in between. Read the current state and try again.`,
    );
    this.hash = params.hash;
  }
}

/**
 * A ciphertext did not decrypt: the private key is not the one it was encrypted for, or the
 * ciphertext was altered. The cryptographic library's error is the `cause`.
 *
 * @example
 * try {
 *   decryptWithTeeKey(privateKey, ciphertext);
 * } catch (error) {
 *   if (error instanceof DecryptionError) console.error("not for this TEE key");
 * }
 * @throws nothing: constructing it does not throw.
 */
export class DecryptionError extends MarketplaceError {
  override name = "DecryptionError";
}

/** Formats one decoded error argument for a message: bigints in decimal, hex as is. */
function formatArg(value: unknown): string {
  if (typeof value === "bigint") return value.toString();
  if (typeof value === "string") return /^0x[0-9a-fA-F]*$/.test(value) ? value : JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(formatArg).join(", ")}]`;
  if (typeof value === "object" && value !== null) {
    return JSON.stringify(value, (_key, v: unknown) => (typeof v === "bigint" ? v.toString() : v));
  }
  return String(value);
}
