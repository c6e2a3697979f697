/**
 * Seeding a marketplace at scale on a local Hardhat node, for the indexer benchmark: offers and
 * workflows sent as raw `eth_sendTransaction`s from the node's unlocked accounts in JSON-RPC
 * batches, automining off and a large block gas limit, so hundreds of transactions share a block
 * (100,000 workflows in a few thousand blocks, as a busy chain would hold them). Every transaction's
 * receipt is checked: a revert stops the seeding. The calls are the SDK's (`createOfferCall`,
 * `addSlotCall`, ...); only the sending is bulk.
 */
import {
  type Address,
  type Hex,
  type TransactionReceipt,
  encodeFunctionData,
  erc20Abi,
  keccak256,
  maxUint256,
  parseEventLogs,
  stringToHex,
} from "viem";

import { type MarketplaceClient, offerRegistryAbi, ordersAbi, slotTermsHash } from "../../sdk/src/index.js";
import { dataOfferInfo, dataSlotInfo } from "./scenario.js";

/** One transaction to send from an unlocked account. */
export interface BulkTransaction {
  from: Address;
  to: Address;
  data: Hex;
  /** Gas limit (given, so nothing is estimated against a pending state). */
  gas: bigint;
}

/** A JSON-RPC batch; throws on the first error answer. */
async function rpcBatch(url: string, calls: { method: string; params: unknown[] }[]): Promise<unknown[]> {
  if (calls.length === 0) return [];
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(calls.map((call, id) => ({ jsonrpc: "2.0", id, ...call }))),
  });
  const answers = (await response.json()) as { id: number; result?: unknown; error?: { message: string } }[];
  const sorted = [...answers].sort((a, b) => a.id - b.id);
  const failed = sorted.find((answer) => answer.error !== undefined);
  if (failed !== undefined) throw new Error(`${calls[failed.id]?.method} failed: ${failed.error?.message}`);
  return sorted.map((answer) => answer.result);
}

/** Sends bulk transactions on a node with automining off. */
export class BulkSender {
  private constructor(private readonly url: string) {}

  /**
   * Turns automining off and raises the block gas limit, so a mined block takes every pending
   * transaction of a batch.
   *
   * @param url The node's JSON-RPC URL.
   * @returns The sender.
   */
  static async on(url: string): Promise<BulkSender> {
    await rpcBatch(url, [
      { method: "evm_setAutomine", params: [false] },
      { method: "evm_setBlockGasLimit", params: ["0x3b9aca00"] },
    ]);
    return new BulkSender(url);
  }

  /**
   * Sends `transactions` in batches of `batchSize`, mining one block after each, and returns every
   * receipt in order.
   *
   * @throws {Error} when a transaction reverts or is not mined.
   */
  async send(transactions: readonly BulkTransaction[], batchSize = 400): Promise<TransactionReceipt[]> {
    const receipts: TransactionReceipt[] = [];
    for (let start = 0; start < transactions.length; start += batchSize) {
      const batch = transactions.slice(start, start + batchSize);
      const hashes = (await rpcBatch(
        this.url,
        batch.map((tx) => ({
          method: "eth_sendTransaction",
          params: [{ from: tx.from, to: tx.to, data: tx.data, gas: `0x${tx.gas.toString(16)}` }],
        })),
      )) as Hex[];
      await rpcBatch(this.url, [{ method: "evm_mine", params: [] }]);
      const mined = (await rpcBatch(
        this.url,
        hashes.map((hash) => ({ method: "eth_getTransactionReceipt", params: [hash] })),
      )) as ({ status: Hex; logs: TransactionReceipt["logs"]; blockNumber: Hex } | null)[];
      mined.forEach((receipt, i) => {
        if (receipt === null) throw new Error(`transaction ${hashes[i]} was not mined in its batch's block`);
        if (receipt.status !== "0x1") throw new Error(`transaction ${hashes[i]} reverted`);
        receipts.push(receipt as unknown as TransactionReceipt);
      });
    }
    return receipts;
  }

  /** Turns automining back on. */
  async done(): Promise<void> {
    await rpcBatch(this.url, [{ method: "evm_setAutomine", params: [true] }]);
  }
}

/** Words Data offers are tagged with (a few common, many rare, as tags are). */
export const VOCABULARY = [
  "feedback",
  "satisfaction",
  "support",
  "clicks",
  "sessions",
  "features",
  "reviews",
  "ratings",
  "customer",
  "quality",
  "weather",
  "temperature",
  "rainfall",
  "traffic",
  "mobility",
  "energy",
  "consumption",
  "health",
  "clinical",
  "imaging",
  "genomics",
  "finance",
  "transactions",
  "fraud",
  "retail",
  "sales",
  "inventory",
  "logistics",
  "shipping",
  "telemetry",
  "sensors",
  "iot",
  "speech",
  "audio",
  "text",
  "news",
  "social",
  "sentiment",
  "images",
  "video",
  "maps",
  "satellite",
  "agriculture",
  "crops",
  "soil",
  "education",
  "students",
  "jobs",
  "salaries",
  "housing",
] as const;

/** The info of the `i`-th generated Data offer: 3 to 6 keywords and a time range of 1 to 3 years. */
export function generatedOfferInfo(i: number): Record<string, unknown> {
  const pick = (k: number) => VOCABULARY[(i * 7 + k * k * 13 + (i % 11) * k) % VOCABULARY.length] ?? "data";
  const keywords = [...new Set(Array.from({ length: 3 + (i % 4) }, (_, k) => pick(k)))];
  const to = 2016 + (i % 10);
  const from = to - (i % 3);
  return {
    ...dataOfferInfo(`Dataset ${i}`, `Generated dataset ${i}`),
    keywords,
    dataset: {
      records: 1000 * (1 + (i % 500)),
      timeRange: { from: String(from), to: String(to) },
      format: "csv",
    },
    // Every other offer publishes its result: its suborders complete by themselves (orders New).
    ...(i % 2 === 0 ? { resultResource: { type: "URL", url: `https://data.example/${i}` } } : {}),
  };
}

