/**
 * The enclave's keys, made in memory when the agent starts and never written anywhere: the TEE
 * signing key (the TCB's `teeKey`, which signs order reports and result receipts) and the ECIES key
 * pair that hand-overs and arguments are sealed for. A restarted agent has new keys, so an order
 * bound to the old ones can no longer be opened by anyone: that is the point.
 */
import type { Address, Hex } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";

import { teePublicKeyFromPrivateKey } from "@tee-marketplace/sdk";

/** The enclave's keys. */
export interface EnclaveKeys {
  /** The TEE signing key's private half (in memory only). */
  readonly signingKey: Hex;
  /** Its address: the TCB's `teeKey`, the enclave orders are bound to. */
  readonly teeKey: Address;
  /** The ECIES private key (in memory only). */
  readonly eciesKey: Hex;
  /** The ECIES public key published in the TCB (65 bytes, uncompressed). */
  readonly publicKey: Hex;
}

/**
 * Fresh enclave keys from the operating system's random source.
 *
 * @example
 * const keys = createEnclaveKeys();
 * console.log(`enclave ${keys.teeKey}`);
 * @throws nothing.
 */
export function createEnclaveKeys(): EnclaveKeys {
  const signingKey = generatePrivateKey();
  const eciesKey = generatePrivateKey();
  return {
    signingKey,
    teeKey: privateKeyToAccount(signingKey).address,
    eciesKey,
    publicKey: teePublicKeyFromPrivateKey(eciesKey),
  };
}
