/**
 * The service's signing key: from an Ethereum v3 keystore file named in the configuration (its
 * password in an environment variable), or from an environment variable holding the key. Never
 * from the command line (shell histories, process lists) or a file in clear. Messages never echo a
 * key or a password.
 */
import type { Hex } from "viem";
import { privateKeyToAccount } from "viem/accounts";

import { InputError } from "@tee-marketplace/sdk";
import { readKeystoreFile } from "@tee-marketplace/sdk/node";

/** The environment variable holding the signing key (`0x` and 64 hex digits). */
export const PRIVATE_KEY_ENV = "TEE_ATTESTATION_SERVICE_PRIVATE_KEY";
/** The environment variable holding the keystore's password. */
export const KEYSTORE_PASSWORD_ENV = "TEE_ATTESTATION_SERVICE_KEYSTORE_PASSWORD";

/**
 * The private key to sign attestations with.
 *
 * @param keystore The keystore file of the configuration, if any.
 * @param env The environment (`process.env`).
 * @example
 * const key = await loadSigningKey(config.keystore, process.env);
 * @throws {InputError} naming the variable or setting that is missing, ambiguous or malformed.
 * @throws {FileFormatError} when the keystore is not a v3 keystore.
 * @throws {DecryptionError} when its password is wrong.
 */
export async function loadSigningKey(
  keystore: string | undefined,
  env: Readonly<Record<string, string | undefined>>,
): Promise<Hex> {
  const key = env[PRIVATE_KEY_ENV]?.trim();
  if (keystore !== undefined) {
    if (key !== undefined && key !== "") {
      throw new InputError(
        PRIVATE_KEY_ENV,
        `is set and the configuration names a keystore (${keystore}); keep one source of the signing key`,
      );
    }
    const password = env[KEYSTORE_PASSWORD_ENV];
    if (password === undefined) {
      throw new InputError(
        KEYSTORE_PASSWORD_ENV,
        `is not set: it holds the password of the keystore ${keystore}`,
      );
    }
    return readKeystoreFile(keystore, password);
  }
  if (key === undefined || key === "") {
    throw new InputError(
      PRIVATE_KEY_ENV,
      `is not set: put the signing key in it, or name an Ethereum v3 keystore in the configuration ("keystore") ` +
        `with its password in ${KEYSTORE_PASSWORD_ENV}`,
    );
  }
  const hex = (key.startsWith("0x") ? key : `0x${key}`).toLowerCase() as Hex;
  try {
    if (!/^0x[0-9a-f]{64}$/.test(hex)) throw new Error("not 32 bytes of hex");
    privateKeyToAccount(hex);
  } catch {
    throw new InputError(
      PRIVATE_KEY_ENV,
      "is not a secp256k1 private key (64 hex digits, with or without 0x)",
    );
  }
  return hex;
}
