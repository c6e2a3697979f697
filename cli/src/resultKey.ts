/**
 * Result keys: the key pair a consumer (or any result recipient) receives an order's result with.
 * A workflow names the public key; the enclave seals the result's pointer for it; `orders
 * download-result` opens the pointer with the private key. The file, readable by its owner only
 * (mode 0600), is this JSON document:
 *
 *   { "type": "tee-marketplace/result-key", "version": 1,
 *     "publicKey": "0x02…" (33 bytes, compressed secp256k1), "privateKey": "0x…" (32 bytes),
 *     "created": "2026-01-01T00:00:00.000Z" }
 *
 * It is written to a temporary file renamed into place, and never over an existing file: a result
 * key replaced is every result sealed for it lost.
 */
import { randomBytes } from "node:crypto";
import { lstat, readFile, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";

import type { Hex } from "viem";

import { generateEciesKey, teePublicKeyFromPrivateKey } from "@tee-marketplace/sdk";

import type { LoadedConfig } from "./configFile.js";
import { UsageError } from "./output.js";

/** The `type` of a result key file. */
export const RESULT_KEY_TYPE = "tee-marketplace/result-key";
/** The default result key file, beside the config file (or in the working directory). */
export const DEFAULT_RESULT_KEY_FILE = "tee-market.result-key.json";

/** A result key pair. */
export interface ResultKey {
  privateKey: Hex;
  /** Compressed (33 bytes), as `workflows create` names it. */
  publicKey: Hex;
}

/** A key file that cannot be used: exit code 1, the message says why. */
export class ResultKeyError extends Error {
  override name = "ResultKeyError";
}

/** The result key file: `--result-key`, else the config file's `resultKey`, else the default beside the config. */
export function resultKeyPath(cwd: string, loaded: LoadedConfig, flagValue: string | undefined): string {
  if (flagValue !== undefined) return path.resolve(cwd, flagValue);
  return loaded.config.resultKey ?? path.join(loaded.directory, DEFAULT_RESULT_KEY_FILE);
}

/** The compressed form of an uncompressed public key (`0x04 || X || Y`). */
function compressed(uncompressed: Hex): Hex {
  const x = uncompressed.slice(4, 68);
  const yLastByte = Number.parseInt(uncompressed.slice(-2), 16);
  return `0x${yLastByte % 2 === 0 ? "02" : "03"}${x}`;
}

/** The compressed public key of a private key. */
export function publicKeyOf(privateKey: Hex): Hex {
  return compressed(teePublicKeyFromPrivateKey(privateKey));
}

/** Whether anything (a file, a directory, a dangling link) is at `file`. */
export async function exists(file: string): Promise<boolean> {
  return lstat(file).then(
    () => true,
    () => false,
  );
}

/**
 * Generates a result key and writes it to `file` (mode 0600) through a temporary file.
 *
 * @throws {UsageError} when `file` exists already.
 * @throws {ResultKeyError} when it cannot be written.
 */
export async function writeNewResultKey(file: string): Promise<ResultKey> {
  if (await exists(file)) {
    throw new UsageError(
      `${file} already exists: a result key is never overwritten (the results sealed for it would be lost); ` +
        `choose another file with --output`,
    );
  }
  const key = generateEciesKey();
  const document = {
    type: RESULT_KEY_TYPE,
    version: 1,
    publicKey: key.publicKey,
    privateKey: key.privateKey,
    created: new Date().toISOString(),
  };
  const temporary = path.join(
    path.dirname(file),
    `.${path.basename(file)}.${randomBytes(6).toString("hex")}.partial`,
  );
  try {
    await writeFile(temporary, `${JSON.stringify(document, null, 2)}\n`, { flag: "wx", mode: 0o600 });
    await rename(temporary, file);
  } catch (error) {
    await rm(temporary, { force: true }).catch(() => undefined);
    throw new ResultKeyError(
      `cannot write the result key ${file} (${error instanceof Error ? error.message : String(error)}); check the directory`,
    );
  }
  return key;
}

/**
 * Reads a result key file and checks that its public key is its private key's.
 *
 * @throws {UsageError} when the file does not exist (naming how to make one).
 * @throws {ResultKeyError} when it is not a result key file, or its keys do not match.
 */
export async function readResultKey(file: string): Promise<ResultKey> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") {
      throw new UsageError(
        `no result key at ${file}: pass --result-key <file> (the key whose public key the workflow named), ` +
          `or make one with tee-market workflows generate-key`,
      );
    }
    throw new ResultKeyError(
      `cannot read the result key ${file} (${error instanceof Error ? error.message : String(error)})`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text) as unknown;
  } catch {
    throw new ResultKeyError(
      `${file} is not JSON; expected a result key file (tee-market workflows generate-key)`,
    );
  }
  const document = json as Record<string, unknown> | null;
  if (typeof document !== "object" || document === null || document["type"] !== RESULT_KEY_TYPE) {
    throw new ResultKeyError(`${file} is not a result key file: its "type" is not "${RESULT_KEY_TYPE}"`);
  }
  const privateKey = document["privateKey"];
  if (typeof privateKey !== "string" || !/^0x[0-9a-fA-F]{64}$/.test(privateKey)) {
    throw new ResultKeyError(`${file}: "privateKey" must be 32 bytes of 0x hex`);
  }
  let publicKey: Hex;
  try {
    publicKey = publicKeyOf(privateKey.toLowerCase() as Hex);
  } catch {
    throw new ResultKeyError(`${file}: "privateKey" is not a secp256k1 private key`);
  }
  const named = typeof document["publicKey"] === "string" ? document["publicKey"].toLowerCase() : undefined;
  if (named !== publicKey && named !== teePublicKeyFromPrivateKey(privateKey as Hex)) {
    throw new ResultKeyError(
      `${file}: "publicKey" is not the public key of its "privateKey"; the file was altered`,
    );
  }
  return { privateKey: privateKey.toLowerCase() as Hex, publicKey };
}
