/**
 * The SDK's errors. Every error the SDK throws on purpose is a {@link MarketplaceError}, a viem
 * `BaseError` (`shortMessage`, `details`, `walk()`); the subclasses say whose fault it is: the
 * caller's input ({@link InputError}, {@link FileFormatError}), the contract ({@link ContractError},
 * and {@link SolutionHashMismatchError} when the SDK finds the same revert locally before sending),
 * the chain's state as read before a write, or read answers that do not hold together
 * ({@link StateError}; {@link ResultReceiptError} for a result receipt), an indexer that cannot
 * answer ({@link IndexerError}), a mined transaction that reverted anyway
 * ({@link TransactionRevertedError}), a ciphertext that does not open ({@link DecryptionError}),
 * an envelope made for something else ({@link EnvelopeMismatchError}), content whose sha256 is not the
 * expected one ({@link ContentHashMismatchError}), a storage backend that cannot do what was asked
 * ({@link StorageError}, {@link ObjectNotFoundError}) or a TEE quote that is not genuine or not the
 * expected one ({@link QuoteVerificationError}).
 * Messages say what was expected; the original error, when there is one, is kept as `cause`.
 */
import { BaseError, type ContractErrorArgs, type Hex, type ContractErrorName as AbiErrorName } from "viem";

import type { marketplaceErrorsAbi } from "./abi/errors.js";
import type { ResultCheck } from "./actions/results.js";

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
 * An order's Done result receipt, as the RPC endpoint returned it, does not hold: its signature does
 * not recover to the order's enclave (`receiptSigned`: the signature, the result hash or a pointer
 * was altered), or it has not one pointer per recipient (`pointerPerRecipient`). The contract
 * accepts only receipts that hold, so the endpoint altered its answer (or serves another chain):
 * nothing of the result was downloaded. `failed` lists every check that failed, `pointerOpens`
 * (your pointer does not open for this order and result hash) included. A {@link StateError}.
 *
 * @example
 * try {
 *   await downloadResult(client.context, { orderId, privateKey, destination });
 * } catch (error) {
 *   if (error instanceof ResultReceiptError) console.error(error.failed.map((c) => c.name)); // ["receiptSigned"]
 * }
 * @throws nothing: constructing it does not throw.
 */
export class ResultReceiptError extends StateError {
  override name = "ResultReceiptError";
  /** The order. */
  readonly orderId: bigint;
  /** The checks that failed, with what each compared. */
  readonly failed: readonly ResultCheck[];

  constructor(params: { orderId: bigint; failed: readonly ResultCheck[] }) {
    super(
      `The result receipt of order ${params.orderId}, as the RPC endpoint returned it, does not hold: ` +
        `${params.failed.map((c) => `${c.name} (${c.detail})`).join("; ")}. The contract accepts only ` +
        `receipts signed by the order's enclave with one pointer per recipient, so the endpoint altered ` +
        `its answer: nothing was downloaded. Read the order through another RPC endpoint.`,
    );
    this.orderId = params.orderId;
    this.failed = params.failed;
  }
}

/**
 * An indexer (`@tee-marketplace/sdk/indexer`) could not answer: it is unreachable, timed out,
 * refused the query, or answered something that is not an index of the marketplace. `url` is the
 * indexer's; `status` the HTTP status when there was an answer.
 *
 * @example
 * try {
 *   await indexer.orders.list({ consumer });
 * } catch (error) {
 *   if (error instanceof IndexerError) console.error(`${error.url}: ${error.message}`);
 * }
 * @throws nothing: constructing it does not throw.
 */
export class IndexerError extends MarketplaceError {
  override name = "IndexerError";
  /** The indexer's base URL. */
  readonly url: string;
  /** The HTTP status of its answer, when it answered. */
  readonly status: number | undefined;

  constructor(params: { url: string; message: string; status?: number; cause?: unknown }) {
    super(params.message, { cause: params.cause });
    this.url = params.url;
    this.status = params.status;
  }
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

/**
 * Content whose sha256 is not the one it should have: a downloaded resource whose decrypted bytes do
 * not hash to the resource file's `hash`, or a metadata `hash` that is not the content's. Nothing was
 * written at the destination.
 *
 * @example
 * try {
 *   await downloadResource(resourceFile, "./downloads");
 * } catch (error) {
 *   if (error instanceof ContentHashMismatchError) console.error(`got ${error.actual}, expected ${error.expected}`);
 * }
 * @throws nothing: constructing it does not throw.
 */
export class ContentHashMismatchError extends MarketplaceError {
  override name = "ContentHashMismatchError";
  /** The sha256 the content should have. */
  readonly expected: Hex;
  /** The sha256 the content has. */
  readonly actual: Hex;

