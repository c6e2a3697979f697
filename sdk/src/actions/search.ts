/**
 * Dataset discovery on the chain alone: a bounded page of offers ranked by the Jaccard similarity of
 * their keywords to a query (`./datasets.ts` has the rule). An indexer answers the same question
 * over every offer (`@tee-marketplace/sdk/indexer`); this one costs a page of reads.
 */
import { MAX_PAGE_SIZE } from "../abi/protocol.js";
import type { MarketplaceContext } from "../context.js";
import { type DatasetMetadata, keywordSimilarity, parseKeywords, readDatasetInfo } from "../datasets.js";
import { OfferType } from "../enums.js";
import { InputError } from "../errors.js";
import { isObject } from "../internal/fields.js";
import { type Offer, getOfferInfo, listOffers } from "./offers.js";
import { type Slot, listSlots } from "./slots.js";

/** A Data offer that matches a keyword query. */
export interface OfferMatch {
  offer: Offer;
  /** The `name` of its offer-info.json (empty when it has none). */
  name: string;
  /** Its keywords, normalized. */
  keywords: string[];
  /** Its dataset metadata. */
  dataset: DatasetMetadata;
  /** Jaccard similarity to the query, from 0 (exclusive) to 1. */
  similarity: number;
  /** Its slots, by id. */
  slots: Slot[];
}

/** What {@link searchOffers} takes. */
export interface SearchOffersParameters {
  /** The query: keywords (an array, or one comma-separated string), normalized as offers' keywords are. */
  keywords: readonly string[] | string;
  /** Least similarity kept, from 0 to 1 (default 0: any offer that shares a term). */
  minSimilarity?: number;
  /** First offer id of the page scanned (default 1). */
  firstOfferId?: bigint | number;
  /** Offer ids scanned, at most 100 (default 100). */
  limit?: bigint | number;
}

/**
 * Checks a similarity threshold: a number from 0 to 1.
 *
 * @param value The threshold (default 0).
 * @param field The field named in errors.
 * @returns The threshold.
 * @example
 * similarityThreshold(0.3, "minSimilarity"); // 0.3
 * @throws {InputError} naming `field` when it is not a number from 0 to 1.
 */
export function similarityThreshold(value: unknown, field: string): number {
  if (value === undefined) return 0;
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0 || value > 1) {
    throw new InputError(field, `expected a number from 0 to 1, got ${String(value)}`);
  }
  return value;
}

/**
 * Ranks the enabled Data offers of one page of offer ids by the Jaccard similarity of their keywords
 * (and the years their time range covers) to the query, highest first, then by offer id. Reads the
 * page, each Data offer's info (its event at its info block) and the matches' slots: a few round
 * trips with a batching transport, whatever the page holds.
 *
 * @param ctx The marketplace context.
 * @param params See {@link SearchOffersParameters}.
 * @returns The matches, and `nextOfferId` for the next page (`undefined` after the last).
 * @example
 * let page = await client.offers.search({ keywords: "feedback,2025", minSimilarity: 0.3 });
 * while (page.nextOfferId !== undefined) {
 *   page = await client.offers.search({ keywords: "feedback,2025", firstOfferId: page.nextOfferId });
 * }
 * @throws {InputError} naming `keywords` (empty, or a malformed keyword), `minSimilarity`,
 * `firstOfferId` or `limit`.
 */
export async function searchOffers(
  ctx: MarketplaceContext,
  params: SearchOffersParameters,
): Promise<{ matches: OfferMatch[]; nextOfferId: bigint | undefined; offerCount: bigint }> {
  const query = parseKeywords(params.keywords, "keywords");
  if (query.length === 0) throw new InputError("keywords", "name at least one keyword to search for");
  const minSimilarity = similarityThreshold(params.minSimilarity, "minSimilarity");
  const page = await listOffers(ctx, {
    offerType: OfferType.Data,
    ...(params.firstOfferId === undefined ? {} : { firstOfferId: params.firstOfferId }),
    limit: params.limit ?? MAX_PAGE_SIZE,
  });
  const offers = page.offers.filter((offer) => offer.enabled);
  const infos = await Promise.all(offers.map((offer) => getOfferInfo(ctx, { offerId: offer.id })));
  const ranked = offers
    .map((offer, i) => {
      const info = infos[i]?.info;
      const { keywords, dataset } = readDatasetInfo(info);
      const name = isObject(info) && typeof info["name"] === "string" ? info["name"] : "";
      const similarity = keywordSimilarity(query, { keywords, timeRange: dataset.timeRange });
      return { offer, name, keywords, dataset, similarity };
    })
    .filter((match) => match.similarity > 0 && match.similarity >= minSimilarity);
  const slots = await Promise.all(ranked.map((match) => listSlots(ctx, { offerId: match.offer.id })));
  const matches = ranked.map((match, i) => ({
    ...match,
    slots: (slots[i]?.slots ?? []).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)),
  }));
  return { matches: rankMatches(matches), nextOfferId: page.nextOfferId, offerCount: page.offerCount };
}

/**
 * Sorts matches as every search ranks them: highest similarity first, then lowest offer id.
 *
 * @param matches The matches.
 * @returns A new sorted array.
 * @example
 * const top = rankMatches([...pageOne.matches, ...pageTwo.matches]).slice(0, 10);
 * @throws nothing.
 */
export function rankMatches<T extends { similarity: number; offer: { id: bigint } }>(
  matches: readonly T[],
): T[] {
  return [...matches].sort((a, b) =>
    a.similarity !== b.similarity ? b.similarity - a.similarity : a.offer.id < b.offer.id ? -1 : 1,
  );
}
