/**
 * `tee-market offers`: create an offer from Super Protocol's offer-info.json (or spctl's TEE offer
 * info) with its slots from slot-info.json files, add slots, read and list offers.
 */
import path from "node:path";

import { type Address, type Hex, formatUnits, stringToHex } from "viem";

import {
  type MarketplaceClient,
  type ContentHashInput,
  InputError,
  type Offer,
  StateError,
  type OfferParams,
  OfferType,
  PriceType,
  type Slot,
  type SlotParams,
  canonicalJson,
  enumName,
  parseEnum,
  parseKeywords,
  parseOfferInfo,
  readDatasetInfo,
} from "@tee-marketplace/sdk";
import { readResourceFile, readSlotInfoFile, sha256Path } from "@tee-marketplace/sdk/node";
import { chainOffer } from "@tee-marketplace/sdk/indexer";
import type { CommandContext, CommandInput } from "./command.js";
import type { IndexerClient } from "./indexer.js";
import {
  addressArg,
  asUsage,
  bytes32Arg,
  idArg,
  inFile,
  list,
  optional,
  positional,
  readJsonFile,
  required,
  uintArg,
} from "./args.js";
import { type FieldTable, fieldsOption, pick } from "./fields.js";
import { OFFER_FIELD_NAMES } from "./fieldNames.js";
import { type Output, UsageError, fields, table, type CommandResult } from "./output.js";
import { saveOrShow } from "./saveTo.js";

/** The content hash of a Data or Solution offer, from whichever flag gave it. */
async function contentHashInput(
  ctx: CommandContext,
  input: CommandInput,
): Promise<ContentHashInput | undefined> {
  const resource = optional(input, "resource");
  const hash = optional(input, "content-hash");
  const content = optional(input, "content");
  const given = [resource, hash, content].filter((v) => v !== undefined);
  if (given.length > 1) {
    throw new UsageError("pass only one of --resource, --content-hash and --content");
  }
  if (resource !== undefined) return readResourceFile(path.resolve(ctx.io.cwd, resource));
  if (hash !== undefined) return bytes32Arg(hash, "--content-hash");
  if (content !== undefined) return sha256Path(path.resolve(ctx.io.cwd, content));
  return undefined;
}

/**
 * The offer's parameters from its file. A file without `offerType` but with `teeType` is spctl's
 * TEE offer info (`teeOfferInfo.example.json`): a TEE offer whose info blob is the file as is.
 */
function offerParams(file: string, raw: unknown, contentHash: ContentHashInput | undefined): OfferParams {
  const isObject = typeof raw === "object" && raw !== null && !Array.isArray(raw);
  const teeShape = isObject && !("offerType" in raw) && "teeType" in raw;
  const json = teeShape ? { ...raw, offerType: String(OfferType.TeeOffer) } : raw;
  let params: OfferParams;
  try {
    params = parseOfferInfo(json, contentHash === undefined ? {} : { contentHash });
  } catch (error) {
    if (error instanceof InputError && error.field === "contentHash" && contentHash === undefined) {
      throw new UsageError(
        `${file}: ${error.detail.replace(/; pass it as contentHash.*$/, "")}: pass --resource <file.resource.json>, ` +
          `--content-hash <sha256> or --content <file or directory>`,
      );
    }
    return inFile(file, () => {
      throw error;
    });
  }
  return teeShape ? { ...params, info: stringToHex(canonicalJson(raw)) } : params;
}

async function readSlots(
  ctx: CommandContext,
  files: readonly string[],
): Promise<{ file: string; slot: SlotParams }[]> {
  return Promise.all(
    files.map(async (name) => {
      const file = path.resolve(ctx.io.cwd, name);
      return { file, slot: await readSlotInfoFile(file) };
    }),
  );
}