/** Created offers and their slots. */
export interface SeededOffers {
  offers: { offerId: bigint; slotId: bigint; provider: Address }[];
}

/**
 * Creates `count` Data offers, spread over `providers` (registered already), each with one slot.
 *
 * @returns The offers and slots, in creation order.
 */
export async function seedOffers(
  sender: BulkSender,
  client: MarketplaceClient,
  providers: readonly Address[],
  count: number,
): Promise<SeededOffers> {
  const registry = client.deployment.contracts.offerRegistry;
  const creations: BulkTransaction[] = Array.from({ length: count }, (_, i) => {
    const call = client.calls.createOffer({
      offerInfo: generatedOfferInfo(i),
      contentHash: keccak256(stringToHex(`dataset ${i}`)),
    });
    return {
      from: providers[i % providers.length] as Address,
      to: registry,
      data: encodeFunctionData(call),
      gas: 600_000n,
    };
  });
  const created = parseEventLogs({
    abi: offerRegistryAbi,
    eventName: "OfferCreated",
    logs: (await sender.send(creations)).flatMap((receipt) => receipt.logs),
  });
  const slot = dataSlotInfo();
  const additions: BulkTransaction[] = created.map((log) => ({
    from: log.args.provider,
    to: registry,
    data: encodeFunctionData(client.calls.addSlot({ offerId: log.args.offerId, slot })),
    gas: 300_000n,
  }));
  const added = parseEventLogs({
    abi: offerRegistryAbi,
    eventName: "SlotAdded",
    logs: (await sender.send(additions)).flatMap((receipt) => receipt.logs),
  });
  const slotOf = new Map(added.map((log) => [log.args.offerId, log.args.slotId]));
  return {
    offers: created.map((log) => ({
      offerId: log.args.offerId,
      slotId: slotOf.get(log.args.offerId) ?? 0n,
      provider: log.args.provider,
    })),
  };
}

/** What {@link seedOrders} needs of the TEE side. */
export interface TeeListing {
  teeOfferId: bigint;
  teeSlotId: bigint;
  teeKey: Address;
  solutionHash: Hex;
  resultRecipient: Hex;
}

/**
 * Places `count` workflows, consumer `i % consumers.length` ordering offer `(i * 7919) % offers`,
 * with the smallest deposit the slots need; then cancels every tenth. The consumers must hold and
 * have approved enough tokens.
 *
 * @returns The parent order ids.
 */
export async function seedOrders(
  sender: BulkSender,
  client: MarketplaceClient,
  params: { consumers: readonly Address[]; offers: SeededOffers["offers"]; tee: TeeListing; count: number },
): Promise<bigint[]> {
  const { consumers, offers, tee, count } = params;
  const [teeSlot, dataSlot] = await Promise.all([
    client.slots.get({ slotId: tee.teeSlotId }),
    client.slots.get({ slotId: offers[0]?.slotId ?? 0n }),
  ]);
  const [teeCost, dataCost] = await Promise.all([
    client.slots.minCost({ slotId: tee.teeSlotId }),
    client.slots.minCost({ slotId: offers[0]?.slotId ?? 0n }),
  ]);
  const encryptedArgs = stringToHex("bench: the consumer's sealed arguments would be here".padEnd(128, "."));
  const orders = client.deployment.contracts.orders;
  const workflows: BulkTransaction[] = Array.from({ length: count }, (_, i) => {
    const input = offers[(i * 7919) % offers.length];
    if (input === undefined) throw new Error("no offers to order");
    return {
      from: consumers[i % consumers.length] as Address,
      to: orders,
      gas: 900_000n,
      data: encodeFunctionData({
        abi: ordersAbi,
        functionName: "createWorkflow",
        args: [
          {
            teeOfferId: tee.teeOfferId,
            teeSlotId: tee.teeSlotId,
            teeTermsHash: slotTermsHash(teeSlot.usage),
            teeKey: tee.teeKey,
            solutionHash: tee.solutionHash,
            inputs: [
              { offerId: input.offerId, slotId: input.slotId, termsHash: slotTermsHash(dataSlot.usage) },
            ],
            deposit: teeCost + dataCost,
            resultRecipients: [tee.resultRecipient],
            encryptedArgs,
          },
        ],
      }),
    };
  });
  const created = parseEventLogs({
    abi: ordersAbi,
    eventName: "WorkflowCreated",
    logs: (await sender.send(workflows)).flatMap((receipt) => receipt.logs),
  });
  const cancels: BulkTransaction[] = created
    .filter((_, i) => i % 10 === 0)
    .map((log) => ({
      from: log.args.consumer,
      to: orders,
      gas: 400_000n,
      data: encodeFunctionData(client.calls.cancelOrder({ orderId: log.args.orderId })),
    }));
  await sender.send(cancels);
  return created.map((log) => log.args.orderId);
}

/** Approvals of the Orders contract for every consumer, as bulk transactions. */
export function approvals(token: Address, orders: Address, consumers: readonly Address[]): BulkTransaction[] {
  return consumers.map((from) => ({
    from,
    to: token,
    gas: 100_000n,
    data: encodeFunctionData({ abi: erc20Abi, functionName: "approve", args: [orders, maxUint256] }),
  }));
}
