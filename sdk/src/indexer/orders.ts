/**
 * Orders from the index: a page of workflows by consumer, status and offer; one workflow; its whole
 * history; the suborders of a provider or an offer. Pages run newest first with a cursor that is
 * the first id of the next page, as the contracts' `ordersOfConsumer` and `subordersOfOffer` do.
 */
import type { Address } from "viem";

import { OrderStatus, parseEnum } from "../enums.js";
import { InputError } from "../errors.js";
import type { Order, Suborder, Workflow } from "../orderTypes.js";
import { toAddress, toUint } from "../validate.js";
import { type IndexerContext, type SqlParameter, type SqlRow, indexerSql } from "./context.js";
import { type OrderEvent, orderEventFromRow, orderFromRow, suborderFromRow } from "./rows.js";

/** Most rows of one page. */
export const MAX_INDEXER_PAGE_SIZE = 1000;

/** Statuses to keep, by value or name. */
export type StatusFilter =
  OrderStatus | keyof typeof OrderStatus | readonly (OrderStatus | keyof typeof OrderStatus)[];

/** What {@link listIndexedOrders} takes. */
export interface ListIndexedOrdersParameters {
  /** Only this consumer's orders. */
  consumer?: Address | string;
  /** Only orders in these statuses. */
  status?: StatusFilter;
  /** Only orders of these offers: their TEE offer, or one of their inputs'. */
  offerIds?: readonly (bigint | number | string)[];
  /** `nextCursor` of the previous page: the newest id of this one. */
  cursor?: bigint | number | string;
  /** Page size, 1 to 1000 (default 100). */
  limit?: bigint | number;
}

/** What {@link listIndexedSuborders} takes. */
export interface ListIndexedSubordersParameters {
  /** Only suborders of this provider's offers (its authority). */
  provider?: Address | string;
  /** Only suborders of this offer. */
  offerId?: bigint | number | string;
  /** Only suborders in these statuses (`"New"`: waiting for their owner). */
  status?: StatusFilter;
  /** `nextCursor` of the previous page. */
  cursor?: bigint | number | string;
  /** Page size, 1 to 1000 (default 100). */
  limit?: bigint | number;
}

/** Builds a WHERE clause and its parameters, `$1`.. in order. */
class Conditions {
  readonly params: SqlParameter[] = [];
  private readonly parts: string[] = [];

  add(condition: (param: (value: SqlParameter) => string) => string): void {
    this.parts.push(
      condition((value) => {
        this.params.push(value);
        return `$${this.params.length}`;
      }),
    );
  }

  where(): string {
    return this.parts.length === 0 ? "" : `WHERE ${this.parts.join(" AND ")}`;
  }
}

function statusList(value: StatusFilter | undefined): number[] | undefined {
  if (value === undefined) return undefined;
  const list = (Array.isArray(value) ? value : [value]) as readonly unknown[];
  return [
    ...new Set(
      list.map((item, i) => parseEnum(OrderStatus, item, Array.isArray(value) ? `status[${i}]` : "status")),
    ),
  ];
}

function pageSize(value: bigint | number | undefined): number {
  const limit = toUint(value ?? 100, "limit", {
    min: 1n,
    expected: `a page size from 1 to ${MAX_INDEXER_PAGE_SIZE}`,
  });
  if (limit > BigInt(MAX_INDEXER_PAGE_SIZE)) {
    throw new InputError("limit", `expected a page size from 1 to ${MAX_INDEXER_PAGE_SIZE}, got ${limit}`);
  }
  return Number(limit);
}

function id(value: unknown, field: string, what: string): string {
  return toUint(value, field, { min: 1n, expected: `${what} id (a positive integer)` }).toString();
}

/** The suborders of these parent orders, grouped by parent. */
async function subordersOf(ctx: IndexerContext, orders: readonly Order[]): Promise<Map<bigint, Suborder[]>> {
  const byParent = new Map<bigint, Suborder[]>(orders.map((order) => [order.id, []]));
  if (orders.length === 0) return byParent;
  const rows = await indexerSql(ctx, "SELECT * FROM suborders WHERE parent_id = ANY($1) ORDER BY id", [
    orders.map((order) => order.id.toString()),
  ]);
  for (const row of rows) {
    const suborder = suborderFromRow(ctx.url, row);
    byParent.get(suborder.parentId)?.push(suborder);
  }
  return byParent;
}

