/// <reference types="node" />
/**
 * The S3 storage: any S3-compatible object store through the AWS SDK v3 client, loaded on first use
 * (importing the SDK's Node entry does not load it). Uploads stream through `@aws-sdk/lib-storage`,
 * which sends large objects as a multipart upload (parts of `partSize`, 4 at a time) and aborts it
 * on failure, so an object appears only once complete.
 */
import type { Readable } from "node:stream";

import { InputError, ObjectNotFoundError, StorageError } from "../../errors.js";
import { errorText } from "../../internal/fields.js";
import { objectKey } from "./keys.js";
import type { S3StorageOptions, Storage, StoredObject } from "./storage.js";

const MIN_PART_SIZE = 5_242_880; // 5 MiB
const DEFAULT_PART_SIZE = 8_388_608; // 8 MiB
const PARALLEL_PARTS = 4;
const NOT_FOUND = new Set(["NoSuchKey", "NotFound"]);
const REFUSED = new Set(["AccessDenied", "InvalidAccessKeyId", "SignatureDoesNotMatch", "Forbidden"]);

type S3Module = typeof import("@aws-sdk/client-s3");
type Connection = { s3: S3Module; client: InstanceType<S3Module["S3Client"]> };

/** Creates the S3 storage of {@link S3StorageOptions}; see `createStorage`. */
export function createS3Storage(options: S3StorageOptions): Storage {
  for (const name of ["bucket", "accessKeyId", "secretAccessKey"] as const) {
    if (typeof options[name] !== "string" || options[name] === "") {
      throw new InputError(name, `the S3 storage needs a non-empty ${name}`);
    }
  }
  const region = options.region ?? "us-east-1";
  const endpoint = options.endpoint ?? `https://s3.${region}.amazonaws.com`;
  if (!/^https?:\/\/[^/]/.test(endpoint)) {
    throw new InputError("endpoint", `expected an http(s) URL, got ${JSON.stringify(endpoint)}`);
  }
  const partSize = options.partSize ?? DEFAULT_PART_SIZE;
  if (!Number.isSafeInteger(partSize) || partSize < MIN_PART_SIZE) {
    throw new InputError(
      "partSize",
      `expected an integer of at least ${MIN_PART_SIZE} bytes (5 MiB), got ${partSize}`,
    );
  }
  const prefix =
    options.prefix === undefined || options.prefix === "" ? "" : objectKey([options.prefix], "prefix");
  const bucket = options.bucket;
  const where = `bucket ${bucket} at ${endpoint}`;

  let connection: Promise<Connection> | undefined;
  const connect = (): Promise<Connection> =>
    (connection ??= import("@aws-sdk/client-s3").then((s3) => ({
      s3,
      client: new s3.S3Client({
        region,
        endpoint,
        forcePathStyle: options.forcePathStyle ?? true,
        credentials: { accessKeyId: options.accessKeyId, secretAccessKey: options.secretAccessKey },
        // Checksums only where S3 requires them: S3-compatible stores do not all read the newer ones.
        requestChecksumCalculation: "WHEN_REQUIRED",
        responseChecksumValidation: "WHEN_REQUIRED",
        maxAttempts: 3,
      }),
    })));
  const keyOf = (key: string): string => objectKey([prefix, key], "key");

  /** An AWS SDK error as a StorageError; other errors (a failing input stream, an abort) unchanged. */
  const failure = (key: string, doing: string, error: unknown): unknown => {
    const { name, $metadata, code } = error as {
      name?: string;
      $metadata?: { httpStatusCode?: number };
      code?: string;
    };
    const status = $metadata?.httpStatusCode;
    if (NOT_FOUND.has(name ?? "") || (status === 404 && name !== "NoSuchBucket")) {
      return new ObjectNotFoundError({
        storageType: "S3",
        key,
        message: `No object ${keyOf(key)} in ${where}; check the resource's bucket, prefix and filepath.`,
        cause: error,
      });
    }
    let hint: string;
    if (name === "NoSuchBucket") hint = `The bucket does not exist; create it or fix the bucket name.`;
    else if (REFUSED.has(name ?? "") || status === 403)
      hint = `Access was refused; check the access key and its permissions.`;
    else if ($metadata !== undefined)
      hint = `The server answered with ${name ?? "an error"} (HTTP ${status ?? "?"}).`;
    else if (typeof code === "string" && /^E[A-Z]+/.test(code)) hint = `Check the endpoint and the network.`;
    else return error;
    return new StorageError({
      storageType: "S3",
      key,
      message: `S3 storage could not ${doing} ${keyOf(key)} in ${where} (${errorText(error)}). ${hint}`,
      cause: error,
    });
  };

  return {
    storageType: "S3",
    credentials: {
      bucket,
      prefix,
      endpoint,
      ...(options.region === undefined ? {} : { region }),
      accessKeyId: options.accessKeyId,
      secretKey: options.secretAccessKey,
    },

    async put(key: string, body: Readable, putOptions: { signal?: AbortSignal } = {}): Promise<void> {
      const Key = keyOf(key);
      const { client } = await connect();
      const { Upload } = await import("@aws-sdk/lib-storage");
      const upload = new Upload({
        client,
        params: { Bucket: bucket, Key, Body: body },
        partSize,
        queueSize: PARALLEL_PARTS,
        leavePartsOnError: false,
      });
      const abort = (): void => void upload.abort();
      putOptions.signal?.addEventListener("abort", abort, { once: true });
      try {
        await upload.done();
      } catch (error) {
        body.destroy();
        throw failure(key, "write", error);
      } finally {
        putOptions.signal?.removeEventListener("abort", abort);
      }
    },

    async get(key: string, getOptions: { signal?: AbortSignal } = {}): Promise<StoredObject> {
      const { s3, client } = await connect();
      try {
        const response = await client.send(
          new s3.GetObjectCommand({ Bucket: bucket, Key: keyOf(key) }),
          getOptions.signal === undefined ? {} : { abortSignal: getOptions.signal },
        );
        return { body: response.Body as Readable, size: response.ContentLength };
      } catch (error) {
        throw failure(key, "read", error);
      }
    },

    async delete(key: string): Promise<void> {
      const { s3, client } = await connect();
      try {
        await client.send(new s3.HeadObjectCommand({ Bucket: bucket, Key: keyOf(key) }));
        await client.send(new s3.DeleteObjectCommand({ Bucket: bucket, Key: keyOf(key) }));
      } catch (error) {
        throw failure(key, "delete", error);
      }
    },

    async exists(key: string): Promise<boolean> {
      const { s3, client } = await connect();
      try {
        await client.send(new s3.HeadObjectCommand({ Bucket: bucket, Key: keyOf(key) }));
        return true;
      } catch (error) {
        const mapped = failure(key, "check", error);
        if (mapped instanceof ObjectNotFoundError) return false;
        throw mapped;
      }
    },
  };
}
