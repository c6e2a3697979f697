/**
 * Offers: create from Super Protocol's offer-info.json, read, list, enable/disable, new versions
 * (`IOffers` on the OfferRegistry).
 */
import { type Address, type Hex, type TransactionReceipt, keccak256, stringToHex } from "viem";

import { offerRegistryAbi } from "../abi/offerRegistry.js";
import type { MarketplaceCall } from "../calls.js";
import { MAX_OFFER_INFO_SIZE, MAX_PAGE_SIZE, MAX_RESULT_RESOURCE_SIZE } from "../abi/protocol.js";
import type { MarketplaceContext } from "../context.js";
import { checkDiscoveryFields } from "../datasets.js";
import { OfferType } from "../enums.js";
import { InputError, StateError } from "../errors.js";
import { parseJsonOrText } from "../internal/blob.js";
import { eventOf, eventsAtBlock, read, send } from "../internal/contract.js";
import { rootObject } from "../internal/fields.js";
import { toId } from "../internal/ids.js";
import { canonicalJson } from "../json.js";
import { type OfferParams, parseOfferInfo } from "../offerInfo.js";
import type { ContentHashInput } from "../resourceFile.js";
import { toAddress, toHexBytes, toUint } from "../validate.js";

/** An offer as stored, with its id. */
export interface Offer {
  /** The offer's id. */
  id: bigint;
  /** Authority of the provider that owns it. */
  provider: Address;
  offerType: OfferType;
  /** `TeeType` for TEE offers, 0 otherwise. */
  subType: number;
  /** Whether new workflows may use it. */
  enabled: boolean;
  /** Whether consumers may cancel Processing orders of this TEE offer. */
  cancelable: boolean;
  /** Whether its suborders complete without the owner (it has a public result resource). */
  autoComplete: boolean;
  /** Restriction by type: bit `t` set allows offers of type `t`. */
  allowedTypesMask: number;
  restrictedByOfferId: boolean;
  restrictedToAccounts: boolean;
  /** Content version, from 1. */
  version: number;
  /** Block of the last event carrying the info blob. */
  infoBlock: bigint;
  /** sha256 of the current content. */
  contentHash: Hex;
  /** keccak256 of the info blob. */
  infoHash: Hex;
}

/**
 * What {@link createOffer} takes: Super Protocol's offer-info.json (parsed or as text) and the
 * content hash (a hash, or the content's `*.resource.json`), or `OfferParams` already parsed
 * (`readOfferInfoFile` from `@tee-marketplace/sdk/node` gives them).
 */
export type CreateOfferParameters =
  { offerInfo: unknown; contentHash?: ContentHashInput } | { params: OfferParams };

function toOffer(id: bigint, raw: Omit<Offer, "id" | "offerType"> & { offerType: number }): Offer {
  return { id, ...raw, offerType: raw.offerType as OfferType };
}

/**
 * The `createOffer` call of {@link createOffer}, checked but not sent (for a multisig or a batcher).
 *
 * @param ctx The marketplace context.
 * @param params As for {@link createOffer}.
 * @example
 * const call = createOfferCall(ctx, { offerInfo, contentHash: datasetResource });
 * @throws {InputError} naming the field of offer-info.json, or `contentHash`.
 */
export function createOfferCall(
  ctx: MarketplaceContext,
  params: CreateOfferParameters,
): MarketplaceCall<typeof offerRegistryAbi, "createOffer"> {
  const offer =
    "params" in params
      ? parseOfferParams(params.params)
      : parseOfferInfo(
          params.offerInfo,
          params.contentHash === undefined ? {} : { contentHash: params.contentHash },
        );
  return {
    address: ctx.deployment.contracts.offerRegistry,
    abi: offerRegistryAbi,
    functionName: "createOffer",
    args: [offer],
  };
}

/**
 * Creates an offer of the wallet's provider.
 *
 * @param ctx The marketplace context.
 * @param params The offer-info.json and content hash, or parsed `OfferParams`.
 * @returns The receipt and the new offer's id.
 * @example
 * const { offerId } = await client.offers.create({
 *   offerInfo: await readFile("offer-info.json", "utf8"),
 *   contentHash: await readResourceFile("dataset.resource.json"),
 * });
 * @throws {InputError} naming the field of offer-info.json that is malformed, `contentHash` when a
 * Solution or Data offer has none, or `walletClient`.
 * @throws {ContractError} `ProviderNotRegistered`, `OfferContentHashZero`, `OfferListTooLong`, `InputTooLarge`.
 */