/**
 * The newest `count` orders of these offers (their TEE offer, or one of their inputs') that meet
 * `conditions` (on `o`, the orders). Ponder's SQL endpoint takes neither subqueries, UNION nor
 * DISTINCT, and an OR across a join reads every row: the TEE side and the inputs' side are two
 * indexed queries (the inputs' grouped by the parent id, the only column selected), merged here,
 * then the orders read by id.
 */
async function ordersOfOffers(
  ctx: IndexerContext,
  conditions: Conditions,
  offerIds: readonly string[],
  count: number,
): Promise<SqlRow[]> {
  const offers = `$${conditions.params.length + 1}`;
  const params = [...conditions.params, offerIds];
  const and = conditions.where() === "" ? "WHERE" : `${conditions.where()} AND`;
  const [asTee, asInput] = await Promise.all([
    indexerSql(
      ctx,
      `SELECT o.id FROM orders o ${and} o.tee_offer_id = ANY(${offers}) ORDER BY o.id DESC LIMIT ${count}`,
      params,
    ),
    indexerSql(
      ctx,
      `SELECT s.parent_id AS id FROM suborders s JOIN orders o ON o.id = s.parent_id ${and} s.offer_id = ANY(${offers}) ` +
        `GROUP BY s.parent_id ORDER BY s.parent_id DESC LIMIT ${count}`,
      params,
    ),
  ]);
  const ids = [...new Set([...asTee, ...asInput].map((row) => BigInt(String(row["id"]))))]
    .sort((x, y) => (x < y ? 1 : x > y ? -1 : 0))
    .slice(0, count);
  if (ids.length === 0) return [];
  return indexerSql(ctx, "SELECT * FROM orders WHERE id = ANY($1) ORDER BY id DESC", [ids.map(String)]);
}

/**
 * A page of workflows (parent orders with their suborders), newest first, filtered by consumer,
 * status and offers. Two queries: the orders, then their suborders.
 *
 * @param ctx The indexer context.
 * @param params See {@link ListIndexedOrdersParameters}.
 * @returns The workflows, and `nextCursor` for the next page (`undefined` after the last).
 * @example
 * const { workflows } = await indexer.orders.list({ consumer: alice, status: ["New", "Processing"] });
 * @throws {InputError} naming the parameter that is malformed.
 * @throws {IndexerError} when the indexer cannot answer.
 */
export async function listIndexedOrders(
  ctx: IndexerContext,
  params: ListIndexedOrdersParameters = {},
): Promise<{ workflows: Workflow[]; nextCursor: bigint | undefined }> {
  const limit = pageSize(params.limit);
  const conditions = new Conditions();
  if (params.consumer !== undefined) {
    const consumer = toAddress(params.consumer, "consumer").toLowerCase();
    conditions.add((p) => `o.consumer = ${p(consumer)}`);
  }
  const statuses = statusList(params.status);
  // One status as an equality: the (status, id) index then gives the page in order.
  if (statuses?.length === 1) conditions.add((p) => `o.status = ${p(statuses[0] ?? 0)}`);
  else if (statuses !== undefined) conditions.add((p) => `o.status = ANY(${p(statuses)})`);
  const offerIds = params.offerIds?.map((value, i) => id(value, `offerIds[${i}]`, "an offer"));
  if (params.cursor !== undefined) {
    const cursor = id(params.cursor, "cursor", "an order");
    conditions.add((p) => `o.id <= ${p(cursor)}`);
  }
  const rows =
    offerIds === undefined
      ? await indexerSql(
          ctx,
          `SELECT o.* FROM orders o ${conditions.where()} ORDER BY o.id DESC LIMIT ${limit + 1}`,
          conditions.params,
        )
      : await ordersOfOffers(ctx, conditions, offerIds, limit + 1);
  const orders = rows.map((row) => orderFromRow(ctx.url, row));
  const next = orders.length > limit ? orders.pop() : undefined;
  const suborders = await subordersOf(ctx, orders);
  return {
    workflows: orders.map((order) => ({ order, suborders: suborders.get(order.id) ?? [] })),
    nextCursor: next?.id,
  };
}

/**
 * One workflow: the parent order and its suborders, as the chain's `orders.get` returns it.
 *
 * @param ctx The indexer context.
 * @param params `orderId`: the parent order.
 * @returns The workflow, or `undefined` when the index has no such order (yet).
 * @example
 * const workflow = await indexer.orders.get({ orderId: 3n });
 * @throws {InputError} naming `orderId`.
 * @throws {IndexerError} when the indexer cannot answer.
 */
