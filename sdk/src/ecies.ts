/**
 * ECIES over secp256k1 for TEE inputs: a data owner encrypts their resource for the ECIES public
 * key of the active TCB, and only the TEE holding the private key opens it.
 *
 * Wire format (eciesjs' defaults, which eciespy and the Rust `ecies` crate also read and write):
 * `ephemeral public key (65 bytes, uncompressed) || nonce (16) || tag (16) || ciphertext`, the
 * AES-256-GCM key being HKDF-SHA256 (no salt, no info, 32 bytes) of the uncompressed ephemeral
 * public key followed by the uncompressed shared point. Built on the noble libraries viem itself
 * uses (`@noble/curves`, `@noble/hashes`) and `@noble/ciphers` for AES-GCM, so an app bundles one
 * copy of the curve.
 */
import { gcm } from "@noble/ciphers/aes";
import { secp256k1 } from "@noble/curves/secp256k1";
import { hkdf } from "@noble/hashes/hkdf";
import { sha256 } from "@noble/hashes/sha2";
import { concatBytes, randomBytes } from "@noble/hashes/utils";
import { type Hex, bytesToHex, hexToBytes, stringToBytes } from "viem";

import { DecryptionError, InputError } from "./errors.js";
import { errorText } from "./internal/fields.js";
import { privateKeyBytes } from "./internal/keys.js";
import { toHexBytes } from "./validate.js";

const PUBLIC_KEY_SIZE = 65;
const NONCE_SIZE = 16;
const TAG_SIZE = 16;
/** Ephemeral key, nonce and tag: the least a ciphertext holds. */
const MIN_CIPHERTEXT_SIZE = 65 + 16 + 16;

/** The AES key of one message: HKDF-SHA256 of the ephemeral public key and the shared point. */
function messageKey(ephemeralPublicKey: Uint8Array, sharedPoint: Uint8Array): Uint8Array {
  return hkdf(sha256, concatBytes(ephemeralPublicKey, sharedPoint), undefined, undefined, 32);
}

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
  const receiver = parsePublicKey(publicKey);
  const data = typeof plaintext === "string" ? stringToBytes(plaintext) : plaintext;
  const ephemeralKey = secp256k1.utils.randomPrivateKey();
  const ephemeralPublicKey = secp256k1.getPublicKey(ephemeralKey, false);
  const key = messageKey(ephemeralPublicKey, secp256k1.getSharedSecret(ephemeralKey, receiver, false));
  const nonce = randomBytes(NONCE_SIZE);
  // @noble/ciphers writes ciphertext || tag; the wire format puts the tag first.
  const sealed = gcm(key, nonce).encrypt(data);
  const tag = sealed.subarray(sealed.length - TAG_SIZE);
  return bytesToHex(
    concatBytes(ephemeralPublicKey, nonce, tag, sealed.subarray(0, sealed.length - TAG_SIZE)),
  );
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
  const secret = parsePrivateKey(privateKey);
  const data = hexToBytes(toHexBytes(ciphertext, "ciphertext"));
  if (data.length < MIN_CIPHERTEXT_SIZE) {
    throw new InputError(
      "ciphertext",
      `is ${data.length} bytes, shorter than the ${MIN_CIPHERTEXT_SIZE} bytes of an ECIES header; ` +
        `pass the whole output of encryptForTee`,
    );
  }
  const ephemeralPublicKey = data.subarray(0, PUBLIC_KEY_SIZE);
  const nonce = data.subarray(PUBLIC_KEY_SIZE, PUBLIC_KEY_SIZE + NONCE_SIZE);
  const tag = data.subarray(PUBLIC_KEY_SIZE + NONCE_SIZE, MIN_CIPHERTEXT_SIZE);
  try {
    const key = messageKey(ephemeralPublicKey, secp256k1.getSharedSecret(secret, ephemeralPublicKey, false));
    return gcm(key, nonce).decrypt(concatBytes(data.subarray(MIN_CIPHERTEXT_SIZE), tag));
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
  return bytesToHex(secp256k1.getPublicKey(parsePrivateKey(privateKey), false));
}

/**
 * A fresh key pair to receive results with: the private key (keep it secret: whoever holds it
 * opens the result pointers sealed for the public key) and the public key, compressed (33 bytes,
 * the cheapest form a workflow can name as a result recipient).
 *
 * @example
 * const { privateKey, publicKey } = generateEciesKey();
 * await client.orders.createWorkflow({ ...params, resultRecipients: [publicKey] });
 * @throws nothing.
 */
export function generateEciesKey(): { privateKey: Hex; publicKey: Hex } {
  const privateKey = secp256k1.utils.randomPrivateKey();
  return {
    privateKey: bytesToHex(privateKey),
    publicKey: bytesToHex(secp256k1.getPublicKey(privateKey, true)),
  };
}

/**
 * A result recipient's public key as a workflow names it: 33 bytes (compressed) or 65 bytes
 * (uncompressed), a point on the curve, returned as given. Not exported from the package.
 */
export function toRecipientKey(value: unknown, field: string): Hex {
  const hex = toHexBytes(value, field);
  const size = (hex.length - 2) / 2;
  if (size !== 33 && size !== 65) {
    throw new InputError(field, `expected a secp256k1 public key of 33 or 65 bytes; got ${size} bytes`);
  }
  parsePublicKey(hex, field);
  return hex;
}

/** A public key in its uncompressed form (65 bytes), to compare keys given in either form. Not exported from the package. */
export function uncompressedPublicKey(value: Hex | Uint8Array, field = "publicKey"): Hex {
  return bytesToHex(parsePublicKey(value, field));
}

/** The key's uncompressed point, checked to be on the curve. */
function parsePublicKey(value: Hex | Uint8Array, field = "publicKey"): Uint8Array {
  let bytes = hexToBytes(toHexBytes(value, field));
  if (bytes.length === 64) bytes = Uint8Array.of(4, ...bytes);
  const expected =
    "expected a secp256k1 public key: 65 bytes (0x04...), 33 bytes (0x02.../0x03...) or 64 bytes";
  if (bytes.length !== 65 && bytes.length !== 33) {
    throw new InputError(field, `${expected}; got ${bytes.length} bytes`);
  }
  try {
    return secp256k1.ProjectivePoint.fromHex(bytes).toRawBytes(false);
  } catch (error) {
    throw new InputError(field, `${expected}; this one is not a point on the curve`, { cause: error });
  }
}

/** The key's 32 bytes, checked to be in 1 .. n-1. */
function parsePrivateKey(value: Hex | Uint8Array): Uint8Array {
  const bytes = privateKeyBytes(value, "privateKey");
  if (!secp256k1.utils.isValidPrivateKey(bytes)) {
    throw new InputError(
      "privateKey",
      "expected a secp256k1 private key; this one is zero or not below the curve order",
    );
  }
  return bytes;
}
