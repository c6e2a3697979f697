/**
 * The key that signs: from the TEE_MARKET_PRIVATE_KEY environment variable, or from an Ethereum v3
 * keystore file (scrypt or pbkdf2, aes-128-ctr, keccak256 MAC) whose password comes from
 * TEE_MARKET_KEYSTORE_PASSWORD or a prompt on the terminal. Never from a flag: command lines end up
 * in shell histories and process lists. Messages never echo a key or a password.
 */
import { createDecipheriv, pbkdf2, scrypt, timingSafeEqual } from "node:crypto";
import { readFile } from "node:fs/promises";
import { promisify } from "node:util";

import { type Hex, bytesToHex, concat, getAddress, hexToBytes, keccak256 } from "viem";
import { privateKeyToAccount } from "viem/accounts";

import type { Io } from "./output.js";
import { UsageError } from "./output.js";

/** The environment variable holding a private key. */
export const PRIVATE_KEY_ENV = "TEE_MARKET_PRIVATE_KEY";
/** The environment variable holding the keystore's password. */
export const KEYSTORE_PASSWORD_ENV = "TEE_MARKET_KEYSTORE_PASSWORD";

/** Where keys go, for messages. */
export const WHERE_KEYS_GO =
  `put the key in the ${PRIVATE_KEY_ENV} environment variable, or in an Ethereum v3 keystore file ` +
  `passed with --keystore <file> (password from ${KEYSTORE_PASSWORD_ENV} or a prompt)`;

/** Refuses a private key on the command line before anything else looks at the arguments. */
export function rejectKeyArguments(argv: readonly string[]): void {
  for (const arg of argv) {
    if (/^--?(private[-_]?key|privkey|pk)(=|$)/i.test(arg)) {
      throw new UsageError(
        `${arg.split("=")[0]} is not accepted: a key on the command line ends up in shell history and process lists; ${WHERE_KEYS_GO}`,
      );
    }
  }
}

/** A key or keystore that cannot be used: exit code 1, the message says why. */
export class KeyError extends Error {
  override name = "KeyError";
}

/**
 * The private key to sign with: the keystore of `--keystore`, else the environment variable, else
 * the keystore of the config file.
 *
 * @throws {UsageError} when none is given.
 * @throws {KeyError} when the key is malformed, or the keystore cannot be read or decrypted.
 */
export async function resolvePrivateKey(
  io: Io,
  keystore: string | undefined,
  configKeystore: string | undefined,
): Promise<Hex> {
  const fromEnv = io.env[PRIVATE_KEY_ENV];
  const file = keystore ?? (fromEnv !== undefined && fromEnv.trim() !== "" ? undefined : configKeystore);
  if (file !== undefined) {
    return decryptKeystore(await readKeystore(file), await keystorePassword(io, file), file);
  }
  if (fromEnv !== undefined && fromEnv.trim() !== "") return checkPrivateKey(fromEnv.trim(), PRIVATE_KEY_ENV);
  throw new UsageError(`this command signs a transaction and no key is configured: ${WHERE_KEYS_GO}`);
}

function checkPrivateKey(value: string, source: string): Hex {
  const hex = (value.startsWith("0x") ? value : `0x${value}`).toLowerCase() as Hex;
  if (!/^0x[0-9a-f]{64}$/.test(hex)) {
    throw new KeyError(`${source} is not a private key: expected 64 hex digits (with or without 0x)`);
  }
  try {
    privateKeyToAccount(hex);
  } catch {
    throw new KeyError(`${source} is not a private key: it is zero or not below the secp256k1 curve order`);
  }
  return hex;
}

async function readKeystore(file: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    throw new KeyError(
      `cannot read keystore ${file} (${error instanceof Error ? error.message : String(error)}); check --keystore`,
    );
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new KeyError(`keystore ${file} is not JSON; expected an Ethereum v3 keystore file`);
  }
}

async function keystorePassword(io: Io, file: string): Promise<string> {
  const fromEnv = io.env[KEYSTORE_PASSWORD_ENV];
  if (fromEnv !== undefined) return fromEnv;
  if (io.stdin.isTTY !== true) {
    throw new UsageError(
      `keystore ${file} needs its password: set ${KEYSTORE_PASSWORD_ENV}, or run in a terminal to be asked for it`,
    );
  }
  return promptHidden(io, `Password for ${file}: `);
}

/** Reads a line from the terminal without echoing it. */
async function promptHidden(io: Io, prompt: string): Promise<string> {
  const stdin = io.stdin;
  // Raw mode (no echo) before the prompt, so nothing typed after the prompt is echoed.
  stdin.setRawMode(true);
  io.stderr.write(prompt);
  stdin.setEncoding("utf8");
  stdin.resume();
  return new Promise((resolve, reject) => {
    let value = "";
    const finish = (error?: Error) => {
      stdin.off("data", onData);
      stdin.setRawMode(false);
      stdin.pause();
      io.stderr.write("\n");
      if (error === undefined) resolve(value);
      else reject(error);
    };
    const onData = (chunk: string) => {
      for (const char of chunk) {
        if (char === "\r" || char === "\n" || char === "\u0004") return finish();
        if (char === "\u0003") return finish(new UsageError("interrupted at the password prompt"));
        if (char === "\u007f" || char === "\b") value = value.slice(0, -1);
        else value += char;
      }
    };
    stdin.on("data", onData);
  });
}

/* KEYSTORE V3 */

