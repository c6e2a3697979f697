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
 * The newest orders matching conditions that name offers, which may be the TEE's or a suborder's.
 * Ponder's SQL endpoint takes neither subqueries nor DISTINCT: the ids come from the orders joined
 * with their suborders, grouped by id (the only column selected, so no server has to infer that the
 * others depend on it), then the orders by id.
 */
async function ordersOfOffers(ctx: IndexerContext, conditions: Conditions, count: number): Promise<SqlRow[]> {
  const ids = await indexerSql(
    ctx,
    `SELECT o.id FROM orders o LEFT JOIN suborders s ON s.parent_id = o.id ${conditions.where()} GROUP BY o.id ORDER BY o.id DESC LIMIT ${count}`,
    conditions.params,
  );
  if (ids.length === 0) return [];
  return indexerSql(ctx, "SELECT * FROM orders WHERE id = ANY($1) ORDER BY id DESC", [
    ids.map((row) => String(row["id"])),
  ]);
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
  if (statuses !== undefined) conditions.add((p) => `o.status = ANY(${p(statuses)})`);
  if (params.offerIds !== undefined) {
    const offerIds = params.offerIds.map((value, i) => id(value, `offerIds[${i}]`, "an offer"));
    conditions.add((p) => {
      const list = p(offerIds);
      return `(o.tee_offer_id = ANY(${list}) OR s.offer_id = ANY(${list}))`;
    });
  }
  if (params.cursor !== undefined) {
    const cursor = id(params.cursor, "cursor", "an order");
    conditions.add((p) => `o.id <= ${p(cursor)}`);
  }
  const rows =
    params.offerIds === undefined
      ? await indexerSql(
          ctx,
          `SELECT o.* FROM orders o ${conditions.where()} ORDER BY o.id DESC LIMIT ${limit + 1}`,
          conditions.params,
        )
      : await ordersOfOffers(ctx, conditions, limit + 1);
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
  const rows = await indexerSql(
    ctx,
    // The suborder, if the id is one, gives its parent (Ponder's SQL endpoint takes no subqueries).
    "SELECT e.* FROM order_events e LEFT JOIN suborders s ON s.id = $1 " +
      "WHERE e.order_id = $1 OR e.order_id = s.parent_id ORDER BY e.block_number, e.log_index",
    [orderId],
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
