import type { Hex } from "viem";
import { type MarketplaceContext } from "@tee-marketplace/sdk";
import { type Storage } from "@tee-marketplace/sdk/node";
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
export declare function deliverOutput(p: DeliverParameters, outputDirectory: string): Promise<Delivery>;
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
export declare function deliverLogs(p: DeliverParameters, logs: string, scratch: string): Promise<Delivery>;
