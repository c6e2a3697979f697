/**
 * The agent's configuration file (JSON): the chain and deployment, the TEE offer it serves, where
 * quotes, attestations, storage and the runner are, and its pace. Every field is checked before the
 * agent touches anything; an error names the file and the field. Paths are relative to the file.
 * Secrets are never in the file: the operator's key and the S3 secret come from the environment
 * (or the key from an encrypted keystore the file names).
 */
import { readFile } from "node:fs/promises";
import { hostname, tmpdir } from "node:os";
import path from "node:path";

import { type Hex, isHex, keccak256, stringToHex } from "viem";

import { type Deployment, FileFormatError, InputError, parseDeployment, toUint } from "@tee-marketplace/sdk";
import { readDeployment } from "@tee-marketplace/sdk/node";

/** Where quotes come from: Linux's configfs-tsm, the stand-in enclave, or the first of them present. */
export type QuoteSourceName = "auto" | "configfs-tsm" | "stand-in";

/** How solutions run: in a container engine, as a process (development), or a container when an engine answers. */
export type RunnerName = "auto" | "container" | "process";

/** The storage results and logs are uploaded to. */
export type AgentStorageConfig =
  | { readonly type: "FS"; readonly directory: string; readonly prefix: string }
  | {
      readonly type: "S3";
      readonly bucket: string;
      readonly prefix: string;
      readonly endpoint?: string;
      readonly region?: string;
      readonly accessKeyId: string;
      /** Read-only keys written into result pointers instead of the agent's own (which can write). */
      readonly readCredentials: { readonly accessKeyId: string; readonly secretKey: string };
    };

/** The checked configuration. */
export interface AgentConfig {
  /** The JSON-RPC URL (HTTP); optional only when the program passes its own transport. */
  readonly rpcUrl?: string;
  readonly deployment: Deployment;
  readonly teeOfferId: bigint;
  /** An Ethereum v3 keystore with the operator's key (its password from the environment). */
  readonly keystore?: string;
  /** Base URL of the attestation service (`POST /v1/attestations`). */
  readonly attestationService: string;
  readonly quotes: {
    readonly source: QuoteSourceName;
    /** configfs-tsm's report directory. */
    readonly configfsPath: string;
    /** The stand-in enclave's quoting endpoint (local and test chains only). */
    readonly standInUrl?: string;
  };
  /** The TCB's device id: 32 bytes (keccak256 of the configured name when it is not 32 bytes of hex). */
  readonly deviceId: Hex;
  readonly benchmark: bigint;
  readonly storage: AgentStorageConfig;
  readonly runner: {
    readonly type: RunnerName;
    /** Where each order's work directory is made (and removed after the order). */
    readonly workDirectory: string;
    /** The container engine's command (`docker` or `podman`). */
    readonly engine: string;
  };
  /** Serve `GET /healthz` on this address and port. */
  readonly http?: { readonly address: string; readonly port: number };
  /** The first block to look for orders from; default the deployment's first block. */
  readonly fromBlock?: bigint;
  /** The largest block range of one `eth_getLogs` request. */
  readonly logBlockRange: bigint;
  /** How often the agent reads the chain. */
  readonly pollIntervalMs: number;
  /** Refresh the TCB this long before it expires. */
  readonly refreshBeforeSeconds: number;
  /** Stop a solution this long before the order's deadline, to leave time to complete it. */
  readonly deadlineMarginSeconds: number;
  /** Orders run at once; more New orders wait. */
  readonly maxConcurrentOrders: number;
}

/** The environment variable with the operator's private key. */
export const PRIVATE_KEY_ENV = "TEE_MARKET_AGENT_PRIVATE_KEY";
/** The environment variable with the keystore's password. */
export const KEYSTORE_PASSWORD_ENV = "TEE_MARKET_AGENT_KEYSTORE_PASSWORD";
/** The environment variable with the S3 storage's secret access key. */
export const S3_SECRET_ENV = "TEE_MARKET_AGENT_S3_SECRET_ACCESS_KEY";
/** Where Linux's configfs-tsm interface puts quote reports. */
export const CONFIGFS_TSM_REPORT = "/sys/kernel/config/tsm/report";

const SETTINGS = [
  "rpcUrl",
  "deployment",
  "teeOfferId",
  "keystore",
  "attestationService",
  "quotes",
  "deviceId",
  "benchmark",
  "storage",
  "runner",
  "http",
  "fromBlock",
  "logBlockRange",
  "pollIntervalMs",
  "refreshBeforeSeconds",
  "deadlineMarginSeconds",
  "maxConcurrentOrders",
] as const;

/**
 * Reads and checks a configuration file (and the deployment file it names).
 *
 * @param file The JSON file.
 * @example
 * const config = await readAgentConfig("agent.json");
 * @throws {InputError} naming `config` when the file cannot be read.
 * @throws {FileFormatError} naming the file and the field that is wrong.
 */
