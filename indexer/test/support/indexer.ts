/**
 * The indexer as a user runs it, for the tests and the benchmark: `ponder start` in `indexer/` as a
 * child process, configured by the environment (a deployment file, the node's RPC, PGlite in a
 * directory or a PostgreSQL URL), its HTTP server on 127.0.0.1 and a free port. `stop()` ends it
 * with SIGTERM (Ponder's graceful shutdown, which releases its lock on the database) or, with
 * `{ kill: true }`, SIGKILL, as a crash would.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import type { Deployment } from "@tee-marketplace/sdk";

import { freePort } from "../../../sdk/test/support/hardhatNode.js";
import { repoRoot } from "../../../sdk/test/support/paths.js";

/** The indexer package. */
export const indexerRoot = path.join(repoRoot, "indexer");
const ponderBin = path.join(repoRoot, "node_modules", ".bin", "ponder");

/** Where the index is kept. */
export type IndexDatabase = { kind: "pglite"; directory: string } | { kind: "postgres"; url: string };

/** What {@link startIndexer} takes. */
export interface IndexerOptions {
  deployment: Deployment;
  rpcUrl: string;
  database: IndexDatabase;
  /** Ponder's database schema (default `tee_marketplace`). */
  schema?: string;
  /** Largest `eth_getLogs` range (default the indexer's, 5000). */
  logBlockRange?: number;
  /** Block polling interval in ms (default 100). */
  pollingInterval?: number;
  /** Port of its HTTP server (default a free one). */
  port?: number;
  /** Ponder's log level (default `PONDER_LOG_LEVEL`, else `warn`). */
  logLevel?: "error" | "warn" | "info" | "debug";
}

/** A running indexer. */
export interface RunningIndexer {
  /** `http://127.0.0.1:<port>`. */
  readonly url: string;
  readonly options: IndexerOptions;
  /** Its output so far (the last 256 KB). */
  output(): string;
  /** Resolves once the backfill is done and the index has reached `block` (default: the chain's head now). */
  waitForBlock(block: bigint): Promise<void>;
  /** Stops it: SIGTERM and a graceful shutdown, or SIGKILL with `kill`. Safe to call twice. */
  stop(options?: { kill?: boolean }): Promise<void>;
}

const running = new Set<ChildProcess>();
process.on("exit", () => {
  for (const child of running) child.kill("SIGKILL");
});

/** A deployment as `deployments/<network>.json` holds it. */
function deploymentJson(deployment: Deployment): string {
  return JSON.stringify({ ...deployment, blocks: { deployed: deployment.blocks.deployed.toString() } });
}

/** The block the index has reached, from Ponder's `/status` (undefined before its first). */
async function indexedBlock(url: string): Promise<bigint | undefined> {
  try {
    const response = await fetch(`${url}/status`);
    if (!response.ok) return undefined;
    const status = (await response.json()) as Record<string, { block?: { number?: number } | null }>;
    const chain = Object.values(status)[0];
    return chain?.block?.number === undefined ? undefined : BigInt(chain.block.number);
  } catch {
    return undefined;
  }
}

/**
 * Starts `ponder start` for a deployment; resolves once its HTTP server answers `/health`.
 *
 * @param options The deployment, RPC and database.
 * @returns The running indexer.
 * @example
 * const indexer = await startIndexer({ deployment, rpcUrl: node.url, database: { kind: "pglite", directory } });
 * await indexer.waitForBlock(await publicClient.getBlockNumber());
 */
export async function startIndexer(options: IndexerOptions): Promise<RunningIndexer> {
  const dir = await mkdtemp(path.join(tmpdir(), "tee-marketplace-indexer-"));
  const deploymentFile = path.join(dir, "deployment.json");
  await writeFile(deploymentFile, deploymentJson(options.deployment));
  const port = options.port ?? (await freePort());
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PATH: `${path.join(repoRoot, "node_modules", ".bin")}${path.delimiter}${process.env["PATH"] ?? ""}`,
    INDEXER_DEPLOYMENT: deploymentFile,
    INDEXER_RPC_URL: options.rpcUrl,
    INDEXER_POLLING_INTERVAL: String(options.pollingInterval ?? 100),
    PONDER_TELEMETRY_DISABLED: "true",
    PONDER_LOG_LEVEL: options.logLevel ?? process.env["PONDER_LOG_LEVEL"] ?? "warn",
  };
  delete env["NODE_OPTIONS"];
  delete env["DATABASE_URL"];
  delete env["DATABASE_SCHEMA"];
  if (options.logBlockRange !== undefined) env["INDEXER_LOG_BLOCK_RANGE"] = String(options.logBlockRange);
  if (options.database.kind === "pglite") env["INDEXER_PGLITE_DIR"] = options.database.directory;
  else env["DATABASE_URL"] = options.database.url;
  const args = [
    "start",
    "--schema",
    options.schema ?? "tee_marketplace",
    "-H",
    "127.0.0.1",
    "-p",
    String(port),
  ];
  const child = spawn(ponderBin, args, { cwd: indexerRoot, env, stdio: ["ignore", "pipe", "pipe"] });
  running.add(child);
  let output = "";
  const collect = (chunk: Buffer) => {
    output = (output + chunk.toString("utf8")).slice(-262_144);
  };
  child.stdout?.on("data", collect);
  child.stderr?.on("data", collect);
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  let stopped = false;
  const stop = async (stopOptions: { kill?: boolean } = {}) => {
    if (stopped) return;
    stopped = true;
    if (child.exitCode === null && child.signalCode === null) {
      child.kill(stopOptions.kill === true ? "SIGKILL" : "SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 20_000);
      await exited;
      clearTimeout(timer);
    }
    running.delete(child);
    await rm(dir, { recursive: true, force: true });
  };
  const alive = () => {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`the indexer exited (${child.exitCode ?? child.signalCode}):\n${output}`);
    }
  };

  const deadline = Date.now() + 120_000;
  for (;;) {
    try {
      alive();
    } catch (error) {
      await stop();
      throw error;
    }
    try {
      if ((await fetch(`${url}/health`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`the indexer did not answer /health within 120 s:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }

  return {
    url,
    options,
    output: () => output,
    waitForBlock: async (block) => {
      const until = Date.now() + 600_000;
      for (;;) {
        alive();
        const ready = await fetch(`${url}/ready`).then(
          (r) => r.ok,
          () => false,
        );
        const reached = ready ? await indexedBlock(url) : undefined;
        if (reached !== undefined && reached >= block) return;
        if (Date.now() > until) {
          throw new Error(`the indexer did not reach block ${block} (at ${reached ?? "none"}):\n${output}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    },
    stop,
  };
}