/** Adds the slots one by one; a failure says which were added and how to add the rest. */
async function addSlots(
  client: MarketplaceClient,
  out: Output,
  offerId: bigint,
  slots: readonly { file: string; slot: SlotParams }[],
  created: string | undefined,
): Promise<{ slotId: bigint; transactionHash: Hex }[]> {
  const added: { slotId: bigint; transactionHash: Hex }[] = [];
  for (const [i, { file, slot }] of slots.entries()) {
    try {
      const { slotId, receipt } = await out.pending(
        `Adding slot ${i + 1} of ${slots.length} (${path.basename(file)}) to offer ${offerId}`,
        () => client.slots.add({ offerId, slot }),
      );
      added.push({ slotId, transactionHash: receipt.transactionHash });
    } catch (error) {
      if (created === undefined && added.length === 0) throw error;
      const ids = added.map((a) => a.slotId).join(", ");
      const done = [created, added.length === 0 ? undefined : `slots ${ids} have been added`]
        .filter((part) => part !== undefined)
        .join(" and ");
      const rest = slots
        .slice(i)
        .map((s) => `--slot ${s.file}`)
        .join(" ");
      const message = (error instanceof Error ? error.message : String(error)).replace(/\.?$/, ".");
      throw new Error(
        `${done}, but slot file ${file} failed: ${message} ` +
          `Add the remaining slots with: tee-market offers add-slot ${offerId} ${rest}`,
        { cause: error },
      );
    }
  }
  return added;
}

function slotRows(slots: readonly Slot[], token: { decimals: number; symbol: string }): string[] {
  return table(
    [
      ["slot", "price", "per", "min min", "max min", "cpu", "ram", "disk"],
      ...slots.map((s) => [
        String(s.id),
        `${formatUnits(s.usage.price, token.decimals)} ${token.symbol}`,
        s.usage.priceType === PriceType.Fixed ? "order" : "hour",
        String(s.usage.minTimeMinutes),
        s.usage.maxTimeMinutes === 0 ? "-" : String(s.usage.maxTimeMinutes),
        String(s.info.cpuCores),
        String(s.info.ram),
        String(s.info.diskUsage),
      ]),
    ],
    "  ",
  );
}

function offerJson(offer: Offer) {
  return { ...offer, offerType: enumName(OfferType, offer.offerType) };
}

/** `offers create`. */
export async function runCreate(ctx: CommandContext, input: CommandInput): Promise<CommandResult> {
  const file = path.resolve(ctx.io.cwd, required(input, "offer", "<offer-info.json>"));
  const raw = await readJsonFile(file);
  const params = offerParams(file, raw, await contentHashInput(ctx, input));
  const slots = await readSlots(ctx, list(input, "slot"));
  const { client } = await ctx.writer();
  const { offerId, receipt } = await ctx.out.pending(
    `Creating the ${params.offerType === OfferType.TeeOffer ? "TEE" : enumName(OfferType, params.offerType)} offer`,
    () => client.offers.create({ params }),
  );
  const created = `Offer was created with id ${offerId}`;
  const added = await addSlots(client, ctx.out, offerId, slots, created);
  return {
    text: [created, ...added.map((a) => `Slot was created with id ${a.slotId}`)].join("\n"),
    json: {
      offerId,
      offerType: enumName(OfferType, params.offerType),
      contentHash: params.contentHash,
      transactionHash: receipt.transactionHash,
      slots: added,
    },
  };
}

/** `offers add-slot`. */
export async function runAddSlot(ctx: CommandContext, input: CommandInput): Promise<CommandResult> {
  const offerId = idArg(positional(input, 0), "<offerId>", "an offer");
  const files = list(input, "slot");
  if (files.length === 0) required(input, "slot", "<slot-info.json>");
  const slots = await readSlots(ctx, files);
  const { client } = await ctx.writer();
  const added = await addSlots(client, ctx.out, offerId, slots, undefined);
  return {
    text: added.map((a) => `Slot was created with id ${a.slotId}`).join("\n"),
    json: { offerId, slots: added },
  };
}

/** An offer with what its info says and its slots. */
interface OfferRow {
  offer: Offer;
  info: unknown;
  slots: readonly Slot[];
}

function infoText(info: unknown, key: string): string {
  const value =
    typeof info === "object" && info !== null ? (info as Record<string, unknown>)[key] : undefined;
  return typeof value === "string" ? value : "";
}

