/// <reference types="node" />
/**
 * Node-only file helpers: sha256 of files and directories, and readers for Super Protocol's JSON
 * files that hand the content to the SDK's pure parsers.
 */
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { readFile, readdir, stat } from "node:fs/promises";
import { basename, join, resolve } from "node:path";

import type { Hex } from "viem";

import { FileFormatError, InputError } from "../errors.js";
import { errorText } from "../internal/fields.js";
import { type OfferParams, parseOfferInfo } from "../offerInfo.js";
import { type ProviderParams, parseProviderInfo } from "../providerInfo.js";
import {
  type ContentHashInput,
  type ResourceFile,
  parseResourceFile,
  toContentHash,
} from "../resourceFile.js";
import { type SlotParams, parseSlotInfo } from "../slotInfo.js";

/**
 * sha256 of a file's content, read as a stream (large files are not loaded into memory). This is
 * the content hash of a solution image or dataset archive, as in its `*.resource.json`.
 *
 * @param path The file.
 * @returns The hash as lowercase `0x` hex.
 * @example
 * const solutionHash = await sha256File("./solution.tar.gz");
 * @throws {InputError} naming `path` when the file cannot be read (missing, a directory, no permission).
 */
export async function sha256File(path: string): Promise<Hex> {
  return `0x${await hashFile(path)}`;
}

/**
 * The hash of a directory that Super Protocol's `spctl files calculate-hash <dir>` prints (its
 * directory hash, version 1), so both tools give a dataset the same hash.
 *
 * Format:
 * 1. A regular file's hash is the sha256 of its content.
 * 2. A directory's hash covers its entries: every regular file and subdirectory (recursively, an
 *    empty one included, with the sha256 of nothing as its hash), by its name only (one path
 *    segment, UTF-8). Symbolic links are skipped, and so are entries named `.dirhash.json` or
 *    `.file_placeholder` (spctl's own bookkeeping files), as spctl does.
 * 3. The entries are sorted by the UTF-8 bytes of `"sha256:" + <hash in lowercase hex> + ":" + <name>`
 *    (so by hash first, then by name), and the directory's hash is the sha256 of, for each entry in
 *    that order, its name's UTF-8 bytes followed by its 32 raw hash bytes.
 * 4. The result is that step once more over a single entry: the directory's own name (the last
 *    segment of its absolute path) and its hash. So the hash depends on the directory's name, as
 *    spctl's does: `data/` and a copy named `data-v2/` hash differently.
 *
 * Sizes, modes, times and owners are not covered. A step-by-step computation in Python is in the
 * SDK's README.
 *
 * @param path The directory.
 * @returns The hash as lowercase `0x` hex (spctl prints the same digits after `sha256:`).
 * @example
 * const datasetHash = await sha256Directory("./dataset");
 * @throws {InputError} naming `path` when it is not a readable directory, is the file system root
 * (which has no name), or holds an entry that is neither a file, a directory nor a symbolic link.
 */
export async function sha256Directory(path: string): Promise<Hex> {
  const root = resolve(path);
  const name = basename(root);
  if (name === "") {
    throw new InputError("path", `${root} has no name to hash under; hash a directory inside it`);
  }
  const tree = await directoryTreeHash(root);
  return `0x${createHash("sha256").update(name, "utf8").update(tree).digest("hex")}`;
}

/**
 * sha256 of a file ({@link sha256File}) or of a directory tree ({@link sha256Directory}),
 * whichever `path` is.
 *
 * @param path The file or directory.
 * @example
 * const contentHash = await sha256Path(process.argv[2]);
 * @throws {InputError} naming `path` when it cannot be read or is neither a file nor a directory.
 */
export async function sha256Path(path: string): Promise<Hex> {
  const info = await statOf(path);
  if (info.isDirectory()) return sha256Directory(path);
  if (info.isFile()) return sha256File(path);
  throw new InputError("path", `${path} is neither a regular file nor a directory`);
}

/**
 * Reads and checks a `*.resource.json` ({@link parseResourceFile}).
 *
 * @param path The file.
 * @example
 * const { hash } = await readResourceFile("./solution.resource.json");
 * @throws {InputError} naming `path` when the file cannot be read.
 * @throws {FileFormatError} with the path and the field when it is not JSON or not a resource file.
 */
export async function readResourceFile(path: string): Promise<ResourceFile> {
  return parseFile(path, parseResourceFile);
}

/**
 * Reads Super Protocol's `offer-info.json` into the contract's `OfferParams` ({@link parseOfferInfo}).
 *
 * @param path The offer-info.json file.
 * @param options `contentHash`: sha256 of the offer's content, or its `*.resource.json` (parsed
 * with {@link readResourceFile} or given as an object); Solution and Data offers need one.
 * @example
 * const params = await readOfferInfoFile("./offer-info.json", {
 *   contentHash: await readResourceFile("./dataset.resource.json"),
 * });
 * @throws {InputError} naming `path` when the file cannot be read, or `contentHash` when it is
 * malformed or missing for a Solution or Data offer.
 * @throws {FileFormatError} with the path and the field when the file is not JSON or a field is bad.
 */
