/**
 * Opening a storage backend by its storage type: from the caller's options, or from the credentials
 * a resource file records.
 */
import { InputError } from "../../errors.js";
import { describe } from "../../internal/fields.js";
import type { StorageProviderResource } from "../../resourceFile.js";
import { createFsStorage } from "./fsStorage.js";
import { createS3Storage } from "./s3Storage.js";
import type { Storage, StorageOptions } from "./storage.js";
import { createUrlStorage } from "./urlStorage.js";

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
