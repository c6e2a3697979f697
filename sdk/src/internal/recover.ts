/**
 * Synchronous signer recovery (viem's `recoverAddress` is async: it loads the curve lazily). The
 * pure report check needs it; the curve is the one viem uses. Not exported from the package.
 */
import { secp256k1 } from "@noble/curves/secp256k1";
import {
  type Address,
  type Hex,
  bytesToHex,
  compactSignatureToSignature,
  hexToNumber,
  parseCompactSignature,
  serializeSignature,
} from "viem";
import { publicKeyToAddress } from "viem/accounts";

/**
 * The address that signed `digest` with `signature`: 65 bytes (`r || s || v`, v 0/1 or 27/28) or
 * 64 bytes (EIP-2098 compact).
 *
 * @throws {Error} when the signature is not 64 or 65 bytes, its v is not a recovery bit, or it does
 * not recover to a point.
 */
export function recoverAddressSync(digest: Hex, signature: Hex): Address {
  const full =
    signature.length === 130
      ? serializeSignature(compactSignatureToSignature(parseCompactSignature(signature)))
      : signature;
  if (full.length !== 132) throw new Error(`a signature is 64 or 65 bytes, not ${(full.length - 2) / 2}`);
  const v = hexToNumber(`0x${full.slice(130)}`);
  const bit = v === 27 || v === 28 ? v - 27 : v;
  if (bit !== 0 && bit !== 1) throw new Error(`the signature's v is ${v}, not 0, 1, 27 or 28`);
  const point = secp256k1.Signature.fromCompact(full.slice(2, 130))
    .addRecoveryBit(bit)
    .recoverPublicKey(digest.slice(2));
  return publicKeyToAddress(bytesToHex(point.toRawBytes(false)));
}
