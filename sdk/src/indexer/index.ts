/**
 * @tee-marketplace/sdk/indexer: a typed client of the marketplace's indexer (`indexer/`, on Ponder):
 * orders by consumer, status and offer; suborders of a provider; an order's history; the TCBs of an
 * offer; offers by type, provider and keywords; dataset search by Jaccard similarity. Browser-safe
 * (fetch only). Its answers have the shapes of the chain's reads of `@tee-marketplace/sdk`.
 */
export { type IndexerClient, createIndexerClient } from "./client.js";
export {
  type IndexerContext,
  type IndexerContextParameters,
  type SqlParameter,
  type SqlRow,
  createIndexerContext,
  indexerJson,
  indexerReady,
  indexerSql,
} from "./context.js";
export {
  type IndexedOfferMatch,
  type ListIndexedOffersParameters,
  MAX_SEARCH_RESULTS,
  type SearchIndexedOffersParameters,
  listIndexedOffers,
  searchIndexedOffers,
} from "./offers.js";
export {
  type ListIndexedOrdersParameters,
  type ListIndexedSubordersParameters,
  MAX_INDEXER_PAGE_SIZE,
  type StatusFilter,
  getIndexedOrderHistory,
  getIndexedWorkflow,
  listIndexedOrders,
  listIndexedSuborders,
} from "./orders.js";
export {
  type IndexedOffer,
  type OrderEvent,
  chainOffer,
  offerFromRow,
  orderEventFromRow,
  orderFromRow,
  slotFromRow,
  suborderFromRow,
  tcbFromRow,
} from "./rows.js";
export { type IndexerStatus, getIndexedDeployment, getIndexerStatus } from "./status.js";
export { listIndexedTcbs } from "./tcbs.js";
