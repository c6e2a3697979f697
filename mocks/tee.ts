/**
 * STAND-IN FOR TEE HARDWARE (an Intel TDX or SGX enclave, an AMD SEV guest): not a TEE, it protects
 * nothing.
 *
 * A real TEE creates its signing key (the TCB's `teeKey`) and its ECIES key pair inside the enclave
 * and never lets the private halves out; the CPU produces a quote that binds the enclave's
 * measurement and the report data (the hash of those keys, the chain, the TCB registry and the TEE
 * offer), signed by the vendor's key chain. Here the keys are ordinary keys in this process and the
 * quote is a genuine-layout TDX quote v4 signed under the test PKI of ./testPki.ts (./tdxQuote.ts),
 * not Intel's: the real attestation service, trusting the test root (./localAttestation.ts),
 * verifies it exactly as it would verify a real one. The contracts and the SDK see what a real TEE
 * would give them: a key that signs reports and sends transactions, an ECIES public key, a quote.
 */
import { type Hex, keccak256, stringToHex } from "viem";
import { generatePrivateKey, type PrivateKeyAccount, privateKeyToAccount } from "viem/accounts";

import { teePublicKeyFromPrivateKey } from "../sdk/src/index.js";
import { TEST_TD_REGISTRY_MEASUREMENT, tdxQuoteMaker } from "./tdxQuote.js";
import type { TestPki } from "./testPki.js";

/** A stand-in TEE: its keys, its measurement and a quote maker. */
export interface MockTee {
  /** The TEE signing key (the TCB's `teeKey`): signs order reports, may send the TEE's transactions. */
  readonly privateKey: Hex;
  /** The signing key as a viem account. */
  readonly account: PrivateKeyAccount;
  /** The ECIES private key: decrypts what data owners encrypt for this TEE. */
  readonly eciesKey: Hex;
  /** The ECIES public key published in the TCB (uncompressed secp256k1, 65 bytes). */
  readonly publicKey: Hex;
  /** The device id published in the TCB. */
  readonly deviceId: Hex;
  /** The registry measurement of the quotes (keccak256 of the TD's MRTD and RTMRs). */
  readonly measurement: Hex;
  /** A TDX quote carrying `reportData` (the registry's 32-byte binding), under the test root. */
  quote(reportData: Hex): Hex;
}

/**
 * Creates a stand-in TEE with fresh keys (or the given ones), quoting under `pki`.
 *
 * @example
 * const tee = mockTee({ pki: attestation.pki });
 * const quote = tee.quote(client.tee.attestationReportData({ teeOfferId, teeKey: tee.account.address, publicKey: tee.publicKey }));
 */
export function mockTee(options: {
  pki: TestPki;
  privateKey?: Hex;
  eciesKey?: Hex;
  device?: string;
}): MockTee {
  const privateKey = options.privateKey ?? generatePrivateKey();
  const eciesKey = options.eciesKey ?? generatePrivateKey();
  return {
    privateKey,
    account: privateKeyToAccount(privateKey),
    eciesKey,
    publicKey: teePublicKeyFromPrivateKey(eciesKey),
    deviceId: keccak256(stringToHex(options.device ?? "mock-tee-device-1")),
    measurement: TEST_TD_REGISTRY_MEASUREMENT,
    quote: tdxQuoteMaker(options.pki),
  };
}
