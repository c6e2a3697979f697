/// <reference types="node" />
/**
 * Ethereum v3 keystores (the encrypted key files of geth, Foundry's `cast wallet`, ethers and
 * MetaMask exports: scrypt or PBKDF2-HMAC-SHA256, AES-128-CTR, a keccak256 MAC), decrypted by
 * `@ethereumjs/wallet` after their shape and the key derivation's cost are checked here (Node
 * only). Services that sign (the attestation service, the TEE agent, the CLI) keep their key in
 * one, never in a file in clear.
 */
import { open } from "node:fs/promises";

import { Wallet } from "@ethereumjs/wallet";
import { type Hex, isAddressEqual } from "viem";
import { privateKeyToAccount } from "viem/accounts";

import { DecryptionError, FileFormatError, InputError } from "../errors.js";
import { type JsonObject, describe, errorText, fieldPath, isObject } from "../internal/fields.js";

/** The largest keystore file read, in bytes (a v3 keystore is about 500 bytes). */
const MAX_KEYSTORE_SIZE = 65_536;

/** Bounds on the key derivation's cost, so a hostile file cannot exhaust memory or time. */
const LIMITS = { scryptN: 1_048_576 /* 2^20 */, scryptR: 16, scryptP: 16, pbkdf2C: 10_000_000 };

/**
 * Decrypts an Ethereum v3 keystore.
 *
 * @param keystore The keystore: its JSON text or the parsed object.
 * @param password Its password.
 * @returns The private key, as `0x` hex.
 * @example
 * const key = await decryptKeystore(json, password); // the password from a prompt or the environment
 * @throws {InputError} naming the keystore field that is missing or malformed (never the key or password).
 * @throws {DecryptionError} when the password is wrong (the MAC does not match), the content is no
 * private key or the decryption fails (the cause kept), or the key is not the address the file names.
 */
export async function decryptKeystore(keystore: unknown, password: string): Promise<Hex> {
  let json = keystore;
  if (typeof keystore === "string") {
    try {
      json = JSON.parse(keystore) as unknown;
    } catch (error) {
      throw new InputError("keystore", `is not JSON: ${errorText(error)}`, { cause: error });
    }
  }
  if (!isObject(json))
    throw new InputError("keystore", `expected a v3 keystore object, got ${describe(json)}`);
  if (json["version"] !== 3) throw new InputError("version", `expected 3, got ${describe(json["version"])}`);
  // Some older tools wrote the section as "Crypto".
  const base = !isObject(json["crypto"]) && isObject(json["Crypto"]) ? "Crypto" : "crypto";
  const crypto = objectField(json, "", base);
  if (crypto["cipher"] !== "aes-128-ctr") {
    throw new InputError(
      fieldPath(base, "cipher"),
      `expected "aes-128-ctr", got ${describe(crypto["cipher"])}`,
    );
  }
  const kdfparams = checkKdf(crypto, base);
  const v3 = {
    version: 3,
    crypto: {
      cipher: "aes-128-ctr",
      cipherparams: { iv: ivField(objectField(crypto, base, "cipherparams"), `${base}.cipherparams`) },
      ciphertext: hexField(crypto, base, "ciphertext"),
      mac: hexField(crypto, base, "mac"),
      kdf: crypto["kdf"],
      kdfparams,
    },
  };
  let key: Hex;
  try {
    const wallet = await Wallet.fromV3(v3 as unknown as Parameters<typeof Wallet.fromV3>[0], password);
    key = wallet.getPrivateKeyString() as Hex;
  } catch (error) {
    if (/wrong passphrase/i.test(errorText(error))) {
      throw new DecryptionError("The keystore's password is wrong (its MAC does not match).", {
        cause: error,
      });
    }
    throw new DecryptionError(
      `The keystore cannot be decrypted to a secp256k1 private key (${errorText(error)}).`,
      {
        cause: error,
      },
    );
  }
  const address = privateKeyToAccount(key).address;
  const named = json["address"];
  if (typeof named === "string" && /^(0x)?[0-9a-fA-F]{40}$/.test(named)) {
    if (!isAddressEqual(address, `0x${named.replace(/^0x/, "")}`)) {
      throw new DecryptionError(
        `The keystore names address 0x${named.replace(/^0x/, "")} but holds the key of ${address}.`,
      );
    }
  }
  return key;
}

