/**
 * How a command is declared, parsed (node's `util.parseArgs`) and described in `--help`. Reading
 * the values of its arguments is `./args.ts`'s business. A bad command line is a {@link UsageError}
 * (exit 2).
 */
import { type ParseArgsConfig, parseArgs } from "node:util";

import type { Address, LocalAccount } from "viem";

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
  writer(): Promise<Connection & { account: Address; signer: LocalAccount }>;
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
  /** Other names it answers to (spctl's, where ours differs). */
  aliases?: readonly string[];
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
  indexer: {
    type: "string",
    value: "<url>",
    description: "an indexer of the deployment (npm run indexer): lists and searches read it, not the chain",
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
  if (command.aliases !== undefined) {
    lines.push("", `Also: ${command.aliases.map((a) => `tee-market ${group.name} ${a}`).join(", ")}`);
  }
  if (command.options !== undefined && Object.keys(command.options).length > 0) {
    lines.push("", "Options:", ...optionLines(command.options));
  }
  if (command.details !== undefined) lines.push("", ...command.details);
  lines.push("", "Global options:", ...optionLines(GLOBAL_OPTIONS));
  return lines.join("\n");
}

/** `register (create)`: a command's name and its aliases. */
export function commandNames(command: Command): string {
  return command.aliases === undefined ? command.name : `${command.name} (${command.aliases.join(", ")})`;
}

/** `tee-market <group> --help`. */
export function groupHelp(group: Group): string {
  const rows = group.commands.map((c) => [`${group.name} ${commandNames(c)}`, c.summary]);
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
