/// <reference types="node" />
/**
 * An order's result on the recipient's disk: the enclave's receipt read from the chain, the
 * recipient's pointer opened with their result key, the object downloaded, decrypted and checked
 * against the receipt's result hash, and unpacked, all before anything appears at the destination.
 */
import { lstat } from "node:fs/promises";
import { basename, dirname, resolve } from "node:path";

import type { Hex } from "viem";

import {
  type OrderResult,
  type ResultCheck,
  getOrderResult,
  openOrderResult,
  verifyOrderResult,
} from "../actions/results.js";
import type { MarketplaceContext } from "../context.js";
import { teePublicKeyFromPrivateKey } from "../ecies.js";
import { OrderStatus, enumName } from "../enums.js";
import { ContentHashMismatchError, InputError, ResultReceiptError, StateError } from "../errors.js";
import { parseResourceLocation, toResourceFile } from "../resourceFile.js";
import type { ProgressListener } from "./storage/progress.js";
import type { Storage, StorageOptions } from "./storage/storage.js";
import { downloadResource } from "./storage/transfer.js";

/** What {@link downloadResult} takes. */
export interface DownloadResultParameters {
  /** The (parent) order. */
  orderId: bigint | number | string;
  /** Your result key: the private key whose public key the workflow named as a result recipient. */
  privateKey: Hex | Uint8Array;
  /** The directory to create for the result (it must not exist yet). */
  destination: string;
  /** Unpack a tar.gz result into the destination (default true); false keeps the archive as one file in it. */
  unpack?: boolean;
  /** Read from this storage instead of the one the result's resource names. */
  storage?: Storage | StorageOptions;
  /** Credentials laid over the result resource's (keys the enclave left out of it). */
  credentials?: Readonly<Record<string, unknown>>;
  /** Largest object, and largest unpacked result, accepted in bytes (default 64 GiB). */
  maxBytes?: number;
  /** Called as bytes arrive (see `progressReporter`). */
  onProgress?: ProgressListener;
  /** Aborts the download; nothing is left at the destination. */
  signal?: AbortSignal;
}

/** What {@link downloadResult} wrote, and what it checked. */
export interface DownloadedResult {
  orderId: bigint;
  /** Done (the result) or Error (the logs the enclave left for you). */
  status: OrderStatus;
  /** sha256 of what was downloaded, equal to the receipt's result hash. */
  resultHash: Hex;
  /** The destination directory. */
  path: string;
  /** Size of the downloaded content in bytes (the archive's, for an archive). */
  bytes: number;
  /** Whether a tar.gz archive was unpacked into the destination. */
  unpacked: boolean;
  /** Your position among the workflow's result recipients (0: the consumer). */
  recipientIndex: number;
  /** `results.verify`'s checks of the receipt: `receiptSigned`, `pointerPerRecipient`, `pointerOpens`. */
  checks: ResultCheck[];
  /** The receipt as read from the chain. */
  result: OrderResult;
}

/**
 * Downloads your copy of an order's result:
 *
 * 1. reads the enclave's receipt (`orders.getResult`): a Done order's result, or an Error order's
 *    logs; a Canceled order has neither;
 * 2. checks the receipt (`results.verify`): for Done, the enclave's signature and one pointer per
 *    recipient (the contract checked both; an RPC endpoint that alters the event is caught here,
 *    before anything the receipt names is used);
 * 3. opens your pointer with your result key (`results.open`): it must name this chain, contract,
 *    order and the receipt's result hash, and the resource file inside must describe content of
 *    that hash;
 * 4. downloads the object, decrypts it and checks that its sha256 is the result hash, then unpacks
 *    a tar.gz archive (or keeps any other file as is) into a temporary directory renamed to
 *    `destination` at the end: on any failure nothing is left there.
 *
 * An Error order's receipt is not signed (the contract does not check it): its logs are the TEE
 * provider's word, not the enclave's proof.
 *
 * @param ctx The marketplace context (`client.context`).
 * @param params See {@link DownloadResultParameters}.
 * @returns See {@link DownloadedResult}.
 * @example
 * const { path, resultHash } = await downloadResult(client.context, {
 *   orderId,
 *   privateKey: resultKey.privateKey,
 *   destination: `./order-${orderId}-result`,
 *   onProgress: progressReporter(),
 * });
 * @throws {InputError} naming `orderId`, `privateKey` (malformed, or not a recipient of the order),
 * `destination` (it exists already) or a field of the result's resource file.
 * @throws {ResultReceiptError} when its Done receipt fails `receiptSigned` or `pointerPerRecipient`
 * (the RPC endpoint altered it); `failed` names every failed check.
 * @throws {StateError} when the order has no result yet, was canceled, or has no pointer for you.
 * @throws {DecryptionError} when your pointer or the object does not decrypt (a wrong key, an altered or truncated object).
 * @throws {EnvelopeMismatchError} when your pointer was sealed for another order or result hash.
 * @throws {ContentHashMismatchError} when the resource file or the content is not of the receipt's result hash.
 * @throws {StorageError} when the storage fails or the destination cannot be written (`ObjectNotFoundError` for a missing object).
 * @throws {FileFormatError} when an archive is not a tar.gz of regular files and directories.
 */
