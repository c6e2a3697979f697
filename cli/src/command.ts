/// <reference types="node" />
/**
 * How a command is declared, parsed (node's `util.parseArgs`) and described in `--help`, and the
 * helpers commands share to read their arguments. A bad argument is a {@link UsageError} (exit 2).
 */
import { readFile } from "node:fs/promises";
import { type ParseArgsConfig, parseArgs } from "node:util";

import { type Address, type Hex, bytesToHex } from "viem";

import {
  FileFormatError,
  InputError,
  type MarketplaceClient,
  toAddress,
  toBytes32,
  toUint,
} from "@tee-marketplace/sdk";
import type { Connection } from "./config.js";
import type { CommandResult, Io, Output } from "./output.js";
import { UsageError } from "./output.js";

/** An option of a command, as parseArgs takes it plus what `--help` prints. */
export interface OptionSpec {
  type: "string" | "boolean";
  multiple?: boolean;
  short?: string;
  /** Placeholder of the value in `--help` (`"<file>"`). */
  value?: string;
  /** Shown without brackets in the usage line (the command checks it). */
  required?: boolean;
  description: string;
}

/** What a command's `run` gets. */
export interface CommandContext {
  readonly io: Io;
  readonly out: Output;
  readonly json: boolean;
  /** A client for reads: no key needed. */
  reader(): Promise<Connection>;
  /** A client that signs with the configured key (TEE_MARKET_PRIVATE_KEY or --keystore). */
  writer(): Promise<Connection & { account: Address }>;
}

/** The parsed arguments of one invocation. */
export interface CommandInput {
  readonly command: string;
  readonly values: Readonly<Record<string, string | boolean | string[] | undefined>>;
  readonly positionals: readonly string[];
}

/** One command of a group (`offers create`). */
export interface Command {
  name: string;
  summary: string;
  /** Positional arguments in the usage line (`"<orderId>"`). */
  args?: string;
  /** How many positionals it takes. */
  positionals?: { min: number; max: number };
  options?: Record<string, OptionSpec>;
  /** Lines of `--help` after the options. */
  details?: readonly string[];
  run(ctx: CommandContext, input: CommandInput): Promise<CommandResult>;
}

/** A command group (`offers`): one module each. */
export interface Group {
  name: string;
  summary: string;
  commands: readonly Command[];
}

/** Options every command takes. */
export const GLOBAL_OPTIONS: Record<string, OptionSpec> = {
  network: {
    type: "string",
    value: "<name>",
    description: "opbnbTestnet (chain 5611), opbnb (204) or localhost (31337)",
  },
  "rpc-url": { type: "string", value: "<url>", description: "JSON-RPC endpoint (default: the network's)" },
  deployment: {
    type: "string",
    value: "<file>",
    description: "deployment file (default: deployments/<network>.json)",
  },
  config: {
    type: "string",
    value: "<file>",
    description: "config file (default: ./tee-market.json when present)",
  },
  keystore: {
    type: "string",
    value: "<file>",
    description: "Ethereum v3 keystore with the signing key (else TEE_MARKET_PRIVATE_KEY)",
  },
  json: { type: "boolean", description: "print one JSON document on stdout" },
  help: { type: "boolean", short: "h", description: "print this usage" },
};

/** Parses the arguments after `<group> <command>` with the command's and the global options. */
export function parseCommandArgs(group: Group, command: Command, argv: readonly string[]): CommandInput {
  const options: ParseArgsConfig["options"] = {};
  for (const [name, spec] of Object.entries({ ...GLOBAL_OPTIONS, ...command.options })) {
    options[name] = {
      type: spec.type,
      ...(spec.multiple === true ? { multiple: true } : {}),
      ...(spec.short === undefined ? {} : { short: spec.short }),
    };
  }
  const name = `${group.name} ${command.name}`;
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options, allowPositionals: true, strict: true });
  } catch (error) {
    const message =
      error instanceof Error
        ? error.message.replace(/\s*To specify a positional.*$/s, "").replace(/\.$/, "")
        : "";
    throw new UsageError(`${message}; see tee-market ${name} --help`);
  }
  const values = parsed.values as CommandInput["values"];
  if (values["help"] !== true) {
    const { min, max } = command.positionals ?? { min: 0, max: 0 };
    if (parsed.positionals.length < min) {
      throw new UsageError(`missing ${command.args ?? "argument"}: tee-market ${name} ${usageLine(command)}`);
    }
    if (parsed.positionals.length > max) {
      throw new UsageError(
        `unexpected argument ${JSON.stringify(parsed.positionals[max])}; see tee-market ${name} --help`,
      );
    }
  }
  return { command: name, values, positionals: parsed.positionals };
}

/* USAGE */

function optionUsage(name: string, spec: OptionSpec): string {
  return spec.type === "boolean" ? `--${name}` : `--${name} ${spec.value ?? "<value>"}`;
}

/** `<orderId> --status <status> [--suborders]`: required options first. */
export function usageLine(command: Command): string {
  const parts: string[] = [];
  if (command.args !== undefined) parts.push(command.args);
  for (const [name, spec] of Object.entries(command.options ?? {})) {
    const text = optionUsage(name, spec) + (spec.multiple === true ? " ..." : "");
    parts.push(spec.required === true ? text : `[${text}]`);
  }
  return parts.join(" ");
}

function optionLines(options: Record<string, OptionSpec>): string[] {
  const rows = Object.entries(options).map(([name, spec]) => [
    `${spec.short === undefined ? "    " : `-${spec.short}, `}${optionUsage(name, spec)}`,
    spec.description,
  ]);
  const width = Math.max(...rows.map(([left]) => (left ?? "").length));
  return rows.map(([left, right]) => `  ${(left ?? "").padEnd(width)}  ${right}`);
}

/** `tee-market <group> <command> --help`. */
export function commandHelp(group: Group, command: Command): string {
  const lines = [
    `Usage: tee-market ${group.name} ${command.name} ${usageLine(command)}`.trimEnd(),
    "",
    command.summary,
  ];
  if (command.options !== undefined && Object.keys(command.options).length > 0) {
    lines.push("", "Options:", ...optionLines(command.options));
  }
  if (command.details !== undefined) lines.push("", ...command.details);
  lines.push("", "Global options:", ...optionLines(GLOBAL_OPTIONS));
  return lines.join("\n");
}

/** `tee-market <group> --help`. */
export function groupHelp(group: Group): string {
  const rows = group.commands.map((c) => [`${group.name} ${c.name}`, c.summary]);
  const width = Math.max(...rows.map(([left]) => (left ?? "").length));
  return [
    `Usage: tee-market ${group.name} <command> [options]`,
    "",
    group.summary,
    "",
    "Commands:",
    ...rows.map(([left, right]) => `  ${(left ?? "").padEnd(width)}  ${right}`),
    "",
    `Run tee-market ${group.name} <command> --help for a command's options.`,
  ].join("\n");
}

/* ARGUMENTS */

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

/** The client type commands use. */
export type Client = MarketplaceClient;

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

/* FILES */

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