export async function readAgentConfig(file: string): Promise<AgentConfig> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    throw new InputError("config", `cannot read ${file} (${(error as Error).message}); check the path`, {
      cause: error,
    });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new FileFormatError(file, "", `not valid JSON: ${(error as Error).message}`, { cause: error });
  }
  const baseDir = path.dirname(path.resolve(file));
  try {
    const raw = object(json, "");
    const deployment =
      typeof raw["deployment"] === "string"
        ? await readDeploymentAt(path.resolve(baseDir, raw["deployment"]))
        : raw["deployment"];
    return parseAgentConfig({ ...raw, deployment }, baseDir);
  } catch (error) {
    if (error instanceof FileFormatError) throw error;
    if (error instanceof InputError)
      throw new FileFormatError(file, error.field, error.detail, { cause: error });
    throw error;
  }
}

async function readDeploymentAt(file: string): Promise<Deployment> {
  try {
    return await readDeployment(file);
  } catch (error) {
    throw new InputError("deployment", `${file}: ${(error as Error).message}`, { cause: error });
  }
}

/**
 * Checks a configuration object (with `deployment` as an object); relative paths resolve against
 * `baseDir`.
 *
 * @param json The parsed configuration.
 * @param baseDir The directory relative paths start from.
 * @example
 * const config = parseAgentConfig({ deployment, teeOfferId: "2", attestationService, storage: { type: "FS", directory: "./results" } }, process.cwd());
 * @throws {InputError} naming the field that is missing or wrong.
 */
export function parseAgentConfig(json: unknown, baseDir: string): AgentConfig {
  const raw = object(json, "");
  for (const key of Object.keys(raw)) {
    if (!(SETTINGS as readonly string[]).includes(key)) {
      throw new InputError(key, `is not a setting; the settings are ${SETTINGS.join(", ")}`);
    }
  }
  if (raw["deployment"] === undefined) {
    throw new InputError("deployment", "is required: the deployment file (deployments/<network>.json)");
  }
  let deployment: Deployment;
  try {
    deployment = parseDeployment(raw["deployment"]);
  } catch (error) {
    if (error instanceof InputError) {
      throw new InputError(`deployment.${error.field}`, error.detail, { cause: error });
    }
    throw error;
  }
  const config: AgentConfig = {
    ...optional("rpcUrl", raw["rpcUrl"], (value) => url(value, "rpcUrl")),
    deployment,
    teeOfferId: toUint(raw["teeOfferId"], "teeOfferId", { min: 1n, expected: "the TEE offer's id" }),
    ...optional("keystore", raw["keystore"], (value) => path.resolve(baseDir, text(value, "keystore"))),
    attestationService: url(raw["attestationService"], "attestationService"),
    quotes: quotes(raw["quotes"], baseDir),
    deviceId: deviceId(raw["deviceId"]),
    benchmark: raw["benchmark"] === undefined ? 0n : toUint(raw["benchmark"], "benchmark", { bits: 64 }),
    storage: storage(raw["storage"], baseDir),
    runner: runner(raw["runner"], baseDir),
    ...optional("http", raw["http"], http),
    ...optional("fromBlock", raw["fromBlock"], (value) => toUint(value, "fromBlock", { bits: 64 })),
    logBlockRange:
      raw["logBlockRange"] === undefined
        ? 5000n
        : toUint(raw["logBlockRange"], "logBlockRange", {
            min: 1n,
            bits: 32,
            expected: "a number of blocks",
          }),
    pollIntervalMs: integer(raw["pollIntervalMs"], "pollIntervalMs", 50, 600_000, 2000),
    refreshBeforeSeconds: integer(raw["refreshBeforeSeconds"], "refreshBeforeSeconds", 1, 30 * 86_400, 600),
    deadlineMarginSeconds: integer(raw["deadlineMarginSeconds"], "deadlineMarginSeconds", 0, 86_400, 30),
    maxConcurrentOrders: integer(raw["maxConcurrentOrders"], "maxConcurrentOrders", 1, 64, 1),
  };
  return config;
}

function quotes(value: unknown, baseDir: string): AgentConfig["quotes"] {
  const entry = value === undefined ? {} : object(value, "quotes");
  known(entry, "quotes", ["source", "configfsPath", "standInUrl"]);
  const source = entry["source"] ?? "auto";
  if (source !== "auto" && source !== "configfs-tsm" && source !== "stand-in") {
    throw new InputError(
      "quotes.source",
      `expected "auto", "configfs-tsm" or "stand-in", got ${JSON.stringify(source)}`,
    );
  }
  return {
    source,
    configfsPath:
      entry["configfsPath"] === undefined
        ? CONFIGFS_TSM_REPORT
        : path.resolve(baseDir, text(entry["configfsPath"], "quotes.configfsPath")),
    ...optional("standInUrl", entry["standInUrl"], (v) => url(v, "quotes.standInUrl")),
  };
}

