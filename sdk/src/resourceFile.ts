/**
 * Super Protocol's `*.resource.json` files, as `spctl files upload` writes them: where an
 * encrypted file is stored (`resource`), how it is encrypted (`encryption`) and the sha256 of its
 * content (`hash`).
 */
import type { Hex } from "viem";

import { InputError } from "./errors.js";
import { describe, rootObject, stringAt } from "./internal/fields.js";
import { toBytes32 } from "./validate.js";

/** A parsed `*.resource.json`. */
export interface ResourceFile {
  /** sha256 of the content, from `hash.hash`, as lowercase `0x` hex. */
  readonly hash: Hex;
  /** Where the content is stored (the `resource` section), as in the file. */
  readonly resource: unknown;
  /** How the content is encrypted (the `encryption` section), when the file has one. */
  readonly encryption?: unknown;
  /** The whole file, as parsed. */
  readonly raw: Readonly<Record<string, unknown>>;
}

/**
 * Reads a `*.resource.json` (parsed, or as JSON text) and checks its hash section:
 * `hash.algo` must be `"sha256"`, `hash.encoding` `"hex"` and `hash.hash` 64 hex digits.
 * The `resource` section is required and kept as is; `encryption` is optional.
 *
 * @param json The file's content: a parsed object or its JSON text.
 * @returns The content hash as `0x` hex, the `resource` and `encryption` sections, and the whole file.
 * @example
 * const solution = parseResourceFile(await readFile("solution.resource.json", "utf8"));
 * solution.hash; // "0xb9de3d23..."
 * @throws {InputError} naming the field (`"hash.algo"`, `"hash.hash"`, `"resource"`, ...) when the
 * file does not have this shape, or with field `""` when it is not a JSON object.
 */
export function parseResourceFile(json: unknown): ResourceFile {
  const raw = rootObject(json, "a *.resource.json object");
  const hashSection = raw["hash"];
  if (typeof hashSection !== "object" || hashSection === null || Array.isArray(hashSection)) {
    throw new InputError(
      "hash",
      `expected { algo: "sha256", encoding: "hex", hash: <64 hex digits> }, got ${describe(hashSection)}`,
    );
  }
  const section = hashSection as Readonly<Record<string, unknown>>;
  const algo = stringAt(section, "hash", "algo");
  if (algo !== "sha256") {
    throw new InputError(
      "hash.algo",
      `expected "sha256", got ${describe(algo)}; only sha256 hashes are supported`,
    );
  }
  const encoding = section["encoding"];
  if (encoding !== "hex") {
    throw new InputError("hash.encoding", `expected "hex", got ${describe(encoding)}`);
  }
  const hash = toBytes32(section["hash"], "hash.hash");
  if (raw["resource"] === undefined || raw["resource"] === null) {
    throw new InputError(
      "resource",
      `expected the storage section of the resource file, got ${describe(raw["resource"])}`,
    );
  }
  const result: { -readonly [K in keyof ResourceFile]: ResourceFile[K] } = {
    hash,
    resource: raw["resource"],
    raw,
  };
  if (raw["encryption"] !== undefined) result.encryption = raw["encryption"];
  return result;
}

/**
 * A content hash given in any of the forms the SDK accepts: 64 hex digits (with or without `0x`),
 * 32 bytes, a parsed {@link ResourceFile}, or the object of a `*.resource.json` (whose `hash`
 * section is then checked as by {@link parseResourceFile}).
 */
export type ContentHashInput = string | Uint8Array | ResourceFile | Readonly<Record<string, unknown>>;

/**
 * A content hash (a solution or dataset sha256) from a hash or from the resource file that
 * describes the content.
 *
 * @param value The hash, a parsed {@link ResourceFile}, or a `*.resource.json` object.
 * @param field Name of the field, for the error message.
 * @example
 * toContentHash(parseResourceFile(solutionJson), "solutionHash"); // "0xb9de3d23..."
 * toContentHash("b9de3d23d309364f3b8bbe7a76fcd9037fb12d6c984e5bd33e26fa3a66e21895", "solutionHash");
 * @throws {InputError} naming `field` (and the path inside a resource file) when no valid sha256
 * hash can be read from the value.
 */
export function toContentHash(value: ContentHashInput, field: string): Hex {
  if (typeof value === "string" || value instanceof Uint8Array) return toBytes32(value, field);
  if (typeof value !== "object" || value === null) {
    throw new InputError(field, `expected a sha256 hash or a resource file, got ${describe(value)}`);
  }
  if (typeof value["hash"] === "string" && "raw" in value) return toBytes32(value["hash"], `${field}.hash`);
  try {
    return parseResourceFile(value).hash;
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    throw new InputError(error.field === "" ? field : `${field}.${error.field}`, error.detail, {
      cause: error,
    });
  }
}
