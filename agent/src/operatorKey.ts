/**
 * The operator's key: the TEE offer's provider authority or action account, which sends every
 * transaction of the agent (TCB publications, starts, reports, completions, expiries) and pays their
 * gas. It comes from an Ethereum v3 keystore the configuration names (its password in the
 * environment), or from the environment; never from the command line or a file in clear. The
 * enclave's own keys are another matter: made in memory at start (./enclaveKeys.ts).
 */
import type { Hex } from "viem";
import { privateKeyToAccount } from "viem/accounts";

import { InputError } from "@tee-marketplace/sdk";
import { readKeystoreFile } from "@tee-marketplace/sdk/node";

import { KEYSTORE_PASSWORD_ENV, PRIVATE_KEY_ENV } from "./config.js";

/**
 * The operator's private key.
 *
 * @param keystore The keystore file of the configuration, if any.
 * @param env The environment (`process.env`).
 * @example
 * const key = await loadOperatorKey(config.keystore, process.env);
 * @throws {InputError} naming the variable that is missing, ambiguous or malformed.
 * @throws {FileFormatError} when the keystore is not a v3 keystore.
 * @throws {DecryptionError} when its password is wrong.
 */
export async function loadOperatorKey(
  keystore: string | undefined,
  env: Readonly<Record<string, string | undefined>>,
): Promise<Hex> {
  const key = env[PRIVATE_KEY_ENV]?.trim();
  if (keystore !== undefined) {
    if (key !== undefined && key !== "") {
      throw new InputError(
        PRIVATE_KEY_ENV,
        `is set and the configuration names a keystore (${keystore}); keep one source of the operator's key`,
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
      "is not set: put the key of the TEE offer's action account (or authority) in it, or name an Ethereum " +
        `v3 keystore in the configuration ("keystore") with its password in ${KEYSTORE_PASSWORD_ENV}`,
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