function field(object: unknown, key: string, file: string, path: string): unknown {
  const value =
    typeof object === "object" && object !== null ? (object as Record<string, unknown>)[key] : undefined;
  if (value === undefined)
    throw new KeyError(`keystore ${file}: ${path}${key} is missing; expected a v3 keystore`);
  return value;
}

function hexField(object: unknown, key: string, file: string, path: string): Uint8Array {
  const value = field(object, key, file, path);
  if (typeof value !== "string" || !/^(0x)?([0-9a-f]{2})+$/i.test(value)) {
    throw new KeyError(`keystore ${file}: ${path}${key} is not hex`);
  }
  return hexToBytes((value.startsWith("0x") ? value : `0x${value}`) as Hex);
}

function intField(object: unknown, key: string, file: string, path: string): number {
  const value = field(object, key, file, path);
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value <= 0) {
    throw new KeyError(`keystore ${file}: ${path}${key} is not a positive integer`);
  }
  return value;
}

async function deriveKey(kdf: unknown, params: unknown, password: string, file: string): Promise<Buffer> {
  const path = "crypto.kdfparams.";
  const salt = hexField(params, "salt", file, path);
  const dklen = intField(params, "dklen", file, path);
  if (dklen < 32) throw new KeyError(`keystore ${file}: ${path}dklen is ${dklen}; v3 keystores use 32`);
  if (kdf === "scrypt") {
    const N = intField(params, "n", file, path);
    const r = intField(params, "r", file, path);
    const p = intField(params, "p", file, path);
    const run = promisify(scrypt) as (
      password: string,
      salt: Uint8Array,
      keylen: number,
      options: { N: number; r: number; p: number; maxmem: number },
    ) => Promise<Buffer>;
    return run(password, salt, dklen, { N, r, p, maxmem: 256 * N * r + 1024 * 1024 });
  }
  if (kdf === "pbkdf2") {
    const prf = field(params, "prf", file, path);
    if (prf !== "hmac-sha256") {
      throw new KeyError(
        `keystore ${file}: ${path}prf is ${JSON.stringify(prf)}; only hmac-sha256 is supported`,
      );
    }
    const c = intField(params, "c", file, path);
    return promisify(pbkdf2)(password, salt, c, dklen, "sha256");
  }
  throw new KeyError(`keystore ${file}: crypto.kdf is ${JSON.stringify(kdf)}; expected "scrypt" or "pbkdf2"`);
}

/**
 * Decrypts an Ethereum v3 keystore (the format of geth, Foundry's `cast wallet`, ethers, MetaMask
 * exports): derives the key with scrypt or pbkdf2-hmac-sha256, checks the MAC (keccak256 of the
 * derived key's second half and the ciphertext), decrypts with aes-128-ctr, and checks the address
 * when the file names one.
 *
 * @throws {KeyError} on a malformed file, a wrong password (MAC mismatch) or an address mismatch.
 */
export async function decryptKeystore(json: unknown, password: string, file: string): Promise<Hex> {
  const version = field(json, "version", file, "");
  if (version !== 3)
    throw new KeyError(`keystore ${file}: version is ${JSON.stringify(version)}; expected 3`);
  const crypto =
    typeof json === "object" && json !== null && "crypto" in json
      ? (json as { crypto: unknown }).crypto
      : field(json, "Crypto", file, "");
  const cipher = field(crypto, "cipher", file, "crypto.");
  if (cipher !== "aes-128-ctr") {
    throw new KeyError(
      `keystore ${file}: crypto.cipher is ${JSON.stringify(cipher)}; expected "aes-128-ctr"`,
    );
  }
  const iv = hexField(field(crypto, "cipherparams", file, "crypto."), "iv", file, "crypto.cipherparams.");
  const ciphertext = hexField(crypto, "ciphertext", file, "crypto.");
  const mac = hexField(crypto, "mac", file, "crypto.");
  const derived = await deriveKey(
    field(crypto, "kdf", file, "crypto."),
    field(crypto, "kdfparams", file, "crypto."),
    password,
    file,
  );
  const expectedMac = hexToBytes(keccak256(concat([derived.subarray(16, 32), ciphertext])));
  if (mac.length !== expectedMac.length || !timingSafeEqual(mac, expectedMac)) {
    throw new KeyError(
      `wrong password for keystore ${file}: its MAC does not match; check the password (${KEYSTORE_PASSWORD_ENV} or the prompt)`,
    );
  }
  const decipher = createDecipheriv("aes-128-ctr", derived.subarray(0, 16), iv);
  const plaintext = Buffer.concat([decipher.update(ciphertext), decipher.final()]);
  if (plaintext.length !== 32) {
    throw new KeyError(`keystore ${file} holds ${plaintext.length} bytes, not a 32-byte private key`);
  }
  const privateKey = checkPrivateKey(bytesToHex(plaintext), `keystore ${file}`);
  const address =
    typeof json === "object" && json !== null ? (json as { address?: unknown }).address : undefined;
  if (typeof address === "string" && address !== "") {
    const derivedAddress = privateKeyToAccount(privateKey).address;
    let named: string;
    try {
      named = getAddress(address.startsWith("0x") ? address : `0x${address}`);
    } catch {
      throw new KeyError(`keystore ${file}: address ${JSON.stringify(address)} is not an address`);
    }
    if (named !== derivedAddress) {
      throw new KeyError(`keystore ${file} names address ${named}, but its key is for ${derivedAddress}`);
    }
  }
  return privateKey;
}
