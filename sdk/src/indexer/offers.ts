/**
 * Offers from the index: by type, provider and keywords, and the keyword search that ranks every
 * Data offer by Jaccard similarity (the rule of `../datasets.ts`, counted in SQL over the index's
 * `offer_terms`: a row per keyword and per year a dataset covers).
 */
import type { Address } from "viem";

import type { OfferMatch } from "../actions/search.js";
import { rankMatches, similarityThreshold } from "../actions/search.js";
import { parseKeywords, similarityOf } from "../datasets.js";
import { OfferType, parseEnum } from "../enums.js";
import { InputError } from "../errors.js";
import { toAddress, toUint } from "../validate.js";
import { type IndexerContext, type SqlParameter, indexerSql } from "./context.js";
import { type IndexedOffer, RowReader, offerFromRow, slotFromRow } from "./rows.js";
import { MAX_INDEXER_PAGE_SIZE } from "./orders.js";

/** Most matches one search returns. */
export const MAX_SEARCH_RESULTS = 100;

/** What {@link listIndexedOffers} takes. */
export interface ListIndexedOffersParameters {
  /** Only offers of this type (value or name). */
  offerType?: OfferType | keyof typeof OfferType;
  /** Only this provider's offers (its authority). */
  provider?: Address | string;
  /** Only offers that list every one of these keywords (an array, or a comma-separated string). */
  keywords?: readonly string[] | string;
  /** Lowest offer id (default 1). */
  firstOfferId?: bigint | number | string;
  /** Highest offer id (default none). */
  lastOfferId?: bigint | number | string;
  /** Page size, 1 to 1000 (default 100). */
  limit?: bigint | number;
}

/** What {@link searchIndexedOffers} takes. */
export interface SearchIndexedOffersParameters {
  /** The query's keywords (an array, or one comma-separated string). */
  keywords: readonly string[] | string;
  /** Least similarity kept, from 0 to 1 (default 0: any offer that shares a term). */
  minSimilarity?: number;
  /** Most matches returned, 1 to 100 (default 20). */
  limit?: bigint | number;
}

/** An `IndexedOffer` as search results show it: the chain's `Offer` and the discovery fields. */
export type IndexedOfferMatch = OfferMatch & { offer: IndexedOffer };

function offerId(value: unknown, field: string): string {
  return toUint(value, field, { min: 1n, expected: "an offer id (a positive integer)" }).toString();
}

/**
 * Offers by id, ascending, filtered by type, provider and keywords; with the number of offers the
 * marketplace has (ids run from 1 to it).
 *
 * @param ctx The indexer context.
 * @param params See {@link ListIndexedOffersParameters}.
 * @returns The offers, `nextOfferId` (the id after the last one returned, when more match) and
 * `offerCount`.
 * @example
 * const { offers } = await indexer.offers.list({ offerType: "Data", keywords: ["feedback"] });
 * @throws {InputError} naming the parameter that is malformed.
 * @throws {IndexerError} when the indexer cannot answer.
 */
export async function listIndexedOffers(
  ctx: IndexerContext,
  params: ListIndexedOffersParameters = {},
): Promise<{ offers: IndexedOffer[]; nextOfferId: bigint | undefined; offerCount: bigint }> {
  const limit = Number(
    toUint(params.limit ?? 100, "limit", { min: 1n, expected: "a page size from 1 to 1000" }),
  );
  if (limit > MAX_INDEXER_PAGE_SIZE)
    throw new InputError("limit", `expected a page size from 1 to 1000, got ${limit}`);
  const conditions: string[] = [];
  const values: SqlParameter[] = [];
  const param = (value: SqlParameter) => {
    values.push(value);
    return `$${values.length}`;
  };
  conditions.push(`id >= ${param(offerId(params.firstOfferId ?? 1, "firstOfferId"))}`);
  if (params.lastOfferId !== undefined)
    conditions.push(`id <= ${param(offerId(params.lastOfferId, "lastOfferId"))}`);
  if (params.offerType !== undefined) {
    conditions.push(`offer_type = ${param(parseEnum(OfferType, params.offerType, "offerType"))}`);
  }
  if (params.provider !== undefined) {
    conditions.push(`provider = ${param(toAddress(params.provider, "provider").toLowerCase())}`);
  }
  if (params.keywords !== undefined) {
    const keywords = parseKeywords(params.keywords, "keywords");
    if (keywords.length > 0) conditions.push(`keywords @> ${param(keywords)}`);
  }
  const [rows, counts] = await Promise.all([
    indexerSql(
      ctx,
      `SELECT * FROM offers WHERE ${conditions.join(" AND ")} ORDER BY id LIMIT ${limit + 1}`,
      values,
    ),
    indexerSql(ctx, "SELECT count(*) AS offer_count FROM offers"),
  ]);
  const offers = rows.map((row) => offerFromRow(ctx.url, row));
  const next = offers.length > limit ? offers.pop() : undefined;
  const offerCount = new RowReader(ctx.url, "offers", counts[0] ?? {}).bigint("offer_count");
  return { offers, nextOfferId: next?.id, offerCount };
}