export async function createOffer(
  ctx: MarketplaceContext,
  params: CreateOfferParameters,
): Promise<{ receipt: TransactionReceipt; offerId: bigint }> {
  const call = createOfferCall(ctx, params);
  const receipt = await send(ctx, call, "Cannot create the offer");
  return { receipt, offerId: eventOf(receipt, call.address, offerRegistryAbi, "OfferCreated").args.offerId };
}

/** Re-checks `OfferParams` built in code (bigints and enums in range, caps). */
function parseOfferParams(params: OfferParams): OfferParams {
  if (typeof params !== "object" || params === null) {
    throw new InputError("params", "expected OfferParams (from parseOfferInfo or readOfferInfoFile)");
  }
  // parseOfferInfo checks everything but the info blob, which it builds from the file.
  const checked = parseOfferInfo(
    {
      offerType: params.offerType,
      subType: params.subType,
      cancelable: params.cancelable,
      restrictions: { offers: params.allowedOfferIds, types: params.allowedOfferTypes },
      allowedAccounts: params.allowedAccounts,
    },
    { contentHash: params.contentHash },
  );
  return {
    ...checked,
    resultResource: toHexBytes(params.resultResource, "params.resultResource", {
      maxSize: MAX_RESULT_RESOURCE_SIZE,
    }),
    info: toHexBytes(params.info, "params.info", { maxSize: MAX_OFFER_INFO_SIZE }),
  };
}

/**
 * An offer.
 *
 * @param ctx The marketplace context.
 * @param params `offerId`.
 * @example
 * const offer = await client.offers.get({ offerId: 3n });
 * if (!offer.enabled) console.log("disabled");
 * @throws {InputError} naming `offerId` when it is not a positive integer.
 * @throws {ContractError} `OfferNotFound`.
 */
export async function getOffer(
  ctx: MarketplaceContext,
  params: { offerId: bigint | number | string },
): Promise<Offer> {
  const offerId = toId(params.offerId, "offerId", "an offer");
  const raw = await read(
    ctx,
    {
      address: ctx.deployment.contracts.offerRegistry,
      abi: offerRegistryAbi,
      functionName: "getOffer",
      args: [offerId],
    },
    `Cannot read offer ${offerId}`,
  );
  return toOffer(offerId, raw);
}

/**
 * An offer's info blob (its offer-info.json as created or last updated), fetched from the event at
 * the offer's `infoBlock` (one `eth_getLogs` per event type over that one block) and checked
 * against the stored `infoHash`.
 *
 * @param ctx The marketplace context.
 * @param params `offerId`.
 * @returns The info parsed as JSON (or the text when it is not JSON) and its bytes.
 * @example
 * const { info } = await client.offers.getInfo({ offerId: 3n }); // { name: "Offer name", ... }
 * @throws {InputError} naming `offerId`.
 * @throws {ContractError} `OfferNotFound`.
 * @throws {StateError} when no event at that block carries info with the stored hash.
 */
export async function getOfferInfo(
  ctx: MarketplaceContext,
  params: { offerId: bigint | number | string },
): Promise<{ info: unknown; infoBytes: Hex }> {
  const offer = await getOffer(ctx, params);
  const common = {
    address: ctx.deployment.contracts.offerRegistry,
    abi: offerRegistryAbi,
    args: { offerId: offer.id },
    block: offer.infoBlock,
  };
  const [created, updated, versioned] = await Promise.all([
    eventsAtBlock(ctx, { ...common, eventName: "OfferCreated" }),
    eventsAtBlock(ctx, { ...common, eventName: "OfferInfoUpdated" }),
    eventsAtBlock(ctx, { ...common, eventName: "OfferVersionCreated" }),
  ]);
  const blobs = [
    ...created.map((e) => ({ logIndex: e.logIndex, info: e.args.params.info })),
    ...updated.map((e) => ({ logIndex: e.logIndex, info: e.args.info })),
    ...versioned.map((e) => ({ logIndex: e.logIndex, info: e.args.info })),
  ].sort((a, b) => a.logIndex - b.logIndex);
  const infoBytes = blobs.map((b) => b.info).findLast((info) => keccak256(info) === offer.infoHash);
  if (infoBytes === undefined) {
    throw new StateError(
      `No event of offer ${offer.id} at block ${offer.infoBlock} carries info with the stored hash ${offer.infoHash}; ` +
        `the RPC may have pruned its logs.`,
    );
  }
  return { info: parseJsonOrText(infoBytes), infoBytes };
}