export async function downloadResult(
  ctx: MarketplaceContext,
  params: DownloadResultParameters,
): Promise<DownloadedResult> {
  teePublicKeyFromPrivateKey(params.privateKey);
  if (typeof params.destination !== "string" || params.destination === "") {
    throw new InputError("destination", "expected the path of a directory to create for the result");
  }
  const destination = resolve(params.destination);
  if (await exists(destination)) {
    throw new InputError(
      "destination",
      `${destination} already exists; remove it, or choose another directory for the result`,
    );
  }

  const result = await getOrderResult(ctx, { orderId: params.orderId });
  if (result.status !== OrderStatus.Done && result.status !== OrderStatus.Error) {
    throw new StateError(
      `Order ${result.orderId} is ${enumName(OrderStatus, result.status)}: it has no result and no logs.`,
    );
  }
  // The receipt first: when it does not hold, the RPC endpoint altered it, and what the pointer
  // says (or fails to say) is not the enclave's word.
  const { checks } = await verifyOrderResult(ctx, { result, privateKey: params.privateKey });
  const receiptHolds = checks.every((c) => c.ok || c.name === "pointerOpens");
  if (result.status === OrderStatus.Done && !receiptHolds) {
    throw new ResultReceiptError({ orderId: result.orderId, failed: checks.filter((c) => !c.ok) });
  }
  const { resource, recipientIndex } = openOrderResult(ctx, { result, privateKey: params.privateKey });
  const file = toResourceFile(resource, "resource");
  if (file.hash !== result.resultHash) {
    throw new ContentHashMismatchError({
      expected: result.resultHash,
      actual: file.hash,
      what: `The resource file in your pointer of order ${result.orderId}`,
      hint: "It does not describe the result the enclave's receipt names; the result cannot be trusted.",
    });
  }

  const location = parseResourceLocation(file.resource);
  const objectPath = location.type === "URL" ? new URL(location.url).pathname : location.filepath;
  const unpacked = (params.unpack ?? true) && /\.(tar\.gz|tgz)(\.encrypted)?$/.test(objectPath);
  const options = {
    ...(params.storage === undefined ? {} : { storage: params.storage }),
    ...(params.credentials === undefined ? {} : { credentials: params.credentials }),
    ...(params.maxBytes === undefined ? {} : { maxBytes: params.maxBytes }),
    ...(params.onProgress === undefined ? {} : { onProgress: params.onProgress }),
    ...(params.signal === undefined ? {} : { signal: params.signal }),
  };
  const downloaded = unpacked
    ? await downloadResource(file, dirname(destination), {
        ...options,
        filename: basename(destination),
        unpack: true,
      })
    : await downloadResource(file, destination, options);
  return {
    orderId: result.orderId,
    status: result.status,
    resultHash: downloaded.hash,
    path: destination,
    bytes: downloaded.bytes,
    unpacked,
    recipientIndex,
    checks,
    result,
  };
}

/** Whether anything (a file, a directory, a dangling link) is at `path`. */
async function exists(path: string): Promise<boolean> {
  return lstat(path).then(
    () => true,
    () => false,
  );
}
