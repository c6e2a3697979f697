/**
 * `tee-market offers search`: Data offers ranked by the Jaccard similarity of their keywords to a
 * query (the seeds' discovery step), from the indexer when one is named, else from the chain (every
 * offer scanned, a page at a time, with the SDK's `offers.search`). Both rank by the SDK's rule, so
 * the output is the same.
 */
import { formatUnits } from "viem";

import {
  type MarketplaceClient,
  type OfferMatch,
  PriceType,
  parseKeywords,
  rankMatches,
} from "@tee-marketplace/sdk";

import { asUsage, optional, required, uintArg } from "./args.js";
import type { CommandContext, CommandInput } from "./command.js";
import type { IndexerClient } from "./indexer.js";
import { type CommandResult, type Output, UsageError, table } from "./output.js";

/** Most matches shown (the indexer's cap). */
const MAX_MATCHES = 100n;

interface SearchQuery {
  keywords: string[];
  minSimilarity: number;
  limit: number;
}

/** The chain's answer: every page of offers searched, the matches ranked together. */
async function searchChain(
  client: MarketplaceClient,
  out: Output,
  query: SearchQuery,
): Promise<OfferMatch[]> {
  const matches: OfferMatch[] = [];
  for (let first: bigint | undefined = 1n; first !== undefined;) {
    const page: Awaited<ReturnType<MarketplaceClient["offers"]["search"]>> = await client.offers.search({
      keywords: query.keywords,
      minSimilarity: query.minSimilarity,
      firstOfferId: first,
    });
    matches.push(...page.matches);
    if (page.nextOfferId !== undefined && first === 1n) {
      out.note(
        `Searching ${page.offerCount} offers on the chain, 100 at a time (--indexer <url> answers at once)`,
      );
    }
    first = page.nextOfferId;
  }
  return rankMatches(matches).slice(0, query.limit);
}

async function searchIndex(indexer: IndexerClient, query: SearchQuery): Promise<OfferMatch[]> {
  const { matches } = await indexer.offers.search(query);
  return matches;
}

function similarityArg(value: string | undefined): number {
  if (value === undefined) return 0;
  const number = /^\d*\.?\d+$/.test(value) ? Number(value) : Number.NaN;
  if (!(number >= 0 && number <= 1)) {
    throw new UsageError(`--min-similarity: expected a number from 0 to 1, got ${JSON.stringify(value)}`);
  }
  return number;
}

/** `offers search`. */
export async function runSearch(ctx: CommandContext, input: CommandInput): Promise<CommandResult> {
  const keywords = asUsage(() => parseKeywords(required(input, "keywords", "<keywords>"), "--keywords"));
  if (keywords.length === 0) throw new UsageError("--keywords: name at least one keyword");
  const minSimilarity = similarityArg(optional(input, "min-similarity"));
  const limitValue = optional(input, "limit");
  const limit = limitValue === undefined ? 20n : uintArg(limitValue, "--limit");
  if (limit < 1n || limit > MAX_MATCHES) {
    throw new UsageError(`--limit: expected 1 to ${MAX_MATCHES} matches, got ${limitValue}`);
  }
  const connection = await ctx.reader();
  const indexer = await connection.indexer();
  const query = { keywords, minSimilarity, limit: Number(limit) };
  const [matches, token] = await Promise.all([
    indexer === undefined ? searchChain(connection.client, ctx.out, query) : searchIndex(indexer, query),
    connection.token(),
  ]);
  const rows = matches.flatMap((match) => {
    const similarity = match.similarity.toFixed(2);
    if (match.slots.length === 0) return [[String(match.offer.id), "-", "-", "-", similarity, match.name]];
    return match.slots.map((slot) => [
      String(match.offer.id),
      String(slot.id),
      `${formatUnits(slot.usage.price, token.decimals)} ${token.symbol}`,
      slot.usage.priceType === PriceType.Fixed ? "order" : "hour",
      similarity,
      match.name,
    ]);
  });
  return {
    text:
      rows.length === 0
        ? `No Data offer shares a keyword with ${keywords.join(", ")}${minSimilarity > 0 ? ` at similarity ${minSimilarity} or more` : ""}`
        : table([["offer", "slot", "price", "per", "similarity", "name"], ...rows]).join("\n"),
    json: {
      keywords,
      minSimilarity,
      matches: matches.map((match) => ({
        offerId: match.offer.id,
        name: match.name,
        similarity: match.similarity,
        keywords: match.keywords,
        dataset: match.dataset,
        slots: match.slots.map((slot) => ({
          slotId: slot.id,
          price: slot.usage.price,
          priceType: slot.usage.priceType === PriceType.Fixed ? "Fixed" : "PerHour",
        })),
      })),
    },
  };
}
