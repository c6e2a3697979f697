/**
 * The SDK's errors. Every error the SDK throws on purpose is a {@link MarketplaceError}; the
 * subclasses say whose fault it is: the caller's input ({@link InputError}, {@link FileFormatError}),
 * the contract ({@link ContractError}) or a ciphertext that does not open ({@link DecryptionError}).
 * Messages say what was expected; the original error, when there is one, is kept as `cause`.
 */

/**
 * Base class of every error the SDK throws on purpose.
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
export class MarketplaceError extends Error {
  override name = "MarketplaceError";

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
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
  }
}

/**
 * A contract call reverted with a custom error. Carries the Solidity error's name and its decoded
 * arguments; the message puts them after what was being done and before what to do about it:
 * `"Suborder 12 cannot be completed: SolutionHashMismatch(12, 0xab…, 0xcd…). Complete it with the
 * solution hash the order committed to."`
 *
 * @example
 * throw new ContractError({
 *   action: "Suborder 12 cannot be completed",
 *   errorName: "SolutionHashMismatch",
 *   args: [12n, expected, provided],
 *   hint: "Complete it with the solution hash the order committed to.",
 *   cause: viemError,
 * });
 * @throws nothing: constructing it does not throw.
 */
export class ContractError extends MarketplaceError {
  override name = "ContractError";
  /** The Solidity error's name, for example `"SolutionHashMismatch"`. */
  readonly errorName: string;
  /** The error's decoded arguments, in ABI order. */
  readonly args: readonly unknown[];

  constructor(params: {
    errorName: string;
    args?: readonly unknown[];
    /** What was being done, for example `"Suborder 12 cannot be completed"`. */
    action?: string;
    /** What the caller can do about it. */
    hint?: string;
    cause?: unknown;
  }) {
    const args = params.args ?? [];
    const call = `${params.errorName}(${args.map(formatArg).join(", ")})`;
    const head = params.action === undefined ? call : `${params.action}: ${call}`;
    super(params.hint === undefined ? head : `${head}. ${params.hint}`, { cause: params.cause });
    this.errorName = params.errorName;
    this.args = args;
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
