/**
 * Workflows (`IOrders`): the parent order and its suborders as `WorkflowCreated` names them, every
 * status change, refills, reports and completions, each also a row of the order's history. The
 * slots a workflow holds count it as open until its parent ends (the contract releases them then).
 */
import { ponder } from "ponder:registry";
import type { Context } from "ponder:registry";
import { offer, order, receipt, report, slot, suborder } from "ponder:schema";
import { zeroHash } from "viem";

import { OrderStatus } from "@tee-marketplace/sdk";

import { toJsonValue } from "./lib/json.js";
import { recordOrderEvent } from "./lib/history.js";

const TERMINAL: ReadonlySet<number> = new Set([OrderStatus.Canceled, OrderStatus.Done, OrderStatus.Error]);

async function addOpenOrder(context: Context, slotId: bigint, delta: bigint): Promise<void> {
  // A slot is never removed while an open order holds it, so its row is there.
  await context.db.update(slot, { id: slotId }).set((row) => ({ openOrders: row.openOrders + delta }));
}

ponder.on("Orders:WorkflowCreated", async ({ event, context }) => {
  const { orderId, consumer, teeOfferId, status, doneSuborders, params } = event.args;
  let blocking = 0;
  for (const [i, input] of params.inputs.entries()) {
    const done = ((doneSuborders >> BigInt(i)) & 1n) === 1n;
    if (!done) blocking += 1;
    const inputOffer = await context.db.find(offer, { id: input.offerId });
    await context.db.insert(suborder).values({
      id: orderId + 1n + BigInt(i),
      parentId: orderId,
      offerId: input.offerId,
      slotId: input.slotId,
      status: done ? OrderStatus.Done : OrderStatus.New,
      createdAt: event.block.timestamp,
      resultBlock: 0n,
      dataHash: zeroHash,
      provider: inputOffer?.provider ?? "0x0000000000000000000000000000000000000000",
    });
  }
  const tee = await context.db.find(offer, { id: teeOfferId });
  const slotIds = [params.teeSlotId, ...params.inputs.map((input) => input.slotId)];
  await context.db.insert(order).values({
    id: orderId,
    consumer,
    status,
    suborderCount: params.inputs.length,
    blockingSuborders: blocking,
    recipientCount: params.resultRecipients.length,
    cancelable: tee?.cancelable ?? false,
    startedAt: 0n,
    teeOfferId,
    teeSlotId: params.teeSlotId,
    teeKey: params.teeKey,
    argsBlock: event.block.number,
    deposit: params.deposit,
    reportBlock: 0n,
    resultBlock: 0n,
    solutionHash: params.solutionHash,
    teeTermsHash: params.teeTermsHash,
    slotIds: slotIds.map(String),
    createdAt: event.block.timestamp,
    transactionHash: event.transaction.hash,
  });
  for (const slotId of slotIds) await addOpenOrder(context, slotId, 1n);
  await recordOrderEvent(context, event, { orderId, subjectId: orderId, kind: "WorkflowCreated" });
});

ponder.on("Orders:OrderStatusUpdated", async ({ event, context }) => {
  const { orderId: id, to } = event.args;
  const parent = await context.db.find(order, { id });
  if (parent === null) {
    const sub = await context.db.update(suborder, { id }).set({ status: to });
    await recordOrderEvent(context, event, {
      orderId: sub.parentId,
      subjectId: id,
      kind: "OrderStatusUpdated",
    });
    return;
  }
  await context.db.update(order, { id }).set({
    status: to,
    ...(to === OrderStatus.Processing ? { startedAt: event.block.timestamp } : {}),
  });
  if (TERMINAL.has(to)) {
    for (const slotId of parent.slotIds) await addOpenOrder(context, BigInt(slotId), -1n);
  }
  await recordOrderEvent(context, event, { orderId: id, subjectId: id, kind: "OrderStatusUpdated" });
});

ponder.on("Orders:OrderRefilled", async ({ event, context }) => {
  const { orderId, deposit } = event.args;
  await context.db.update(order, { id: orderId }).set({ deposit });
  await recordOrderEvent(context, event, { orderId, subjectId: orderId, kind: "OrderRefilled" });
});

ponder.on("Orders:OrderReportPublished", async ({ event, context }) => {
  const { orderId, tcbId, reportHash, report: published, signature } = event.args;
  await context.db.update(order, { id: orderId }).set({ reportBlock: event.block.number });
  await context.db.insert(report).values({
    orderId,
    tcbId,
    reportHash,
    created: published.created,
    runtimeInfo: toJsonValue(published.runtimeInfo),
    signature,
    blockNumber: event.block.number,
    transactionHash: event.transaction.hash,
  });
  await recordOrderEvent(context, event, { orderId, subjectId: orderId, kind: "OrderReportPublished" });
});

ponder.on("Orders:OrderCompleted", async ({ event, context }) => {
  const { orderId, status, resultHash, pointers, signature } = event.args;
  await context.db.update(order, { id: orderId }).set({ resultBlock: event.block.number });
  await context.db.insert(receipt).values({
    orderId,
    status,
    resultHash,
    pointers: [...pointers],
    signature,
    blockNumber: event.block.number,
    transactionHash: event.transaction.hash,
  });
  await recordOrderEvent(context, event, { orderId, subjectId: orderId, kind: "OrderCompleted" });
});
