/// <reference types="node" />
/**
 * Moving files through storage. `uploadFile` encrypts a file, or a directory packed as a tar.gz
 * archive, with a fresh AES-256-GCM key and streams it to a storage backend; it returns the resource
 * file in Super Protocol's shape. `downloadResource` fetches a resource, decrypts it, checks the GCM
 * tag and the content's sha256, and only then moves the result into place. `deleteResource`
 * removes the object. Memory stays flat: everything is streamed.
 *
 * What `hash` covers, as spctl's `files upload` writes it: the sha256 of the bytes that were
 * encrypted and stored, that is the file's content, or for a directory the tar.gz archive's bytes.
 */
import { createHash, randomBytes } from "node:crypto";
import { createReadStream, createWriteStream } from "node:fs";
import { lstat, mkdir, rename, rm, rmdir, stat, writeFile } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import { PassThrough, Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import { createGunzip, createGzip } from "node:zlib";

import type { Hex } from "viem";

import {
  ContentHashMismatchError,
  DecryptionError,
  FileFormatError,
  InputError,
  MarketplaceError,
  StorageError,
} from "../../errors.js";
import { errorText, isObject } from "../../internal/fields.js";
import {
  type ResourceEncryption,
  type ResourceFile,
  type ResourceFileJson,
  type ResourceLocation,
  buildResourceFile,
  parseResourceEncryption,
  parseResourceFile,
  parseResourceLocation,
  parseResourceMetadata,
} from "../../resourceFile.js";
import { extractInto, listDirectory, packDirectory } from "./archive.js";
import { createContentDecryption, createContentEncryption } from "./cipher.js";
import { FILE_CHUNK_BYTES } from "./fsStorage.js";
import { checkLocalName, localName, objectKey } from "./keys.js";
import { type ProgressListener, progressTap } from "./progress.js";
import { type Storage, type StorageOptions, createStorage, storageForResource } from "./storage.js";
import { createUrlStorage } from "./urlStorage.js";

/** Largest object, and largest unpacked archive, a download accepts unless told otherwise. */
const DEFAULT_MAX_DOWNLOAD_BYTES = 68_719_476_736; // 64 GiB

/** A resource file: parsed by `readResourceFile`/`parseResourceFile`, as an object, or as JSON text. */
export type ResourceInput = ResourceFile | ResourceFileJson | Readonly<Record<string, unknown>> | string;

/** Options of {@link uploadFile}. */
export interface UploadOptions {
  /** Where to store it (a storage, or options for `createStorage`); default the FS storage in `defaultStorageDirectory()`. */
  readonly storage?: Storage | StorageOptions;
  /**
   * The object's name in the storage (spctl's `--filename`); `.encrypted` is appended when encrypting.
   * Default `<16 random hex digits>/<file name>` (with `.tar.gz` for a directory).
   */
  readonly filename?: string;
  /** Encrypt before storing (default true); false stores the content in the clear (spctl's `--skip-encryption`). */
  readonly encrypt?: boolean;
  /**
   * Extra top-level fields for the resource file (spctl's `--metadata`: `hardwareContext`,
   * `signatureKeyHash`, ...). A `hash` in it must equal the content's sha256.
   */
  readonly metadata?: Readonly<Record<string, unknown>>;
  /**
   * Credentials written into the resource file, laid over the storage's own: for example read-only
   * S3 keys (`{ accessKeyId, secretKey }`), so the file can be shared without write access.
   */
  readonly resourceCredentials?: Readonly<Record<string, unknown>>;
  /** Called as bytes are read (see `progressReporter`). */
  readonly onProgress?: ProgressListener;
  /** Aborts the upload; nothing is left in the storage. */
  readonly signal?: AbortSignal;
}

/** Options of {@link downloadResource}. */
export interface DownloadOptions {
  /** Read from this storage instead of the one the resource names (its own prefix applies). */
  readonly storage?: Storage | StorageOptions;
  /** Credentials laid over the resource file's (for example keys kept out of the file). */
  readonly credentials?: Readonly<Record<string, unknown>>;
  /** Name of the file (or directory) created in the destination; default the object's name without `.encrypted`. */
  readonly filename?: string;
  /** Unpack the tar.gz archive into a directory (default false: the object is saved as it was uploaded). */
  readonly unpack?: boolean;
  /** Largest object, and largest unpacked content, accepted in bytes (default 64 GiB). */
  readonly maxBytes?: number;
  /** Called as bytes arrive (see `progressReporter`). */
  readonly onProgress?: ProgressListener;
  /** Aborts the download; nothing is left at the destination. */
  readonly signal?: AbortSignal;
}

/** What {@link downloadResource} wrote. */
export interface DownloadResult {
  /** The file, or the directory when unpacked. */
  readonly path: string;
  /** sha256 of the decrypted content (equal to the resource file's hash). */
  readonly hash: Hex;
  /** Size of the decrypted content in bytes (the archive's, for a directory). */
  readonly bytes: number;
}

/**
 * Uploads a file, or a directory packed as a tar.gz archive, to a storage backend: the content is
 * streamed through sha256 and AES-256-GCM (a fresh random key and IV) into the storage, which makes
 * the object appear only once complete. Returns the resource file to save (with
 * {@link writeResourceFile}) and to share; it holds the key.
 *
 * @param path The file or directory.
 * @param options See {@link UploadOptions}.
 * @returns The resource file: `hash` (sha256 of the file, or of the archive), `encryption`
 * (`aes-256-gcm`, key, IV and tag in base64) and `resource` (`STORAGE_PROVIDER`, storage type,
 * filepath, credentials).
 * @example
 * const resource = await uploadFile("./dataset", {
 *   storage: { type: "FS", directory: "/srv/storage" },
 *   onProgress: progressReporter({ label: "dataset" }),
 * });
 * await writeResourceFile("dataset.resource.json", resource);
 * @throws {InputError} naming the option or `path` for bad input (found before anything is stored):
 * an unreadable path, a directory holding a symbolic link, a bad filename, metadata that would
 * replace a section, a read-only storage.
 * @throws {StorageError} when the storage refuses the write or already has an object under the name.
 * @throws {ContentHashMismatchError} when `metadata.hash` is not the content's sha256 (the object is
 * deleted again).
 */
export async function uploadFile(path: string, options: UploadOptions = {}): Promise<ResourceFileJson> {
  const metadataHash = options.metadata === undefined ? undefined : parseResourceMetadata(options.metadata);
  if (options.filename !== undefined) objectKey([options.filename], "filename");
  const storage = toStorage(options.storage ?? { type: "FS" });
  if (storage.storageType === "URL" || storage.credentials === undefined) {
    throw new InputError("storage", "the URL storage is read-only; upload to an FS or S3 storage");
  }
  const info = await stat(path).catch((error: unknown) => {
    throw new InputError("path", `cannot read ${path} (${errorText(error)}); check the path`, {
      cause: error,
    });
  });
  if (!info.isFile() && !info.isDirectory()) {
    throw new InputError("path", `${path} is neither a regular file nor a directory`);
  }
  const listing = info.isDirectory() ? await listDirectory(path) : undefined;
  const encrypt = options.encrypt ?? true;
  const name =
    options.filename ??
    `${randomBytes(8).toString("hex")}/${basename(resolve(path))}${listing ? ".tar.gz" : ""}`;
  const filepath = `${objectKey([name], "filename")}${encrypt ? ".encrypted" : ""}`;
  if (await storage.exists(filepath)) {
    throw new StorageError({
      storageType: storage.storageType,
      key: filepath,
      message: `The ${storage.storageType} storage already has an object ${filepath}; choose another filename or delete it first.`,
    });
  }

  const source =
    listing === undefined
      ? [
          createReadStream(path, { highWaterMark: FILE_CHUNK_BYTES }),
          progressTap("upload", info.size, options.onProgress),
        ]
      : [
          packDirectory(path, listing),
          progressTap("upload", listing.tarBytes, options.onProgress),
          createGzip(),
        ];
  const hasher = hashTap();
  const encryption = encrypt ? createContentEncryption() : undefined;
  const body = new PassThrough();
  const signal = options.signal === undefined ? {} : { signal: options.signal };
  const [piped, put] = await Promise.allSettled([
    pipeline([...source, hasher.stream, ...(encryption ? [encryption.stream] : []), body], signal),
    storage.put(filepath, body, signal),
  ]);
  // An abort is the caller's, whatever the storage made of it. A refused write fails both sides with
  // the storage's error: the storage explains it (a full disk is not the source's fault); any other
  // failure of the source pipeline is the source's.
  if (options.signal?.aborted === true && piped.status === "rejected") throw piped.reason;
  if (put.status === "rejected" && put.reason instanceof MarketplaceError) throw put.reason;
  if (piped.status === "rejected" && !isPrematureClose(piped.reason)) throw readFailure(path, piped.reason);
  if (put.status === "rejected") throw put.reason;
  if (piped.status === "rejected") throw piped.reason;

  const hash = hasher.digest();
  if (metadataHash !== undefined && metadataHash !== hash) {
    await storage.delete(filepath);
    throw new ContentHashMismatchError({
      expected: metadataHash,
      actual: hash,
      what: `${path} (uploaded, then deleted again)`,
      hint: "The metadata's hash is not this content's; fix or remove metadata.hash.",
    });
  }
  return buildResourceFile({
    hash,
    ...metadataOf(options),
    ...(encryption ? { encryption: encryption.section() } : {}),
    resource: {
      type: "STORAGE_PROVIDER",
      storageType: storage.storageType,
      filepath,
      credentials: { ...storage.credentials, ...options.resourceCredentials },
    },
  });
}

/**
 * Downloads a resource into a directory: fetches the object, decrypts it (AES-256-GCM, or spctl's
 * AES-256-CTR), checks the GCM tag and that the content's sha256 is the resource file's `hash`, and
 * only then renames the result into place (a temporary `.<name>.<random>.partial` in the destination
 * until then). With `unpack`, the checked archive is then extracted into a temporary directory that is
 * renamed into place. On any failure nothing is left at the destination.
 *
 * @param resource The resource file (from `readResourceFile`, `uploadFile`, or its JSON).
 * @param destination The directory to write into (created when missing).
 * @param options See {@link DownloadOptions}.
 * @returns The path written, the content's sha256 and its size.
 * @example
 * const { path } = await downloadResource(await readResourceFile("dataset.resource.json"), "./review", {
 *   unpack: true,
 *   onProgress: progressReporter(),
 * });
 * @throws {InputError} naming the field for a malformed resource file, an unsupported storage type
 * (`resource.storageType`), missing credentials (`resource.credentials.<name>`), a bad filename, or
 * a destination entry that already exists (`destination`).
 * @throws {ObjectNotFoundError} when the object is not in the storage.
 * @throws {StorageError} when the storage fails, the object is over `maxBytes`, or the destination
 * refuses the write (read-only, not a directory, disk full).
 * @throws {DecryptionError} when the GCM tag does not match: a wrong key, or an altered or truncated object.
 * @throws {ContentHashMismatchError} when the decrypted content's sha256 is not the resource file's hash.
 * @throws {FileFormatError} with `unpack`, when the content is not a tar.gz archive of regular files
 * and directories.
 */
export async function downloadResource(
  resource: ResourceInput,
  destination: string,
  options: DownloadOptions = {},
): Promise<DownloadResult> {
  const { file, location, encryption } = readResource(resource);
  const { storage, key } = locate(location, options);
  const unpack = options.unpack ?? false;
  if (options.filename !== undefined) checkLocalName(options.filename, "filename");
  const name =
    options.filename ??
    localName(location.type === "URL" ? new URL(location.url).pathname : location.filepath, unpack);
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_DOWNLOAD_BYTES;
  if (!(maxBytes > 0)) throw new InputError("maxBytes", `expected a positive number, got ${maxBytes}`);
  const directory = resolve(destination);
  const target = join(directory, name);
  if (await pathExists(target)) {
    throw new InputError(
      "destination",
      `${target} already exists; remove it, or choose another destination or filename`,
    );
  }
  const localFailure = (error: unknown): StorageError =>
    new StorageError({
      storageType: "FS",
      key: target,
      message: `Cannot write the download to ${directory} (${errorText(error)}); check that it is writable and has free space.`,
      cause: error,
    });
  const created = await mkdir(directory, { recursive: true }).catch((error: unknown) => {
    throw localFailure(error);
  });
  const partial = join(directory, `.${name}.${randomBytes(6).toString("hex")}.partial`);
  const signal = options.signal === undefined ? {} : { signal: options.signal };
  try {
    const object = await storage.get(key, signal);
    if (object.size !== undefined && object.size > maxBytes) {
      object.body.destroy();
      throw new StorageError({
        storageType: storage.storageType,
        key,
        message: `${key} is ${object.size} bytes, over the ${maxBytes}-byte cap; raise maxBytes to accept it.`,
      });
    }
    const decipher = encryption === undefined ? undefined : createContentDecryption(encryption);
    const writer = createWriteStream(partial, { flags: "wx", mode: 0o600 });
    const failures = stageFailures();
    failures.watch(object.body, (error) => {
      const message = `Reading ${key} from the ${storage.storageType} storage failed (${errorText(error)}); try again.`;
      return new StorageError({ storageType: storage.storageType, key, message, cause: error });
    });
    if (decipher) failures.watch(decipher, (error) => undecryptable(key, error));
    failures.watch(writer, localFailure);
    const hasher = hashTap();
    try {
      await pipeline(
        [
          object.body,
          progressTap("download", object.size, options.onProgress),
          byteCap(maxBytes, storage.storageType, key),
          ...(decipher ? [decipher] : []),
          hasher.stream,
          writer,
        ],
        signal,
      );
    } catch (error) {
      throw failures.explain(error);
    }
    const hash = hasher.digest();
    if (hash !== file.hash) {
      throw new ContentHashMismatchError({
        expected: file.hash,
        actual: hash,
        what: `The content of ${key}`,
        hint: "It is not the content the resource file describes: the object was replaced or altered, or the file's hash is wrong.",
      });
    }
    if (unpack) await unpackInto(partial, target, name, maxBytes, localFailure, signal);
    else
      await rename(partial, target).catch((error: unknown) => {
        throw localFailure(error);
      });
    return { path: target, hash, bytes: hasher.bytes() };
  } catch (error) {
    await rm(partial, { recursive: true, force: true }).catch(ignore);
    if (created !== undefined) await removeEmptyDirectories(directory, created);
    throw error;
  }
}

/**
 * Deletes the object a resource points to.
 *
 * @param resource The resource file.
 * @param options `credentials`: laid over the resource file's (resource files usually carry read
 * access only; pass write keys here); `storage`: delete from this storage instead.
 * @example
 * await deleteResource(await readResourceFile("dataset.resource.json"), {
 *   credentials: { accessKeyId: writeKeyId, secretKey: writeSecret }, // keys with write access
 * });
 * @throws {InputError} naming the field for a malformed resource file, an unsupported storage type
 * or missing credentials.
 * @throws {ObjectNotFoundError} when there is no such object.
 * @throws {StorageError} when the storage refuses the delete, or the resource is a URL (read-only).
 */
export async function deleteResource(
  resource: ResourceInput,
  options: { storage?: Storage | StorageOptions; credentials?: Readonly<Record<string, unknown>> } = {},
): Promise<void> {
  const { storage, key } = locate(readResource(resource).location, options);
  await storage.delete(key);
}

/**
 * Writes a resource file as JSON (two-space indent), readable by its owner only (mode 0600: it holds
 * the decryption key), through a temporary file renamed into place.
 *
 * @param path Where to write it.
 * @param resource The resource file, for example what {@link uploadFile} returned.
 * @param options `overwrite`: replace an existing file (default false).
 * @example
 * await writeResourceFile("solution.resource.json", await uploadFile("./solution.tar.gz"));
 * @throws {InputError} naming `path` when the file exists and `overwrite` is not set.
 * @throws {StorageError} when the file cannot be written.
 */
export async function writeResourceFile(
  path: string,
  resource: ResourceFileJson,
  options: { overwrite?: boolean } = {},
): Promise<void> {
  if (options.overwrite !== true && (await pathExists(path))) {
    throw new InputError("path", `${path} already exists; choose another path or pass overwrite: true`);
  }
  const temp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString("hex")}.partial`);
  try {
    await writeFile(temp, `${JSON.stringify(resource, null, 2)}\n`, { flag: "wx", mode: 0o600 });
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true }).catch(ignore);
    throw new StorageError({
      storageType: "FS",
      key: path,
      message: `Cannot write the resource file ${path} (${errorText(error)}); check the directory.`,
      cause: error,
    });
  }
}

/* INTERNAL */

function toStorage(storage: Storage | StorageOptions): Storage {
  return "put" in storage ? storage : createStorage(storage);
}

function metadataOf(options: UploadOptions): { metadata?: Readonly<Record<string, unknown>> } {
  return options.metadata === undefined ? {} : { metadata: options.metadata };
}

function readResource(resource: ResourceInput): {
  file: ResourceFile;
  location: ResourceLocation;
  encryption: ResourceEncryption | undefined;
} {
  const file =
    typeof resource === "object" && "raw" in resource && isObject(resource["raw"])
      ? parseResourceFile(resource["raw"])
      : parseResourceFile(resource);
  return {
    file,
    location: parseResourceLocation(file.resource),
    encryption: file.encryption === undefined ? undefined : parseResourceEncryption(file.encryption),
  };
}

/** The storage and key of a resource's object. */
function locate(
  location: ResourceLocation,
  options: { storage?: Storage | StorageOptions; credentials?: Readonly<Record<string, unknown>> },
): { storage: Storage; key: string } {
  if (location.type === "URL") {
    return { storage: options.storage ? toStorage(options.storage) : createUrlStorage(), key: location.url };
  }
  if (location.filepath === "") {
    throw new InputError(
      "resource.filepath",
      "is empty: the resource names a whole prefix of objects (spctl's addon upload of a folder), which " +
        "this SDK does not download; upload the folder as one tar.gz archive instead",
    );
  }
  return {
    storage: options.storage ? toStorage(options.storage) : storageForResource(location, options.credentials),
    key: objectKey([location.filepath], "resource.filepath"),
  };
}

/** Extracts the checked archive `archive` into a temporary directory, then renames it to `target`. */
async function unpackInto(
  archive: string,
  target: string,
  name: string,
  maxBytes: number,
  localFailure: (error: unknown) => StorageError,
  signal: { signal?: AbortSignal },
): Promise<void> {
  const staging = `${archive}.d`;
  try {
    await mkdir(staging).catch((error: unknown) => {
      throw localFailure(error);
    });
    const gunzip = createGunzip();
    const extract = extractInto(staging, name);
    const failures = stageFailures();
    failures.watch(gunzip, (error) => {
      const detail = `not a gzip-compressed tar archive (${errorText(error)}); download it without unpack`;
      return new FileFormatError(name, "", detail, { cause: error });
    });
    failures.watch(extract, (error) => (error instanceof MarketplaceError ? error : localFailure(error)));
    try {
      await pipeline(
        [
          createReadStream(archive, { highWaterMark: FILE_CHUNK_BYTES }),
          gunzip,
          byteCap(maxBytes, "FS", `${name} (unpacked)`),
          extract,
        ],
        signal,
      );
    } catch (error) {
      throw failures.explain(error);
    }
    await rename(staging, target).catch((error: unknown) => {
      throw localFailure(error);
    });
    await rm(archive, { force: true }).catch(ignore);
  } catch (error) {
    await rm(staging, { recursive: true, force: true }).catch(ignore);
    throw error;
  }
}

/**
 * Tells which stage of a pipeline an error started in, to explain it. A pipeline destroys every
 * stage with the first error, so the first watched stage to emit an error is the one that failed.
 * The SDK's own errors and aborts are already explained and pass through unchanged.
 */
function stageFailures(): {
  watch(stage: NodeJS.EventEmitter, explain: (error: unknown) => unknown): void;
  explain(error: unknown): unknown;
} {
  const explanations = new Map<unknown, (error: unknown) => unknown>();
  return {
    watch: (stage, explain) =>
      void stage.once("error", (error: unknown) => {
        if (!explanations.has(error)) explanations.set(error, explain);
      }),
    explain: (error) =>
      error instanceof MarketplaceError || (error as { name?: string }).name === "AbortError"
        ? error
        : (explanations.get(error)?.(error) ?? error),
  };
}

function undecryptable(key: string, error: unknown): DecryptionError {
  return new DecryptionError(
    `${key} does not decrypt with the resource file's key (${errorText(error)}): the key is wrong, or the ` +
      `object was altered or truncated. Check that the resource file belongs to this object.`,
    { cause: error },
  );
}

