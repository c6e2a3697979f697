/**
 * Reading a command's input in one place: its options and positionals, the values they hold (ids,
 * amounts, hashes, addresses, statuses, `<offerId>[,<slotId>]`), and the files they name (JSON
 * files, byte files, resource files or hashes, what a TEE ran). Values are checked with the SDK's validators; a bad one is a
 * {@link UsageError} (exit 2) naming the option, a bad file an `InputError` naming the file (exit 2).
 */
import { readFile, readdir, stat } from "node:fs/promises";
import path from "node:path";

import { type Address, type Hex, bytesToHex } from "viem";

import {
  type ContentHashInput,
  FileFormatError,
  InputError,
  OrderStatus,
  type RuntimeInfo,
  type RuntimeType,
  toAddress,
  toBytes32,
  toUint,
} from "@tee-marketplace/sdk";
import { readResourceFile, sha256Path } from "@tee-marketplace/sdk/node";

import type { CommandInput } from "./command.js";
import { UsageError } from "./output.js";

/** A string option, or undefined. */
export function optional(input: CommandInput, name: string): string | undefined {
  const value = input.values[name];
  if (Array.isArray(value)) return value.at(-1);
  return typeof value === "string" ? value : undefined;
}

/** A string option the command cannot do without. */
export function required(input: CommandInput, name: string, what: string): string {
  const value = optional(input, name);
  if (value === undefined || value === "") {
    throw new UsageError(`${input.command} needs --${name} ${what}; see tee-market ${input.command} --help`);
  }
  return value;
}

/** A repeatable option's values (empty when absent). */
export function list(input: CommandInput, name: string): string[] {
  const value = input.values[name];
  if (Array.isArray(value)) return value;
  return typeof value === "string" ? [value] : [];
}

/** A boolean flag. */
export function flag(input: CommandInput, name: string): boolean {
  return input.values[name] === true;
}

/** The i-th positional (present: parseCommandArgs checked the count). */
export function positional(input: CommandInput, i: number): string {
  return input.positionals[i] ?? "";
}

/** Runs a validator of the SDK on a command-line value; its InputError becomes a UsageError. */
export function asUsage<T>(check: () => T): T {
  try {
    return check();
  } catch (error) {
    if (error instanceof InputError) throw new UsageError(error.message);
    throw error;
  }
}

/** A positive id (order, offer, slot, TCB) given as `label`. */
export function idArg(value: string, label: string, what: string): bigint {
  return asUsage(() => toUint(value, label, { min: 1n, expected: `${what} id (a positive integer)` }));
}

/** An unsigned integer given as `label`. */
export function uintArg(value: string, label: string, bits = 256): bigint {
  return asUsage(() => toUint(value, label, { bits }));
}

/** A 32-byte hex value given as `label`. */
export function bytes32Arg(value: string, label: string): Hex {
  return asUsage(() => toBytes32(value, label));
}

/** An address given as `label`. */
export function addressArg(value: string, label: string): Address {
  return asUsage(() => toAddress(value, label));
}

/** `0x`-prefixed hex bytes given as `label`. */
export function hexArg(value: string, label: string): Hex {
  if (!/^0x([0-9a-f]{2})*$/i.test(value)) {
    throw new UsageError(`${label}: expected 0x-prefixed hex bytes, got ${JSON.stringify(value)}`);
  }
  return value.toLowerCase() as Hex;
}

/** Whether a value is a sha256 hash (64 hex digits, with or without 0x) rather than a file path. */
export function isHash(value: string): boolean {
  return /^(0x)?[0-9a-f]{64}$/i.test(value);
}

/** `<offerId>[,<slotId>]` given as `label`. */
export function offerSlotArg(value: string, label: string): { offerId: bigint; slotId: bigint | undefined } {
  const match = /^\s*(\d+)\s*(?:,\s*(\d+)\s*)?$/.exec(value);
  if (match === null) {
    throw new UsageError(
      `${label}: expected <offerId>[,<slotId>] (for example 3,7), got ${JSON.stringify(value)}`,
    );
  }
  return {
    offerId: idArg(match[1] ?? "", `${label} offer`, "an offer"),
    slotId: match[2] === undefined ? undefined : idArg(match[2], `${label} slot`, "a slot"),
  };
}

/** A token amount in whole tokens (`1.5`), as base units of a token with `decimals`. */
export function tokensArg(value: string, label: string, decimals: number): bigint {
  const match = /^(\d+)(?:\.(\d+))?$/.exec(value.trim());
  if (match === null) {
    throw new UsageError(
      `${label}: expected an amount of tokens such as 200 or 0.5, got ${JSON.stringify(value)}`,
    );
  }
  const fraction = match[2] ?? "";
  if (fraction.length > decimals) {
    throw new UsageError(`${label}: ${value} has more than the token's ${decimals} decimals`);
  }
  return BigInt(`${match[1] ?? "0"}${fraction.padEnd(decimals, "0")}`);
}

