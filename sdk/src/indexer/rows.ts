/**
 * Rows of the index turned into the SDK's types (the same shapes the chain's reads return: `Order`,
 * `Suborder`, `Offer`, `Slot`, `Tcb`), each column checked: an indexer is a server like any other,
 * and a row that is not what the schema says is an {@link IndexerError}, not a wrong answer.
 */
import { type Address, type Hex, getAddress } from "viem";

import type { Offer } from "../actions/offers.js";
import type { Slot } from "../actions/slots.js";
import type { Tcb } from "../actions/tcb.js";
import type { DatasetMetadata } from "../datasets.js";
import { type OfferType, type OrderStatus, type PriceType, TcbStatus } from "../enums.js";
import { IndexerError } from "../errors.js";
import type { Order, Suborder } from "../orderTypes.js";
import type { SqlRow } from "./context.js";

/** An offer as the index keeps it: the chain's `Offer` and what its info blob says. */
export interface IndexedOffer extends Offer {
  /** The `name` of its offer-info.json (empty when it has none). */
  name: string;
  /** Its keywords, normalized. */
  keywords: string[];
  /** Its dataset metadata. */
  dataset: DatasetMetadata;
}

/** One event of an order's history. */
export interface OrderEvent {
  /** The event: `WorkflowCreated`, `OrderStatusUpdated`, `SuborderCompleted`, `OrderReportPublished`, `OrderCompleted`, `OrderRefilled`, `PaymentsCredited`. */
  kind: string;
  /** The parent order. */
  orderId: bigint;
  /** The order or suborder the event names. */
  subjectId: bigint;
  /** The event's arguments as JSON: quantities as decimal strings, bytes and addresses as lower-case hex. */
  args: unknown;
  blockNumber: bigint;
  logIndex: number;
  /** Unix seconds of its block. */
  timestamp: number;
  transactionHash: Hex;
}

/** Reads the columns of one row; a missing or malformed column is an {@link IndexerError}. */
export class RowReader {
  constructor(
    private readonly url: string,
    private readonly table: string,
    private readonly row: SqlRow,
  ) {}

  private fail(column: string): never {
    throw new IndexerError({
      url: this.url,
      message: `The indexer at ${this.url} returned a row of ${this.table} whose ${column} is ${JSON.stringify(this.row[column]) ?? "missing"}; is it an indexer of this version of the marketplace?`,
    });
  }

  bigint(column: string): bigint {
    const value = this.row[column];
    if (
      (typeof value === "string" && /^\d+$/.test(value)) ||
      (typeof value === "number" && Number.isSafeInteger(value))
    ) {
      return BigInt(value);
    }
    return this.fail(column);
  }

  optionalBigint(column: string): bigint | undefined {
    return this.row[column] === null || this.row[column] === undefined ? undefined : this.bigint(column);
  }

  number(column: string): number {
    const value = this.bigint(column);
    if (value > BigInt(Number.MAX_SAFE_INTEGER)) this.fail(column);
    return Number(value);
  }

  boolean(column: string): boolean {
    const value = this.row[column];
    return typeof value === "boolean" ? value : this.fail(column);
  }

  string(column: string): string {
    const value = this.row[column];
    return typeof value === "string" ? value : this.fail(column);
  }

  optionalString(column: string): string | undefined {
    return this.row[column] === null || this.row[column] === undefined ? undefined : this.string(column);
  }

  strings(column: string): string[] {
    const value = this.row[column];
    return Array.isArray(value) && value.every((item) => typeof item === "string")
      ? (value as string[])
      : this.fail(column);
  }

  hex(column: string): Hex {
    const value = this.row[column];
    return typeof value === "string" && /^0x[0-9a-f]*$/i.test(value)
      ? (value.toLowerCase() as Hex)
      : this.fail(column);
  }

  address(column: string): Address {
    const value = this.row[column];
    return typeof value === "string" && /^0x[0-9a-f]{40}$/i.test(value)
      ? getAddress(value)
      : this.fail(column);
  }

  json(column: string): unknown {
    return column in this.row ? this.row[column] : this.fail(column);
  }
}