/**
 * A page of offers by id (ids run from 1 to the offer count; offers are never deleted). The page
 * and the count are read together (one round trip with a batching transport).
 *
 * @param ctx The marketplace context.
 * @param params `firstOfferId` (default 1), `limit` (default and maximum 100); optional filters
 * `provider` and `offerType` apply within the page.
 * @returns The offers of the page that pass the filters, and `nextOfferId` for the next page
 * (`undefined` after the last).
 * @example
 * let page = await client.offers.list({ offerType: OfferType.Data });
 * while (page.nextOfferId !== undefined) page = await client.offers.list({ firstOfferId: page.nextOfferId });
 * @throws {InputError} naming the parameter that is malformed.
 */
export async function listOffers(
  ctx: MarketplaceContext,
  params: {
    firstOfferId?: bigint | number;
    limit?: bigint | number;
    provider?: Address | string;
    offerType?: OfferType;
  } = {},
): Promise<{ offers: Offer[]; nextOfferId: bigint | undefined; offerCount: bigint }> {
  const first = toId(params.firstOfferId ?? 1n, "firstOfferId", "an offer");
  const maxPage = BigInt(MAX_PAGE_SIZE);
  const limit = toUint(params.limit ?? maxPage, "limit", { min: 1n, expected: "a positive page size" });
  const pageSize = limit < maxPage ? limit : maxPage;
  const provider = params.provider === undefined ? undefined : toAddress(params.provider, "provider");
  const address = ctx.deployment.contracts.offerRegistry;
  const [count, page] = await Promise.all([
    read(
      ctx,
      { address, abi: offerRegistryAbi, functionName: "offerCount", args: [] },
      "Cannot count the offers",
    ),
    read(
      ctx,
      { address, abi: offerRegistryAbi, functionName: "getOffers", args: [first, pageSize] },
      `Cannot read offers from ${first}`,
    ),
  ]);
  const offers = page
    .map((raw, i) => toOffer(first + BigInt(i), raw))
    .filter((offer) => provider === undefined || offer.provider === provider)
    .filter((offer) => params.offerType === undefined || offer.offerType === params.offerType);
  const next = first + BigInt(page.length);
  return { offers, nextOfferId: page.length > 0 && next <= count ? next : undefined, offerCount: count };
}

/**
 * The `setOfferEnabled` call of {@link setOfferEnabled}, checked but not sent.
 *
 * @param ctx The marketplace context.
 * @param params `offerId`, `enabled`.
 * @example
 * const call = setOfferEnabledCall(ctx, { offerId, enabled: false });
 * @throws {InputError} naming `offerId` or `enabled`.
 */
export function setOfferEnabledCall(
  ctx: MarketplaceContext,
  params: { offerId: bigint | number | string; enabled: boolean },
): MarketplaceCall<typeof offerRegistryAbi, "setOfferEnabled"> {
  const offerId = toId(params.offerId, "offerId", "an offer");
  if (typeof params.enabled !== "boolean") throw new InputError("enabled", "expected true or false");
  return {
    address: ctx.deployment.contracts.offerRegistry,
    abi: offerRegistryAbi,
    functionName: "setOfferEnabled",
    args: [offerId, params.enabled],
  };
}

/**
 * Enables or disables an offer for new workflows (its provider authority only).
 *
 * @param ctx The marketplace context.
 * @param params `offerId`, `enabled`.
 * @example
 * await client.offers.setEnabled({ offerId, enabled: false });
 * @throws {InputError} naming `offerId`, `enabled` or `walletClient`.
 * @throws {ContractError} `OfferNotFound`, `OfferCallerNotProvider`.
 */
export async function setOfferEnabled(
  ctx: MarketplaceContext,
  params: { offerId: bigint | number | string; enabled: boolean },
): Promise<{ receipt: TransactionReceipt }> {
  const call = setOfferEnabledCall(ctx, params);
  const receipt = await send(
    ctx,
    call,
    `Cannot ${params.enabled ? "enable" : "disable"} offer ${call.args[0]}`,
  );
  return { receipt };
}

