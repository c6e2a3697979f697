/**
 * An order's history: every event about a workflow (its parent order or one of its suborders) is a
 * row of `order_events`, keyed by the log, so a replayed or reorged log is written once.
 */
import type { Context } from "ponder:registry";
import { orderEvent } from "ponder:schema";

import { toJsonValue } from "./json.js";

/** What a history row needs of an event (any log event Ponder hands over has it). */
export interface LoggedEvent {
  id: string;
  args: unknown;
  log: { logIndex: number };
  block: { number: bigint; timestamp: bigint };
  transaction: { hash: `0x${string}` };
}

/**
 * Writes one event into its order's history.
 *
 * @param context The indexing context.
 * @param event The event.
 * @param row `orderId`: the parent order; `subjectId`: the order or suborder it names; `kind`: the
 * event's name.
 * @example
 * await recordOrderEvent(context, event, { orderId: parentId, subjectId: suborderId, kind: "SuborderCompleted" });
 * @throws what the store throws.
 */
export async function recordOrderEvent(
  context: Context,
  event: LoggedEvent,
  row: { orderId: bigint; subjectId: bigint; kind: string },
): Promise<void> {
  await context.db.insert(orderEvent).values({
    id: event.id,
    orderId: row.orderId,
    subjectId: row.subjectId,
    kind: row.kind,
    args: toJsonValue(event.args),
    blockNumber: event.block.number,
    logIndex: event.log.logIndex,
    timestamp: event.block.timestamp,
    transactionHash: event.transaction.hash,
  });
}
