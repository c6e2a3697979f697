/**
 * Slots of an offer: add from Super Protocol's slot-info.json, read, list, update, remove
 * (`ISlots` on the OfferRegistry).
 */
import type { Hex, TransactionReceipt } from "viem";

import { offerRegistryAbi } from "../abi/offerRegistry.js";
import type { MarketplaceCall } from "../calls.js";
import { MAX_PAGE_SIZE } from "../abi/protocol.js";
import type { MarketplaceContext } from "../context.js";
import type { PriceType } from "../enums.js";
import { eventOf, read, send } from "../internal/contract.js";
import { toId } from "../internal/ids.js";
import { type OptionInfo, type SlotInfo, type SlotUsage, parseSlotInfo } from "../slotInfo.js";
import { slotTermsHash } from "../terms.js";
import { toUint } from "../validate.js";

/** A slot as stored, with its id. */
export interface Slot {
  /** The slot's id. */
  id: bigint;
  /** The offer it belongs to. */
  offerId: bigint;
  /** Number of open orders using it (it can be neither updated nor removed while > 0). */
  openOrders: bigint;
  info: SlotInfo;
  usage: SlotUsage;
  option: OptionInfo;
  /** Hash of the usage terms ({@link slotTermsHash}): what a workflow names to pin them. */
  termsHash: Hex;
}

type RawSlot = Omit<Slot, "id" | "usage" | "termsHash"> & {
  usage: Omit<SlotUsage, "priceType"> & { priceType: number };
};

function toSlot(id: bigint, raw: RawSlot): Slot {
  const usage = { ...raw.usage, priceType: raw.usage.priceType as PriceType };
  return { id, ...raw, usage, termsHash: slotTermsHash(usage) };
}

function slotArgs(slot: unknown) {
  const { info, usage, option } = parseSlotInfo(slot);
  return [info, usage, option] as const;
}

/**
 * The `addSlot` call of {@link addSlot}, checked but not sent (for a multisig or a batcher).
 *
 * @param ctx The marketplace context.
 * @param params As for {@link addSlot}.
 * @example
 * const call = addSlotCall(ctx, { offerId, slot: slotInfoJson });
 * @throws {InputError} naming the field of slot-info.json or `offerId`.
 */
export function addSlotCall(
  ctx: MarketplaceContext,
  params: { offerId: bigint | number | string; slot: unknown },
): MarketplaceCall<typeof offerRegistryAbi, "addSlot"> {
  const offerId = toId(params.offerId, "offerId", "an offer");
  return {
    address: ctx.deployment.contracts.offerRegistry,
    abi: offerRegistryAbi,
    functionName: "addSlot",
    args: [offerId, ...slotArgs(params.slot)],
  };
}

/**
 * The `updateSlot` call of {@link updateSlot}, checked but not sent.
 *
 * @param ctx The marketplace context.
 * @param params As for {@link updateSlot}.
 * @example
 * const call = updateSlotCall(ctx, { slotId, slot });
 * @throws {InputError} naming the field or `slotId`.
 */
export function updateSlotCall(
  ctx: MarketplaceContext,
  params: { slotId: bigint | number | string; slot: unknown },
): MarketplaceCall<typeof offerRegistryAbi, "updateSlot"> {
  const slotId = toId(params.slotId, "slotId", "a slot");
  return {
    address: ctx.deployment.contracts.offerRegistry,
    abi: offerRegistryAbi,
    functionName: "updateSlot",
    args: [slotId, ...slotArgs(params.slot)],
  };
}

/**
 * The `removeSlot` call of {@link removeSlot}, checked but not sent.
 *
 * @param ctx The marketplace context.
 * @param params `slotId`.
 * @example
 * const call = removeSlotCall(ctx, { slotId });
 * @throws {InputError} naming `slotId`.
 */
export function removeSlotCall(
  ctx: MarketplaceContext,
  params: { slotId: bigint | number | string },
): MarketplaceCall<typeof offerRegistryAbi, "removeSlot"> {
  return {
    address: ctx.deployment.contracts.offerRegistry,
    abi: offerRegistryAbi,
    functionName: "removeSlot",
    args: [toId(params.slotId, "slotId", "a slot")],
  };
}

/**
 * Adds a slot to an offer of the wallet's provider.
 *
 * @param ctx The marketplace context.
 * @param params `offerId`; `slot`: Super Protocol's slot-info.json (parsed or as text), or the
 * `{ info, usage, option }` that `parseSlotInfo` / `readSlotInfoFile` return.
 * @returns The receipt and the new slot's id.
 * @example
 * const { slotId } = await client.slots.add({ offerId, slot: await readSlotInfoFile("slot-info.json") });
 * @throws {InputError} naming the field of slot-info.json (`"usage.price"`, ...), `offerId` or `walletClient`.
 * @throws {ContractError} `OfferNotFound`, `OfferCallerNotProvider`, `SlotInvalidTime`.
 */
export async function addSlot(
  ctx: MarketplaceContext,
  params: { offerId: bigint | number | string; slot: unknown },
): Promise<{ receipt: TransactionReceipt; slotId: bigint }> {
  const call = addSlotCall(ctx, params);
  const receipt = await send(ctx, call, `Cannot add a slot to offer ${call.args[0]}`);
  return { receipt, slotId: eventOf(receipt, call.address, offerRegistryAbi, "SlotAdded").args.slotId };
}

