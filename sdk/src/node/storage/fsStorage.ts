/// <reference types="node" />
/**
 * The FS storage: objects are files under a local directory (the resource's `bucket`), at
 * `<directory>/<prefix>/<key>`. A write goes to a temporary file beside its target and is renamed
 * into place when complete, so a failed or interrupted write leaves nothing under the key.
 */
import { randomBytes } from "node:crypto";
import { createReadStream, createWriteStream } from "node:fs";
import { mkdir, rename, rm, rmdir, stat, unlink } from "node:fs/promises";
import { homedir } from "node:os";
import { dirname, join, relative, resolve, sep } from "node:path";
import type { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";

import { ObjectNotFoundError, StorageError } from "../../errors.js";
import { errorText } from "../../internal/fields.js";
import { objectKey } from "./keys.js";
import type { FsStorageOptions, Storage, StoredObject } from "./storage.js";

const MISSING = new Set(["ENOENT", "ENOTDIR", "EISDIR"]);

/** Chunk size for streaming local files: large chunks keep the per-chunk work (hash, cipher, progress) small. */
export const FILE_CHUNK_BYTES = 262_144; // 256 KiB

/**
 * The directory the FS storage uses when none is given: `~/.local/share/tee-marketplace/storage`.
 *
 * @example
 * const storage = createStorage({ type: "FS", directory: defaultStorageDirectory() });
 * @throws nothing.
 */
export function defaultStorageDirectory(): string {
  return join(homedir(), ".local", "share", "tee-marketplace", "storage");
}

/** Creates the FS storage of {@link FsStorageOptions}; see `createStorage`. */
export function createFsStorage(options: FsStorageOptions): Storage {
  const directory = resolve(options.directory ?? defaultStorageDirectory());
  const prefix =
    options.prefix === undefined || options.prefix === "" ? "" : objectKey([options.prefix], "prefix");

  const pathOf = (key: string): string => {
    const path = join(directory, ...objectKey([prefix, key], "key").split("/"));
    const inside = relative(directory, path);
    if (inside === "" || inside.startsWith(`..${sep}`) || inside === "..") {
      throw new StorageError({
        storageType: "FS",
        key,
        message: `FS storage: key ${key} leaves ${directory}`,
      });
    }
    return path;
  };
  const refused = (key: string, error: unknown): StorageError =>
    new StorageError({
      storageType: "FS",
      key,
      message:
        `FS storage refused to write ${key} in ${directory} (${errorText(error)}). ` +
        `Check that the directory exists or can be created, is writable and has free space.`,
      cause: error,
    });
  const notFound = (key: string, cause?: unknown): ObjectNotFoundError =>
    new ObjectNotFoundError({
      storageType: "FS",
      key,
      message: `No object ${key} in the FS storage at ${directory}; check the resource's bucket, prefix and filepath.`,
      cause,
    });
  /** Removes the now-empty directories between `path` and the storage directory. */
  const pruneEmptyParents = async (path: string): Promise<void> => {
    for (let parent = dirname(path); parent.startsWith(directory + sep); parent = dirname(parent)) {
      try {
        await rmdir(parent);
      } catch {
        return;
      }
    }
  };

  return {
    storageType: "FS",
    credentials: { bucket: directory, prefix },

    async put(key: string, body: Readable, putOptions: { signal?: AbortSignal } = {}): Promise<void> {
      const target = pathOf(key);
      const temp = `${target}.${randomBytes(6).toString("hex")}.partial`;
      let writeError: unknown;
      try {
        await mkdir(dirname(target), { recursive: true }).catch((error: unknown) => {
          writeError = error;
          throw error;
        });
        const writer = createWriteStream(temp, { flags: "wx" });
        writer.once("error", (error) => (writeError = error));
        await pipeline(body, writer, putOptions.signal === undefined ? {} : { signal: putOptions.signal });
        await rename(temp, target).catch((error: unknown) => {
          writeError = error;
          throw error;
        });
      } catch (error) {
        body.destroy();
        await rm(temp, { force: true }).catch(ignore);
        await pruneEmptyParents(target);
        throw error === writeError ? refused(key, error) : error;
      }
    },

    async get(key: string): Promise<StoredObject> {
      const path = pathOf(key);
      let info;
      try {
        info = await stat(path);
      } catch (error) {
        if (MISSING.has((error as NodeJS.ErrnoException).code ?? "")) throw notFound(key, error);
        throw new StorageError({
          storageType: "FS",
          key,
          message: `FS storage cannot read ${key} in ${directory} (${errorText(error)}); check its permissions.`,
          cause: error,
        });
      }
      if (!info.isFile()) throw notFound(key);
      return { body: createReadStream(path, { highWaterMark: FILE_CHUNK_BYTES }), size: info.size };
    },

    async delete(key: string): Promise<void> {
      const path = pathOf(key);
      try {
        await unlink(path);
      } catch (error) {
        if (MISSING.has((error as NodeJS.ErrnoException).code ?? "")) throw notFound(key, error);
        throw refused(key, error);
      }
      await pruneEmptyParents(path);
    },

    async exists(key: string): Promise<boolean> {
      const path = pathOf(key);
      try {
        return (await stat(path)).isFile();
      } catch (error) {
        if (MISSING.has((error as NodeJS.ErrnoException).code ?? "")) return false;
        throw new StorageError({
          storageType: "FS",
          key,
          message: `FS storage cannot check ${key} in ${directory} (${errorText(error)}); check its permissions.`,
          cause: error,
        });
      }
    },
  };
}

/** For cleanup after a failure: a cleanup that fails too must not hide the failure. */
function ignore(): void {}
