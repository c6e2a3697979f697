/**
 * `tee-market files`: upload, download and delete encrypted files in storage, as Super Protocol's
 * `spctl files` does, and hash files and directories the way resource files and spctl do.
 * The commands as declared (names, options, help); each runs from `../files.ts`, loaded only when
 * the command runs, so `--help` loads neither viem nor the SDK.
 */
import type { Command, Group, OptionSpec } from "../command.js";

const implementation = () => import("../files.js");

/** Where the storage is, over the config file's `storage` section. */
const STORAGE_OPTIONS: Record<string, OptionSpec> = {
  storage: {
    type: "string",
    value: "<FS|S3|URL>",
    description: 'the storage type (default: the config\'s "storage.type", else FS)',
  },
  "storage-dir": {
    type: "string",
    value: "<dir>",
    description: "FS: the storage directory (default: tee-market-storage/ beside the config file)",
  },
  bucket: { type: "string", value: "<name>", description: "S3: the bucket" },
  endpoint: { type: "string", value: "<url>", description: "S3: the service's URL (default AWS S3)" },
  region: { type: "string", value: "<region>", description: "S3: the region (default us-east-1)" },
  prefix: { type: "string", value: "<prefix>", description: "a prefix for every object in the storage" },
};

const USE_ADDON: OptionSpec = {
  type: "boolean",
  description: "accepted for spctl's command lines; ignored (there is no addon)",
};

const STORAGE_DETAILS = [
  'Storage: flags, else the config file\'s "storage": { "type": "FS", "directory": "…" } or',
  '{ "type": "S3", "bucket": "…", "endpoint": "…", "region": "…", "prefix": "…" }, else FS in',
  "tee-market-storage/ beside the config file. S3 keys: TEE_MARKET_S3_ACCESS_KEY_ID and",
  "TEE_MARKET_S3_SECRET_ACCESS_KEY (or the config's storage.accessKeyId and secretAccessKey); read-only",
  "keys for resource files: TEE_MARKET_S3_READ_ACCESS_KEY_ID and TEE_MARKET_S3_READ_SECRET_ACCESS_KEY.",
];

const upload: Command = {
  name: "upload",
  summary: "Encrypt a file or a directory (as tar.gz), upload it and write its resource file.",
  args: "<path>",
  positionals: { min: 1, max: 1 },
  options: {
    output: {
      type: "string",
      value: "<file>",
      description: "where to write the resource file (default ./resource.json; never overwritten)",
    },
    filename: {
      type: "string",
      value: "<name>",
      description: "the object's name in the storage (default: random/<name>; .encrypted is added)",
    },
    "skip-encryption": { type: "boolean", description: "store the content in the clear" },
    metadata: {
      type: "string",
      value: "<file>",
      description: "a JSON object of fields to add to the resource file",
    },
    ...STORAGE_OPTIONS,
    "use-addon": USE_ADDON,
  },
  details: [
    "AES-256-GCM with a fresh key, streamed: memory stays flat. The resource file holds the key: share it",
    "only with whoever may read the content. hash is the sha256 of the content (of the tar.gz for a",
    "directory). Progress on stderr; --json prints the resource file.",
    ...STORAGE_DETAILS,
  ],
  run: (ctx, input) => implementation().then((m) => m.runUpload(ctx, input)),
};

const download: Command = {
  name: "download",
  summary: "Download, decrypt and check a resource file's content into a directory.",
  args: "<resource.json> <dir>",
  positionals: { min: 2, max: 2 },
  options: {
    unpack: { type: "boolean", description: "unpack a tar.gz into a directory of its name" },
    ...STORAGE_OPTIONS,
    "use-addon": USE_ADDON,
  },
  details: [
    "The content appears only once its GCM tag and its sha256 (the resource file's hash) are checked: a",
    "wrong key, an altered or truncated object or a hash mismatch leaves nothing behind. S3 keys missing",
    "from the resource file are taken from the configured storage.",
  ],
  run: (ctx, input) => implementation().then((m) => m.runDownload(ctx, input)),
};

const deleteCommand: Command = {
  name: "delete",
  summary: "Delete a resource file's object from your storage.",
  args: "<resource.json>",
  positionals: { min: 1, max: 1 },
  options: { ...STORAGE_OPTIONS, "use-addon": USE_ADDON },
  details: [
    "An FS object is deleted only inside your storage directory; an S3 object with your write keys.",
    ...STORAGE_DETAILS,
  ],
  run: (ctx, input) => implementation().then((m) => m.runDelete(ctx, input)),
};

const hash: Command = {
  name: "hash",
  aliases: ["calculate-hash"],
  summary: "Print the sha256 of a file, or spctl's hash of a directory (sha256:<hex>).",
  args: "<path> [<path> ...]",
  positionals: { min: 1, max: Number.MAX_SAFE_INTEGER },
  details: [
    "A file: the sha256 of its content, as resource files, offers and reports name it. A directory: Super",
    "Protocol's directory hash, version 1, the hash spctl files calculate-hash prints for it: entries sorted",
    "by sha256:<hash>:<name>, the sha256 of each name and raw hash, then once more over the directory's",
    "own name (so it depends on the name). Several paths: one line each, the path after the hash.",
  ],
  run: (ctx, input) => implementation().then((m) => m.runHash(ctx, input)),
};

/** The `files` group. */
export const filesGroup: Group = {
  name: "files",
  summary: "Upload, download and delete encrypted files in storage; hash files and directories.",
  commands: [upload, download, deleteCommand, hash],
};
