/**
 * A service's private key, the way our programs take it: from an Ethereum v3 keystore file named in
 * their configuration (its password in an environment variable), or from an environment variable
 * holding the key; never from the command line (shell histories, process lists) or a file in
 * clear. Messages never echo a key or a password.
 */
import type { Hex } from "viem";
import { privateKeyToAccount } from "viem/accounts";

import { InputError } from "../errors.js";
import { readKeystoreFile } from "./keystore.js";

/** Where a program looks for its key. */
export interface PrivateKeySource {
  /** The keystore file its configuration names, if any. */
  keystore: string | undefined;
  /** The environment (`process.env`). */
  env: Readonly<Record<string, string | undefined>>;
  /** The variable that may hold the key (`0x` and 64 hex digits, or the 64 digits alone). */
  keyVariable: string;
  /** The variable that holds the keystore's password. */
  passwordVariable: string;
  /** Whose key it is, for the messages ("the signing key", "the operator's key"). */
  what: string;
}

/**
 * The private key from its keystore or its environment variable: exactly one of the two.
 *
 * @param source See {@link PrivateKeySource}.
 * @returns The key, as lowercase `0x` hex.
 * @example
 * const key = await readPrivateKey({ keystore: config.keystore, env: process.env, keyVariable: "MY_KEY", passwordVariable: "MY_KEYSTORE_PASSWORD", what: "the signing key" });
 * @throws {InputError} naming the variable that is missing, set together with a keystore, or not a key.
 * @throws {FileFormatError} when the keystore is not a v3 keystore.
 * @throws {DecryptionError} when its password is wrong.
 */
export async function readPrivateKey(source: PrivateKeySource): Promise<Hex> {
  const { keystore, env, keyVariable, passwordVariable, what } = source;
  const key = env[keyVariable]?.trim();
  if (keystore !== undefined) {
    if (key !== undefined && key !== "") {
      throw new InputError(
        keyVariable,
        `is set and the configuration names a keystore (${keystore}); keep one source of ${what}`,
      );
    }
    const password = env[passwordVariable];
    if (password === undefined) {
      throw new InputError(passwordVariable, `is not set: it holds the password of the keystore ${keystore}`);
    }
    return readKeystoreFile(keystore, password);
  }
  if (key === undefined || key === "") {
    throw new InputError(
      keyVariable,
      `is not set: put ${what} in it, or name an Ethereum v3 keystore in the configuration ("keystore") ` +
        `with its password in ${passwordVariable}`,
    );
  }
  const hex = (key.startsWith("0x") ? key : `0x${key}`).toLowerCase() as Hex;
  try {
    if (!/^0x[0-9a-f]{64}$/.test(hex)) throw new Error("not 32 bytes of hex");
    privateKeyToAccount(hex);
  } catch {
    throw new InputError(keyVariable, "is not a secp256k1 private key (64 hex digits, with or without 0x)");
  }
  return hex;
}
