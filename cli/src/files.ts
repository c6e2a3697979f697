/**
 * `tee-market files`: encrypted files in storage, as Super Protocol's `spctl files` moves them.
 * `upload` encrypts a file, or a directory packed as a tar.gz archive, into the configured storage
 * and writes its `*.resource.json`; `download` fetches, decrypts and checks it; `delete` removes the
 * object; `hash` prints the sha256 of a file or spctl's directory hash. Progress goes to stderr.
 */
import { lstat, realpath, stat } from "node:fs/promises";
import path from "node:path";

import {
  InputError,
  type ResourceFile,
  type ResourceLocation,
  parseResourceEncryption,
  parseResourceLocation,
} from "@tee-marketplace/sdk";
import {
  deleteResource,
  downloadResource,
  progressReporter,
  readResourceFile,
  sha256Path,
  uploadFile,
  writeResourceFile,
} from "@tee-marketplace/sdk/node";

import { flag, inFile, optional, positional, readJsonFile } from "./args.js";
import type { CommandContext, CommandInput } from "./command.js";
import { loadConfig } from "./configFile.js";
import { type CommandResult, UsageError, fields } from "./output.js";
import { type StorageSelection, storageToRead, storageToWrite } from "./storageSettings.js";

/** spctl's default `--output`. */
const DEFAULT_RESOURCE_FILE = "resource.json";

async function exists(file: string): Promise<boolean> {
  return lstat(file).then(
    () => true,
    () => false,
  );
}

/** The `--metadata` file: a JSON object of fields for the resource file. */
async function metadataOption(
  ctx: CommandContext,
  input: CommandInput,
): Promise<Record<string, unknown> | undefined> {
  const name = optional(input, "metadata");
  if (name === undefined) return undefined;
  const json = await readJsonFile(path.resolve(ctx.io.cwd, name));
  if (typeof json !== "object" || json === null || Array.isArray(json)) {
    throw new UsageError(`--metadata: ${name} must hold a JSON object of fields for the resource file`);
  }
  return json as Record<string, unknown>;
}

/**
 * A resource file, its storage and encryption sections checked before any I/O, so that an error
 * about them names the file (exit 2).
 */
async function readResource(
  ctx: CommandContext,
  name: string,
): Promise<{ file: ResourceFile; location: ResourceLocation }> {
  const resolved = path.resolve(ctx.io.cwd, name);
  const file = await readResourceFile(resolved);
  const location = inFile(resolved, () => parseResourceLocation(file.resource));
  if (file.encryption !== undefined) inFile(resolved, () => parseResourceEncryption(file.encryption));
  return { file, location };
}

/** S3 keys a resource file lacks, from the configured storage: filled in, never replacing the file's. */
function missingCredentials(
  location: ResourceLocation,
  selection: StorageSelection,
): Record<string, string> | undefined {
  if (location.type !== "STORAGE_PROVIDER" || location.storageType !== "S3") return undefined;
  const keys = selection.writeKeys ?? selection.readKeys;
  if (keys === undefined) return undefined;
  const has = (name: string) =>
    typeof location.credentials[name] === "string" && location.credentials[name] !== "";
  if (has("accessKeyId") && has("secretKey")) return undefined;
  return keys;
}

/** `files upload`. */
export async function runUpload(ctx: CommandContext, input: CommandInput): Promise<CommandResult> {
  const name = positional(input, 0);
  const source = path.resolve(ctx.io.cwd, name);
  const outputName = optional(input, "output") ?? DEFAULT_RESOURCE_FILE;
  const output = path.resolve(ctx.io.cwd, outputName);
  if (await exists(output)) {
    throw new UsageError(
      `--output: ${outputName} already exists and may hold the key of an earlier upload; remove it or choose another file`,
    );
  }
  const metadata = await metadataOption(ctx, input);
  const filename = optional(input, "filename");
  const encrypt = !flag(input, "skip-encryption");
  const selection = storageToWrite(ctx.io, await loadConfig(ctx.io, input.values), input);
  const resource = await uploadFile(source, {
    storage: selection.options,
    encrypt,
    ...(filename === undefined ? {} : { filename }),
    ...(metadata === undefined ? {} : { metadata }),
    ...(selection.readKeys === undefined ? {} : { resourceCredentials: selection.readKeys }),
    onProgress: progressReporter({ output: ctx.io.stderr, label: `Uploading ${path.basename(source)}` }),
  }).catch((error: unknown) => {
    // The SDK names its parameter ("path: ..."); here the path is in the message already.
    throw error instanceof InputError && error.field === "path"
      ? new InputError("", error.detail, { cause: error })
      : error;
  });
  try {
    await writeResourceFile(output, resource);
  } catch (error) {
    // Without its resource file the object cannot be read again: take it back out of the storage.
    await deleteResource(
      resource,
      selection.writeKeys === undefined ? {} : { credentials: selection.writeKeys },
    ).catch(() => undefined);
    throw error;
  }
  if (selection.type === "S3" && selection.readKeys === undefined) {
    ctx.out.note(
      `Note: ${outputName} holds the storage's write keys (no read-only keys are configured: TEE_MARKET_S3_READ_ACCESS_KEY_ID ` +
        `and TEE_MARKET_S3_READ_SECRET_ACCESS_KEY); share it only with people you trust with the bucket.`,
    );
  }
  const location = resource.resource as { filepath: string };
  return {
    text: [
      `Resource file was saved to ${outputName}`,
      ...fields([
        ["sha256", resource.hash.hash],
        ["storage", selection.where],
        ["object", location.filepath],
        [
          "encryption",
          encrypt ? "aes-256-gcm, key in the resource file (keep it private)" : "none (--skip-encryption)",
        ],
      ]),
    ].join("\n"),
    json: resource,
  };
}

