/// <reference types="node" />
/**
 * The one small interface of storage backends: objects are streamed in and out by key, deleted and
 * checked for. A backend is a bucket and a prefix (keys are relative to the prefix); `credentials`
 * is what a resource file records to reach it again. The backends and their options: `FS` (a local
 * directory, the default), `S3` (any S3-compatible store), `URL` (HTTPS, read-only); `openStorage.ts`
 * picks one.
 */
import type { Readable } from "node:stream";

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

/** Options of `createStorage` (openStorage.ts), by storage type. */
export type StorageOptions = FsStorageOptions | S3StorageOptions | UrlStorageOptions;
