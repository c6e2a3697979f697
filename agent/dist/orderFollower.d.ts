import { type MarketplaceContext } from "@tee-marketplace/sdk";
/** Follows the workflows of one TEE offer. */
export interface OrderFollower {
  /** The next block to read. */
  readonly cursor: bigint;
  /** The range of the next request (halved when the RPC refused a larger one). */
  readonly range: bigint;
  /**
   * Reads the logs from the cursor to `head` and returns the order ids found, oldest first. Each
   * range read moves the cursor, so a failure halfway loses nothing: the next call goes on from there.
   *
   * @throws the RPC's error when a request fails for another reason than its size (the caller retries).
   */
  scan(head: bigint): Promise<bigint[]>;
}
/**
 * A follower from `fromBlock`.
 *
 * @param ctx The marketplace context (its `logBlockRange` is the largest range).
 * @param teeOfferId The TEE offer.
 * @param fromBlock The first block to read.
 * @param onNarrowed Called when the RPC refused a range and it was halved.
 * @example
 * const follower = createOrderFollower(ctx, teeOfferId, ctx.deployment.blocks.deployed, () => {});
 * const orderIds = await follower.scan(await getBlockNumber(publicClient));
 * @throws nothing here.
 */
export declare function createOrderFollower(
  ctx: MarketplaceContext,
  teeOfferId: bigint,
  fromBlock: bigint,
  onNarrowed: (from: bigint, refused: bigint, next: bigint, error: unknown) => void,
): OrderFollower;
