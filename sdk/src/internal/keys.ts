/**
 * Private key handling shared by the signing and decryption helpers. Messages never echo a key.
 * Not exported from the package.
 */
import { type Hex, type LocalAccount, bytesToHex, hexToBytes } from "viem";
import { type PrivateKeyAccount, privateKeyToAccount } from "viem/accounts";

import { InputError } from "../errors.js";

const EXPECTED = "expected a secp256k1 private key: 0x and 64 hex digits, or 32 bytes";

/** The 32 bytes of a private key given as `0x` hex or bytes; the range is checked by the caller. */
export function privateKeyBytes(value: unknown, field: string): Uint8Array {
  if (value instanceof Uint8Array) {
    if (value.length !== 32) throw new InputError(field, `${EXPECTED}; got ${value.length} bytes`);
    return value;
  }
  if (typeof value === "string" && /^0x[0-9a-f]{64}$/i.test(value)) return hexToBytes(value as Hex);
  const what =
    typeof value === "string"
      ? /^0x[0-9a-f]*$/i.test(value)
        ? `${value.length - 2} hex digits`
        : "a string that is not 0x-prefixed hex"
      : `a ${value === null ? "null" : typeof value}`;
  throw new InputError(field, `${EXPECTED}; got ${what}`);
}

/** A local viem account for a private key, or an InputError naming `field`. */
export function accountFor(privateKey: unknown, field: string): PrivateKeyAccount {
  const bytes = privateKeyBytes(privateKey, field);
  try {
    return privateKeyToAccount(bytesToHex(bytes));
  } catch (error) {
    throw new InputError(field, `${EXPECTED}; this one is zero or not below the curve order`, {
      cause: error,
    });
  }
}

/** Who signs as an enclave (reports, receipts): its TEE key, as a `0x` private key or a viem local account. */
export type TeeSigner = Hex | Pick<LocalAccount, "address" | "signTypedData">;

/** The signer as an account, or an InputError naming `field`. */
export function teeSignerAccount(
  signer: unknown,
  field: string,
): Pick<LocalAccount, "address" | "signTypedData"> {
  if (typeof signer === "string") return accountFor(signer, field);
  if (
    typeof signer === "object" &&
    signer !== null &&
    "signTypedData" in signer &&
    typeof signer.signTypedData === "function" &&
    "address" in signer &&
    typeof signer.address === "string"
  ) {
    return signer as Pick<LocalAccount, "address" | "signTypedData">;
  }
  throw new InputError(field, "expected the TEE key: a 0x private key or a viem local account");
}
