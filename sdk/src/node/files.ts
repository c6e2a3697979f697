/// <reference types="node" />
/**
 * Node-only file helpers: sha256 of files and directories, and readers for Super Protocol's JSON
 * files that hand the content to the SDK's pure parsers.
 */
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { readFile, readdir, stat } from "node:fs/promises";
import { join } from "node:path";

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
  return `0x${(await hashFile(path)).hex}`;
}

/**
 * sha256 of a directory tree, stable across machines and file systems.
 *
 * Format (version 1):
 * 1. Walk the directory recursively and list every regular file by its path relative to the
 *    directory, with `/` separators and no leading `./` (for example `data/part-1.csv`).
 *    Directories contribute only through their files (an empty directory changes nothing).
 *    A symbolic link or any other non-regular entry is an error, so the hash never depends on
 *    what a link points to.
 * 2. Sort the paths by their UTF-8 bytes (`LC_ALL=C sort` order).
 * 3. For each file write the record `<path> NUL <size in bytes, decimal> NUL <sha256 of the
 *    content, 64 lowercase hex digits> LF`.
 * 4. The directory hash is the sha256 of the concatenated records (sha256 of nothing for an empty
 *    tree).
 *
 * Names are taken as the UTF-8 text Node reads; file modes, times and owners are not covered.
 * The shell equivalent (GNU coreutils) is in the SDK's README.
 *
 * @param path The directory.
 * @returns The hash as lowercase `0x` hex.
 * @example
 * const datasetHash = await sha256Directory("./dataset");
 * @throws {InputError} naming `path` when it is not a readable directory or holds a symbolic
 * link or another non-regular file.
 */
export async function sha256Directory(path: string): Promise<Hex> {
  const files = await listFiles(path, "");
  files.sort((a, b) => Buffer.compare(Buffer.from(a, "utf8"), Buffer.from(b, "utf8")));
  const digest = createHash("sha256");
  for (const relative of files) {
    const { hex, size } = await hashFile(join(path, ...relative.split("/")));
    digest.update(`${relative}\0${size}\0${hex}\n`, "utf8");
  }
  return `0x${digest.digest("hex")}`;
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

async function hashFile(path: string): Promise<{ hex: string; size: number }> {
  const hash = createHash("sha256");
  let size = 0;
  try {
    for await (const chunk of createReadStream(path)) {
      const bytes = chunk as Buffer;
      size += bytes.length;
      hash.update(bytes);
    }
  } catch (error) {
    throw cannotRead(path, error);
  }
  return { hex: hash.digest("hex"), size };
}

/** Relative paths (with `/`) of the regular files under `root/relative`. */
async function listFiles(root: string, relative: string): Promise<string[]> {
  const directory = relative === "" ? root : join(root, ...relative.split("/"));
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
  const files: string[] = [];
  for (const entry of entries) {
    const entryPath = relative === "" ? entry.name : `${relative}/${entry.name}`;
    if (entry.isDirectory()) files.push(...(await listFiles(root, entryPath)));
    else if (entry.isFile()) files.push(entryPath);
    else {
      const kind = entry.isSymbolicLink() ? "a symbolic link" : "not a regular file";
      throw new InputError(
        "path",
        `${join(directory, entry.name)} is ${kind}; the directory hash covers regular files only, ` +
          `so replace it with a copy of its target or remove it`,
      );
    }
  }
  return files;
}