export async function getIndexedWorkflow(
  ctx: IndexerContext,
  params: { orderId: bigint | number | string },
): Promise<Workflow | undefined> {
  const orderId = id(params.orderId, "orderId", "an order");
  const [orderRows, suborderRows] = await Promise.all([
    indexerSql(ctx, "SELECT * FROM orders WHERE id = $1", [orderId]),
    indexerSql(ctx, "SELECT * FROM suborders WHERE parent_id = $1 ORDER BY id", [orderId]),
  ]);
  const [row] = orderRows;
  if (row === undefined) return undefined;
  return {
    order: orderFromRow(ctx.url, row),
    suborders: suborderRows.map((suborder) => suborderFromRow(ctx.url, suborder)),
  };
}

/**
 * Everything that happened to a workflow, oldest first: its creation, every status change of the
 * order and its suborders, the data owners' completions, refills, the report, the completion and
 * the payments. Given a suborder id, the history of its workflow.
 *
 * @param ctx The indexer context.
 * @param params `orderId`: the parent order or one of its suborders.
 * @returns The events, by block and log index (empty when the index has no such order).
 * @example
 * for (const event of await indexer.orders.history({ orderId: 3n })) console.log(event.blockNumber, event.kind);
 * @throws {InputError} naming `orderId`.
 * @throws {IndexerError} when the indexer cannot answer.
 */
export async function getIndexedOrderHistory(
  ctx: IndexerContext,
  params: { orderId: bigint | number | string },
): Promise<OrderEvent[]> {
  const orderId = id(params.orderId, "orderId", "an order");
  // The suborder, if the id is one, gives its parent; then one indexed read of the parent's events
  // (Ponder's SQL endpoint takes no subqueries, and an OR across a join reads every row).
  const [suborderRow] = await indexerSql(ctx, "SELECT parent_id FROM suborders WHERE id = $1", [orderId]);
  const parentId = suborderRow === undefined ? orderId : String(suborderRow["parent_id"]);
  const rows = await indexerSql(
    ctx,
    "SELECT * FROM order_events WHERE order_id = $1 ORDER BY block_number, log_index",
    [parentId],
  );
  return rows.map((row) => orderEventFromRow(ctx.url, row));
}

/**
 * A page of suborders, newest first: a provider's (every suborder of its offers: what a data owner
 * has to answer), an offer's, or both, filtered by status. One query.
 *
 * @param ctx The indexer context.
 * @param params See {@link ListIndexedSubordersParameters}.
 * @returns The suborders, and `nextCursor` for the next page (`undefined` after the last).
 * @example
 * const { suborders } = await indexer.suborders.list({ provider: bob, status: "New" });
 * @throws {InputError} naming the parameter that is malformed, or `provider` when neither a
 * provider nor an offer is given.
 * @throws {IndexerError} when the indexer cannot answer.
 */
export async function listIndexedSuborders(
  ctx: IndexerContext,
  params: ListIndexedSubordersParameters,
): Promise<{ suborders: Suborder[]; nextCursor: bigint | undefined }> {
  if (params.provider === undefined && params.offerId === undefined) {
    throw new InputError("provider", "pass a provider, an offerId, or both");
  }
  const limit = pageSize(params.limit);
  const conditions = new Conditions();
  if (params.provider !== undefined) {
    const provider = toAddress(params.provider, "provider").toLowerCase();
    conditions.add((p) => `provider = ${p(provider)}`);
  }
  if (params.offerId !== undefined) {
    const offerId = id(params.offerId, "offerId", "an offer");
    conditions.add((p) => `offer_id = ${p(offerId)}`);
  }
  const statuses = statusList(params.status);
  if (statuses !== undefined) conditions.add((p) => `status = ANY(${p(statuses)})`);
  if (params.cursor !== undefined) {
    const cursor = id(params.cursor, "cursor", "a suborder");
    conditions.add((p) => `id <= ${p(cursor)}`);
  }
  const rows = await indexerSql(
    ctx,
    `SELECT * FROM suborders ${conditions.where()} ORDER BY id DESC LIMIT ${limit + 1}`,
    conditions.params,
  );
  const suborders = rows.map((row) => suborderFromRow(ctx.url, row));
  const next = suborders.length > limit ? suborders.pop() : undefined;
  return { suborders, nextCursor: next?.id };
}
