/**
 * Finds the workflows placed on the agent's TEE offer: `WorkflowCreated` logs (the TEE offer is an
 * indexed topic, so the node filters them) read from a cursor block up to the head, in ranges of at
 * most `logBlockRange` blocks, one request at a time. When the RPC refuses a range as too large or
 * too full, the range is halved until it answers. The cursor lives in memory only: a restarted
 * agent scans again from its first block, and the chain's state, not the logs, says what to do with
 * each order it finds.
 */
import { getContractEvents } from "viem/actions";

import { type MarketplaceContext, ordersAbi } from "@tee-marketplace/sdk";

import { errorText } from "./retry.js";

/** What an RPC says when a log request spans too many blocks or would return too many logs. */
const RANGE_REFUSED =
  /block range|range (is )?too (large|wide|big)|too many (blocks|results|logs)|more than \d+ (results|logs|blocks)|query returned more than|limit exceeded|exceeds? (the )?(max|limit)/i;

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
export function createOrderFollower(
  ctx: MarketplaceContext,
  teeOfferId: bigint,
  fromBlock: bigint,
  onNarrowed: (from: bigint, refused: bigint, next: bigint, error: unknown) => void,
): OrderFollower {
  let cursor = fromBlock;
  let range = ctx.logBlockRange;
  return {
    get cursor() {
      return cursor;
    },
    get range() {
      return range;
    },
    async scan(head) {
      const found: bigint[] = [];
      while (cursor <= head) {
        const toBlock = cursor + range - 1n < head ? cursor + range - 1n : head;
        let logs;
        try {
          logs = await getContractEvents(ctx.publicClient, {
            address: ctx.deployment.contracts.orders,
            abi: ordersAbi,
            eventName: "WorkflowCreated",
            args: { teeOfferId },
            fromBlock: cursor,
            toBlock,
            strict: true,
          });
        } catch (error) {
          if (range > 1n && RANGE_REFUSED.test(errorText(error))) {
            const refused = range;
            range = range / 2n;
            onNarrowed(cursor, refused, range, error);
            continue;
          }
          throw error;
        }
        for (const log of logs) found.push(log.args.orderId);
        cursor = toBlock + 1n;
      }
      return found;
    },
  };
}
