#!/usr/bin/env node

/**
 * `tee-market`: the command line of the tee-marketplace SDK (`<group> <command> [options]`).
 * This module lists the command groups (one module each), runs the command an invocation names with
 * its context, and turns the outcome into output and an exit code: 0 done, 1 the operation failed,
 * 2 a usage or configuration error.
 */
import { readFileSync } from "node:fs";

import type { Address, LocalAccount } from "viem";

import { type CommandContext, type Group, commandHelp, parseCommandArgs } from "./command.js";
import type { Connection, Settings } from "./config.js";
import { findCommand } from "./dispatch.js";
import { filesGroup } from "./commands/files.js";
import { rejectKeyArguments } from "./keyPolicy.js";
import { offersGroup } from "./commands/offers.js";
import { ordersGroup } from "./commands/orders.js";
import { type Io, Output, toJsonText } from "./output.js";
import { providersGroup } from "./commands/providers.js";
import { quotesGroup } from "./commands/quotes.js";
import { subordersGroup } from "./commands/suborders.js";
import { tcbGroup } from "./commands/tcb.js";
import { teeGroup } from "./commands/tee.js";
import { tokensGroup } from "./commands/tokens.js";
import { workflowsGroup } from "./commands/workflows.js";

const GROUPS: readonly Group[] = [
  providersGroup,
  offersGroup,
  tcbGroup,
  workflowsGroup,
  ordersGroup,
  subordersGroup,
  teeGroup,
  tokensGroup,
  filesGroup,
  quotesGroup,
];

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as {
    version: string;
  };
  return pkg.version;
}

/**
 * Runs one invocation and returns its exit code.
 *
 * @param argv The arguments after the program name.
 * @param io The streams, environment and working directory.
 */
export async function main(argv: readonly string[], io: Io): Promise<number> {
  const json = argv.includes("--json");
  const out = new Output(io);
  try {
    rejectKeyArguments(argv);
    if (argv.length === 1 && (argv[0] === "--version" || argv[0] === "-v")) {
      io.stdout.write(`${version()}\n`);
      return 0;
    }
    const found = findCommand(GROUPS, argv);
    if (typeof found === "string") {
      io.stdout.write(`${found}\n`);
      return 0;
    }
    const { group, command, rest } = found;
    const input = parseCommandArgs(group, command, rest);
    if (input.values["help"] === true) {
      io.stdout.write(`${commandHelp(group, command)}\n`);
      return 0;
    }
    let settings: Promise<Settings> | undefined;
    // viem and the SDK load with the first command that reads the chain, not for --help.
    const connection = async (
      signer: boolean,
    ): Promise<Connection & { account?: Address; signer?: LocalAccount }> => {
      const { connect, resolveSettings } = await import("./config.js");
      return connect(io, out, await (settings ??= resolveSettings(io, input.values)), signer);
    };
    const ctx: CommandContext = {
      io,
      out,
      json,
      reader: () => connection(false),
      writer: async () => {
        const c = await connection(true);
        if (c.account === undefined || c.signer === undefined) {
          throw new Error("a signing connection has an account");
        }
        return { ...c, account: c.account, signer: c.signer };
      },
    };
    const result = await command.run(ctx, input);
    io.stdout.write(`${json ? toJsonText(result.json) : result.text}\n`);
    if (result.exitCode !== undefined && result.exitCode !== 0) {
      if (result.error !== undefined) io.stderr.write(`Error: ${result.error}\n`);
      return result.exitCode;
    }
    return 0;
  } catch (error) {
    const { errorJson, errorLine, isUsageError } = await import("./failure.js");
    if (json) io.stdout.write(`${toJsonText(errorJson(error))}\n`);
    io.stderr.write(`Error: ${errorLine(error)}\n`);
    if (io.env["TEE_MARKET_DEBUG"] !== undefined && error instanceof Error)
      io.stderr.write(`${error.stack}\n`);
    return isUsageError(error) ? 2 : 1;
  }
}

process.exitCode = await main(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: process.stdin,
  env: process.env,
  cwd: process.cwd(),
});
