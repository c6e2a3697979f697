/**
 * The indexer client: the indexer's queries bound to one indexer. Like the marketplace client it
 * holds no state but its context; every answer has the shape the chain's reads give.
 */
import type { Deployment } from "../deployment.js";
import {
  type IndexerContext,
  type IndexerContextParameters,
  type SqlParameter,
  type SqlRow,
  createIndexerContext,
  indexerSql,
} from "./context.js";
import { listIndexedOffers, searchIndexedOffers } from "./offers.js";
import {
  getIndexedOrderHistory,
  getIndexedWorkflow,
  listIndexedOrders,
  listIndexedSuborders,
} from "./orders.js";
import { type IndexerStatus, getIndexedDeployment, getIndexerStatus } from "./status.js";
import { listIndexedTcbs } from "./tcbs.js";

/** An action with its context bound. */
type Bound<F> = F extends (ctx: IndexerContext, ...args: infer A) => infer R ? (...args: A) => R : never;

/** The client {@link createIndexerClient} returns. */
export interface IndexerClient {
  readonly context: IndexerContext;
  /** The deployment the indexer indexes ({@link getIndexedDeployment}). */
  deployment(): Promise<Deployment>;
  /** Whether its backfill is done, and the newest block indexed ({@link getIndexerStatus}). */
  status(): Promise<IndexerStatus>;
  /** Any read-only SELECT over the index's tables ({@link indexerSql}). */
  sql(query: string, params?: readonly SqlParameter[]): Promise<SqlRow[]>;
  readonly orders: {
    /** Workflows by consumer, status and offer, newest first ({@link listIndexedOrders}). */
    list: Bound<typeof listIndexedOrders>;
    /** One workflow ({@link getIndexedWorkflow}). */
    get: Bound<typeof getIndexedWorkflow>;
    /** A workflow's every event ({@link getIndexedOrderHistory}). */
    history: Bound<typeof getIndexedOrderHistory>;
  };
  readonly suborders: {
    /** Suborders of a provider or an offer, newest first ({@link listIndexedSuborders}). */
    list: Bound<typeof listIndexedSuborders>;
  };
  readonly offers: {
    /** Offers by type, provider and keywords ({@link listIndexedOffers}). */
    list: Bound<typeof listIndexedOffers>;
    /** Data offers ranked by keyword similarity ({@link searchIndexedOffers}). */
    search: Bound<typeof searchIndexedOffers>;
  };
  readonly tcbs: {
    /** A TEE offer's TCBs with their status ({@link listIndexedTcbs}). */
    list: Bound<typeof listIndexedTcbs>;
  };
}

/**
 * Creates a client of an indexer (`npm run indexer`, or any deployment of `indexer/`), without any
 * request. Its answers have the shapes of the chain's reads, so code can take either.
 *
 * @param params `url`: the indexer's base URL; `fetch`, `timeoutMs` (default 10 s).
 * @returns The client.
 * @example
 * import { createIndexerClient } from "@tee-marketplace/sdk/indexer";
 * const indexer = createIndexerClient({ url: "http://127.0.0.1:42069" });
 * const { workflows } = await indexer.orders.list({ consumer: alice, status: "Done" });
 * const { matches } = await indexer.offers.search({ keywords: ["feedback", "2025"], minSimilarity: 0.3 });
 * @throws {InputError} naming `url` or `timeoutMs` when malformed.
 */
export function createIndexerClient(params: IndexerContextParameters): IndexerClient {
  const ctx = createIndexerContext(params);
  const bind =
    <A extends unknown[], R>(action: (context: IndexerContext, ...args: A) => R) =>
    (...args: A): R =>
      action(ctx, ...args);
  return {
    context: ctx,
    deployment: () => getIndexedDeployment(ctx),
    status: () => getIndexerStatus(ctx),
    sql: (query, values) => indexerSql(ctx, query, values),
    orders: {
      list: bind(listIndexedOrders),
      get: bind(getIndexedWorkflow),
      history: bind(getIndexedOrderHistory),
    },
    suborders: { list: bind(listIndexedSuborders) },
    offers: { list: bind(listIndexedOffers), search: bind(searchIndexedOffers) },
    tcbs: { list: bind(listIndexedTcbs) },
  };
}
