/**
 * Validation of local input before it reaches a contract: hashes, byte strings, addresses and
 * unsigned integers. Each function takes the value as it came (from JSON, a form, a CLI) and the
 * name of the field it came from, and either returns it in the form the contracts take or throws an
 * {@link InputError} that names the field and says what is expected.
 */
import { type Address, type Hex, bytesToHex, getAddress } from "viem";

import { InputError } from "./errors.js";
import { describe } from "./internal/fields.js";

const BYTES32_PATTERN = /^(0x)?[0-9a-f]{64}$/i;
const HEX_PATTERN = /^0x[0-9a-f]*$/i;
const ADDRESS_PATTERN = /^0x[0-9a-fA-F]{40}$/;
const DECIMAL_PATTERN = /^[0-9]+$/;

/**
 * A 32-byte hash (a sha256 content hash, a measurement, a device id) as lowercase `0x` hex.
 *
 * Accepts a string of exactly 64 hex digits, with or without `0x`, in any case (the form
 * `sha256sum` and Super Protocol's `*.resource.json` write), or a 32-byte `Uint8Array`.
 *
 * @param value The hash.
 * @param field Name of the field it came from, for the error message.
 * @example
 * toBytes32("B9DE3D23D309364F3B8BBE7A76FCD9037FB12D6C984E5BD33E26FA3A66E21895", "solutionHash");
 * // "0xb9de3d23d309364f3b8bbe7a76fcd9037fb12d6c984e5bd33e26fa3a66e21895"
 * @throws {InputError} naming `field` when the value is not 64 hex digits (or 32 bytes).
 */
export function toBytes32(value: unknown, field: string): Hex {
  if (value instanceof Uint8Array) {
    if (value.length !== 32) {
      throw new InputError(field, `expected a 32-byte hash, got ${value.length} bytes`);
    }
    return bytesToHex(value);
  }
  if (typeof value === "string" && BYTES32_PATTERN.test(value)) {
    const digits = value.length === 66 ? value.slice(2) : value;
    return `0x${digits.toLowerCase()}`;
  }
  const expected = "expected a 32-byte hash: 64 hex digits, with or without 0x";
  if (typeof value !== "string") throw new InputError(field, `${expected}; got ${describe(value)}`);
  const digits = /^0x/i.test(value) ? value.slice(2) : value;
  const why = /^[0-9a-f]*$/i.test(digits) ? `${digits.length} hex digits` : "not hex";
  throw new InputError(field, `${expected}; got ${describe(value)} (${why})`);
}

/**
 * Arbitrary bytes (an encrypted result, a quote, a signature) as lowercase `0x` hex.
 *
 * Accepts a `Uint8Array` or a `0x`-prefixed hex string with an even number of digits (`"0x"` is
 * the empty byte string). A string without `0x` is rejected rather than guessed at: `"cafe"` could
 * be text or hex. To send text, convert it first with viem's `stringToHex`.
 *
 * @param value The bytes.
 * @param field Name of the field, for the error message.
 * @param options `maxSize`: the contract's cap on this input, in bytes; larger input is rejected
 * before any RPC.
 * @example
 * toHexBytes(new Uint8Array([1, 2]), "quote"); // "0x0102"
 * toHexBytes("0xCAFE", "encryptedResult", { maxSize: 4096 }); // "0xcafe"
 * toHexBytes(stringToHex("hello"), "info"); // "0x68656c6c6f"
 * @throws {InputError} naming `field` when the value is not bytes or hex, has an odd number of hex
 * digits, or is larger than `maxSize`.
 */
export function toHexBytes(value: unknown, field: string, options: { maxSize?: number } = {}): Hex {
  let hex: Hex;
  if (value instanceof Uint8Array) {
    hex = bytesToHex(value);
  } else if (typeof value === "string" && HEX_PATTERN.test(value)) {
    if (value.length % 2 !== 0) {
      throw new InputError(field, `expected 0x-prefixed hex bytes, got an odd number of hex digits`);
    }
    hex = value.toLowerCase() as Hex;
  } else if (typeof value === "string") {
    throw new InputError(
      field,
      `expected bytes as 0x-prefixed hex or a Uint8Array, got ${describe(shorten(value))}; ` +
        `to send text, convert it with viem's stringToHex first`,
    );
  } else {
    throw new InputError(field, `expected bytes as 0x-prefixed hex or a Uint8Array, got ${describe(value)}`);
  }
  const size = (hex.length - 2) / 2;
  if (options.maxSize !== undefined && size > options.maxSize) {
    throw new InputError(field, `is ${size} bytes, more than the contract's cap of ${options.maxSize} bytes`);
  }
  return hex;
}

