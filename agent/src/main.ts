/**
 * The `tee-market-agent` command: `tee-market-agent run --config <file> [--json]`. Reads the
 * configuration, the operator's key (environment or keystore), checks everything against the chain,
 * attests the enclave and serves the TEE offer until SIGINT or SIGTERM, then ends the orders in
 * flight and exits. One line per event on stdout (JSON with --json); errors on stderr.
 */
import { readAgentConfig } from "./config.js";
import { KEYSTORE_PASSWORD_ENV, PRIVATE_KEY_ENV, S3_SECRET_ENV } from "./config.js";
import { startAgent } from "./agent.js";
import { eventLine } from "./events.js";

const USAGE = `Usage: tee-market-agent run --config <file> [--json]

Serves one TEE offer of the tee-marketplace contracts: attests the enclave, then starts the offer's
orders, checks their inputs, publishes their reports, runs their solutions and completes them.
The operator's key (the offer's action account or authority) comes from ${PRIVATE_KEY_ENV},
or from the "keystore" the configuration names with its password in ${KEYSTORE_PASSWORD_ENV};
an S3 storage's secret from ${S3_SECRET_ENV}. Never pass a key on the command line.

  --config <file>  the configuration (JSON; see agent.example.json)
  --json           one JSON object per event instead of words`;

async function main(argv: readonly string[]): Promise<number> {
  if (argv[0] === "--help" || argv[0] === "-h" || argv.length === 0) {
    process.stdout.write(`${USAGE}\n`);
    return argv.length === 0 ? 2 : 0;
  }
  if (argv[0] !== "run") {
    process.stderr.write(`Error: unknown command ${argv[0]}; the command is "run"\n${USAGE}\n`);
    return 2;
  }
  let configFile: string | undefined;
  let json = false;
  for (let i = 1; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--json") json = true;
    else if (arg === "--config" && argv[i + 1] !== undefined) configFile = argv[++i]!;
    else if (arg.startsWith("--config=")) configFile = arg.slice("--config=".length);
    else {
      process.stderr.write(
        `Error: unknown argument ${/key/i.test(arg) ? "(a key? keys come from the environment)" : arg}\n${USAGE}\n`,
      );
      return 2;
    }
  }
  if (configFile === undefined) {
    process.stderr.write(`Error: --config <file> is required\n${USAGE}\n`);
    return 2;
  }
  const config = await readAgentConfig(configFile);
  // Listen for the stop signals before starting, so a signal sent during the start-up finds them.
  let stopRequested = false;
  let requestStop: () => void = () => {
    stopRequested = true;
  };
  process.once("SIGINT", () => requestStop());
  process.once("SIGTERM", () => requestStop());
  const agent = await startAgent({
    config,
    onEvent: (event) => process.stdout.write(`${eventLine(event, json)}\n`),
  });
  requestStop = () => void agent.stop();
  if (stopRequested) void agent.stop();
  await agent.stopped;
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`Error: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