/** The columns of `offers get --fields`. */
const OFFER_FIELDS: FieldTable<OfferRow, (typeof OFFER_FIELD_NAMES)[number]> = {
  id: { json: "id", value: (o) => o.offer.id },
  name: { json: "name", value: (o) => infoText(o.info, "name") },
  description: { json: "description", value: (o) => infoText(o.info, "description") },
  type: { json: "type", value: (o) => enumName(OfferType, o.offer.offerType) },
  enabled: { json: "enabled", value: (o) => o.offer.enabled },
  provider: { json: "provider", value: (o) => o.offer.provider },
  content_hash: { json: "contentHash", value: (o) => o.offer.contentHash },
  version: { json: "version", value: (o) => o.offer.version },
  cancelable: { json: "cancelable", value: (o) => o.offer.cancelable },
  auto_complete: { json: "autoComplete", value: (o) => o.offer.autoComplete },
  slots: { json: "slots", value: (o) => o.slots.map((s) => s.id).join(",") },
};

/** `offers get`. */
export async function runGet(ctx: CommandContext, input: CommandInput): Promise<CommandResult> {
  const offerId = idArg(positional(input, 0), "<offerId>", "an offer");
  const names = input.values["fields"] === undefined ? undefined : fieldsOption(input, OFFER_FIELDS, []);
  const { client, token } = await ctx.reader();
  const [offer, { info }, { slots }, tokenInfo] = await Promise.all([
    client.offers.get({ offerId }),
    client.offers.getInfo({ offerId }),
    client.slots.list({ offerId }),
    token(),
  ]);
  if (names !== undefined) {
    const { cells, json } = pick([{ offer, info, slots }], OFFER_FIELDS, names);
    const [header = [], values = []] = cells;
    return saveOrShow(ctx.io.cwd, input, {
      text: [`Offer ${offer.id}`, ...fields(header.map((name, i) => [name, values[i] ?? ""] as const))].join(
        "\n",
      ),
      json: { offer: json[0] },
    });
  }
  const text = (key: string) => infoText(info, key) || "(none)";
  return saveOrShow(ctx.io.cwd, input, {
    text: [
      `Offer ${offer.id}: ${enumName(OfferType, offer.offerType)}, ${offer.enabled ? "enabled" : "disabled"}`,
      ...fields([
        ["name", text("name")],
        ["description", text("description").replace(/\s*\n\s*/g, " ")],
        ["provider", offer.provider],
        ["content hash", offer.contentHash],
        ["version", String(offer.version)],
        ["completes", offer.autoComplete ? "by itself (public result resource)" : "by its owner, by hand"],
        ["cancelable", offer.cancelable ? "yes" : "no"],
      ]),
      slots.length === 0 ? "No slots" : "Slots:",
      ...(slots.length === 0 ? [] : slotRows(slots, tokenInfo)),
    ].join("\n"),
    json: { offer: offerJson(offer), info, slots },
  });
}

/** What `offers list` asks for: the offer ids `from` to `from + limit - 1`, filtered. */
interface OffersQuery {
  from: bigint;
  limit: bigint;
  offerType: OfferType | undefined;
  provider: Address | undefined;
  /** Normalized; an offer must name all of them. */
  keywords: string[] | undefined;
}

/** `offers list` from the index: the same window of ids, filtered there. */
async function offersFromIndex(
  indexer: IndexerClient,
  query: OffersQuery,
): Promise<{ offers: Offer[]; next: bigint | undefined; offerCount: bigint }> {
  const offers: Offer[] = [];
  let offerCount = 0n;
  for (let first: bigint | undefined = query.from; first !== undefined;) {
    const page: Awaited<ReturnType<IndexerClient["offers"]["list"]>> = await indexer.offers.list({
      firstOfferId: first,
      lastOfferId: query.from + query.limit - 1n,
      limit: 1000,
      ...(query.offerType === undefined ? {} : { offerType: query.offerType }),
      ...(query.provider === undefined ? {} : { provider: query.provider }),
      ...(query.keywords === undefined ? {} : { keywords: query.keywords }),
    });
    offers.push(...page.offers.map(chainOffer));
    offerCount = page.offerCount;
    first = page.nextOfferId;
  }
  const end = query.from + query.limit;
  return { offers, next: end <= offerCount ? end : undefined, offerCount };
}

/** The offers whose info names every keyword (all of them without keywords): each info read. */
async function withKeywords(
  client: MarketplaceClient,
  offers: Offer[],
  keywords: string[] | undefined,
): Promise<Offer[]> {
  if (keywords === undefined) return offers;
  const infos = await Promise.all(offers.map((offer) => client.offers.getInfo({ offerId: offer.id })));
  return offers.filter((_offer, i) => {
    const named = new Set(readDatasetInfo(infos[i]?.info).keywords);
    return keywords.every((keyword) => named.has(keyword));
  });
}

