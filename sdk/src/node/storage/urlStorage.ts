/// <reference types="node" />
/**
 * The URL storage: read-only downloads of files on the web. HTTPS only (plain HTTP only from a
 * loopback address, for local servers), at most 5 redirects (each checked the same way), a cap on
 * the response size and a timeout on the wait for the response and for each next chunk.
 */
import { Readable, Transform } from "node:stream";
import { pipeline } from "node:stream";
import type { ReadableStream as WebReadableStream } from "node:stream/web";

import { InputError, ObjectNotFoundError, StorageError } from "../../errors.js";
import { errorText } from "../../internal/fields.js";
import type { Storage, StoredObject, UrlStorageOptions } from "./storage.js";

const DEFAULT_MAX_BYTES = 17_179_869_184; // 16 GiB
const DEFAULT_TIMEOUT_MS = 30_000;
const MAX_REDIRECTS = 5;
const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/** Creates the URL storage of {@link UrlStorageOptions}; see `createStorage`. Keys are absolute URLs. */
export function createUrlStorage(options: UrlStorageOptions = { type: "URL" }): Storage {
  const maxBytes = positive(options.maxBytes ?? DEFAULT_MAX_BYTES, "maxBytes");
  const timeoutMs = positive(options.timeoutMs ?? DEFAULT_TIMEOUT_MS, "timeoutMs");
  const failed = (url: string, message: string, cause?: unknown): StorageError =>
    new StorageError({ storageType: "URL", key: url, message, cause });

  /** Sends `method` to `url`, following redirects; resolves with the final response. */
  const request = async (url: string, method: "GET" | "HEAD", signal: AbortSignal): Promise<Response> => {
    let current = checkUrl(url);
    for (let redirects = 0; ; redirects++) {
      let response: Response;
      try {
        response = await fetch(current, { method, redirect: "manual", signal });
      } catch (error) {
        if (signal.aborted) throw signal.reason;
        throw failed(
          url,
          `Cannot download ${current} (${errorText(error)}); check the URL and the network.`,
          error,
        );
      }
      if (!REDIRECTS.has(response.status)) return response;
      await response.body?.cancel();
      const location = response.headers.get("location");
      if (location === null || redirects >= MAX_REDIRECTS) {
        throw failed(
          url,
          `Cannot download ${url}: ${location === null ? "a redirect without a location" : "too many redirects"}.`,
        );
      }
      current = checkUrl(new URL(location, current).toString());
    }
  };
  const readOnly = (url: string): StorageError =>
    failed(url, `The URL storage is read-only; upload to an FS or S3 storage and share its resource file.`);

  return {
    storageType: "URL",
    credentials: undefined,

    async put(url: string): Promise<void> {
      throw readOnly(url);
    },

    async get(url: string, getOptions: { signal?: AbortSignal } = {}): Promise<StoredObject> {
      const timer = new AbortController();
      const signal =
        getOptions.signal === undefined ? timer.signal : AbortSignal.any([timer.signal, getOptions.signal]);
      const timedOut = (): StorageError =>
        failed(
          url,
          `Downloading ${url} timed out (no data for ${timeoutMs} ms); try again or raise timeoutMs.`,
        );
      let idle = setTimeout(() => timer.abort(timedOut()), timeoutMs);
      const response = await request(url, "GET", signal).catch((error: unknown) => {
        clearTimeout(idle);
        throw error;
      });
      if (!response.ok || response.body === null) {
        clearTimeout(idle);
        await response.body?.cancel();
        if (response.status === 404 || response.status === 410) {
          throw new ObjectNotFoundError({
            storageType: "URL",
            key: url,
            message: `No file at ${url} (HTTP ${response.status}).`,
          });
        }
        throw failed(url, `Cannot download ${url}: the server answered HTTP ${response.status}.`);
      }
      const length = response.headers.get("content-length");
      const size = length === null || !/^\d+$/.test(length) ? undefined : Number(length);
      if (size !== undefined && size > maxBytes) {
        clearTimeout(idle);
        await response.body.cancel();
        throw failed(
          url,
          `${url} is ${size} bytes, over the ${maxBytes}-byte cap; raise maxBytes to accept it.`,
        );
      }
      let received = 0;
      const capped = new Transform({
        transform(chunk: Buffer, _encoding, callback) {
          received += chunk.length;
          if (received > maxBytes) {
            callback(
              failed(url, `${url} sent more than the ${maxBytes}-byte cap; raise maxBytes to accept it.`),
            );
            return;
          }
          clearTimeout(idle);
          idle = setTimeout(() => capped.destroy(timedOut()), timeoutMs);
          callback(null, chunk);
        },
      });
      const source = Readable.fromWeb(response.body as WebReadableStream<Uint8Array>);
      pipeline(source, capped, (error) => {
        clearTimeout(idle);
        if (error) capped.destroy(signal.aborted && signal.reason instanceof Error ? signal.reason : error);
      });
      return { body: capped, size };
    },

    async delete(url: string): Promise<void> {
      throw readOnly(url);
    },

    async exists(url: string): Promise<boolean> {
      const response = await request(url, "HEAD", AbortSignal.timeout(timeoutMs));
      return response.ok;
    },
  };
}

/** The URL, when it is HTTPS or plain HTTP to a loopback address. */
function checkUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch (error) {
    throw new InputError("url", `expected an absolute URL, got ${JSON.stringify(url)}`, { cause: error });
  }
  const loopback = /^(127\.\d+\.\d+\.\d+|localhost|\[::1\])$/.test(parsed.hostname);
  if (parsed.protocol === "https:" || (parsed.protocol === "http:" && loopback)) return parsed.toString();
  throw new InputError(
    "url",
    `${url}: only https URLs are downloaded (plain http only from a loopback address, for local servers)`,
  );
}

function positive(value: number, field: string): number {
  if (!(value > 0)) throw new InputError(field, `expected a positive number, got ${value}`);
  return value;
}
