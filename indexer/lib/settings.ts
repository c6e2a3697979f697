/**
 * What the indexer indexes and where it keeps the index, from the environment (Ponder reads its
 * config file at start, so the environment is how a run is configured):
 *
 * | variable                   | meaning                                                                  |
 * | -------------------------- | ------------------------------------------------------------------------ |
 * | `INDEXER_NETWORK`          | `localhost` (default), `opbnbTestnet` or `opbnb`: reads `deployments/<network>.json` |
 * | `INDEXER_DEPLOYMENT`       | a deployment file to index instead                                       |
 * | `INDEXER_RPC_URL`          | the chain's JSON-RPC (default: the network's public RPC, or 127.0.0.1:8545) |
 * | `INDEXER_LOG_BLOCK_RANGE`  | largest block range of one `eth_getLogs` (default 5000, opBNB's cap)     |
 * | `INDEXER_POLLING_INTERVAL` | how often to poll for new blocks, in ms (default 1000)                   |
 * | `DATABASE_URL`             | PostgreSQL connection string; without it, PGlite (embedded) is used      |
 * | `INDEXER_PGLITE_DIR`       | PGlite's directory (default `indexer/.ponder/pglite`)                    |
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { type Deployment, parseDeployment } from "@tee-marketplace/sdk";

const indexerRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const repoRoot = path.resolve(indexerRoot, "..");

/** Public RPCs of the chains the marketplace is deployed on, by chain id. */
const PUBLIC_RPC: Readonly<Record<number, string>> = {
  5611: "https://opbnb-testnet-rpc.bnbchain.org",
  204: "https://opbnb-mainnet-rpc.bnbchain.org",
  31337: "http://127.0.0.1:8545",
};

/** The database Ponder writes the index to (Ponder's `database` config). */
export type DatabaseSettings =
  { kind: "pglite"; directory: string } | { kind: "postgres"; connectionString: string };

/** Everything the indexer's config needs. */
export interface IndexerSettings {
  /** The chain's name in Ponder's config and status (`INDEXER_NETWORK`, or `chain<id>` for a file). */
  network: string;
  deployment: Deployment;
  /** Where the deployment was read from. */
  deploymentFile: string;
  rpcUrl: string;
  logBlockRange: number;
  pollingInterval: number;
  database: DatabaseSettings;
}

/**
 * Reads the settings from the environment.
 *
 * @param env The environment (`process.env`).
 * @returns The settings.
 * @example
 * const settings = indexerSettings({ INDEXER_NETWORK: "opbnbTestnet" });
 * @throws {Error} naming the variable to fix: an unknown network or unreadable deployment file, a
 * malformed number, or a chain without a known RPC and no `INDEXER_RPC_URL`.
 */
export function indexerSettings(env: Readonly<Record<string, string | undefined>>): IndexerSettings {
  const named = env["INDEXER_NETWORK"];
  if (named !== undefined && !/^[A-Za-z0-9_-]+$/.test(named)) {
    throw new Error(`INDEXER_NETWORK: "${named}" is not a network name (letters, digits, - and _)`);
  }
  const deploymentFile =
    env["INDEXER_DEPLOYMENT"] !== undefined && env["INDEXER_DEPLOYMENT"] !== ""
      ? path.resolve(env["INDEXER_DEPLOYMENT"])
      : path.join(repoRoot, "deployments", `${named ?? "localhost"}.json`);
  let text: string;
  try {
    text = readFileSync(deploymentFile, "utf8");
  } catch (error) {
    throw new Error(
      `cannot read the deployment ${deploymentFile} (${error instanceof Error ? error.message : String(error)}): ` +
        `set INDEXER_NETWORK to a network of deployments/, or INDEXER_DEPLOYMENT to a deployment file`,
    );
  }
  let deployment: Deployment;
  try {
    deployment = parseDeployment(text);
  } catch (error) {
    throw new Error(`${deploymentFile}: ${error instanceof Error ? error.message : String(error)}`);
  }
  const rpcUrl = env["INDEXER_RPC_URL"] ?? PUBLIC_RPC[deployment.chainId];
  if (rpcUrl === undefined || rpcUrl === "") {
    throw new Error(
      `the deployment is on chain ${deployment.chainId}, which has no known public RPC: set INDEXER_RPC_URL`,
    );
  }
  const databaseUrl = env["DATABASE_URL"];
  return {
    network: named ?? (env["INDEXER_DEPLOYMENT"] === undefined ? "localhost" : `chain${deployment.chainId}`),
    deployment,
    deploymentFile,
    rpcUrl,
    logBlockRange: positiveInteger(env, "INDEXER_LOG_BLOCK_RANGE", 5000),
    pollingInterval: positiveInteger(env, "INDEXER_POLLING_INTERVAL", 1000),
    database:
      databaseUrl !== undefined && databaseUrl !== ""
        ? { kind: "postgres", connectionString: databaseUrl }
        : {
            kind: "pglite",
            directory: path.resolve(env["INDEXER_PGLITE_DIR"] ?? path.join(indexerRoot, ".ponder", "pglite")),
          },
  };
}

function positiveInteger(
  env: Readonly<Record<string, string | undefined>>,
  name: string,
  fallback: number,
): number {
  const value = env[name];
  if (value === undefined || value === "") return fallback;
  if (!/^\d+$/.test(value) || Number(value) < 1 || !Number.isSafeInteger(Number(value))) {
    throw new Error(`${name}: expected a positive integer, got "${value}"`);
  }
  return Number(value);
}