/**
 * A slot.
 *
 * @param ctx The marketplace context.
 * @param params `slotId`.
 * @example
 * const { usage } = await client.slots.get({ slotId }); // { price, priceType, minTimeMinutes, maxTimeMinutes }
 * @throws {InputError} naming `slotId`.
 * @throws {ContractError} `SlotNotFound`.
 */
export async function getSlot(
  ctx: MarketplaceContext,
  params: { slotId: bigint | number | string },
): Promise<Slot> {
  const slotId = toId(params.slotId, "slotId", "a slot");
  const raw = await read(
    ctx,
    {
      address: ctx.deployment.contracts.offerRegistry,
      abi: offerRegistryAbi,
      functionName: "getSlot",
      args: [slotId],
    },
    `Cannot read slot ${slotId}`,
  );
  return toSlot(slotId, raw);
}

/**
 * A page of an offer's slots (in no particular order: removing a slot moves the last one into its
 * place). Two round trips with a batching transport: the count and the ids, then every slot.
 *
 * @param ctx The marketplace context.
 * @param params `offerId`; `offset` (default 0) and `limit` (default and maximum 100).
 * @returns The slots and the offer's total number of slots.
 * @example
 * const { slots } = await client.slots.list({ offerId });
 * const cheapest = slots.sort((a, b) => (a.usage.price < b.usage.price ? -1 : 1))[0];
 * @throws {InputError} naming the parameter that is malformed.
 */
export async function listSlots(
  ctx: MarketplaceContext,
  params: { offerId: bigint | number | string; offset?: bigint | number; limit?: bigint | number },
): Promise<{ slots: Slot[]; total: bigint }> {
  const offerId = toId(params.offerId, "offerId", "an offer");
  const offset = toUint(params.offset ?? 0n, "offset");
  const maxPage = BigInt(MAX_PAGE_SIZE);
  const limit = toUint(params.limit ?? maxPage, "limit", { min: 1n, expected: "a positive page size" });
  const address = ctx.deployment.contracts.offerRegistry;
  const [total, ids] = await Promise.all([
    read(
      ctx,
      { address, abi: offerRegistryAbi, functionName: "offerSlotCount", args: [offerId] },
      `Cannot count the slots of offer ${offerId}`,
    ),
    read(
      ctx,
      {
        address,
        abi: offerRegistryAbi,
        functionName: "getOfferSlotIds",
        args: [offerId, offset, limit < maxPage ? limit : maxPage],
      },
      `Cannot list the slots of offer ${offerId}`,
    ),
  ]);
  const slots = await Promise.all(ids.map((slotId) => getSlot(ctx, { slotId })));
  return { slots, total };
}

/**
 * Replaces a slot's terms (provider authority only; not while open orders use it).
 *
 * @param ctx The marketplace context.
 * @param params `slotId`; `slot`: slot-info.json or `{ info, usage, option }`.
 * @example
 * await client.slots.update({ slotId, slot: { ...slotInfo, usage: { ...slotInfo.usage, price: "2000" } } });
 * @throws {InputError} naming the field, `slotId` or `walletClient`.
 * @throws {ContractError} `SlotNotFound`, `OfferCallerNotProvider`, `SlotInUse`, `SlotInvalidTime`.
 */
export async function updateSlot(
  ctx: MarketplaceContext,
  params: { slotId: bigint | number | string; slot: unknown },
): Promise<{ receipt: TransactionReceipt }> {
  const call = updateSlotCall(ctx, params);
  const receipt = await send(ctx, call, `Cannot update slot ${call.args[0]}`);
  return { receipt };
}

/**
 * Removes a slot (provider authority only; not while open orders use it).
 *
 * @param ctx The marketplace context.
 * @param params `slotId`.
 * @example
 * await client.slots.remove({ slotId });
 * @throws {InputError} naming `slotId` or `walletClient`.
 * @throws {ContractError} `SlotNotFound`, `OfferCallerNotProvider`, `SlotInUse`.
 */
export async function removeSlot(
  ctx: MarketplaceContext,
  params: { slotId: bigint | number | string },
): Promise<{ receipt: TransactionReceipt }> {
  const call = removeSlotCall(ctx, params);
  const receipt = await send(ctx, call, `Cannot remove slot ${call.args[0]}`);
  return { receipt };
}

/**
 * The least an order of a slot costs: Fixed, its price; PerHour, price × minTimeMinutes / 60 (the
 * contract's `slotMinCost`, the sum `createWorkflow` requires the deposit to cover).
 *
 * @param ctx The marketplace context.
 * @param params `slotId`.
 * @example
 * const minimum = (await Promise.all(slotIds.map((slotId) => client.slots.minCost({ slotId })))).reduce((a, b) => a + b, 0n);
 * @throws {InputError} naming `slotId`.
 * @throws {ContractError} `SlotNotFound`.
 */
export async function getSlotMinCost(
  ctx: MarketplaceContext,
  params: { slotId: bigint | number | string },
): Promise<bigint> {
  const slotId = toId(params.slotId, "slotId", "a slot");
  return read(
    ctx,
    {
      address: ctx.deployment.contracts.offerRegistry,
      abi: offerRegistryAbi,
      functionName: "slotMinCost",
      args: [slotId],
    },
    `Cannot read the minimum cost of slot ${slotId}`,
  );
}
