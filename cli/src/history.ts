/**
 * `tee-market orders history <orderId>`: everything that happened to a workflow, oldest first: its
 * creation, the status changes of the order and its suborders, the data owners' completions,
 * refills, the report, the completion and the payments. From the indexer when one is named (one
 * query), else from the chain (the workflow, then its events in block ranges); the same lines.
 */
import type { Hex } from "viem";

import { type MarketplaceClient, StateError, ordersAbi } from "@tee-marketplace/sdk";

import { idArg, positional } from "./args.js";
import { blockTimes, chainEvents } from "./chainEvents.js";
import type { CommandContext, CommandInput } from "./command.js";
import type { IndexerClient } from "./indexer.js";
import { type CommandResult, UsageError, table } from "./output.js";

/** One line of the history. */
interface HistoryEntry {
  kind: string;
  subjectId: bigint;
  blockNumber: bigint;
  logIndex: number;
  timestamp: number;
  transactionHash: Hex;
}

/** The Orders events that name an order by `orderId` (`SuborderCompleted` names a `suborderId`). */
export const ORDER_EVENTS = [
  "WorkflowCreated",
  "OrderStatusUpdated",
  "OrderRefilled",
  "OrderReportPublished",
  "OrderCompleted",
  "PaymentsCredited",
] as const;

async function historyFromIndex(indexer: IndexerClient, orderId: bigint): Promise<HistoryEntry[]> {
  const events = await indexer.orders.history({ orderId });
  const parent = events[0]?.orderId;
  if (parent !== undefined && parent !== orderId) {
    throw new UsageError(
      `${orderId} is a suborder of order ${parent}: pass the workflow's order id ${parent}`,
    );
  }
  if (events.length === 0) {
    throw new StateError(
      `the indexer has no order ${orderId}: it does not exist, or the index has not reached it yet (leave --indexer out to read the chain)`,
    );
  }
  return events.map(({ kind, subjectId, blockNumber, logIndex, timestamp, transactionHash }) => ({
    kind,
    subjectId,
    blockNumber,
    logIndex,
    timestamp,
    transactionHash,
  }));
}

async function historyFromChain(client: MarketplaceClient, orderId: bigint): Promise<HistoryEntry[]> {
  const { suborders } = await client.orders.get({ orderId });
  const ids = [orderId, ...suborders.map((s) => s.id)];
  const address = client.context.deployment.contracts.orders;
  const batches = await Promise.all([
    ...ORDER_EVENTS.map((eventName) =>
      chainEvents(client, { address, abi: ordersAbi, eventName, args: { orderId: ids } }),
    ),
    chainEvents(client, {
      address,
      abi: ordersAbi,
      eventName: "SuborderCompleted",
      args: { suborderId: ids },
    }),
  ]);
  const logs = batches
    .flat()
    .sort((a, b) =>
      a.blockNumber === b.blockNumber ? a.logIndex - b.logIndex : a.blockNumber < b.blockNumber ? -1 : 1,
    );
  const times = await blockTimes(
    client,
    logs.map((log) => log.blockNumber),
  );
  return logs.map((log) => {
    const args = log.args as { orderId?: bigint; suborderId?: bigint };
    return {
      kind: log.eventName,
      subjectId: args.orderId ?? args.suborderId ?? orderId,
      blockNumber: log.blockNumber,
      logIndex: log.logIndex,
      timestamp: times.get(log.blockNumber) ?? 0,
      transactionHash: log.transactionHash,
    };
  });
}

/** `orders history`. */
export async function runHistory(ctx: CommandContext, input: CommandInput): Promise<CommandResult> {
  const orderId = idArg(positional(input, 0), "<orderId>", "an order");
  const connection = await ctx.reader();
  const indexer = await connection.indexer();
  const events =
    indexer === undefined
      ? await historyFromChain(connection.client, orderId)
      : await historyFromIndex(indexer, orderId);
  return {
    text: table([
      ["block", "time", "event", "order", "transaction"],
      ...events.map((event) => [
        String(event.blockNumber),
        new Date(event.timestamp * 1000).toISOString(),
        event.kind,
        String(event.subjectId),
        event.transactionHash,
      ]),
    ]).join("\n"),
    json: { orderId, events },
  };
}
