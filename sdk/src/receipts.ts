/**
 * Result receipts (docs/design.md §4): what an order's enclave signs when it delivers the result,
 * with EIP-712 over the Orders contract's domain (the same domain as order reports): the order, the
 * result's hash, and one encrypted result pointer per recipient the workflow named. `completeOrder`
 * with status Done accepts only a receipt its enclave signed; every recipient can then show that
 * all of them were given the same result.
 */
import { type Address, type Hex, hashTypedData, recoverTypedDataAddress } from "viem";

import { InputError } from "./errors.js";
import { errorText } from "./internal/fields.js";
import { accountFor } from "./internal/keys.js";
import type { OrderReportDomain } from "./reports.js";
import { toBytes32, toHexBytes, toUint } from "./validate.js";

/** The enclave's receipt for an order's result (`IOrderReports.ResultReceipt`). */
export interface ResultReceipt {
  /** The order. */
  orderId: bigint;
  /** sha256 of the result the recipients download. */
  resultHash: Hex;
  /** One encrypted result pointer per result recipient, in the workflow's order (the consumer's first). */
  pointers: readonly Hex[];
}

/**
 * The EIP-712 types of a result receipt, exactly as in IOrderReports.sol:
 * `ResultReceipt(uint256 orderId,bytes32 resultHash,bytes[] pointers)`.
 *
 * @example
 * await walletClient.signTypedData({ domain, types: resultReceiptTypes, primaryType: "ResultReceipt", message: receipt });
 * @throws nothing: it is a constant.
 */
export const resultReceiptTypes = {
  ResultReceipt: [
    { name: "orderId", type: "uint256" },
    { name: "resultHash", type: "bytes32" },
    { name: "pointers", type: "bytes[]" },
  ],
} as const;

/**
 * The EIP-712 digest an enclave signs for a receipt (`resultReceiptDigest` in IOrderReports.sol).
 *
 * @param domain The Orders domain (`orderReportDomain(chainId, orders)`).
 * @param receipt The receipt.
 * @example
 * const digest = resultReceiptDigest(orderReportDomain(5611, ordersAddress), receipt);
 * @throws {InputError} naming the field when the receipt is malformed.
 */
export function resultReceiptDigest(domain: OrderReportDomain, receipt: ResultReceipt): Hex {
  return hashTypedData({
    domain,
    types: resultReceiptTypes,
    primaryType: "ResultReceipt",
    message: checkReceipt(receipt),
  });
}

/**
 * Signs a receipt with the order's enclave key (TEE side).
 *
 * @param teePrivateKey The enclave's TEE key.
 * @param domain The Orders domain.
 * @param receipt The receipt.
 * @returns The 65-byte signature `completeOrder` takes.
 * @example
 * const signature = await signResultReceipt(teePrivateKey, domain, { orderId, resultHash, pointers });
 * @throws {InputError} naming `teePrivateKey` or the field of the receipt that is malformed.
 */
export async function signResultReceipt(
  teePrivateKey: Hex,
  domain: OrderReportDomain,
  receipt: ResultReceipt,
): Promise<Hex> {
  return accountFor(teePrivateKey, "teePrivateKey").signTypedData({
    domain,
    types: resultReceiptTypes,
    primaryType: "ResultReceipt",
    message: checkReceipt(receipt),
  });
}

/**
 * The address that signed a receipt: genuine when it is the order's enclave key.
 *
 * @param domain The Orders domain.
 * @param receipt The receipt.
 * @param signature Its 65-byte signature.
 * @example
 * if ((await recoverResultReceiptSigner(domain, receipt, signature)) !== order.teeKey) throw new Error("forged receipt");
 * @throws {InputError} naming `signature` when it does not recover, or the malformed receipt field.
 */
export async function recoverResultReceiptSigner(
  domain: OrderReportDomain,
  receipt: ResultReceipt,
  signature: Hex,
): Promise<Address> {
  const message = checkReceipt(receipt);
  try {
    return await recoverTypedDataAddress({
      domain,
      types: resultReceiptTypes,
      primaryType: "ResultReceipt",
      message,
      signature: toHexBytes(signature, "signature"),
    });
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new InputError("signature", `does not recover to an address: ${errorText(error)}`, {
      cause: error,
    });
  }
}

function checkReceipt(receipt: ResultReceipt): ResultReceipt {
  if (!Array.isArray(receipt?.pointers)) {
    throw new InputError("receipt.pointers", "expected an array of encrypted result pointers");
  }
  return {
    orderId: toUint(receipt.orderId, "receipt.orderId"),
    resultHash: toBytes32(receipt.resultHash, "receipt.resultHash"),
    pointers: receipt.pointers.map((pointer, i) => toHexBytes(pointer, `receipt.pointers[${i}]`)),
  };
}
