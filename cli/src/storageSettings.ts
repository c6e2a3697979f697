/**
 * The storage the `files` commands use: flags first (`--storage`, `--storage-dir`, `--bucket`,
 * `--prefix`, `--endpoint`, `--region`), then the config file's `storage` section, then the default:
 * an FS storage in `tee-market-storage/` beside the config file (or in the working directory). S3
 * keys come from the environment, else the config file; never from the command line.
 */
import path from "node:path";

import type { StorageOptions } from "@tee-marketplace/sdk/node";

import type { CommandInput } from "./command.js";
import type { LoadedConfig, StorageConfig } from "./configFile.js";
import { type Io, UsageError } from "./output.js";

/** The storage types `--storage` and `storage.type` take. */
export const STORAGE_TYPE_NAMES = ["FS", "S3", "URL"] as const;
/** The FS storage's directory when none is configured, beside the config file. */
export const DEFAULT_STORAGE_DIRECTORY = "tee-market-storage";
/** The environment variables holding S3 keys: write keys, and read-only keys for resource files. */
export const S3_KEY_ENV = {
  accessKeyId: "TEE_MARKET_S3_ACCESS_KEY_ID",
  secretAccessKey: "TEE_MARKET_S3_SECRET_ACCESS_KEY",
  readAccessKeyId: "TEE_MARKET_S3_READ_ACCESS_KEY_ID",
  readSecretAccessKey: "TEE_MARKET_S3_READ_SECRET_ACCESS_KEY",
} as const;

/** The storage chosen, as the SDK takes it, and what the commands say about it. */
export interface StorageSelection {
  type: (typeof STORAGE_TYPE_NAMES)[number];
  /** For `createStorage` and `uploadFile`; undefined for S3 without keys (a read needs none of ours). */
  options: StorageOptions | undefined;
  /** The FS directory `files delete` may delete in (the FS storage's, even when another type is chosen). */
  fsDirectory: string;
  /** S3 write keys, in a resource file's credential names (`accessKeyId`, `secretKey`). */
  writeKeys: { accessKeyId: string; secretKey: string } | undefined;
  /** S3 read-only keys written into resource files instead of the write keys. */
  readKeys: { accessKeyId: string; secretKey: string } | undefined;
  /** For messages: `FS storage in /srv/storage`, `S3 bucket datasets at https://…`. */
  where: string;
}

function flagString(input: CommandInput, name: string): string | undefined {
  const value = input.values[name];
  return typeof value === "string" && value !== "" ? value : undefined;
}

/** A key pair from the environment, else the config file; a half pair is a usage error. */
function keyPair(
  io: Io,
  config: StorageConfig,
  idName: "accessKeyId" | "readAccessKeyId",
  secretName: "secretAccessKey" | "readSecretAccessKey",
): { accessKeyId: string; secretKey: string } | undefined {
  const fromEnv = (name: string) => {
    const value = io.env[name];
    return value === undefined || value === "" ? undefined : value;
  };
  const id = fromEnv(S3_KEY_ENV[idName]) ?? config[idName];
  const secret = fromEnv(S3_KEY_ENV[secretName]) ?? config[secretName];
  if (id === undefined && secret === undefined) return undefined;
  if (id === undefined || secret === undefined) {
    throw new UsageError(
      `S3 storage: ${id === undefined ? S3_KEY_ENV[idName] : S3_KEY_ENV[secretName]} is missing; ` +
        `give both ${S3_KEY_ENV[idName]} and ${S3_KEY_ENV[secretName]} (or "storage.${idName}" and "storage.${secretName}" in the config file)`,
    );
  }
  return { accessKeyId: id, secretKey: secret };
}

/**
 * The storage for a `files` command.
 *
 * @param purpose `write` (upload, delete): S3 needs a bucket and write keys; `read` (download): the
 * resource names its storage, and configured keys only fill in what it lacks.
 * @throws {UsageError} for an unknown storage type, an S3 storage without a bucket, or (to write)
 * without keys, naming the flag, the config key and the environment variables.
 */
export function selectStorage(
  io: Io,
  loaded: LoadedConfig,
  input: CommandInput,
  purpose: "write" | "read",
): StorageSelection {
  const config = loaded.config.storage ?? {};
  const typeName = (flagString(input, "storage") ?? config.type ?? "FS").toUpperCase();
  if (!(STORAGE_TYPE_NAMES as readonly string[]).includes(typeName)) {
    throw new UsageError(
      `unknown storage type "${flagString(input, "storage") ?? config.type}": use ${STORAGE_TYPE_NAMES.join(", ")} ` +
        `(--storage, or "storage.type" in the config file)`,
    );
  }
  const type = typeName as StorageSelection["type"];
  const storageDir = flagString(input, "storage-dir");
  const fsDirectory =
    storageDir !== undefined
      ? path.resolve(io.cwd, storageDir)
      : (config.directory ?? path.join(loaded.directory, DEFAULT_STORAGE_DIRECTORY));
  const prefix = flagString(input, "prefix") ?? config.prefix;
  const base = { fsDirectory, writeKeys: undefined, readKeys: undefined };
  if (type === "FS") {
    return {
      ...base,
      type,
      options: { type, directory: fsDirectory, ...(prefix === undefined ? {} : { prefix }) },
      where: `FS storage in ${fsDirectory}`,
    };
  }
  if (type === "URL") {
    return { ...base, type, options: { type }, where: "URL storage (read-only)" };
  }
  const bucket = flagString(input, "bucket") ?? config.bucket;
  const endpoint = flagString(input, "endpoint") ?? config.endpoint;
  const region = flagString(input, "region") ?? config.region;
  const writeKeys = keyPair(io, config, "accessKeyId", "secretAccessKey");
  const readKeys = keyPair(io, config, "readAccessKeyId", "readSecretAccessKey");
  const where = `S3 bucket ${bucket ?? "(none)"} at ${endpoint ?? `AWS S3 (${region ?? "us-east-1"})`}`;
  if (purpose === "write" && bucket === undefined) {
    throw new UsageError(
      `S3 storage needs a bucket: --bucket <name>, or "storage.bucket" in the config file`,
    );
  }
  if (purpose === "write" && writeKeys === undefined) {
    throw new UsageError(
      `S3 storage needs write keys: set ${S3_KEY_ENV.accessKeyId} and ${S3_KEY_ENV.secretAccessKey} ` +
        `(or "storage.accessKeyId" and "storage.secretAccessKey" in the config file); keys never go on the command line`,
    );
  }
  return {
    type,
    fsDirectory,
    writeKeys,
    readKeys,
    where,
    options:
      bucket === undefined || writeKeys === undefined
        ? undefined
        : {
            type,
            bucket,
            accessKeyId: writeKeys.accessKeyId,
            secretAccessKey: writeKeys.secretKey,
            ...(prefix === undefined ? {} : { prefix }),
            ...(endpoint === undefined ? {} : { endpoint }),
            ...(region === undefined ? {} : { region }),
          },
  };
}