/**
 * Ranks every enabled Data offer of the index by the Jaccard similarity of its keywords (and the
 * query's years its time range covers) to the query: highest first, then lowest offer id; with the
 * matches' slots. Two round trips: the ranking, then the offers and their slots.
 *
 * @param ctx The indexer context.
 * @param params See {@link SearchIndexedOffersParameters}.
 * @returns The matches (the same shape as the chain's `offers.search`).
 * @example
 * const { matches } = await indexer.offers.search({ keywords: "feedback,2025", minSimilarity: 0.3 });
 * for (const m of matches) console.log(m.offer.id, m.similarity.toFixed(2), m.slots[0]?.usage.price);
 * @throws {InputError} naming `keywords` (none, or malformed), `minSimilarity` or `limit`.
 * @throws {IndexerError} when the indexer cannot answer.
 */
export async function searchIndexedOffers(
  ctx: IndexerContext,
  params: SearchIndexedOffersParameters,
): Promise<{ matches: IndexedOfferMatch[] }> {
  const query = parseKeywords(params.keywords, "keywords");
  if (query.length === 0) throw new InputError("keywords", "name at least one keyword to search for");
  const minSimilarity = similarityThreshold(params.minSimilarity, "minSimilarity");
  const limit = Number(
    toUint(params.limit ?? 20, "limit", { min: 1n, expected: "a number of matches from 1 to 100" }),
  );
  if (limit > MAX_SEARCH_RESULTS)
    throw new InputError("limit", `expected 1 to ${MAX_SEARCH_RESULTS} matches, got ${limit}`);
  // shared / (|query| + keywords − shared keywords): `similarityOf`, in SQL so the ranking and the
  // threshold run in the database.
  const keywordMatches = "sum(CASE WHEN t.keyword THEN 1 ELSE 0 END)";
  const similarity = `count(DISTINCT t.term)::float8 / ($2 + o.keyword_count - ${keywordMatches})`;
  const ranked = await indexerSql(
    ctx,
    `SELECT t.offer_id, o.keyword_count, count(DISTINCT t.term) AS shared, ${keywordMatches} AS shared_keywords ` +
      `FROM offer_terms t JOIN offers o ON o.id = t.offer_id ` +
      `WHERE t.term = ANY($1) AND o.offer_type = ${OfferType.Data} AND o.enabled ` +
      `GROUP BY t.offer_id, o.keyword_count HAVING ${similarity} >= $3 ` +
      `ORDER BY ${similarity} DESC, t.offer_id LIMIT $4`,
    [query, query.length, minSimilarity, limit],
  );
  const scores = new Map(
    ranked.map((row) => {
      const r = new RowReader(ctx.url, "offer_terms", row);
      const shared = r.number("shared");
      const sharedKeywords = r.number("shared_keywords");
      const counts = {
        queryTerms: query.length,
        keywords: r.number("keyword_count"),
        sharedKeywords,
        sharedYears: shared - sharedKeywords,
      };
      return [r.bigint("offer_id"), similarityOf(counts)] as const;
    }),
  );
  const ids = [...scores.keys()].map(String);
  if (ids.length === 0) return { matches: [] };
  const [offerRows, slotRows] = await Promise.all([
    indexerSql(ctx, "SELECT * FROM offers WHERE id = ANY($1)", [ids]),
    indexerSql(ctx, "SELECT * FROM slots WHERE offer_id = ANY($1) ORDER BY id", [ids]),
  ]);
  const slots = slotRows.map((row) => slotFromRow(ctx.url, row));
  const matches = offerRows.map((row) => {
    const offer = offerFromRow(ctx.url, row);
    return {
      offer,
      name: offer.name,
      keywords: offer.keywords,
      dataset: offer.dataset,
      similarity: scores.get(offer.id) ?? 0,
      slots: slots.filter((slot) => slot.offerId === offer.id),
    };
  });
  return { matches: rankMatches(matches).filter((match) => match.similarity > 0) };
}
