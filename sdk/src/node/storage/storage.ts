/// <reference types="node" />
/**
 * Storage backends behind one small interface: objects are streamed in and out by key, deleted and
 * checked for. A backend is a bucket and a prefix (keys are relative to the prefix); `credentials`
 * is what a resource file records to reach it again. The backend is chosen by its storage type:
 * `FS` (a local directory, the default), `S3` (any S3-compatible store), `URL` (HTTPS, read-only).
 */
import type { Readable } from "node:stream";

import { InputError } from "../../errors.js";
import { describe } from "../../internal/fields.js";
import type { StorageProviderResource } from "../../resourceFile.js";
import { createFsStorage } from "./fsStorage.js";
import { createS3Storage } from "./s3Storage.js";
import { createUrlStorage } from "./urlStorage.js";

/** An object read from a storage: its bytes as a stream, and its size when the backend knows it. */
export interface StoredObject {
  readonly body: Readable;
  readonly size: number | undefined;
}

/**
 * A storage backend. Keys are `/`-separated paths relative to the backend's prefix; a key with a
 * `..` or `.` segment, a leading `/`, a backslash or NUL is refused (`InputError`).
 */
export interface Storage {
  /** `"FS"`, `"S3"` or `"URL"`. */
  readonly storageType: "FS" | "S3" | "URL";
  /**
   * What a resource file's `resource.credentials` records to reach this storage (`bucket`, `prefix`
   * and, for S3, `endpoint`, `region` and keys); `undefined` for the read-only URL storage.
   */
  readonly credentials: Readonly<Record<string, unknown>> | undefined;
  /** Writes the object from a stream; it appears under `key` only once complete. */
  put(key: string, body: Readable, options?: { signal?: AbortSignal }): Promise<void>;
  /** Opens the object for reading. */
  get(key: string, options?: { signal?: AbortSignal }): Promise<StoredObject>;
  /** Deletes the object; an `ObjectNotFoundError` when there is none. */
  delete(key: string): Promise<void>;
  /** Whether an object exists under `key`. */
  exists(key: string): Promise<boolean>;
}

/** A local directory. */
export interface FsStorageOptions {
  readonly type: "FS";
  /** The directory objects are stored in (created when missing); default `defaultStorageDirectory()`. */
  readonly directory?: string;
  /** A prefix inside the directory for every key. */
  readonly prefix?: string;
}

/** An S3-compatible object store (AWS S3, MinIO, Cloudflare R2, Storj's S3 gateway, ...). */
export interface S3StorageOptions {
  readonly type: "S3";
  readonly bucket: string;
  /** A prefix inside the bucket for every key. */
  readonly prefix?: string;
  /** The service's URL, for example `https://gateway.storjshare.io`; AWS S3 when omitted. */
  readonly endpoint?: string;
  /** Default `"us-east-1"`. */
  readonly region?: string;
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  /** Address buckets as `endpoint/bucket` (default, as Super Protocol does) rather than `bucket.endpoint`. */
  readonly forcePathStyle?: boolean;
  /** Size of a multipart upload's parts in bytes (default 8 MiB, minimum 5 MiB). */
  readonly partSize?: number;
}

/** Files on the web, fetched over HTTPS (plain HTTP only from a loopback address). Read-only. */
export interface UrlStorageOptions {
  readonly type: "URL";
  /** Largest response accepted, in bytes (default 16 GiB). */
  readonly maxBytes?: number;
  /** Longest wait for the response to start and for each next chunk, in milliseconds (default 30 s). */
  readonly timeoutMs?: number;
}

/** Options of {@link createStorage}, by storage type. */
export type StorageOptions = FsStorageOptions | S3StorageOptions | UrlStorageOptions;

/**
 * Creates a storage backend. Nothing is contacted until the first operation.
 *
 * @param options The storage type and its settings.
 * @example
 * const local = createStorage({ type: "FS", directory: "./storage" });
 * const minio = createStorage({
 *   type: "S3",
 *   endpoint: "http://127.0.0.1:9000",
 *   bucket: "datasets",
 *   accessKeyId, // keys from your secret store, never from the repository
 *   secretAccessKey,
 * });
 * @throws {InputError} naming the field for an unknown storage type or a missing or malformed
 * setting (bucket, keys, endpoint, prefix).
 */
export function createStorage(options: StorageOptions): Storage {
  switch (options.type) {
    case "FS":
      return createFsStorage(options);
    case "S3":
      return createS3Storage(options);
    case "URL":
      return createUrlStorage(options);
    default:
      throw new InputError(
        "storage.type",
        `unknown storage type ${describe((options as { type?: unknown }).type)}; expected "FS", "S3" or "URL"`,
      );
  }
}

/**
 * The storage a `STORAGE_PROVIDER` resource points to, from its credentials with `overrides` laid
 * over them (for example write keys for a delete).
 *
 * @throws {InputError} naming `resource.storageType` for a type this SDK does not move (STORJ), or
 * `resource.credentials.<name>` for a missing or malformed credential.
 */
export function storageForResource(
  resource: StorageProviderResource,
  overrides: Readonly<Record<string, unknown>> = {},
): Storage {
  const credentials = { ...resource.credentials, ...overrides };
  const optional = (name: string): string | undefined => {
    const value = credentials[name];
    if (value === undefined || typeof value === "string") return value === "" ? undefined : value;
    throw new InputError(`resource.credentials.${name}`, `expected a string, got ${describe(value)}`);
  };
  const required = (name: string): string => {
    const value = optional(name);
    if (value === undefined) {
      throw new InputError(
        `resource.credentials.${name}`,
        `missing; add it to the resource file's credentials or pass it in the credentials option`,
      );
    }
    return value;
  };
  switch (resource.storageType) {
    case "FS":
      return createFsStorage({ type: "FS", directory: required("bucket"), prefix: optional("prefix") ?? "" });
    case "S3": {
      const endpoint = optional("endpoint");
      const region = optional("region");
      return createS3Storage({
        type: "S3",
        bucket: required("bucket"),
        prefix: optional("prefix") ?? "",
        accessKeyId: required("accessKeyId"),
        secretAccessKey: required("secretKey"),
        ...(endpoint === undefined ? {} : { endpoint }),
        ...(region === undefined ? {} : { region }),
      });
    }
    default:
      throw new InputError(
        "resource.storageType",
        `${JSON.stringify(resource.storageType)} is not supported by this SDK (FS and S3 are); ` +
          `download it with the tool that uploaded it`,
      );
  }
}
