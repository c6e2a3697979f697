/**
 * Data owners' completions (`SuborderCompleted`): the suborder's result block and pinned data hash,
 * the sealed hand-over, and, for Done, one blocking suborder less on the parent (the contract's
 * `blockingSuborders`). Status changes come as `OrderStatusUpdated` (`orders.ts`).
 */
import { ponder } from "ponder:registry";
import { handOver, order, suborder } from "ponder:schema";
import { zeroHash } from "viem";

import { OrderStatus } from "@tee-marketplace/sdk";

import { recordOrderEvent } from "./lib/history.js";

ponder.on("Orders:SuborderCompleted", async ({ event, context }) => {
  const { suborderId, operator, status, teeKey, dataHash, encryptedResult } = event.args;
  const sub = await context.db.update(suborder, { id: suborderId }).set((row) => ({
    resultBlock: event.block.number,
    dataHash: dataHash === zeroHash ? row.dataHash : dataHash,
  }));
  if (status === OrderStatus.Done) {
    await context.db
      .update(order, { id: sub.parentId })
      .set((row) => ({ blockingSuborders: row.blockingSuborders - 1 }));
  }
  await context.db.insert(handOver).values({
    suborderId,
    operator,
    status,
    teeKey,
    dataHash,
    encryptedResult,
    blockNumber: event.block.number,
    transactionHash: event.transaction.hash,
  });
  await recordOrderEvent(context, event, {
    orderId: sub.parentId,
    subjectId: suborderId,
    kind: "SuborderCompleted",
  });
});
