/**
 * Delivering a result: the solution's `/sp/output` (or, for an order that failed, its logs) is
 * packed, encrypted once with a fresh key and uploaded to the agent's storage (`uploadFile`), and
 * each of the order's result recipients gets the resource file, with the key, in a pointer sealed
 * for their public key and bound to this order and the result's hash (`tee.sealResultPointer`). The
 * enclave then signs the receipt over that hash and the pointers.
 */
import { writeFile } from "node:fs/promises";
import path from "node:path";

import type { Hex } from "viem";

import {
  InputError,
  MAX_RESULT_POINTER_SIZE,
  type MarketplaceContext,
  type ResourceFileJson,
  parseResourceFile,
  teeSealResultPointer,
} from "@tee-marketplace/sdk";
import { type Storage, uploadFile } from "@tee-marketplace/sdk/node";

/** A result uploaded and sealed for its recipients. */
export interface Delivery {
  /** sha256 of what was uploaded (the output's tar.gz archive, or the logs). */
  readonly resultHash: Hex;
  /** One pointer per recipient, in the workflow's order; `0x` for a recipient key that is not on the curve. */
  readonly pointers: Hex[];
  /** Recipients that got an empty pointer, and why. */
  readonly unsealed: string[];
}

/** What {@link deliver} needs. */
export interface DeliverParameters {
  readonly ctx: MarketplaceContext;
  readonly orderId: bigint;
  readonly recipients: readonly Hex[];
  readonly storage: Storage;
  /** Credentials written into the resource file instead of the storage's own (read-only keys). */
  readonly resourceCredentials?: Readonly<Record<string, unknown>>;
  readonly signal: AbortSignal;
}

/**
 * Uploads the output directory (Done) and seals a pointer to it for every recipient.
 *
 * @param p See {@link DeliverParameters}.
 * @param outputDirectory The solution's `/sp/output`.
 * @example
 * const { resultHash, pointers } = await deliverOutput({ ctx, orderId, recipients, storage, signal }, layout.output);
 * @throws {StorageError} when the upload fails; {@link InputError} naming `storage` when a pointer
 * is over the contract's 1,024-byte cap (the storage's path is too long).
 */
export async function deliverOutput(p: DeliverParameters, outputDirectory: string): Promise<Delivery> {
  const resource = await uploadFile(outputDirectory, {
    storage: p.storage,
    filename: `orders/${p.orderId}/result-${Date.now()}.tar.gz`,
    signal: p.signal,
    ...(p.resourceCredentials === undefined ? {} : { resourceCredentials: p.resourceCredentials }),
  });
  return seal(p, resource);
}

/**
 * Uploads an Error order's logs (the reason, and what the solution wrote) and seals a pointer to
 * them for every recipient.
 *
 * @param p See {@link DeliverParameters}.
 * @param logs The text.
 * @param scratch A directory to write the logs file in before the upload.
 * @example
 * const delivery = await deliverLogs({ ctx, orderId, recipients, storage, signal }, "exit code 1\n...", workDirectory);
 * @throws As {@link deliverOutput}.
 */
export async function deliverLogs(p: DeliverParameters, logs: string, scratch: string): Promise<Delivery> {
  const file = path.join(scratch, `order-${p.orderId}-logs.txt`);
  await writeFile(file, logs, { mode: 0o600 });
  const resource = await uploadFile(file, {
    storage: p.storage,
    filename: `orders/${p.orderId}/logs-${Date.now()}.txt`,
    signal: p.signal,
    ...(p.resourceCredentials === undefined ? {} : { resourceCredentials: p.resourceCredentials }),
  });
  return seal(p, resource);
}

function seal(p: DeliverParameters, resource: ResourceFileJson): Delivery {
  const resultHash = parseResourceFile(resource).hash;
  const unsealed: string[] = [];
  const pointers = p.recipients.map((publicKey, i): Hex => {
    try {
      return teeSealResultPointer(p.ctx, { publicKey, orderId: p.orderId, resultHash, resource });
    } catch (error) {
      unsealed.push(`recipient ${i}: ${(error as Error).message}`);
      return "0x";
    }
  });
  for (const [i, pointer] of pointers.entries()) {
    const size = (pointer.length - 2) / 2;
    if (size > MAX_RESULT_POINTER_SIZE) {
      throw new InputError(
        "storage",
        `the result pointer for recipient ${i} is ${size} bytes, over the contract's cap of ${MAX_RESULT_POINTER_SIZE}: ` +
          "shorten the storage's directory or prefix (the resource file each pointer carries names them)",
      );
    }
  }
  return { resultHash, pointers, unsealed };
}