/** `files download`. */
export async function runDownload(ctx: CommandContext, input: CommandInput): Promise<CommandResult> {
  const resourceName = positional(input, 0);
  const destination = path.resolve(ctx.io.cwd, positional(input, 1));
  const { file, location } = await readResource(ctx, resourceName);
  const selection = storageToRead(ctx.io, await loadConfig(ctx.io, input.values), input);
  const credentials = missingCredentials(location, selection);
  const downloaded = await downloadResource(file, destination, {
    unpack: flag(input, "unpack"),
    ...(credentials === undefined ? {} : { credentials }),
    onProgress: progressReporter({
      output: ctx.io.stderr,
      label: `Downloading ${path.basename(resourceName)}`,
    }),
  });
  const shown = path.relative(ctx.io.cwd, downloaded.path) || ".";
  return {
    text: [
      `File was downloaded to ${shown}`,
      ...fields([
        ["sha256", `${downloaded.hash.slice(2)} (the resource file's: checked)`],
        ["bytes", String(downloaded.bytes)],
      ]),
    ].join("\n"),
    json: {
      path: downloaded.path,
      hash: downloaded.hash,
      bytes: downloaded.bytes,
      unpacked: flag(input, "unpack"),
    },
  };
}

/** Whether `inner` is `outer` or inside it. */
function isInside(inner: string, outer: string): boolean {
  const relative = path.relative(outer, inner);
  return relative === "" || (!relative.startsWith("..") && !path.isAbsolute(relative));
}

/** The real path of `file` (links resolved), or its absolute path when it does not exist. */
async function realOrAbsolute(file: string): Promise<string> {
  return realpath(file).catch(() => path.resolve(file));
}

/** `files delete`: only objects of this user's storage, and for FS only inside its directory. */
export async function runDelete(ctx: CommandContext, input: CommandInput): Promise<CommandResult> {
  const resourceName = positional(input, 0);
  const { file, location } = await readResource(ctx, resourceName);
  const selection = storageToRead(ctx.io, await loadConfig(ctx.io, input.values), input);
  if (location.type === "STORAGE_PROVIDER" && location.storageType === "FS") {
    const { bucket, prefix } = location.credentials;
    if (typeof bucket === "string") {
      const parts = [typeof prefix === "string" ? prefix : "", location.filepath].join("/").split("/");
      const object = await realOrAbsolute(path.join(bucket, ...parts));
      const directory = await realOrAbsolute(selection.fsDirectory);
      if (!isInside(object, directory)) {
        throw new UsageError(
          `${resourceName} points to ${object}, outside the storage directory ${directory}: files delete removes only ` +
            `objects of your FS storage (give its directory with --storage-dir or "storage.directory")`,
        );
      }
    }
  }
  await deleteResource(file, selection.writeKeys === undefined ? {} : { credentials: selection.writeKeys });
  const object = location.type === "URL" ? location.url : location.filepath;
  return {
    text: `File ${object} was deleted from the storage`,
    json: { deleted: object, resourceFile: path.resolve(ctx.io.cwd, resourceName) },
  };
}

/** `files hash` (spctl's `files calculate-hash`). */
export async function runHash(ctx: CommandContext, input: CommandInput): Promise<CommandResult> {
  const results: { path: string; kind: "file" | "directory"; algo: "sha256"; hash: string }[] = [];
  for (const name of input.positionals) {
    const file = path.resolve(ctx.io.cwd, name);
    const hashValue = await sha256Path(file).catch((error: unknown) => {
      // The SDK names its parameter ("path: ..."); here the path is in the message already.
      throw error instanceof InputError ? new InputError("", error.detail, { cause: error }) : error;
    });
    const kind = (await stat(file)).isDirectory() ? "directory" : "file";
    results.push({ path: name, kind, algo: "sha256", hash: hashValue });
  }
  const [only] = results;
  return {
    text:
      results.length === 1 && only !== undefined
        ? `sha256:${only.hash.slice(2)}`
        : results
            .map((r) => `sha256:${r.hash.slice(2)}  ${r.path}${r.kind === "directory" ? "/" : ""}`)
            .join("\n"),
    json: { files: results },
  };
}