/**
 * The `updateOfferInfo` call of {@link updateOfferInfo}, checked but not sent.
 *
 * @param ctx The marketplace context.
 * @param params `offerId`, `offerInfo`.
 * @example
 * const call = updateOfferInfoCall(ctx, { offerId, offerInfo });
 * @throws {InputError} naming `offerId`, `offerInfo`, or the discovery field (`keywords`, `dataset`)
 * that is malformed.
 */
export function updateOfferInfoCall(
  ctx: MarketplaceContext,
  params: { offerId: bigint | number | string; offerInfo: unknown },
): MarketplaceCall<typeof offerRegistryAbi, "updateOfferInfo"> {
  const offerId = toId(params.offerId, "offerId", "an offer");
  const offerInfo = rootObject(params.offerInfo, "the offer-info.json object");
  checkDiscoveryFields(offerInfo);
  const info = toHexBytes(stringToHex(canonicalJson(offerInfo)), "offerInfo", {
    maxSize: MAX_OFFER_INFO_SIZE,
  });
  return {
    address: ctx.deployment.contracts.offerRegistry,
    abi: offerRegistryAbi,
    functionName: "updateOfferInfo",
    args: [offerId, info],
  };
}

/**
 * Replaces an offer's info blob (its provider authority only).
 *
 * @param ctx The marketplace context.
 * @param params `offerId`; `offerInfo`: the new offer-info.json, parsed or as text.
 * @example
 * await client.offers.updateInfo({ offerId, offerInfo: { ...info, description: "v2" } });
 * @throws {InputError} naming the field of offer-info.json, `offerId` or `walletClient`.
 * @throws {ContractError} `OfferNotFound`, `OfferCallerNotProvider`, `InputTooLarge`.
 */
export async function updateOfferInfo(
  ctx: MarketplaceContext,
  params: { offerId: bigint | number | string; offerInfo: unknown },
): Promise<{ receipt: TransactionReceipt }> {
  const call = updateOfferInfoCall(ctx, params);
  const receipt = await send(ctx, call, `Cannot update the info of offer ${call.args[0]}`);
  return { receipt };
}

/**
 * The `newOfferVersion` call of {@link newOfferVersion}, checked but not sent.
 *
 * @param ctx The marketplace context.
 * @param params As for {@link newOfferVersion}.
 * @example
 * const call = newOfferVersionCall(ctx, { offerId, contentHash: newResource, offerInfo });
 * @throws {InputError} naming the field or `offerId`.
 */
export function newOfferVersionCall(
  ctx: MarketplaceContext,
  params: { offerId: bigint | number | string; contentHash: ContentHashInput; offerInfo: unknown },
): MarketplaceCall<typeof offerRegistryAbi, "newOfferVersion"> {
  const offerId = toId(params.offerId, "offerId", "an offer");
  const { info, contentHash } = parseOfferInfo(params.offerInfo, { contentHash: params.contentHash });
  return {
    address: ctx.deployment.contracts.offerRegistry,
    abi: offerRegistryAbi,
    functionName: "newOfferVersion",
    args: [offerId, contentHash, info],
  };
}

/**
 * Publishes a new content version of an offer: a new content hash and its info (provider authority
 * only). Orders already created keep the solution hash they committed to.
 *
 * @param ctx The marketplace context.
 * @param params `offerId`; `contentHash`: a hash or the new content's `*.resource.json`;
 * `offerInfo`: the offer-info.json of the new version.
 * @returns The receipt and the new version number.
 * @example
 * const { version } = await client.offers.newVersion({ offerId, contentHash: newResource, offerInfo });
 * @throws {InputError} naming the field, `offerId` or `walletClient`.
 * @throws {ContractError} `OfferNotFound`, `OfferCallerNotProvider`, `OfferContentHashZero`, `InputTooLarge`.
 */
export async function newOfferVersion(
  ctx: MarketplaceContext,
  params: { offerId: bigint | number | string; contentHash: ContentHashInput; offerInfo: unknown },
): Promise<{ receipt: TransactionReceipt; version: number; contentHash: Hex }> {
  const call = newOfferVersionCall(ctx, params);
  const receipt = await send(ctx, call, `Cannot publish a new version of offer ${call.args[0]}`);
  const event = eventOf(receipt, call.address, offerRegistryAbi, "OfferVersionCreated");
  return { receipt, version: event.args.version, contentHash: event.args.contentHash };
}
