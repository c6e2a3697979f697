/**
 * The `tee-attestation-service` command: reads the configuration (`--config <file>`, default
 * ./attestation-service.json), the signing key (from the environment or the configured keystore)
 * and the root CA to trust (Intel's unless the configuration names one), starts the HTTP service
 * and runs until SIGINT or SIGTERM. One log line per request on stderr; the start-up line on
 * stdout names the signer address to allow on the verifier and the URL.
 */
import { readRootCaFile } from "@tee-marketplace/sdk/node";

import { readConfig } from "./config.js";
import { startAttestationService } from "./server.js";
import { KEYSTORE_PASSWORD_ENV, PRIVATE_KEY_ENV, loadSigningKey } from "./signingKey.js";

const USAGE = `Usage: tee-attestation-service [--config <file>]

Verifies Intel DCAP quotes (TDX, SGX) and signs the EIP-712 attestations the tee-marketplace
Eip712AttestationVerifier accepts. Settings come from a JSON file (default
./attestation-service.json). The signing key comes from ${PRIVATE_KEY_ENV}, or from
the "keystore" the file names, with its password in ${KEYSTORE_PASSWORD_ENV}.
Never pass a key on the command line.`;

async function main(argv: readonly string[]): Promise<number> {
  let configFile = "attestation-service.json";
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--help" || arg === "-h") {
      process.stdout.write(`${USAGE}\n`);
      return 0;
    }
    if (arg === "--config" && argv[i + 1] !== undefined) configFile = argv[++i]!;
    else if (arg.startsWith("--config=")) configFile = arg.slice("--config=".length);
    else {
      process.stderr.write(
        `Error: unknown argument ${/key/i.test(arg) ? "(a key? keys come from the environment)" : arg}\n${USAGE}\n`,
      );
      return 2;
    }
  }
  const config = await readConfig(configFile);
  const signingKey = await loadSigningKey(config.keystore, process.env);
  const rootCa = config.rootCa === undefined ? undefined : await readRootCaFile(config.rootCa);
  const service = await startAttestationService({
    config,
    signingKey,
    ...(rootCa === undefined ? {} : { rootCa }),
    log: (line) => process.stderr.write(`${new Date().toISOString()} ${line}\n`),
  });
  // Listen for the stop signals before announcing the service, so a signal sent on the announcement finds them.
  const stopped = new Promise<void>((resolve) => {
    process.once("SIGINT", () => resolve());
    process.once("SIGTERM", () => resolve());
  });
  const chains = config.chains.map((c) => `registry ${c.registry} on chain ${c.chainId}`).join(", ");
  process.stdout.write(
    `tee-attestation-service: signer ${service.signer} listening on ${service.url} for ${chains}` +
      (rootCa === undefined ? "" : ` (TEST ROOT CA ${config.rootCa}: not Intel's)`) +
      "\n",
  );
  await stopped;
  await service.close();
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`Error: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
