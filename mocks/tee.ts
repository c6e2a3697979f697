/**
 * STAND-IN FOR TEE HARDWARE (an Intel TDX or SGX enclave, an AMD SEV guest): not a TEE, it protects
 * nothing.
 *
 * A real TEE creates its signing key (the TCB's `teeKey`) and its ECIES key pair inside the enclave
 * and never lets the private halves out; the CPU produces a quote that binds the enclave's
 * measurement and the report data (the hash of those keys, the chain and the TCB registry), signed
 * by the vendor's key chain. Here the keys are ordinary keys in this process and the quote is
 * made-up bytes in a recognisable format. The contracts and the SDK see exactly what a real TEE
 * would give them: a key that signs reports and sends transactions, an ECIES public key, a quote,
 * and (from the stand-in attestation service, ./attestationService.ts) a proof over it.
 */
import { type Hex, concat, keccak256, stringToHex } from "viem";
import { generatePrivateKey, type PrivateKeyAccount, privateKeyToAccount } from "viem/accounts";

import { teePublicKeyFromPrivateKey } from "../sdk/src/index.js";

/** The stand-in enclave's measurement (MRTD / MRENCLAVE in real hardware). */
export const MOCK_MEASUREMENT: Hex = keccak256(stringToHex("tee-marketplace mock enclave v1"));

/** Marks the made-up quotes, so nobody mistakes them for real ones. */
const QUOTE_PREFIX = stringToHex("MOCK-TEE-QUOTE-v1 (not a real quote)");

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
  /** The enclave measurement the quote claims. */
  readonly measurement: Hex;
  /** A made-up quote over `reportData`: prefix, measurement, report data. */
  quote(reportData: Hex): Hex;
}

/**
 * Creates a stand-in TEE with fresh keys (or the given ones).
 *
 * @example
 * const tee = mockTee();
 * const quote = tee.quote(client.tee.attestationReportData({ teeKey: tee.account.address, publicKey: tee.publicKey }));
 */
export function mockTee(
  options: { privateKey?: Hex; eciesKey?: Hex; measurement?: Hex; device?: string } = {},
): MockTee {
  const privateKey = options.privateKey ?? generatePrivateKey();
  const eciesKey = options.eciesKey ?? generatePrivateKey();
  const measurement = options.measurement ?? MOCK_MEASUREMENT;
  return {
    privateKey,
    account: privateKeyToAccount(privateKey),
    eciesKey,
    publicKey: teePublicKeyFromPrivateKey(eciesKey),
    deviceId: keccak256(stringToHex(options.device ?? "mock-tee-device-1")),
    measurement,
    quote: (reportData) => concat([QUOTE_PREFIX, measurement, reportData]),
  };
}