/** A JSON file's content; a file that cannot be read or parsed is named in the error. */
export async function readJsonFile(file: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    throw new InputError(
      "",
      `cannot read ${file} (${error instanceof Error ? error.message : String(error)}); check the path`,
    );
  }
  try {
    return JSON.parse(text.replace(/^\uFEFF/, "")) as unknown;
  } catch (error) {
    throw new FileFormatError(
      file,
      "",
      `not valid JSON: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}

/** Runs a parser on a file's content; its InputError names the file (FileFormatError). */
export function inFile<T>(file: string, parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    if (error instanceof InputError && !(error instanceof FileFormatError)) {
      throw new FileFormatError(file, error.field, error.detail, { cause: error });
    }
    throw error;
  }
}

/** A file's bytes: its text when it is `0x` hex (whitespace around it ignored), else the raw bytes. */
export async function readBytesFile(file: string, label: string): Promise<Hex> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (error) {
    throw new UsageError(
      `${label}: cannot read ${file} (${error instanceof Error ? error.message : String(error)})`,
    );
  }
  const text = bytes.toString("utf8").trim();
  if (/^0x([0-9a-f]{2})*$/i.test(text)) return text.toLowerCase() as Hex;
  return bytesToHex(bytes);
}

/** A hash given as 64 hex digits, or the path (relative to `cwd`) of the `*.resource.json` that holds it. */
export async function hashOrResource(cwd: string, value: string, label: string): Promise<ContentHashInput> {
  if (isHash(value)) return bytes32Arg(value, label);
  return readResourceFile(path.resolve(cwd, value));
}

/** Done, Error or Canceled, given as done, error or canceled (any case). */
export function completionStatusArg(value: string, label: string): "Done" | "Error" | "Canceled" {
  const statuses = { done: "Done", error: "Error", canceled: "Canceled" } as const;
  const status = statuses[value.toLowerCase() as keyof typeof statuses];
  if (status === undefined) {
    throw new UsageError(`${label}: expected done, error or canceled, got ${JSON.stringify(value)}`);
  }
  return status;
}

/** Order statuses, comma-separated, by name in any case (`blocked,new`). */
export function orderStatusesArg(value: string, label: string): Set<OrderStatus> {
  const names = new Map(Object.entries(OrderStatus).map(([name, code]) => [name.toLowerCase(), code]));
  return new Set(
    value
      .split(",")
      .map((part) => part.trim())
      .filter((part) => part !== "")
      .map((part) => {
        const code = names.get(part.toLowerCase());
        if (code === undefined) {
          throw new UsageError(
            `${label}: unknown status "${part}"; statuses: ${[...names.keys()].join(", ")}`,
          );
        }
        return code;
      }),
  );
}

/** Positive ids, comma-separated (`3,7`). */
export function idListArg(value: string, label: string, what: string): bigint[] {
  return value
    .split(",")
    .map((part) => part.trim())
    .filter((part) => part !== "")
    .map((part) => idArg(part, label, what));
}

/** Bytes of a file, or of every regular file under a directory. */
async function pathSize(file: string): Promise<bigint> {
  const info = await stat(file);
  if (!info.isDirectory()) return BigInt(info.size);
  let total = 0n;
  for (const entry of await readdir(file, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) total += BigInt((await stat(path.join(entry.parentPath, entry.name))).size);
  }
  return total;
}

/**
 * One runtime entry from `<sha256>[:<size>]`, a `*.resource.json` (its hash; size 0 unless
 * `:<size>` follows), or the path of what ran (its sha256, file or directory, and its size).
 */
export async function runtimeEntryArg(
  cwd: string,
  value: string,
  runtimeType: RuntimeType,
  label: string,
): Promise<RuntimeInfo> {
  const match = /^((?:0x)?[0-9a-f]{64})(?::(\d+))?$/i.exec(value);
  if (match !== null) {
    return { runtimeType, hash: bytes32Arg(match[1] ?? "", label), size: BigInt(match[2] ?? "0") };
  }
  const [file = "", size] = value.split(/:(?=\d+$)/);
  const full = path.resolve(cwd, file);
  if (file.endsWith(".resource.json")) {
    return { runtimeType, hash: (await readResourceFile(full)).hash, size: BigInt(size ?? "0") };
  }
  const [hash, bytes] = await Promise.all([sha256Path(full), pathSize(full)]);
  return { runtimeType, hash, size: size === undefined ? bytes : BigInt(size) };
}
