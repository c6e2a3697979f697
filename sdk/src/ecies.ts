/**
 * ECIES over secp256k1 for TEE inputs: a data owner encrypts their resource for the ECIES public
 * key of the active TCB, and only the TEE holding the private key opens it.
 *
 * Wire format (eciesjs defaults, also what eciespy and the Rust `ecies` crate read and write):
 * `ephemeral public key (65 bytes, uncompressed) || nonce (16) || tag (16) || ciphertext`, with
 * the key derived by HKDF-SHA256 over the uncompressed ephemeral and shared points, and AES-256-GCM.
 */
import { PrivateKey, PublicKey, decrypt, encrypt } from "eciesjs";
import { Config } from "eciesjs/config";
import { type Hex, bytesToHex, hexToBytes, stringToBytes } from "viem";

import { DecryptionError, InputError } from "./errors.js";
import { errorText } from "./internal/fields.js";
import { privateKeyBytes } from "./internal/keys.js";
import { toHexBytes } from "./validate.js";

/** Fixed settings, so a change to eciesjs' global `ECIES_CONFIG` elsewhere cannot change ours. */
const CONFIG = new Config();
/** Ephemeral key, nonce and tag: the least a ciphertext holds. */
const MIN_CIPHERTEXT_SIZE = 65 + 16 + 16;

/**
 * Encrypts data for a TEE's ECIES public key (the `publicKey` of its TCB).
 *
 * @param publicKey secp256k1 public key: 65 bytes uncompressed (`0x04...`), 33 bytes compressed
 * (`0x02...`/`0x03...`), or 64 bytes (uncompressed without the `04` prefix), as `0x` hex or bytes.
 * @param plaintext The data. A string is taken as text and encoded as UTF-8, even if it looks like
 * hex; pass a `Uint8Array` (viem's `hexToBytes`) for binary data.
 * @returns The ciphertext as `0x` hex (format in the module description). Each call gives a
 * different ciphertext (fresh ephemeral key and nonce).
 * @example
 * const encryptedResource = encryptForTee(tcb.publicKey, JSON.stringify(resourceFile.raw));
 * @throws {InputError} naming `publicKey` when it is not a valid secp256k1 public key.
 */
export function encryptForTee(publicKey: Hex | Uint8Array, plaintext: Uint8Array | string): Hex {
  const key = parsePublicKey(publicKey);
  const data = typeof plaintext === "string" ? stringToBytes(plaintext) : plaintext;
  return bytesToHex(encrypt(key.toBytes(false), data, CONFIG));
}

/**
 * Decrypts what {@link encryptForTee} encrypted, with the TEE's ECIES private key.
 *
 * @param privateKey 32-byte secp256k1 private key, as `0x` hex or bytes.
 * @param ciphertext The ciphertext, as `0x` hex or bytes.
 * @returns The plaintext bytes (`new TextDecoder().decode(...)` for text).
 * @example
 * const resource = JSON.parse(new TextDecoder().decode(decryptWithTeeKey(teeEciesKey, encryptedResult)));
 * @throws {InputError} naming `privateKey` or `ciphertext` when it is malformed (not a key, too
 * short to be a ciphertext).
 * @throws {DecryptionError} when the ciphertext was not encrypted for this key or was altered;
 * the cryptographic error is the `cause`.
 */
export function decryptWithTeeKey(privateKey: Hex | Uint8Array, ciphertext: Hex | Uint8Array): Uint8Array {
  const secret = parsePrivateKey(privateKey).secret;
  const data = hexToBytes(toHexBytes(ciphertext, "ciphertext"));
  if (data.length < MIN_CIPHERTEXT_SIZE) {
    throw new InputError(
      "ciphertext",
      `is ${data.length} bytes, shorter than the ${MIN_CIPHERTEXT_SIZE} bytes of an ECIES header; ` +
        `pass the whole output of encryptForTee`,
    );
  }
  try {
    return decrypt(secret, data, CONFIG);
  } catch (error) {
    throw new DecryptionError(
      `The ciphertext does not decrypt with this private key (${errorText(error)}): it was encrypted for ` +
        `another public key, or altered. Check that the data was encrypted for this TEE's current TCB.`,
      { cause: error },
    );
  }
}

/**
 * The ECIES public key of a private key, uncompressed (65 bytes, `0x04...`): what a TEE publishes
 * in its TCB.
 *
 * @param privateKey 32-byte secp256k1 private key, as `0x` hex or bytes.
 * @example
 * teePublicKeyFromPrivateKey("0x0000000000000000000000000000000000000000000000000000000000000001");
 * // "0x0479be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798483ada7726a3c4655da4fbfc0e1108a8fd17b448a68554199c47d08ffb10d4b8"
 * @throws {InputError} naming `privateKey` when it is not a valid secp256k1 private key.
 */
export function teePublicKeyFromPrivateKey(privateKey: Hex | Uint8Array): Hex {
  return bytesToHex(parsePrivateKey(privateKey).publicKey.toBytes(false));
}

function parsePublicKey(value: Hex | Uint8Array): PublicKey {
  let bytes = hexToBytes(toHexBytes(value, "publicKey"));
  if (bytes.length === 64) bytes = Uint8Array.of(4, ...bytes);
  const expected =
    "expected a secp256k1 public key: 65 bytes (0x04...), 33 bytes (0x02.../0x03...) or 64 bytes";
  if (bytes.length !== 65 && bytes.length !== 33) {
    throw new InputError("publicKey", `${expected}; got ${bytes.length} bytes`);
  }
  try {
    return new PublicKey(bytes, "secp256k1");
  } catch (error) {
    throw new InputError("publicKey", `${expected}; this one is not a point on the curve`, { cause: error });
  }
}

function parsePrivateKey(value: Hex | Uint8Array): PrivateKey {
  const bytes = privateKeyBytes(value, "privateKey");
  try {
    return new PrivateKey(bytes, "secp256k1");
  } catch (error) {
    throw new InputError(
      "privateKey",
      "expected a secp256k1 private key; this one is zero or not below the curve order",
      {
        cause: error,
      },
    );
  }
}