  constructor(params: { expected: Hex; actual: Hex; what: string; hint: string }) {
    super(`${params.what}: its sha256 is ${params.actual}, expected ${params.expected}. ${params.hint}`);
    this.expected = params.expected;
    this.actual = params.actual;
  }
}

/**
 * A storage backend did not do what was asked: a write the target refuses (read-only, not a
 * directory, disk full), an object that already exists, a server that answers with an error or not
 * at all, a download over its size cap. `storageType` and `key` name the object; the backend's own
 * error is the `cause`. Nothing half-written is left behind.
 *
 * @example
 * try {
 *   await uploadFile("./dataset", { storage: { type: "FS", directory: "/mnt/readonly" } });
 * } catch (error) {
 *   if (error instanceof StorageError) console.error(error.message); // "FS storage refused to write ..."
 * }
 * @throws nothing: constructing it does not throw.
 */
export class StorageError extends MarketplaceError {
  override name = "StorageError";
  /** The backend: `"FS"`, `"S3"` or `"URL"`. */
  readonly storageType: string;
  /** The object key (or URL) the operation was about. */
  readonly key: string;

  constructor(params: { storageType: string; key: string; message: string; cause?: unknown }) {
    super(params.message, { cause: params.cause });
    this.storageType = params.storageType;
    this.key = params.key;
  }
}

/**
 * The object a resource points to is not in its storage (deleted, never uploaded, a wrong bucket,
 * prefix or filepath, or an HTTP 404). A {@link StorageError}.
 *
 * @example
 * try {
 *   await deleteResource(resourceFile);
 * } catch (error) {
 *   if (error instanceof ObjectNotFoundError) console.error(`nothing at ${error.key}`);
 * }
 * @throws nothing: constructing it does not throw.
 */
export class ObjectNotFoundError extends StorageError {
  override name = "ObjectNotFoundError";
}

/**
 * Why a DCAP quote was refused (`QuoteVerificationError.reason`):
 *
 * - `MalformedQuote`: the bytes do not parse as an Intel DCAP quote.
 * - `UnsupportedQuote`: a quote version, TEE type, attestation key type or certification data type
 *   this verifier does not take (it takes SGX v3 and TDX v4/v5 quotes with ECDSA P-256 keys and the
 *   PCK chain inside the quote or the collateral).
 * - `MalformedCollateral`: the collateral does not parse (a missing field, a TCB info or QE identity
 *   that is not JSON, a CRL that is not DER, a certificate chain too short).
 * - `UntrustedRoot`: a certificate chain ends at a self-signed root other than the trusted one
 *   (Intel's, or the `rootCa` given).
 * - `CertificateChainInvalid`: a certificate's signature does not verify with its issuer's key.
 * - `CertificateExpired`: a certificate is outside its validity period at the verification time.
 * - `PckRevoked`: the PCK certificate (the platform's key) is listed in the PCK CRL.
 * - `CertificateRevoked`: another certificate of a chain is listed in a CRL.
 * - `CrlInvalid`: a CRL is not signed by the CA it names, or names another issuer.
 * - `PckCertificateInvalid`: the PCK certificate lacks Intel's SGX extensions (FMSPC, TCB, PCE id).
 * - `CollateralExpired`: the TCB info, QE identity or a CRL is past its `nextUpdate`.
 * - `CollateralNotYetValid`: the TCB info, QE identity or a CRL was issued after the verification time.
 * - `CollateralMismatch`: the collateral is for another platform (FMSPC, PCE id) or another TEE type.
 * - `TcbInfoSignatureInvalid`: the TCB info JSON is not what Intel's TCB signing key signed.
 * - `QeIdentitySignatureInvalid`: the QE identity JSON is not what Intel's TCB signing key signed.
 * - `QeReportSignatureInvalid`: the quoting enclave's report is not signed by the PCK key.
 * - `QeReportHashMismatch`: the QE report does not bind the attestation key that signed the quote.
 * - `QeIdentityMismatch`: the quoting enclave is not the one the QE identity describes.
 * - `QuoteSignatureInvalid`: the quote's header and body are not what the attestation key signed.
 * - `TcbLevelNotFound`: no TCB level of the TCB info matches the platform (too old, or unknown).
 * - `TcbRevoked`: the platform's TCB level is `Revoked`.
 * - `TdxModuleMismatch`: the TDX module (SEAM) is not one the TCB info describes.
 * - `TdAttributesInvalid`: TD attributes with reserved bits set or without SEPT_VE_DISABLE.
 * - `DebugEnclave`: a debug enclave or TD (its memory is readable by the host), or a debug QE.
 * - `ReportDataMismatch`: the quote's report data is not the expected binding.
 * - `CollateralFetchFailed`: the PCCS did not answer with collateral.
 * - `VerificationFailed`: another refusal of the verification library; the message has its words.
 */
export type QuoteRejectionReason =
  | "MalformedQuote"
  | "UnsupportedQuote"
  | "MalformedCollateral"
  | "UntrustedRoot"
  | "CertificateChainInvalid"
  | "CertificateExpired"
  | "PckRevoked"
  | "CertificateRevoked"
  | "CrlInvalid"
  | "PckCertificateInvalid"
  | "CollateralExpired"
  | "CollateralNotYetValid"
  | "CollateralMismatch"
  | "TcbInfoSignatureInvalid"
  | "QeIdentitySignatureInvalid"
  | "QeReportSignatureInvalid"
  | "QeReportHashMismatch"
  | "QeIdentityMismatch"
  | "QuoteSignatureInvalid"
  | "TcbLevelNotFound"
  | "TcbRevoked"
  | "TdxModuleMismatch"
  | "TdAttributesInvalid"
  | "DebugEnclave"
  | "ReportDataMismatch"
  | "CollateralFetchFailed"
  | "VerificationFailed";

/**
 * A DCAP quote (Intel TDX or SGX) was refused: it is not genuine under the trusted root, its
 * collateral is stale or for another platform, it is a debug enclave, or it does not carry the
 * expected report data. `reason` names the rule (see {@link QuoteRejectionReason}); `compared` holds
 * the values compared (for `ReportDataMismatch`: `expected` and `actual`); the verification
 * library's own error, when there is one, is the `cause`.
 *
 * @example
 * try {
 *   await verifyQuote(quote, collateral, { expectedReportData });
 * } catch (error) {
 *   if (error instanceof QuoteVerificationError && error.reason === "CollateralExpired") {
 *     // fetch fresh collateral from the PCCS and try again
 *   }
 * }
 * @throws nothing: constructing it does not throw.
 */
export class QuoteVerificationError extends MarketplaceError {
  override name = "QuoteVerificationError";
  /** The rule the quote broke. */
  readonly reason: QuoteRejectionReason;
  /** The values compared, when the rule compares values. */
  readonly compared: Readonly<Record<string, string>>;

