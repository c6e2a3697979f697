import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { teePublicKeyFromPrivateKey } from "@tee-marketplace/sdk";
/**
 * Fresh enclave keys from the operating system's random source.
 *
 * @example
 * const keys = createEnclaveKeys();
 * console.log(`enclave ${keys.teeKey}`);
 * @throws nothing.
 */
export function createEnclaveKeys() {
  const signingKey = generatePrivateKey();
  const eciesKey = generatePrivateKey();
  return {
    signingKey,
    teeKey: privateKeyToAccount(signingKey).address,
    eciesKey,
    publicKey: teePublicKeyFromPrivateKey(eciesKey),
  };
}
//# sourceMappingURL=enclaveKeys.js.map
