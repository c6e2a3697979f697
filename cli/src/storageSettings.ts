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

/** The storage chosen, and what the commands say about it. */
export interface StorageSelection {
  type: (typeof STORAGE_TYPE_NAMES)[number];
  /** The FS directory `files delete` may delete in (the FS storage's, even when another type is chosen). */
  fsDirectory: string;
  /** S3 write keys, in a resource file's credential names (`accessKeyId`, `secretKey`). */
  writeKeys: { accessKeyId: string; secretKey: string } | undefined;
  /** S3 read-only keys written into resource files instead of the write keys. */
  readKeys: { accessKeyId: string; secretKey: string } | undefined;
  /** For messages: `FS storage in /srv/storage`, `S3 bucket datasets at https://…`. */
  where: string;
}

/** A storage to write to: the selection and the options `uploadFile` takes. */
export interface WritableStorage extends StorageSelection {
  options: StorageOptions;
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

/** The storage settings of the flags over the config file's section, resolved. */
function settings(io: Io, loaded: LoadedConfig, input: CommandInput) {
  const config = loaded.config.storage ?? {};
  const typeName = (flagString(input, "storage") ?? config.type ?? "FS").toUpperCase();
  if (!(STORAGE_TYPE_NAMES as readonly string[]).includes(typeName)) {
    throw new UsageError(
      `unknown storage type "${flagString(input, "storage") ?? config.type}": use ${STORAGE_TYPE_NAMES.join(", ")} ` +
        `(--storage, or "storage.type" in the config file)`,
    );
  }
  const storageDir = flagString(input, "storage-dir");
  const fsDirectory =
    storageDir !== undefined
      ? path.resolve(io.cwd, storageDir)
      : (config.directory ?? path.join(loaded.directory, DEFAULT_STORAGE_DIRECTORY));
  const bucket = flagString(input, "bucket") ?? config.bucket;
  const endpoint = flagString(input, "endpoint") ?? config.endpoint;
  const region = flagString(input, "region") ?? config.region;
  const type = typeName as StorageSelection["type"];
  return {
    type,
    bucket,
    endpoint,
    region,
    prefix: flagString(input, "prefix") ?? config.prefix,
    fsDirectory,
    writeKeys: type === "S3" ? keyPair(io, config, "accessKeyId", "secretAccessKey") : undefined,
    readKeys: type === "S3" ? keyPair(io, config, "readAccessKeyId", "readSecretAccessKey") : undefined,
    where:
      type === "FS"
        ? `FS storage in ${fsDirectory}`
        : type === "URL"
          ? "URL storage (read-only)"
          : `S3 bucket ${bucket ?? "(none)"} at ${endpoint ?? `AWS S3 (${region ?? "us-east-1"})`}`,
  };
}

/**
 * The storage a `files` command reads or deletes through: resource files name their storage, so
 * this gives only the FS directory deletes are confined to and the S3 keys that fill in or stand
 * for a resource file's.
 *
 * @throws {UsageError} for an unknown storage type or half an S3 key pair.
 */
export function storageToRead(io: Io, loaded: LoadedConfig, input: CommandInput): StorageSelection {
  const { type, fsDirectory, writeKeys, readKeys, where } = settings(io, loaded, input);
  return { type, fsDirectory, writeKeys, readKeys, where };
}

/**
 * The storage `files upload` writes to, as `uploadFile` takes it.
 *
 * @throws {UsageError} for an unknown storage type, or an S3 storage without a bucket or write keys,
 * naming the flag, the config key and the environment variables.
 */
export function storageToWrite(io: Io, loaded: LoadedConfig, input: CommandInput): WritableStorage {
  const { bucket, endpoint, region, prefix, ...selection } = settings(io, loaded, input);
  const withPrefix = prefix === undefined ? {} : { prefix };
  if (selection.type === "FS") {
    return { ...selection, options: { type: "FS", directory: selection.fsDirectory, ...withPrefix } };
  }
  if (selection.type === "URL") return { ...selection, options: { type: "URL" } };
  if (bucket === undefined) {
    throw new UsageError(
      `S3 storage needs a bucket: --bucket <name>, or "storage.bucket" in the config file`,
    );
  }
  const keys = selection.writeKeys;
  if (keys === undefined) {
    throw new UsageError(
      `S3 storage needs write keys: set ${S3_KEY_ENV.accessKeyId} and ${S3_KEY_ENV.secretAccessKey} ` +
        `(or "storage.accessKeyId" and "storage.secretAccessKey" in the config file); keys never go on the command line`,
    );
  }
  return {
    ...selection,
    options: {
      type: "S3",
      bucket,
      accessKeyId: keys.accessKeyId,
      secretAccessKey: keys.secretKey,
      ...withPrefix,
      ...(endpoint === undefined ? {} : { endpoint }),
      ...(region === undefined ? {} : { region }),
    },
  };
}