  constructor(
    reason: QuoteRejectionReason,
    message: string,
    options: { cause?: unknown; compared?: Readonly<Record<string, string>> } = {},
  ) {
    super(`${reason}: ${message}`, { cause: options.cause });
    this.reason = reason;
    this.compared = options.compared ?? {};
  }
}

/**
 * An envelope (a hand-over, the consumer's arguments, a result pointer) that opens with the key but
 * was made for something else: another type, chain, Orders contract, suborder or order, consumer,
 * solution hash, enclave or result. The enclave must not use it; `field` names the first field that
 * differs.
 *
 * @example
 * try {
 *   openHandOver(eciesKey, encryptedResult, context);
 * } catch (error) {
 *   if (error instanceof EnvelopeMismatchError) console.error(`refused: ${error.field} is not this order's`);
 * }
 * @throws nothing: constructing it does not throw.
 */
export class EnvelopeMismatchError extends MarketplaceError {
  override name = "EnvelopeMismatchError";
  /** The field that differs. */
  readonly field: string;
  /** The value the context expects. */
  readonly expected: unknown;
  /** The value the envelope holds. */
  readonly actual: unknown;

  constructor(field: string, expected: unknown, actual: unknown) {
    super(
      `The envelope is not for this ${field}: it names ${show(actual)}, this context ${show(expected)}. ` +
        `It was made for another order, suborder, consumer, enclave or chain, or copied: refuse it.`,
    );
    this.field = field;
    this.expected = expected;
    this.actual = actual;
  }
}

function show(value: unknown): string {
  return value === undefined ? "nothing" : JSON.stringify(value);
}