function readFailure(path: string, error: unknown): unknown {
  if (error instanceof MarketplaceError || (error as { name?: string }).name === "AbortError") return error;
  return new InputError("path", `cannot read ${path} while uploading it (${errorText(error)})`, {
    cause: error,
  });
}

function isPrematureClose(error: unknown): boolean {
  return (error as { code?: string }).code === "ERR_STREAM_PREMATURE_CLOSE";
}

/** A stream stage that hashes what passes through it with sha256 and counts it. */
function hashTap(): { stream: Transform; digest(): Hex; bytes(): number } {
  const hash = createHash("sha256");
  let bytes = 0;
  const stream = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      hash.update(chunk);
      bytes += chunk.length;
      callback(null, chunk);
    },
  });
  return { stream, digest: () => `0x${hash.digest("hex")}`, bytes: () => bytes };
}

/** A stream stage that fails once more than `maxBytes` have passed. */
function byteCap(maxBytes: number, storageType: string, key: string): Transform {
  let bytes = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      bytes += chunk.length;
      if (bytes <= maxBytes) callback(null, chunk);
      else {
        callback(
          new StorageError({
            storageType,
            key,
            message: `${key} is over the ${maxBytes}-byte cap; raise maxBytes to accept it.`,
          }),
        );
      }
    },
  });
}

/** Whether anything (a file, a directory, a dangling link) is at `path`. */
async function pathExists(path: string): Promise<boolean> {
  return lstat(path).then(
    () => true,
    () => false,
  );
}

/** Removes `directory` and its parents up to `created` (the first directory mkdir made), while empty. */
async function removeEmptyDirectories(directory: string, created: string): Promise<void> {
  for (let current = directory; current.length >= created.length; current = dirname(current)) {
    try {
      await rmdir(current);
    } catch {
      return;
    }
    if (current === created) return;
  }
}

/** For cleanup after a failure: a cleanup that fails too must not hide the failure. */
function ignore(): void {}