/** `offers list` from the chain: pages of up to 100 ids, filtered (keywords: each offer's info read). */
async function offersFromChain(
  client: MarketplaceClient,
  query: OffersQuery,
): Promise<{ offers: Offer[]; next: bigint | undefined; offerCount: bigint }> {
  const offers: Offer[] = [];
  let next: bigint | undefined = query.from;
  let scanned = 0n;
  let offerCount = 0n;
  while (next !== undefined && scanned < query.limit) {
    const pageLimit: bigint = query.limit - scanned < 100n ? query.limit - scanned : 100n;
    const page = await client.offers.list({
      firstOfferId: next,
      limit: pageLimit,
      ...(query.provider === undefined ? {} : { provider: query.provider }),
      ...(query.offerType === undefined ? {} : { offerType: query.offerType }),
    });
    offers.push(...(await withKeywords(client, page.offers, query.keywords)));
    offerCount = page.offerCount;
    scanned += pageLimit;
    next = page.nextOfferId;
  }
  return { offers, next, offerCount };
}

/** `offers list`: from the indexer when one is named. */
export async function runList(ctx: CommandContext, input: CommandInput): Promise<CommandResult> {
  const typeValue = optional(input, "type");
  const offerType =
    typeValue === undefined ? undefined : asUsage(() => parseEnum(OfferType, typeValue, "--type"));
  const providerValue = optional(input, "provider");
  const provider = providerValue === undefined ? undefined : addressArg(providerValue, "--provider");
  const fromValue = optional(input, "from");
  const from = fromValue === undefined ? 1n : idArg(fromValue, "--from", "an offer");
  const limitValue = optional(input, "limit");
  const limit = limitValue === undefined ? 100n : uintArg(limitValue, "--limit");
  if (limit < 1n) throw new UsageError(`--limit: expected a positive number, got ${limitValue}`);
  const keywordsValue = optional(input, "keywords");
  const keywords =
    keywordsValue === undefined ? undefined : asUsage(() => parseKeywords(keywordsValue, "--keywords"));
  const connection = await ctx.reader();
  const indexer = await connection.indexer();
  const query = { from, limit, offerType, provider, keywords };
  const { offers, next, offerCount } =
    indexer === undefined
      ? await offersFromChain(connection.client, query)
      : await offersFromIndex(indexer, query);
  return {
    text:
      offers.length === 0
        ? `No offers (${offerCount} in all)`
        : table([
            ["id", "type", "enabled", "provider", "version", "content hash"],
            ...offers.map((o) => [
              String(o.id),
              enumName(OfferType, o.offerType),
              o.enabled ? "yes" : "no",
              o.provider,
              String(o.version),
              o.contentHash,
            ]),
          ]).join("\n"),
    json: { offers: offers.map(offerJson), nextOfferId: next, offerCount },
  };
}

/** `offers update`: new info for an offer. */
export async function runUpdate(ctx: CommandContext, input: CommandInput): Promise<CommandResult> {
  const offerId = idArg(positional(input, 0), "<offerId>", "an offer");
  const file = path.resolve(ctx.io.cwd, required(input, "offer", "<offer-info.json>"));
  const offerInfo = await readJsonFile(file);
  const { client } = await ctx.writer();
  const { receipt } = await ctx.out.pending(`Updating offer ${offerId}`, () =>
    client.offers.updateInfo({ offerId, offerInfo }),
  );
  return {
    text: [
      `Offer ${offerId} was updated successfully`,
      ...fields([["transaction", receipt.transactionHash]]),
    ].join("\n"),
    json: { offerId, transactionHash: receipt.transactionHash },
  };
}

