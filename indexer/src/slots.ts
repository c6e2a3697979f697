/**
 * Slots (`ISlots`): added, updated, removed. Their open-order counts follow the orders that hold
 * them (`orders.ts`).
 */
import { ponder } from "ponder:registry";
import { slot } from "ponder:schema";

import { type PriceType, slotTermsHash } from "@tee-marketplace/sdk";

/** The `slots` columns of a slot's terms, as `SlotAdded` and `SlotUpdated` carry them. */
function slotColumns(args: {
  info: { cpuCores: number; gpuCores: number; diskUsage: bigint; ram: bigint; vram: bigint };
  usage: { price: bigint; priceType: number; minTimeMinutes: number; maxTimeMinutes: number };
  option: { bandwidth: bigint; traffic: bigint; externalPort: number };
}) {
  const { info, usage, option } = args;
  return {
    cpuCores: BigInt(info.cpuCores),
    gpuCores: BigInt(info.gpuCores),
    diskUsage: info.diskUsage,
    ram: info.ram,
    vram: info.vram,
    price: usage.price,
    priceType: usage.priceType,
    minTimeMinutes: BigInt(usage.minTimeMinutes),
    maxTimeMinutes: BigInt(usage.maxTimeMinutes),
    bandwidth: option.bandwidth,
    traffic: option.traffic,
    externalPort: BigInt(option.externalPort),
    termsHash: slotTermsHash({ ...usage, priceType: usage.priceType as PriceType }),
  };
}

ponder.on("OfferRegistry:SlotAdded", async ({ event, context }) => {
  await context.db.insert(slot).values({
    id: event.args.slotId,
    offerId: event.args.offerId,
    openOrders: 0n,
    ...slotColumns(event.args),
    updatedBlock: event.block.number,
  });
});

ponder.on("OfferRegistry:SlotUpdated", async ({ event, context }) => {
  await context.db
    .update(slot, { id: event.args.slotId })
    .set({ ...slotColumns(event.args), updatedBlock: event.block.number });
});

ponder.on("OfferRegistry:SlotRemoved", async ({ event, context }) => {
  await context.db.delete(slot, { id: event.args.slotId });
});