/**
 * An `orders` row as the chain's `Order`.
 *
 * @param url The indexer (for errors).
 * @param row The row.
 * @returns The order.
 * @example
 * const orders = rows.map((row) => orderFromRow(ctx.url, row));
 * @throws {IndexerError} when a column is missing or malformed.
 */
export function orderFromRow(url: string, row: SqlRow): Order {
  const r = new RowReader(url, "orders", row);
  return {
    id: r.bigint("id"),
    consumer: r.address("consumer"),
    status: r.number("status") as OrderStatus,
    suborderCount: r.number("suborder_count"),
    blockingSuborders: r.number("blocking_suborders"),
    recipientCount: r.number("recipient_count"),
    cancelable: r.boolean("cancelable"),
    startedAt: r.number("started_at"),
    teeOfferId: r.bigint("tee_offer_id"),
    teeSlotId: r.bigint("tee_slot_id"),
    teeKey: r.address("tee_key"),
    argsBlock: r.bigint("args_block"),
    deposit: r.bigint("deposit"),
    reportBlock: r.bigint("report_block"),
    resultBlock: r.bigint("result_block"),
    solutionHash: r.hex("solution_hash"),
  };
}

/**
 * A `suborders` row as the chain's `Suborder`.
 *
 * @param url The indexer (for errors).
 * @param row The row.
 * @returns The suborder.
 * @example
 * const suborders = rows.map((row) => suborderFromRow(ctx.url, row));
 * @throws {IndexerError} when a column is missing or malformed.
 */
export function suborderFromRow(url: string, row: SqlRow): Suborder {
  const r = new RowReader(url, "suborders", row);
  return {
    id: r.bigint("id"),
    parentId: r.bigint("parent_id"),
    offerId: r.bigint("offer_id"),
    slotId: r.bigint("slot_id"),
    status: r.number("status") as OrderStatus,
    createdAt: r.number("created_at"),
    resultBlock: r.bigint("result_block"),
    dataHash: r.hex("data_hash"),
  };
}

/**
 * An `offers` row as the chain's `Offer`, with its name, keywords and dataset metadata.
 *
 * @param url The indexer (for errors).
 * @param row The row.
 * @returns The offer.
 * @example
 * const offers = rows.map((row) => offerFromRow(ctx.url, row));
 * @throws {IndexerError} when a column is missing or malformed.
 */
export function offerFromRow(url: string, row: SqlRow): IndexedOffer {
  const r = new RowReader(url, "offers", row);
  // In readDatasetInfo's order, so the two print alike.
  const dataset: DatasetMetadata = {};
  const records = r.optionalBigint("records");
  if (records !== undefined) dataset.records = records;
  const size = r.optionalBigint("size");
  if (size !== undefined) dataset.size = size;
  const from = r.optionalString("time_from");
  const to = r.optionalString("time_to");
  if (from !== undefined && to !== undefined) dataset.timeRange = { from, to };
  for (const key of ["format", "license", "modalities"] as const) {
    const value = r.optionalString(key);
    if (value !== undefined) dataset[key] = value;
  }
  if (row["languages"] !== null && row["languages"] !== undefined) dataset.languages = r.strings("languages");
  return {
    id: r.bigint("id"),
    provider: r.address("provider"),
    offerType: r.number("offer_type") as OfferType,
    subType: r.number("sub_type"),
    enabled: r.boolean("enabled"),
    cancelable: r.boolean("cancelable"),
    autoComplete: r.boolean("auto_complete"),
    allowedTypesMask: r.number("allowed_types_mask"),
    restrictedByOfferId: r.boolean("restricted_by_offer_id"),
    restrictedToAccounts: r.boolean("restricted_to_accounts"),
    version: r.number("version"),
    infoBlock: r.bigint("info_block"),
    contentHash: r.hex("content_hash"),
    infoHash: r.hex("info_hash"),
    name: r.string("name"),
    keywords: r.strings("keywords"),
    dataset,
  };
}

