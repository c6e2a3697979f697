/**
 * A real chain for the SDK's integration tests and benchmark: Hardhat's node as a child process on
 * 127.0.0.1 and a port picked free, with the marketplace deployed by the project's deploy script
 * (scripts/deploy.ts, the TestMarketplace Ignition module; its Ignition journal and deployment file
 * in a temporary directory). Every node started here is stopped by
 * `stop()`, and killed when the process exits in any case.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";

import type { Address } from "viem";

import type { Deployment } from "../../src/index.js";
import { readDeployment } from "../../src/node/index.js";
import { repoRoot } from "./paths.js";

const running = new Set<ChildProcess>();
function killAll(): void {
  for (const child of running) child.kill("SIGKILL");
}
// `after` hooks stop the nodes; these catch an exit that skips them (an uncaught error, Ctrl-C).
process.on("exit", killAll);
for (const [signal, code] of [
  ["SIGINT", 130],
  ["SIGTERM", 143],
] as const) {
  process.on(signal, () => {
    killAll();
    // Keep the default behaviour (exit) unless someone else (mocha) handles the signal.
    if (process.listenerCount(signal) === 1) process.exit(code);
  });
}

/** Environment for Hardhat's CLI: Node 22 from node_modules/.bin first on the PATH. */
function hardhatEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PATH: `${path.join(repoRoot, "node_modules", ".bin")}${path.delimiter}${process.env.PATH ?? ""}`,
    ...extra,
  };
  delete env.NODE_OPTIONS;
  return env;
}

const hardhatBin = path.join(repoRoot, "node_modules", ".bin", "hardhat");

/** A port nothing listens on now (the OS picks it; a small race remains until the node binds it). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** A running Hardhat node. */
export interface LocalNode {
  readonly url: string;
  readonly chainId: number;
  /** Deploys the marketplace on this node with scripts/deploy.ts. */
  deploy(params: DeployParameters): Promise<Deployment>;
  /** Stops the node (and removes what its deployments left on disk). Safe to call twice. */
  stop(): Promise<void>;
}

/** Parameters of the TestMarketplace module. */
export interface DeployParameters {
  attestationSigner: Address;
  /** Seconds a TCB stays valid (module default: 30 days). */
  tcbLifetime?: number;
  /** Seconds a started order may run when its TEE slot has no max time (module default: 1 day). */
  processingTimeout?: number;
}

/** The process's output so far (its last 64 KB), for assertions and error messages. */
function collect(child: ChildProcess): () => string {
  let output = "";
  const add = (chunk: Buffer) => {
    output = (output + chunk.toString("utf8")).slice(-65536);
  };
  child.stdout?.on("data", add);
  child.stderr?.on("data", add);
  return () => output;
}

async function waitForRpc(
  url: string,
  child: ChildProcess,
  output: () => string,
  timeoutMs: number,
): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(
        `Hardhat node exited (${child.exitCode ?? child.signalCode}) before answering:\n${output()}`,
      );
    }
    try {
      const response = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_chainId", params: [] }),
      });
      const body = (await response.json()) as { result?: string };
      if (body.result !== undefined) return Number(BigInt(body.result));
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`Hardhat node at ${url} did not answer eth_chainId within ${timeoutMs} ms:\n${output()}`);
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) {
    running.delete(child);
    return;
  }
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
  await exited;
  clearTimeout(timer);
  running.delete(child);
}

/**
 * Starts `hardhat node --hostname 127.0.0.1 --port <free port>` from the repository root and waits
 * until it answers `eth_chainId`.
 *
 * @param options `chainId`: the node's chain id (Hardhat's default 31337 when omitted).
 */
export async function startHardhatNode(options: { chainId?: number } = {}): Promise<LocalNode> {
  const port = await freePort();
  const args = ["node", "--hostname", "127.0.0.1", "--port", String(port)];
  if (options.chainId !== undefined) args.push("--chain-id", String(options.chainId));
  const child = spawn(hardhatBin, args, {
    cwd: repoRoot,
    env: hardhatEnv(),
    stdio: ["ignore", "pipe", "pipe"],
  });
  running.add(child);
  const output = collect(child);
  const url = `http://127.0.0.1:${port}`;
  const cleanups: (() => Promise<void>)[] = [];
  let chainId: number;
  try {
    chainId = await waitForRpc(url, child, output, 60_000);
  } catch (error) {
    await stopChild(child);
    throw error;
  }
  let stopped = false;
  return {
    url,
    chainId,
    deploy: async (params) => {
      const dir = await mkdtemp(path.join(tmpdir(), "tee-marketplace-deploy-"));
      cleanups.push(() => rm(dir, { recursive: true, force: true }));
      const parametersFile = path.join(dir, "parameters.json");
      const deploymentFile = path.join(dir, "deployment.json");
      await writeFile(parametersFile, JSON.stringify({ TestMarketplace: { ...params } }));
      await runHardhat(["run", "scripts/deploy.ts", "--network", "localhost"], {
        LOCALHOST_RPC_URL: url,
        DEPLOY_PARAMETERS: parametersFile,
        DEPLOYMENT_FILE: deploymentFile,
        IGNITION_DEPLOYMENT_DIR: path.join(dir, "ignition"),
      });
      return readDeployment(deploymentFile);
    },
    stop: async () => {
      if (stopped) return;
      stopped = true;
      await stopChild(child);
      for (const cleanup of cleanups) await cleanup();
    },
  };
}

/** Runs the Hardhat CLI in the repository root; resolves with its exit code and output. */
export async function spawnHardhat(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number | null; output: string }> {
  const child = spawn(hardhatBin, args, {
    cwd: repoRoot,
    env: hardhatEnv(env),
    stdio: ["ignore", "pipe", "pipe"],
  });
  running.add(child);
  const output = collect(child);
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once("error", reject);
    child.once("close", (exitCode) => resolve(exitCode));
  }).finally(() => running.delete(child));
  return { code, output: output() };
}

/** Runs the Hardhat CLI in the repository root; resolves with its output, rejects with it when it fails. */
export async function runHardhat(args: string[], env: Record<string, string>): Promise<string> {
  const { code, output } = await spawnHardhat(args, env);
  if (code !== 0) throw new Error(`hardhat ${args.join(" ")} failed (${code}):\n${output}`);
  return output;
}
