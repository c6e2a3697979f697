/**
 * The service's signing key: from an Ethereum v3 keystore file named in the configuration (its
 * password in an environment variable), or from an environment variable holding the key. Never
 * from the command line (shell histories, process lists) or a file in clear. Messages never echo a
 * key or a password.
 */
import type { Hex } from "viem";

import { readPrivateKey } from "@tee-marketplace/sdk/node";

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
  return readPrivateKey({
    keystore,
    env,
    keyVariable: PRIVATE_KEY_ENV,
    passwordVariable: KEYSTORE_PASSWORD_ENV,
    what: "the signing key",
  });
}