/**
 * The chain's `Offer` alone (without what the index adds).
 *
 * @param offer An indexed offer.
 * @returns Its `Offer` fields.
 * @example
 * expect(chainOffer(indexed)).to.deep.equal(await client.offers.get({ offerId: indexed.id }));
 * @throws nothing.
 */
export function chainOffer(offer: IndexedOffer): Offer {
  const { name: _name, keywords: _keywords, dataset: _dataset, ...rest } = offer;
  return rest;
}

/**
 * A `slots` row as the chain's `Slot`.
 *
 * @param url The indexer (for errors).
 * @param row The row.
 * @returns The slot.
 * @example
 * const slots = rows.map((row) => slotFromRow(ctx.url, row));
 * @throws {IndexerError} when a column is missing or malformed.
 */
export function slotFromRow(url: string, row: SqlRow): Slot {
  const r = new RowReader(url, "slots", row);
  return {
    id: r.bigint("id"),
    offerId: r.bigint("offer_id"),
    openOrders: r.bigint("open_orders"),
    info: {
      cpuCores: r.number("cpu_cores"),
      gpuCores: r.number("gpu_cores"),
      diskUsage: r.bigint("disk_usage"),
      ram: r.bigint("ram"),
      vram: r.bigint("vram"),
    },
    usage: {
      price: r.bigint("price"),
      priceType: r.number("price_type") as PriceType,
      minTimeMinutes: r.number("min_time_minutes"),
      maxTimeMinutes: r.number("max_time_minutes"),
    },
    option: {
      bandwidth: r.bigint("bandwidth"),
      traffic: r.bigint("traffic"),
      externalPort: r.number("external_port"),
    },
    termsHash: r.hex("terms_hash"),
  };
}

/**
 * A `tcbs` row (joined with its key's `revoked_block` and its offer's `active_tcb_id`) as the chain's
 * `Tcb`, its status computed as the registry's `tcbStatus` does at time `now`: Revoked (its key
 * was), Expired (`validUntil` ≤ now), Superseded (not its offer's active TCB), else Active.
 *
 * @param url The indexer (for errors).
 * @param row The row.
 * @param now Unix seconds the status is for.
 * @returns The TCB.
 * @example
 * const tcbs = rows.map((row) => tcbFromRow(ctx.url, row, Math.floor(Date.now() / 1000)));
 * @throws {IndexerError} when a column is missing or malformed.
 */
export function tcbFromRow(url: string, row: SqlRow, now: number): Tcb {
  const r = new RowReader(url, "tcbs", row);
  const id = r.bigint("id");
  const validUntil = r.number("valid_until");
  const revokedBlock = r.bigint("revoked_block");
  const status =
    revokedBlock !== 0n
      ? TcbStatus.Revoked
      : validUntil <= now
        ? TcbStatus.Expired
        : r.optionalBigint("active_tcb_id") !== id
          ? TcbStatus.Superseded
          : TcbStatus.Active;
  return {
    id,
    teeKey: r.address("tee_key"),
    addedAt: r.number("added_at"),
    validUntil,
    revokedBlock,
    teeOfferId: r.bigint("tee_offer_id"),
    publishedBlock: r.bigint("published_block"),
    benchmark: r.bigint("benchmark"),
    measurement: r.hex("measurement"),
    publicKeyHash: r.hex("public_key_hash"),
    status,
  };
}

/**
 * An `order_events` row.
 *
 * @param url The indexer (for errors).
 * @param row The row.
 * @returns The event.
 * @example
 * const history = rows.map((row) => orderEventFromRow(ctx.url, row));
 * @throws {IndexerError} when a column is missing or malformed.
 */
export function orderEventFromRow(url: string, row: SqlRow): OrderEvent {
  const r = new RowReader(url, "order_events", row);
  return {
    kind: r.string("kind"),
    orderId: r.bigint("order_id"),
    subjectId: r.bigint("subject_id"),
    args: r.json("args"),
    blockNumber: r.bigint("block_number"),
    logIndex: r.number("log_index"),
    timestamp: r.number("timestamp"),
    transactionHash: r.hex("transaction_hash"),
  };
}
