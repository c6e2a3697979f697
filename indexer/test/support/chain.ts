/**
 * The chain's answers to the indexer's questions, computed without the indexer: the SDK's reads
 * (`orders.get`, `offers.list`, `offers.getInfo`, `slots.list`, `tcb.get`, `suborders.list`,
 * `offers.search`) and, for what the chain can only tell by its logs (which orders exist, which TCBs
 * an offer published, an order's history), every log of the deployment. Slow and exact: the
 * reference the index is compared with.
 */
import { type Address, type Hex, parseEventLogs } from "viem";
import { getBlock, getLogs } from "viem/actions";

import {
  type Offer,
  type OfferMatch,
  type Slot,
  type Tcb,
  type Workflow,
  ordersAbi,
  rankMatches,
  readDatasetInfo,
  tcbRegistryAbi,
} from "@tee-marketplace/sdk";
import type { OrderEvent } from "@tee-marketplace/sdk/indexer";

import type { Marketplace } from "../../../sdk/test/support/marketplace.js";

/** Everything the chain says, read once. */
export interface ChainState {
  /** Latest block and its timestamp: the time TCB statuses are for. */
  block: bigint;
  timestamp: number;
  /** Every workflow, by id. */
  workflows: Workflow[];
  /** Every offer, by id, with its discovery fields. */
  offers: (Offer & {
    name: string;
    keywords: string[];
    dataset: ReturnType<typeof readDatasetInfo>["dataset"];
  })[];
  /** Every slot, by id. */
  slots: Slot[];
  /** Every TCB, by id. */
  tcbs: Tcb[];
  /** Every order event, oldest first. */
  events: OrderEvent[];
  /** Every provider authority. */
  providers: Address[];
}

const ORDER_EVENTS = [
  "WorkflowCreated",
  "OrderStatusUpdated",
  "SuborderCompleted",
  "OrderReportPublished",
  "OrderCompleted",
  "OrderRefilled",
  "PaymentsCredited",
] as const;

/** Event arguments as the index keeps them: decimal strings for quantities, lower-case hex. */
function jsonOf(value: unknown): unknown {
  if (typeof value === "bigint") return value.toString();
  if (typeof value === "string" && /^0x[0-9a-f]*$/i.test(value)) return value.toLowerCase();
  if (Array.isArray(value)) return value.map(jsonOf);
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, jsonOf(item)]));
  }
  return value;
}

/** Every log of `address` from the deployment's first block to `toBlock`. */
async function logsOf(m: Marketplace, address: Address, toBlock: bigint) {
  return getLogs(m.publicClient, { address, fromBlock: m.deployment.blocks.deployed, toBlock });
}

/**
 * Reads the whole state the index mirrors, at the latest block.
 *
 * @param m The marketplace.
 * @returns The chain's state.
 */
export async function readChain(m: Marketplace): Promise<ChainState> {
  const latest = await getBlock(m.publicClient);
  const toBlock = latest.number;
  const { reader, deployment } = m;
  const orderLogs = parseEventLogs({
    abi: ordersAbi,
    logs: await logsOf(m, deployment.contracts.orders, toBlock),
  });
  const tcbLogs = parseEventLogs({
    abi: tcbRegistryAbi,
    logs: await logsOf(m, deployment.contracts.tcbRegistry, toBlock),
    eventName: "TcbPublished",
  });

  const parentIds = orderLogs.flatMap((log) =>
    log.eventName === "WorkflowCreated" ? [log.args.orderId] : [],
  );
  const workflows = await Promise.all(parentIds.map((orderId) => reader.orders.get({ orderId })));
  const parentOf = new Map<bigint, bigint>();
  for (const { order, suborders } of workflows) {
    parentOf.set(order.id, order.id);
    for (const suborder of suborders) parentOf.set(suborder.id, order.id);
  }

  const offers: ChainState["offers"] = [];
  for (let first: bigint | undefined = 1n; first !== undefined;) {
    const page: Awaited<ReturnType<typeof reader.offers.list>> = await reader.offers.list({
      firstOfferId: first,
    });
    for (const offer of page.offers) {
      const { info } = await reader.offers.getInfo({ offerId: offer.id });
      const name =
        typeof info === "object" &&
        info !== null &&
        typeof (info as Record<string, unknown>)["name"] === "string"
          ? ((info as Record<string, unknown>)["name"] as string)
          : "";
      offers.push({ ...offer, name, ...readDatasetInfo(info) });
    }
    first = page.nextOfferId;
  }
  const slotPages = await Promise.all(offers.map((offer) => reader.slots.list({ offerId: offer.id })));
  const slots = slotPages.flatMap((page) => page.slots).sort((a, b) => (a.id < b.id ? -1 : 1));
  const tcbs = await Promise.all(tcbLogs.map((log) => reader.tcb.get({ tcbId: log.args.tcbId })));

  const timestamps = new Map<bigint, number>();
  for (const log of orderLogs) {
    if (!timestamps.has(log.blockNumber)) {
      timestamps.set(
        log.blockNumber,
        Number((await getBlock(m.publicClient, { blockNumber: log.blockNumber })).timestamp),
      );
    }
  }
  const events: OrderEvent[] = orderLogs.flatMap((log) => {
    if (!(ORDER_EVENTS as readonly string[]).includes(log.eventName)) return [];
    const args = log.args as Record<string, unknown>;
    const subjectId = (args["orderId"] ?? args["suborderId"]) as bigint;
    return [
      {
        kind: log.eventName,
        orderId: parentOf.get(subjectId) ?? subjectId,
        subjectId,
        args: jsonOf(args),
        blockNumber: log.blockNumber,
        logIndex: log.logIndex,
        timestamp: timestamps.get(log.blockNumber) ?? 0,
        transactionHash: log.transactionHash as Hex,
      },
    ];
  });

  return {
    block: toBlock,
    timestamp: Number(latest.timestamp),
    workflows,
    offers,
    slots,
    tcbs,
    events,
    providers: [...new Set(offers.map((offer) => offer.provider))],
  };
}

/**
 * The chain's keyword search over every offer: the SDK's `offers.search`, page after page, ranked
 * together.
 *
 * @param m The marketplace.
 * @param params The query.
 * @returns The best `limit` matches.
 */
export async function searchChain(
  m: Marketplace,
  params: { keywords: string[]; minSimilarity: number; limit: number },
): Promise<OfferMatch[]> {
  const matches: OfferMatch[] = [];
  for (let first: bigint | undefined = 1n; first !== undefined;) {
    const page: Awaited<ReturnType<typeof m.reader.offers.search>> = await m.reader.offers.search({
      keywords: params.keywords,
      minSimilarity: params.minSimilarity,
      firstOfferId: first,
    });
    matches.push(...page.matches);
    first = page.nextOfferId;
  }
  return rankMatches(matches).slice(0, params.limit);
}
