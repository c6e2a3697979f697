/**
 * The operator's key: the TEE offer's provider authority or action account, which sends every
 * transaction of the agent (TCB publications, starts, reports, completions, expiries) and pays their
 * gas. It comes from an Ethereum v3 keystore the configuration names (its password in the
 * environment), or from the environment; never from the command line or a file in clear. The
 * enclave's own keys are another matter: made in memory at start (./enclaveKeys.ts).
 */
import type { Hex } from "viem";

import { readPrivateKey } from "@tee-marketplace/sdk/node";

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
  return readPrivateKey({
    keystore,
    env,
    keyVariable: PRIVATE_KEY_ENV,
    passwordVariable: KEYSTORE_PASSWORD_ENV,
    what: "the key of the TEE offer's action account (or authority)",
  });
}