/**
 * Reads and decrypts an Ethereum v3 keystore file.
 *
 * @param path The file.
 * @param password Its password (from the environment or a prompt; never from a command line).
 * @returns The private key, as `0x` hex.
 * @example
 * const key = await readKeystoreFile("service.keystore.json", password);
 * @throws {InputError} naming `path` when it cannot be read or is over 64 KiB.
 * @throws {FileFormatError} with the path and the field when it is not a v3 keystore.
 * @throws {DecryptionError} when the password is wrong.
 */
export async function readKeystoreFile(path: string, password: string): Promise<Hex> {
  let text: string;
  try {
    const file = await open(path, "r");
    try {
      const { size } = await file.stat();
      if (size > MAX_KEYSTORE_SIZE) {
        throw new InputError(
          "path",
          `${path} is ${size} bytes, more than a keystore's cap of ${MAX_KEYSTORE_SIZE}`,
        );
      }
      text = await file.readFile("utf8");
    } finally {
      await file.close();
    }
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new InputError("path", `cannot read keystore ${path} (${errorText(error)})`, { cause: error });
  }
  try {
    return await decryptKeystore(text, password);
  } catch (error) {
    if (error instanceof InputError)
      throw new FileFormatError(path, error.field, error.detail, { cause: error });
    throw error;
  }
}

/** The key derivation's parameters, within {@link LIMITS}, as `@ethereumjs/wallet` reads them. */
function checkKdf(crypto: JsonObject, base: string): JsonObject {
  const path = `${base}.kdfparams`;
  const params = objectField(crypto, base, "kdfparams");
  const salt = hexField(params, path, "salt");
  const dklen = intField(params, path, "dklen", 32);
  if (dklen !== 32) throw new InputError(fieldPath(path, "dklen"), `expected 32, got ${dklen}`);
  if (crypto["kdf"] === "scrypt") {
    const n = intField(params, path, "n", LIMITS.scryptN);
    const r = intField(params, path, "r", LIMITS.scryptR);
    const p = intField(params, path, "p", LIMITS.scryptP);
    return { salt, dklen, n, r, p };
  }
  if (crypto["kdf"] === "pbkdf2") {
    if (params["prf"] !== "hmac-sha256") {
      throw new InputError(fieldPath(path, "prf"), `expected "hmac-sha256", got ${describe(params["prf"])}`);
    }
    return { salt, dklen, c: intField(params, path, "c", LIMITS.pbkdf2C), prf: "hmac-sha256" };
  }
  throw new InputError(
    fieldPath(base, "kdf"),
    `expected "scrypt" or "pbkdf2", got ${describe(crypto["kdf"])}`,
  );
}

function objectField(parent: JsonObject, base: string, key: string): JsonObject {
  const value = parent[key];
  if (!isObject(value))
    throw new InputError(fieldPath(base, key), `expected an object, got ${describe(value)}`);
  return value;
}

/** Hex bytes, as `@ethereumjs/wallet` compares them: lowercase, without `0x`. */
function hexField(parent: JsonObject, base: string, key: string): string {
  const value = parent[key];
  if (typeof value !== "string" || !/^(0x)?([0-9a-fA-F]{2})+$/.test(value)) {
    throw new InputError(fieldPath(base, key), "expected hex bytes");
  }
  return value.replace(/^0x/, "").toLowerCase();
}

/** AES-128-CTR's 16-byte initial counter. */
function ivField(cipherparams: JsonObject, base: string): string {
  const iv = hexField(cipherparams, base, "iv");
  if (iv.length !== 32)
    throw new InputError(fieldPath(base, "iv"), `expected 16 bytes, got ${iv.length / 2}`);
  return iv;
}

function intField(parent: JsonObject, base: string, key: string, max: number): number {
  const value = parent[key];
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value <= 0 || value > max) {
    throw new InputError(
      fieldPath(base, key),
      `expected a positive integer up to ${max}, got ${describe(value)}`,
    );
  }
  return value;
}