/**
 * An account or contract address, checksummed (EIP-55).
 *
 * Accepts `0x` and 40 hex digits: all lowercase, all uppercase, or with a correct EIP-55
 * checksum. A mixed-case address with a wrong checksum is rejected, since that is how a typo shows.
 *
 * @param value The address.
 * @param field Name of the field, for the error message.
 * @example
 * toAddress("0x71be63f3384f5fb98995898a86b02fb2426c5788", "tokenReceiver");
 * // "0x71bE63f3384f5fb98995898A86B02Fb2426c5788"
 * @throws {InputError} naming `field` when the value is not an address or its checksum is wrong.
 */
export function toAddress(value: unknown, field: string): Address {
  if (typeof value === "string" && ADDRESS_PATTERN.test(value)) {
    const digits = value.slice(2);
    const checksummed = getAddress(value);
    if (digits === digits.toLowerCase() || digits === digits.toUpperCase() || checksummed === value) {
      return checksummed;
    }
    throw new InputError(
      field,
      `${value} has a wrong EIP-55 checksum (mixed case); check it for a typo, or write it all lowercase`,
    );
  }
  throw new InputError(field, `expected an address (0x and 40 hex digits), got ${describe(value)}`);
}

/**
 * An unsigned integer that fits a Solidity `uint<bits>`, as a bigint.
 *
 * Accepts a bigint, a JavaScript number that is a safe integer, or a string of decimal digits
 * (Super Protocol's files write numbers as strings: `"price": "1000"`). Fractions, negative
 * values, exponents and numbers beyond 2^53 - 1 (which a JavaScript number cannot hold exactly;
 * write those as decimal strings) are rejected.
 *
 * @param value The number.
 * @param field Name of the field, for the error message.
 * @param options `bits`: width of the Solidity type (default 256); `min`: smallest allowed value
 * (default 0); `expected`: how to describe the value in messages (default
 * `"a non-negative integer (uint<bits>)"`).
 * @example
 * toUint("10485760", "info.diskUsage", { bits: 64 }); // 10485760n
 * toUint(1.5, "usage.minTimeMinutes", { bits: 32 }); // throws InputError
 * @throws {InputError} naming `field` when the value is not an integer, is negative or a fraction,
 * is below `min`, or does not fit `bits`.
 */
export function toUint(
  value: unknown,
  field: string,
  options: { bits?: number; min?: bigint; expected?: string } = {},
): bigint {
  const bits = options.bits ?? 256;
  const expected = options.expected ?? `a non-negative integer (uint${bits})`;
  const fail = (why: string): never => {
    throw new InputError(field, `expected ${expected}, got ${describe(value)}${why}`);
  };
  let result: bigint;
  if (typeof value === "bigint") {
    result = value;
  } else if (typeof value === "number") {
    if (!Number.isFinite(value)) return fail("");
    if (!Number.isInteger(value)) return fail(": fractions are not allowed");
    if (!Number.isSafeInteger(value)) {
      return fail(": a JavaScript number cannot hold it exactly; write it as a decimal string or a bigint");
    }
    result = BigInt(value);
  } else if (typeof value === "string") {
    const text = value.trim();
    if (DECIMAL_PATTERN.test(text)) result = BigInt(text);
    else if (/^-?[0-9]*\.[0-9]+$/.test(text)) return fail(": fractions are not allowed");
    else return fail("");
  } else {
    return fail("");
  }
  if (result < 0n) return fail(": negative values are not allowed");
  const max = (1n << BigInt(bits)) - 1n;
  if (result > max) return fail(`: more than the uint${bits} maximum ${max}`);
  if (options.min !== undefined && result < options.min) return fail("");
  return result;
}

function shorten(text: string): string {
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}