async function setEnabled(
  ctx: CommandContext,
  input: CommandInput,
  enabled: boolean,
): Promise<CommandResult> {
  const offerId = idArg(positional(input, 0), "<offerId>", "an offer");
  const word = enabled ? "enabled" : "disabled";
  const { client } = await ctx.writer();
  const offer = await client.offers.get({ offerId });
  if (offer.enabled === enabled) {
    return { text: `Offer ${offerId} is already ${word}`, json: { offerId, enabled, changed: false } };
  }
  const { receipt } = await ctx.out.pending(`${enabled ? "Enabling" : "Disabling"} offer ${offerId}`, () =>
    client.offers.setEnabled({ offerId, enabled }),
  );
  return {
    text: [`Offer ${offerId} was ${word}`, ...fields([["transaction", receipt.transactionHash]])].join("\n"),
    json: { offerId, enabled, changed: true, transactionHash: receipt.transactionHash },
  };
}

/** `offers enable`. */
export async function runEnable(ctx: CommandContext, input: CommandInput): Promise<CommandResult> {
  return setEnabled(ctx, input, true);
}

/** `offers disable`. */
export async function runDisable(ctx: CommandContext, input: CommandInput): Promise<CommandResult> {
  return setEnabled(ctx, input, false);
}

/** The slot `--slot` names, checked to belong to the offer `--offer` names. */
async function offerSlot(
  client: MarketplaceClient,
  input: CommandInput,
): Promise<{ offerId: bigint; slotId: bigint }> {
  const offerId = idArg(required(input, "offer", "<offerId>"), "--offer", "an offer");
  const slotId = idArg(required(input, "slot", "<slotId>"), "--slot", "a slot");
  const slot = await client.slots.get({ slotId });
  if (slot.offerId !== offerId) {
    throw new StateError(`Slot ${slotId} belongs to offer ${slot.offerId}, not to offer ${offerId}`);
  }
  return { offerId, slotId };
}

/** `offers update-slot`. */
export async function runUpdateSlot(ctx: CommandContext, input: CommandInput): Promise<CommandResult> {
  const file = path.resolve(ctx.io.cwd, required(input, "path", "<slot-info.json>"));
  const slot = await readSlotInfoFile(file);
  const { client } = await ctx.writer();
  const { offerId, slotId } = await offerSlot(client, input);
  const { receipt } = await ctx.out.pending(`Updating slot ${slotId} of offer ${offerId}`, () =>
    client.slots.update({ slotId, slot }),
  );
  return {
    text: [
      `Slot ${slotId} was updated successfully`,
      ...fields([["transaction", receipt.transactionHash]]),
    ].join("\n"),
    json: { offerId, slotId, transactionHash: receipt.transactionHash },
  };
}

/** `offers delete-slot`. */
export async function runDeleteSlot(ctx: CommandContext, input: CommandInput): Promise<CommandResult> {
  const { client } = await ctx.writer();
  const { offerId, slotId } = await offerSlot(client, input);
  const { receipt } = await ctx.out.pending(`Deleting slot ${slotId} of offer ${offerId}`, () =>
    client.slots.remove({ slotId }),
  );
  return {
    text: [
      `Slot ${slotId} was deleted from offer ${offerId}`,
      ...fields([["transaction", receipt.transactionHash]]),
    ].join("\n"),
    json: { offerId, slotId, transactionHash: receipt.transactionHash },
  };
}

/** `offers add-version` (spctl's `offer version add`): a new content hash and info. */
export async function runAddVersion(ctx: CommandContext, input: CommandInput): Promise<CommandResult> {
  const offerId = idArg(positional(input, 0), "<offerId>", "an offer");
  const file = path.resolve(ctx.io.cwd, required(input, "offer", "<offer-info.json>"));
  const offerInfo = await readJsonFile(file);
  const contentHash = await contentHashInput(ctx, input);
  if (contentHash === undefined) {
    throw new UsageError(
      "offers add-version needs the new content's hash: --resource <file.resource.json>, --content-hash <sha256> or --content <path>",
    );
  }
  inFile(file, () => offerParams(file, offerInfo, contentHash));
  const { client } = await ctx.writer();
  const {
    version,
    contentHash: hash,
    receipt,
  } = await ctx.out.pending(`Adding a version to offer ${offerId}`, () =>
    client.offers.newVersion({ offerId, contentHash, offerInfo }),
  );
  return {
    text: [
      `Version ${version} added successfully`,
      ...fields([
        ["content hash", hash],
        ["transaction", receipt.transactionHash],
      ]),
    ].join("\n"),
    json: { offerId, version, contentHash: hash, transactionHash: receipt.transactionHash },
  };
}
