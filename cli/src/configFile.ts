/**
 * The config file (`--config <file>`, or `./tee-market.json` when present): where the chain is
 * (network, RPC, deployment), the keystore, the result key, and the storage `files upload` writes
 * to. Read and checked here, without the chain: `files` commands need the file but not a node.
 * Paths in the file are relative to it; without a file, the "config directory" is the working
 * directory, where the defaults (storage directory, result key) live.
 */
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";

import { WHERE_KEYS_GO } from "./keyPolicy.js";
import { type Io, UsageError } from "./output.js";

/** The default config file, in the working directory. */
export const CONFIG_FILE = "tee-market.json";

/** The storage section: the backend `files upload` writes to, and what `files delete` may remove. */
export interface StorageConfig {
  /** `FS` (a local directory, the default), `S3` (an S3-compatible store) or `URL` (read-only). */
  type?: string;
  /** FS: the directory (default `tee-market-storage/` beside the config file). */
  directory?: string;
  /** S3: the bucket. */
  bucket?: string;
  /** A prefix inside the directory or bucket for every object. */
  prefix?: string;
  /** S3: the service's URL (default AWS S3 of the region). */
  endpoint?: string;
  /** S3: the region (default us-east-1). */
  region?: string;
  /** S3: the write keys (else TEE_MARKET_S3_ACCESS_KEY_ID and TEE_MARKET_S3_SECRET_ACCESS_KEY). */
  accessKeyId?: string;
  secretAccessKey?: string;
  /** S3: read-only keys written into resource files instead of the write keys. */
  readAccessKeyId?: string;
  readSecretAccessKey?: string;
}

/** What a config file may hold; relative paths are resolved against the file's directory. */
export interface ConfigFile {
  network?: string;
  rpcUrl?: string;
  deployment?: string;
  keystore?: string;
  /** The result key file `workflows create` and `orders download-result` use by default. */
  resultKey?: string;
  storage?: StorageConfig;
  /** An indexer's URL: list and search commands read the index instead of the chain. */
  indexer?: string;
}

/** A config file as loaded: its content, where it is, and the directory defaults are relative to. */
export interface LoadedConfig {
  config: ConfigFile;
  /** The file, when there is one. */
  file: string | undefined;
  /** The file's directory, or the working directory without a file. */
  directory: string;
}

const STRING_KEYS = ["network", "rpcUrl", "deployment", "keystore", "resultKey", "indexer"] as const;
const PATH_KEYS = new Set(["deployment", "keystore", "resultKey"]);
const STORAGE_KEYS = [
  "type",
  "directory",
  "bucket",
  "prefix",
  "endpoint",
  "region",
  "accessKeyId",
  "secretAccessKey",
  "readAccessKeyId",
  "readSecretAccessKey",
] as const;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function storageSection(file: string, value: unknown): StorageConfig {
  if (!isObject(value)) {
    throw new UsageError(
      `config file ${file}: "storage" must be an object such as { "type": "S3", "bucket": "…", "endpoint": "…" }`,
    );
  }
  const storage: StorageConfig = {};
  for (const [key, field] of Object.entries(value)) {
    if (!(STORAGE_KEYS as readonly string[]).includes(key)) {
      throw new UsageError(
        `config file ${file}: unknown key "storage.${key}"; expected ${STORAGE_KEYS.join(", ")}`,
      );
    }
    if (typeof field !== "string" || field === "") {
      throw new UsageError(`config file ${file}: "storage.${key}" must be a non-empty string`);
    }
    storage[key as (typeof STORAGE_KEYS)[number]] =
      key === "directory" ? path.resolve(path.dirname(file), field) : field;
  }
  return storage;
}

async function readConfigFile(file: string): Promise<ConfigFile> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(file, "utf8")) as unknown;
  } catch (error) {
    throw new UsageError(
      `cannot read config file ${file}: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  if (!isObject(json)) {
    throw new UsageError(
      `config file ${file}: expected a JSON object { network, rpcUrl, deployment, keystore, resultKey, storage, indexer }`,
    );
  }
  const config: ConfigFile = {};
  for (const [key, value] of Object.entries(json)) {
    if (/^private_?key$/i.test(key)) {
      throw new UsageError(
        `config file ${file}: "${key}" is not accepted, keys never go in files in the clear; ${WHERE_KEYS_GO}`,
      );
    }
    if (key === "storage") {
      config.storage = storageSection(file, value);
      continue;
    }
    if (!(STRING_KEYS as readonly string[]).includes(key)) {
      throw new UsageError(
        `config file ${file}: unknown key "${key}"; expected ${[...STRING_KEYS, "storage"].join(", ")}`,
      );
    }
    if (typeof value !== "string" || value === "") {
      throw new UsageError(`config file ${file}: "${key}" must be a non-empty string`);
    }
    config[key as (typeof STRING_KEYS)[number]] = PATH_KEYS.has(key)
      ? path.resolve(path.dirname(file), value)
      : value;
  }
  return config;
}

/** The command line's option values, as parsed (`--network` is `network`). */
export type Flags = Readonly<Record<string, string | boolean | string[] | undefined>>;

/**
 * The config file named by `--config`, or `./tee-market.json` when it exists, or none.
 *
 * @throws {UsageError} when the file cannot be read or holds an unknown key or a private key.
 */
export async function loadConfig(io: Io, flags: Flags): Promise<LoadedConfig> {
  const named = flags["config"];
  const file =
    typeof named === "string"
      ? path.resolve(io.cwd, named)
      : existsSync(path.join(io.cwd, CONFIG_FILE))
        ? path.join(io.cwd, CONFIG_FILE)
        : undefined;
  if (file === undefined) return { config: {}, file: undefined, directory: io.cwd };
  return { config: await readConfigFile(file), file, directory: path.dirname(file) };
}
