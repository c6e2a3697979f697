/**
 * Super Protocol's `*.resource.json` files, as `spctl files upload` writes them: where an
 * encrypted file is stored (`resource`), how it is encrypted (`encryption`) and the sha256 of its
 * content (`hash`). Pure: reading and building the JSON; moving the bytes is in the Node entry.
 */
import type { Hex } from "viem";

import { InputError } from "./errors.js";
import { type JsonObject, describe, fieldPath, isObject, rootObject, stringAt } from "./internal/fields.js";
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
 * A resource file given as a parsed {@link ResourceFile} or as the object of a `*.resource.json`,
 * checked by {@link parseResourceFile}; errors name `field` and the path inside the file.
 *
 * @param value The resource file.
 * @param field Name of the parameter, for the error message.
 * @example
 * const solution = toResourceFile(params.solution, "solution");
 * @throws {InputError} naming `field` (and the path inside the file) when it is not a resource file.
 */
export function toResourceFile(value: unknown, field: string): ResourceFile {
  if (!isObject(value)) {
    throw new InputError(field, `expected a *.resource.json object, got ${describe(value)}`);
  }
  const raw = "raw" in value && isObject(value["raw"]) ? value["raw"] : value;
  try {
    return parseResourceFile(raw);
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    throw new InputError(error.field === "" ? field : `${field}.${error.field}`, error.detail, {
      cause: error,
    });
  }
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

/* TYPED SECTIONS */

/** Super Protocol's storage types (its DTOs' `StorageType`). */
export const STORAGE_TYPES = ["FS", "S3", "STORJ"] as const;

/** A storage type a `STORAGE_PROVIDER` resource may name. */
export type StorageType = (typeof STORAGE_TYPES)[number];

/**
 * An object in a storage backend (`resource.type` `"STORAGE_PROVIDER"`). The object's key is
 * `credentials.prefix` joined with `filepath`.
 */
export interface StorageProviderResource {
  readonly type: "STORAGE_PROVIDER";
  readonly storageType: StorageType;
  /** The object's name under the prefix. */
  readonly filepath: string;
  /**
   * Where and how to reach it: FS `{ bucket: <directory>, prefix }`; S3 `{ bucket, prefix, endpoint,
   * accessKeyId, secretKey, region? }`; STORJ `{ bucket, prefix, token }`.
   */
  readonly credentials: Readonly<Record<string, unknown>>;
}

/** A file anyone can fetch over HTTPS (`resource.type` `"URL"`). */
export interface UrlResource {
  readonly type: "URL";
  readonly url: string;
}

/** The `resource` section of a resource file. */
export type ResourceLocation = StorageProviderResource | UrlResource;

/** The ciphers the SDK reads: AES-256-GCM (what it writes) and AES-256-CTR (spctl's default). */
export type ResourceCipher = "aes-256-gcm" | "aes-256-ctr";

/**
 * The `encryption` section: AES with a 32-byte key; GCM has a 12-byte IV and a 16-byte tag (`mac`),
 * CTR a 16-byte IV and no tag. Byte strings are in `encoding` (Super Protocol writes base64).
 */
export interface ResourceEncryption {
  readonly algo: "AES";
  readonly cipher: ResourceCipher;
  readonly key: string;
  readonly iv: string;
  /** The GCM authentication tag; absent for CTR. */
  readonly mac?: string;
  readonly encoding: "base64" | "hex";
}

/** The `hash` section: sha256 of the content, 64 lowercase hex digits. */
export interface ResourceHash {
  readonly algo: "sha256";
  readonly hash: string;
  readonly encoding: "hex";
}

/**
 * A `*.resource.json` as the SDK writes it, in spctl's key order: metadata fields (with `hash`
 * first), `encryption` (absent when the content is stored in the clear), `resource`.
 */
export interface ResourceFileJson {
  readonly hash: ResourceHash;
  readonly encryption?: ResourceEncryption;
  readonly resource: ResourceLocation;
  /** Metadata fields spctl copies from `--metadata` (`hardwareContext`, `signatureKeyHash`, ...). */
  readonly [metadata: string]: unknown;
}

const CIPHERS: Readonly<Record<ResourceCipher, { ivBytes: number; tag: boolean }>> = {
  "aes-256-gcm": { ivBytes: 12, tag: true },
  "aes-256-ctr": { ivBytes: 16, tag: false },
};

/**
 * Reads the `resource` section of a resource file: a `STORAGE_PROVIDER` object (storage type,
 * filepath, credentials) or a `URL`.
 *
 * @param section The section, for example `parseResourceFile(json).resource`.
 * @param field Its path, for messages.
 * @example
 * const location = parseResourceLocation(parseResourceFile(json).resource);
 * if (location.type === "STORAGE_PROVIDER") console.log(location.storageType, location.filepath);
 * @throws {InputError} naming the field (`"resource.type"`, `"resource.storageType"`,
 * `"resource.credentials"`, ...) when the section does not have one of these shapes.
 */
export function parseResourceLocation(section: unknown, field = "resource"): ResourceLocation {
  const resource = objectOf(
    section,
    field,
    `{ type: "STORAGE_PROVIDER", storageType, filepath, credentials }`,
  );
  const type = resource["type"];
  if (type === "URL") {
    const url = stringAt(resource, field, "url");
    if (!/^[a-z][a-z0-9+.-]*:\/\/./i.test(url)) {
      throw new InputError(fieldPath(field, "url"), `expected an absolute URL, got ${describe(url)}`);
    }
    return { type, url };
  }
  if (type !== "STORAGE_PROVIDER") {
    throw new InputError(
      fieldPath(field, "type"),
      `expected "STORAGE_PROVIDER" or "URL", got ${describe(type)}`,
    );
  }
  const storageType = resource["storageType"];
  if (!STORAGE_TYPES.includes(storageType as StorageType)) {
    throw new InputError(
      fieldPath(field, "storageType"),
      `unknown storage type ${describe(storageType)}; expected one of ${STORAGE_TYPES.join(", ")}`,
    );
  }
  return {
    type,
    storageType: storageType as StorageType,
    filepath: stringAt(resource, field, "filepath"),
    credentials: objectOf(
      resource["credentials"],
      fieldPath(field, "credentials"),
      "the storage's credentials",
    ),
  };
}

/**
 * Reads the `encryption` section of a resource file. The cipher name is matched case-insensitively
 * (`AES-256-GCM` reads as `aes-256-gcm`) and returned in the lower case Super Protocol's DTOs use;
 * the key, IV and tag lengths are checked.
 *
 * @param section The section, for example `parseResourceFile(json).encryption`.
 * @param field Its path, for messages.
 * @example
 * const { cipher, key, iv, mac, encoding } = parseResourceEncryption(parseResourceFile(json).encryption);
 * @throws {InputError} naming the field (`"encryption.cipher"`, `"encryption.iv"`, ...) for another
 * algorithm or cipher, a missing field, or a byte string of the wrong length or encoding.
 */
export function parseResourceEncryption(section: unknown, field = "encryption"): ResourceEncryption {
  const encryption = objectOf(section, field, `{ algo: "AES", cipher, key, iv, mac, encoding }`);
  const algo = encryption["algo"];
  if (typeof algo !== "string" || algo.toUpperCase() !== "AES") {
    throw new InputError(fieldPath(field, "algo"), `expected "AES", got ${describe(algo)}`);
  }
  const cipherName = stringAt(encryption, field, "cipher").toLowerCase();
  const cipher =
    CIPHERS[cipherName as ResourceCipher] === undefined ? undefined : (cipherName as ResourceCipher);
  if (cipher === undefined) {
    throw new InputError(
      fieldPath(field, "cipher"),
      `unsupported cipher ${describe(encryption["cipher"])}; expected ${Object.keys(CIPHERS).join(" or ")}`,
    );
  }
  const encodingValue = encryption["encoding"];
  if (encodingValue !== "base64" && encodingValue !== "hex") {
    throw new InputError(
      fieldPath(field, "encoding"),
      `expected "base64" or "hex", got ${describe(encodingValue)}`,
    );
  }
  const encoding: ResourceEncryption["encoding"] = encodingValue;
  const bytesAt = (key: string, bytes: number): string => {
    const text = stringAt(encryption, field, key);
    const length = decodedLength(text, encoding);
    if (length !== bytes) {
      const got = length === undefined ? `not valid ${encoding}` : `${length} bytes`;
      throw new InputError(
        fieldPath(field, key),
        `expected ${bytes} bytes in ${encoding} for ${cipher}, got ${got}`,
      );
    }
    return text;
  };
  const { ivBytes, tag } = CIPHERS[cipher];
  const result = {
    algo: "AES" as const,
    cipher,
    key: bytesAt("key", 32),
    iv: bytesAt("iv", ivBytes),
    encoding,
  };
  return tag ? { ...result, mac: bytesAt("mac", 16) } : result;
}

/**
 * Checks the metadata fields of a resource file (what spctl's `--metadata` file adds: for example
 * `hardwareContext`, `signatureKeyHash`): any top-level fields but `resource` and `encryption`, and a
 * `hash`, when there is one, in the `hash` section's shape.
 *
 * @param metadata The fields.
 * @returns The sha256 the metadata's `hash` names, or undefined when it has none.
 * @example
 * const pinned = parseResourceMetadata(JSON.parse(await readFile("metadata.json", "utf8")));
 * @throws {InputError} naming `metadata.resource` / `metadata.encryption` when the metadata would
 * replace a section, or `metadata.hash` when its hash section is malformed.
 */
export function parseResourceMetadata(metadata: Readonly<Record<string, unknown>>): Hex | undefined {
  for (const reserved of ["resource", "encryption"]) {
    if (reserved in metadata) {
      throw new InputError(
        `metadata.${reserved}`,
        `the metadata may not set the ${reserved} section; it is written from the upload`,
      );
    }
  }
  const section = metadata["hash"];
  if (section === undefined) return undefined;
  if (!isObject(section) || section["algo"] !== "sha256" || section["encoding"] !== "hex") {
    throw new InputError(
      "metadata.hash",
      `expected { algo: "sha256", hash: <64 hex digits>, encoding: "hex" }, got ${describe(section)}`,
    );
  }
  return toBytes32(section["hash"], "metadata.hash.hash");
}

/**
 * Builds a resource file in Super Protocol's shape and spctl's key order: the `hash` section, the
 * metadata fields, `encryption` (when given), `resource`.
 *
 * @param params `hash`: sha256 of the content; `resource` and `encryption`: the sections;
 * `metadata`: extra top-level fields (spctl's `--metadata`, see {@link parseResourceMetadata}); a
 * `hash` in it must name the same hash.
 * @example
 * const json = buildResourceFile({
 *   hash: "0xb9de3d23d309364f3b8bbe7a76fcd9037fb12d6c984e5bd33e26fa3a66e21895",
 *   resource: { type: "URL", url: "https://example.com/solution.tar.gz" },
 * });
 * @throws {InputError} naming `hash` when it is not 32 bytes, or the metadata's field when
 * {@link parseResourceMetadata} refuses it or its hash differs from `hash`.
 */
export function buildResourceFile(params: {
  hash: Hex | string;
  resource: ResourceLocation;
  encryption?: ResourceEncryption;
  metadata?: Readonly<Record<string, unknown>>;
}): ResourceFileJson {
  const hash = toBytes32(params.hash, "hash");
  const metadataHash = params.metadata === undefined ? undefined : parseResourceMetadata(params.metadata);
  if (metadataHash !== undefined && metadataHash !== hash) {
    throw new InputError("metadata.hash", `names ${metadataHash}, but the content's hash is ${hash}`);
  }
  const json: Record<string, unknown> = { hash: { algo: "sha256", hash: hash.slice(2), encoding: "hex" } };
  for (const [key, value] of Object.entries(params.metadata ?? {})) if (key !== "hash") json[key] = value;
  if (params.encryption !== undefined) json["encryption"] = params.encryption;
  json["resource"] = params.resource;
  return json as ResourceFileJson;
}

function objectOf(value: unknown, field: string, expected: string): JsonObject {
  if (!isObject(value)) throw new InputError(field, `expected ${expected}, got ${describe(value)}`);
  return value;
}

/** Bytes `text` decodes to in `encoding`, or undefined when it is not canonical hex or base64. */
function decodedLength(text: string, encoding: "base64" | "hex"): number | undefined {
  if (encoding === "hex") return /^(?:[0-9a-fA-F]{2})*$/.test(text) ? text.length / 2 : undefined;
  if (text.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(text)) return undefined;
  return (text.length / 4) * 3 - (text.endsWith("==") ? 2 : text.endsWith("=") ? 1 : 0);
}