export async function readOfferInfoFile(
  path: string,
  options: { contentHash?: ContentHashInput } = {},
): Promise<OfferParams> {
  const parseOptions: { contentHash?: Hex } = {};
  if (options.contentHash !== undefined)
    parseOptions.contentHash = toContentHash(options.contentHash, "contentHash");
  const text = await readText(path);
  try {
    return parseFile(path, (json) => parseOfferInfo(json, parseOptions), text);
  } catch (error) {
    // A missing content hash is the caller's argument, not the file's.
    if (
      error instanceof FileFormatError &&
      error.field === "contentHash" &&
      error.cause instanceof InputError
    ) {
      throw error.cause;
    }
    throw error;
  }
}

/**
 * Reads Super Protocol's `slot-info.json` into the contract's slot structs ({@link parseSlotInfo}).
 *
 * @param path The slot-info.json file.
 * @example
 * const { info, usage, option } = await readSlotInfoFile("./slot-info.json");
 * @throws {InputError} naming `path` when the file cannot be read.
 * @throws {FileFormatError} with the path and the field when it is not JSON or a field is bad.
 */
export async function readSlotInfoFile(path: string): Promise<SlotParams> {
  return parseFile(path, parseSlotInfo);
}

/**
 * Reads a provider info file into what `registerProvider` takes ({@link parseProviderInfo}).
 *
 * @param path The provider info file.
 * @example
 * const { info, actionAccount, tokenReceiver } = await readProviderInfoFile("./provider-info.json");
 * @throws {InputError} naming `path` when the file cannot be read.
 * @throws {FileFormatError} with the path and the field when it is not JSON or an address is bad.
 */
export async function readProviderInfoFile(path: string): Promise<ProviderParams> {
  return parseFile(path, parseProviderInfo);
}

/* INTERNAL */

async function parseFile<T>(path: string, parse: (json: unknown) => T): Promise<T>;
function parseFile<T>(path: string, parse: (json: unknown) => T, text: string): T;
function parseFile<T>(path: string, parse: (json: unknown) => T, text?: string): T | Promise<T> {
  if (text === undefined) return readText(path).then((content) => parseFile(path, parse, content));
  let json: unknown;
  try {
    json = JSON.parse(text.replace(/^\uFEFF/, "")) as unknown;
  } catch (error) {
    throw new FileFormatError(path, "", `not valid JSON: ${errorText(error)}`, { cause: error });
  }
  try {
    return parse(json);
  } catch (error) {
    if (error instanceof InputError && !(error instanceof FileFormatError)) {
      throw new FileFormatError(path, error.field, error.detail, { cause: error });
    }
    throw error;
  }
}

async function readText(path: string): Promise<string> {
  try {
    return await readFile(path, "utf8");
  } catch (error) {
    throw cannotRead(path, error);
  }
}

async function statOf(path: string): Promise<Awaited<ReturnType<typeof stat>>> {
  try {
    return await stat(path);
  } catch (error) {
    throw cannotRead(path, error);
  }
}

function cannotRead(path: string, error: unknown): InputError {
  return new InputError("path", `cannot read ${path} (${errorText(error)}); check the path and permissions`, {
    cause: error,
  });
}

/** sha256 of a file's content, streamed, as lowercase hex. */
async function hashFile(path: string): Promise<string> {
  const hash = createHash("sha256");
  try {
    for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  } catch (error) {
    throw cannotRead(path, error);
  }
  return hash.digest("hex");
}

/** Names spctl keeps its own bookkeeping in, left out of directory hashes. */
const DIRHASH_SKIPPED_NAMES = new Set([".dirhash.json", ".file_placeholder"]);

/** The directory hash of `directory`'s entries (step 2 and 3 of {@link sha256Directory}), as raw bytes. */
async function directoryTreeHash(directory: string): Promise<Buffer> {
  let entries;
  try {
    entries = await readdir(directory, { withFileTypes: true });
  } catch (error) {
    throw new InputError(
      "path",
      `cannot list ${directory} as a directory (${errorText(error)}); use sha256File for a single file`,
      { cause: error },
    );
  }
  const hashed: { order: Buffer; name: string; hash: Buffer }[] = [];
  for (const entry of entries) {
    if (entry.isSymbolicLink() || DIRHASH_SKIPPED_NAMES.has(entry.name)) continue;
    const entryPath = join(directory, entry.name);
    let hash: Buffer;
    if (entry.isDirectory()) hash = await directoryTreeHash(entryPath);
    else if (entry.isFile()) hash = Buffer.from(await hashFile(entryPath), "hex");
    else {
      throw new InputError(
        "path",
        `${entryPath} is neither a regular file, a directory nor a symbolic link; the directory hash cannot read it, so remove it`,
      );
    }
    hashed.push({
      order: Buffer.from(`sha256:${hash.toString("hex")}:${entry.name}`, "utf8"),
      name: entry.name,
      hash,
    });
  }
  hashed.sort((a, b) => Buffer.compare(a.order, b.order));
  const digest = createHash("sha256");
  for (const { name, hash } of hashed) digest.update(name, "utf8").update(hash);
  return digest.digest();
}