function deviceId(value: unknown): Hex {
  if (value === undefined) return keccak256(stringToHex(hostname()));
  const name = text(value, "deviceId");
  return isHex(name) && name.length === 66 ? name : keccak256(stringToHex(name));
}

function storage(value: unknown, baseDir: string): AgentStorageConfig {
  if (value === undefined) {
    throw new InputError(
      "storage",
      'is required: where results and logs are uploaded, for example { "type": "FS", "directory": "./results" }',
    );
  }
  const entry = object(value, "storage");
  const prefix = entry["prefix"] === undefined ? "" : text(entry["prefix"], "storage.prefix");
  if (entry["type"] === "FS") {
    known(entry, "storage", ["type", "directory", "prefix"]);
    return {
      type: "FS",
      directory: path.resolve(baseDir, text(entry["directory"], "storage.directory")),
      prefix,
    };
  }
  if (entry["type"] === "S3") {
    known(entry, "storage", [
      "type",
      "bucket",
      "prefix",
      "endpoint",
      "region",
      "accessKeyId",
      "readCredentials",
    ]);
    if (entry["readCredentials"] === undefined) {
      throw new InputError(
        "storage.readCredentials",
        "is required for S3: read-only keys { accessKeyId, secretKey } that result pointers carry " +
          "(the agent's own keys can write, and every recipient would get them)",
      );
    }
    const read = object(entry["readCredentials"], "storage.readCredentials");
    known(read, "storage.readCredentials", ["accessKeyId", "secretKey"]);
    return {
      type: "S3",
      bucket: text(entry["bucket"], "storage.bucket"),
      prefix,
      ...optional("endpoint", entry["endpoint"], (v) => url(v, "storage.endpoint")),
      ...optional("region", entry["region"], (v) => text(v, "storage.region")),
      accessKeyId: text(entry["accessKeyId"], "storage.accessKeyId"),
      readCredentials: {
        accessKeyId: text(read["accessKeyId"], "storage.readCredentials.accessKeyId"),
        secretKey: text(read["secretKey"], "storage.readCredentials.secretKey"),
      },
    };
  }
  throw new InputError("storage.type", `expected "FS" or "S3", got ${JSON.stringify(entry["type"])}`);
}

function runner(value: unknown, baseDir: string): AgentConfig["runner"] {
  const entry = value === undefined ? {} : object(value, "runner");
  known(entry, "runner", ["type", "workDirectory", "engine"]);
  const type = entry["type"] ?? "auto";
  if (type !== "auto" && type !== "container" && type !== "process") {
    throw new InputError(
      "runner.type",
      `expected "auto", "container" or "process", got ${JSON.stringify(type)}`,
    );
  }
  return {
    type,
    workDirectory:
      entry["workDirectory"] === undefined
        ? path.join(tmpdir(), "tee-market-agent")
        : path.resolve(baseDir, text(entry["workDirectory"], "runner.workDirectory")),
    engine: entry["engine"] === undefined ? "docker" : text(entry["engine"], "runner.engine"),
  };
}

function http(value: unknown): { address: string; port: number } {
  const entry = object(value, "http");
  known(entry, "http", ["address", "port"]);
  return {
    address: entry["address"] === undefined ? "127.0.0.1" : text(entry["address"], "http.address"),
    port: integer(entry["port"], "http.port", 0, 65_535),
  };
}

function optional<K extends string, T>(
  key: K,
  value: unknown,
  parse: (value: unknown) => T,
): { [key in K]?: T } {
  return (value === undefined ? {} : { [key]: parse(value) }) as { [key in K]?: T };
}

function known(entry: Record<string, unknown>, field: string, keys: readonly string[]): void {
  for (const key of Object.keys(entry)) {
    if (!keys.includes(key)) {
      throw new InputError(
        `${field}.${key}`,
        `is not a setting of ${field}; its settings are ${keys.join(", ")}`,
      );
    }
  }
}

function object(value: unknown, field: string): Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new InputError(field, `expected an object, got ${JSON.stringify(value) ?? "nothing"}`);
  }
  return value as Record<string, unknown>;
}

function text(value: unknown, field: string): string {
  if (typeof value !== "string" || value === "") throw new InputError(field, "expected a non-empty string");
  return value;
}

function url(value: unknown, field: string): string {
  const string = text(value, field);
  if (!/^https?:\/\/[^\s]+$/.test(string)) {
    throw new InputError(field, `expected an http(s) URL, got ${JSON.stringify(string)}`);
  }
  return string.replace(/\/+$/, "");
}

function integer(value: unknown, field: string, min: number, max: number, fallback?: number): number {
  if (value === undefined && fallback !== undefined) return fallback;
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
    throw new InputError(
      field,
      `expected an integer from ${min} to ${max}, got ${JSON.stringify(value) ?? "nothing"}`,
    );
  }
  return value;
}
