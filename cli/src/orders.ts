/**
 * `tee-market orders`: read orders with their suborders, complete a suborder (the data owner's
 * hash-gated hand-over), save and validate order reports, cancel, withdraw, list.
 */
import path from "node:path";

import type { Address } from "viem";

import {
  type MarketplaceClient,
  type Order,
  type Workflow,
  OfferType,
  OrderStatus,
  type ResourceFile,
  type Suborder,
  enumName,
} from "@tee-marketplace/sdk";
import { readResourceFile } from "@tee-marketplace/sdk/node";
import type { CommandContext, CommandInput } from "./command.js";
import type { Connection } from "./config.js";
import type { IndexerClient } from "./indexer.js";
import {
  DEFAULT_SUBORDER_FIELDS,
  SUBORDER_FIELDS,
  type SuborderField,
  ORDER_FIELD_NAMES,
} from "./fieldNames.js";
import {
  addressArg,
  bytes32Arg,
  completionStatusArg,
  flag,
  hashOrResource,
  idArg,
  idListArg,
  optional,
  orderStatusesArg,
  positional,
  required,
  uintArg,
} from "./args.js";
import { type FieldTable, fieldsOption, pick } from "./fields.js";
import { type CommandResult, UsageError, fields, table } from "./output.js";
import { saveOrShow } from "./saveTo.js";
import { formatTokens } from "./amounts.js";

function suborderFields(input: CommandInput): SuborderField[] {
  const value =
    optional(input, "suborders_fields") ?? optional(input, "suborders-fields") ?? DEFAULT_SUBORDER_FIELDS;
  const names = value
    .split(",")
    .map((name) => name.trim())
    .filter((name) => name !== "");
  for (const name of names) {
    if (!(name in SUBORDER_FIELDS)) {
      throw new UsageError(
        `--suborders_fields: unknown field "${name}"; available: ${Object.keys(SUBORDER_FIELDS).join(", ")}`,
      );
    }
  }
  if (names.length === 0) throw new UsageError(`--suborders_fields: name at least one field`);
  return names as SuborderField[];
}

function suborderValue(s: Suborder, field: SuborderField, types: ReadonlyMap<bigint, OfferType>): string {
  switch (field) {
    case "id":
      return String(s.id);
    case "parent_id":
      return String(s.parentId);
    case "offer_id":
      return String(s.offerId);
    case "slot_id":
      return String(s.slotId);
    case "type": {
      const type = types.get(s.offerId);
      return type === undefined ? "?" : enumName(OfferType, type);
    }
    case "status":
      return enumName(OrderStatus, s.status);
    case "data_hash":
      return s.dataHash;
    case "result_block":
      return String(s.resultBlock);
  }
}

function orderJson(order: Order) {
  return { ...order, status: enumName(OrderStatus, order.status) };
}

/** An order with its suborders, as `orders list` and `orders get --fields` show it. */
type OrderRow = Workflow;

/** The columns of `orders list` and `orders get --fields`, by spctl's names where it has one. */
const ORDER_FIELDS: FieldTable<OrderRow, (typeof ORDER_FIELD_NAMES)[number]> = {
  id: { json: "id", value: (w) => w.order.id },
  status: { json: "status", value: (w) => enumName(OrderStatus, w.order.status) },
  offer_id: { json: "offerId", value: (w) => w.order.teeOfferId },
  slot_id: { json: "slotId", value: (w) => w.order.teeSlotId },
  consumer_address: { json: "consumer", value: (w) => w.order.consumer },
  solution_hash: { json: "solutionHash", value: (w) => w.order.solutionHash },
  total_deposit: { json: "deposit", value: (w) => w.order.deposit },
  sub_orders_count: { json: "suborderCount", value: (w) => w.order.suborderCount },
  blocking_sub_orders: { json: "blockingSuborders", value: (w) => w.order.blockingSuborders },
  cancelable: { json: "cancelable", value: (w) => w.order.cancelable },
  started_at: { json: "startedAt", value: (w) => w.order.startedAt },
  tee_key: { json: "teeKey", value: (w) => w.order.teeKey },
  offers: {
    json: "offers",
    value: (w) => [w.order.teeOfferId, ...w.suborders.map((s) => s.offerId)].join(","),
  },
};
const ORDERS_LIST_DEFAULT_FIELDS = ["id", "status", "offer_id", "sub_orders_count", "total_deposit"];

/** What one id of a several-ids command gave: its output, or why it failed. */
type Outcome<T> = { id: bigint; ok: true; value: T } | { id: bigint; ok: false; error: unknown };

/**
 * Runs `step` for each id in turn. One id: its failure is the command's. Several: every id is tried,
 * the failures are collected (spctl's `orders cancel` and `orders complete` go on past a failure).
 */
async function eachId<T>(ids: readonly bigint[], step: (id: bigint) => Promise<T>): Promise<Outcome<T>[]> {
  if (ids.length === 1) return [{ id: ids[0] as bigint, ok: true, value: await step(ids[0] as bigint) }];
  const outcomes: Outcome<T>[] = [];
  for (const id of ids) {
    try {
      outcomes.push({ id, ok: true, value: await step(id) });
    } catch (error) {
      outcomes.push({ id, ok: false, error });
    }
  }
  return outcomes;
}

function errorMessage(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).replace(/\s*\n\s*/g, " ");
}

/** The result of a several-ids command: each outcome's lines, exit 1 with a summary when one failed. */
function outcomesResult<T>(
  outcomes: readonly Outcome<T>[],
  render: (value: T) => { text: string[]; json: unknown },
  failed: (id: bigint, error: unknown) => string,
  what: string,
): CommandResult {
  const text: string[] = [];
  const json: unknown[] = [];
  for (const outcome of outcomes) {
    if (outcome.ok) {
      const rendered = render(outcome.value);
      text.push(...rendered.text);
      json.push(rendered.json);
    } else {
      text.push(failed(outcome.id, outcome.error));
      json.push({ id: outcome.id, error: { message: errorMessage(outcome.error) } });
    }
  }
  const failures = outcomes.filter((o) => !o.ok);
  return {
    text: text.join("\n"),
    // One id: its result itself (the document a script of one id reads); several: the list.
    json: outcomes.length === 1 ? json[0] : { results: json },
    ...(failures.length === 0
      ? {}
      : {
          exitCode: 1,
          error: `${failures.length} of ${outcomes.length} ${what} failed: ${failures.map((f) => f.id).join(", ")}`,
        }),
  };
}

/** `orders get`. */
export async function runGet(ctx: CommandContext, input: CommandInput): Promise<CommandResult> {
  const orderId = idArg(positional(input, 0), "<orderId>", "an order");
  const withSuborders =
    flag(input, "suborders") ||
    optional(input, "suborders_fields") !== undefined ||
    optional(input, "suborders-fields") !== undefined;
  const columns = withSuborders ? suborderFields(input) : [];
  const names = input.values["fields"] === undefined ? undefined : fieldsOption(input, ORDER_FIELDS, []);
  const { client, token } = await ctx.reader();
  const [{ order, suborders }, tokenInfo] = await Promise.all([client.orders.get({ orderId }), token()]);
  if (names !== undefined) {
    const { cells, json } = pick([{ order, suborders }], ORDER_FIELDS, names);
    const [header = [], values = []] = cells;
    return saveOrShow(ctx.io.cwd, input, {
      text: [`Order ${order.id}`, ...fields(header.map((name, i) => [name, values[i] ?? ""] as const))].join(
        "\n",
      ),
      json: { order: json[0] },
    });
  }
  const types = new Map<bigint, OfferType>();
  const offerIds = columns.includes("type") ? [...new Set(suborders.map((s) => s.offerId))] : [];
  const [offers, key, result] = await Promise.all([
    Promise.all(offerIds.map((offerId) => client.offers.get({ offerId }))),
    client.tcb.teeKey({ teeKey: order.teeKey }),
    order.resultBlock === 0n ? Promise.resolve(undefined) : client.orders.getResult({ orderId }),
  ]);
  for (const offer of offers) types.set(offer.id, offer.offerType);
  const enclave = key.valid
    ? `${order.teeKey} (valid, TCB ${key.latestTcbId})`
    : `${order.teeKey} (${key.revokedBlock === 0n ? "expired" : `revoked at block ${key.revokedBlock}`})`;
  const lines = [
    `Order ${order.id}: ${enumName(OrderStatus, order.status)}`,
    ...fields([
      ["consumer", order.consumer],
      ["TEE offer", `${order.teeOfferId}, slot ${order.teeSlotId}`],
      ["solution hash", order.solutionHash],
      ["enclave", enclave],
      ["deposit", formatTokens(order.deposit, tokenInfo)],
      ["suborders", `${order.suborderCount} (${order.blockingSuborders} blocking)`],
      ["started", order.startedAt === 0 ? "not yet" : new Date(order.startedAt * 1000).toISOString()],
      ["report", order.reportBlock === 0n ? "none" : `published at block ${order.reportBlock}`],
      [
        "result",
        result === undefined
          ? "none"
          : `${enumName(OrderStatus, result.status)}, hash ${result.resultHash}, ${result.pointers.length} ` +
            `pointer${result.pointers.length === 1 ? "" : "s"} for ${result.resultRecipients.length} ` +
            `recipient${result.resultRecipients.length === 1 ? "" : "s"} (tee-market orders download-result ${orderId})`,
      ],
    ]),
  ];
  if (withSuborders) {
    lines.push(
      suborders.length === 0 ? "No suborders" : "Suborders:",
      ...(suborders.length === 0
        ? []
        : table([columns, ...suborders.map((s) => columns.map((c) => suborderValue(s, c, types)))], "  ")),
    );
  }
  return saveOrShow(ctx.io.cwd, input, {
    text: lines.join("\n"),
    json: {
      order: orderJson(order),
      enclave: {
        teeKey: order.teeKey,
        valid: key.valid,
        latestTcbId: key.latestTcbId,
        revokedBlock: key.revokedBlock,
      },
      ...(result === undefined
        ? {}
        : {
            result: {
              status: enumName(OrderStatus, result.status),
              resultHash: result.resultHash,
              pointers: result.pointers.length,
              resultRecipients: result.resultRecipients,
              blockNumber: result.blockNumber,
              transactionHash: result.transactionHash,
            },
          }),
      ...(withSuborders
        ? {
            suborders: suborders.map((s) =>
              Object.fromEntries(
                columns.map((c) => [
                  SUBORDER_FIELDS[c],
                  c === "status" || c === "type"
                    ? suborderValue(s, c, types)
                    : s[SUBORDER_FIELDS[c] as keyof Suborder],
                ]),
              ),
            ),
          }
        : {}),
    },
  });
}

/** `orders complete`: the data owner's completion of one suborder or several. */
export async function runComplete(ctx: CommandContext, input: CommandInput): Promise<CommandResult> {
  const suborderIds = input.positionals.map((value) => idArg(value, "<suborderId>", "a suborder"));
  const status = completionStatusArg(required(input, "status", "<done|error|canceled>"), "--status");
  const resultFile = optional(input, "result");
  const solutionValue = optional(input, "solution-hash");
  if (status === "Done" && (resultFile === undefined || solutionValue === undefined)) {
    throw new UsageError(
      "orders complete --status done needs --result <file.resource.json> and --solution-hash <sha256|solution.resource.json>",
    );
  }
  const resourceFile: ResourceFile | undefined =
    resultFile === undefined ? undefined : await readResourceFile(path.resolve(ctx.io.cwd, resultFile));
  const solutionHash =
    solutionValue === undefined
      ? undefined
      : await hashOrResource(ctx.io.cwd, solutionValue, "--solution-hash");
  const dataHashValue = optional(input, "data-hash");
  const dataHash = dataHashValue === undefined ? undefined : bytes32Arg(dataHashValue, "--data-hash");
  const { client } = await ctx.writer();
  const outcomes = await eachId(suborderIds, (suborderId) =>
    ctx.out
      .pending(`Completing suborder ${suborderId} (${status})`, () =>
        client.suborders.complete({
          suborderId,
          status,
          ...(solutionHash === undefined ? {} : { solutionHash }),
          ...(resourceFile === undefined ? {} : { resourceFile }),
          ...(dataHash === undefined ? {} : { dataHash }),
        }),
      )
      .then((result) => ({ suborderId, ...result })),
  );
  return outcomesResult(
    outcomes,
    (result) => {
      const parentStatus = enumName(OrderStatus, result.parentStatus);
      return {
        text: [
          `Order ${result.suborderId} has been completed successfully: status=${status}`,
          ...fields([
            ["order", `${result.parentId}: ${parentStatus}`],
            ...(result.tcbId === undefined ? [] : [["encrypted for", `TCB ${result.tcbId}`] as const]),
            ["data hash", result.dataHash],
            ["transaction", result.receipt.transactionHash],
          ]),
        ],
        json: {
          suborderId: result.suborderId,
          status,
          orderId: result.parentId,
          orderStatus: parentStatus,
          unblocked: result.unblocked,
          tcbId: result.tcbId,
          dataHash: result.dataHash,
          transactionHash: result.receipt.transactionHash,
        },
      };
    },
    (id, error) => `Order ${id} was not completed: ${errorMessage(error)}`,
    "completions",
  );
}

/** `orders cancel`: one order or several. */
export async function runCancel(ctx: CommandContext, input: CommandInput): Promise<CommandResult> {
  const orderIds = input.positionals.map((value) => idArg(value, "<orderId>", "an order"));
  const { client } = await ctx.writer();
  const outcomes = await eachId(orderIds, (orderId) =>
    ctx.out
      .pending(`Canceling order ${orderId}`, () => client.orders.cancel({ orderId }))
      .then((result) => ({ orderId, ...result })),
  );
  return outcomesResult(
    outcomes,
    ({ orderId, status, receipt }) => ({
      text: [
        status === OrderStatus.Canceled
          ? `Order ${orderId} was canceled successfully; its deposit is withdrawable (tee-market orders withdraw)`
          : `Order ${orderId} is ${enumName(OrderStatus, status)}: its TEE provider settles it, or force the refund after the deadline`,
        ...fields([["transaction", receipt.transactionHash]]),
      ],
      json: { orderId, status: enumName(OrderStatus, status), transactionHash: receipt.transactionHash },
    }),
    (id, error) => `Order ${id} was not canceled: ${errorMessage(error)}`,
    "cancellations",
  );
}

/** `orders withdraw`. */
export async function runWithdraw(ctx: CommandContext, _input: CommandInput): Promise<CommandResult> {
  const { client, account, token } = await ctx.writer();
  const tokenInfo = await token();
  const { amount, receipt } = await ctx.out.pending(`Withdrawing the balance of ${account}`, () =>
    client.payments.withdraw(),
  );
  return {
    text: [
      `Withdrew ${formatTokens(amount, tokenInfo)} to ${account}`,
      ...fields([["transaction", receipt.transactionHash]]),
    ].join("\n"),
    json: { account, amount, token: tokenInfo.address, transactionHash: receipt.transactionHash },
  };
}

/** What `orders list` asks for. */
interface OrdersQuery {
  consumer: Address;
  statuses: Set<OrderStatus> | undefined;
  offers: Set<bigint> | undefined;
  limit: bigint;
  /** The columns shown. */
  names: readonly string[];
}

/** `orders list` from the index: the same rows, filtered there (one query per 1000 orders). */
async function ordersFromIndex(indexer: IndexerClient, query: OrdersQuery): Promise<Workflow[]> {
  const rows: Workflow[] = [];
  for (let cursor: bigint | undefined = 0n; cursor !== undefined && BigInt(rows.length) < query.limit;) {
    const left = query.limit - BigInt(rows.length);
    const page: { workflows: Workflow[]; nextCursor: bigint | undefined } = await indexer.orders.list({
      consumer: query.consumer,
      limit: left < 1000n ? left : 1000n,
      ...(cursor === 0n ? {} : { cursor }),
      ...(query.statuses === undefined ? {} : { status: [...query.statuses] }),
      ...(query.offers === undefined ? {} : { offerIds: [...query.offers] }),
    });
    rows.push(...page.workflows);
    cursor = page.nextCursor;
  }
  return rows;
}

/** `orders list` from the chain: the consumer's pages of order ids, 100 orders to an `eth_call`, filtered. */
async function ordersFromChain(client: MarketplaceClient, query: OrdersQuery): Promise<Workflow[]> {
  // Suborders only when a column or a filter needs them.
  const needsSuborders = query.offers !== undefined || query.names.includes("offers");
  const rows: Workflow[] = [];
  for (let cursor: bigint | undefined = 0n; cursor !== undefined && BigInt(rows.length) < query.limit;) {
    const page: { orderIds: bigint[]; nextCursor: bigint | undefined } = await client.orders.list({
      consumer: query.consumer,
      ...(cursor === 0n ? {} : { cursor }),
    });
    const orders = (await client.orders.getMany({ orderIds: page.orderIds })).filter(
      (order) => query.statuses === undefined || query.statuses.has(order.status),
    );
    const workflows = needsSuborders
      ? await Promise.all(orders.map((order) => client.orders.get({ orderId: order.id })))
      : orders.map((order) => ({ order, suborders: [] }));
    for (const workflow of workflows) {
      const ids = [workflow.order.teeOfferId, ...workflow.suborders.map((s) => s.offerId)];
      if (query.offers !== undefined && !ids.some((id) => query.offers?.has(id))) continue;
      if (BigInt(rows.length) < query.limit) rows.push(workflow);
    }
    cursor = page.nextCursor;
  }
  return rows;
}

/** `orders list`: a consumer's orders, newest first, filtered by status and offers; from the indexer when one is named. */
export async function runList(ctx: CommandContext, input: CommandInput): Promise<CommandResult> {
  const names = fieldsOption(input, ORDER_FIELDS, ORDERS_LIST_DEFAULT_FIELDS);
  const statusValue = optional(input, "status");
  const statuses = statusValue === undefined ? undefined : orderStatusesArg(statusValue, "--status");
  const offersValue = optional(input, "offers");
  const offers =
    offersValue === undefined ? undefined : new Set(idListArg(offersValue, "--offers", "an offer"));
  const limitValue = optional(input, "limit");
  const limit = limitValue === undefined ? 100n : uintArg(limitValue, "--limit");
  if (limit < 1n) throw new UsageError(`--limit: expected a positive number, got ${limitValue}`);
  const consumerValue = optional(input, "consumer");
  const { connection, consumer } =
    consumerValue === undefined
      ? await ctx.writer().then((c) => ({ connection: c as Connection, consumer: c.account }))
      : await ctx
          .reader()
          .then((c) => ({ connection: c, consumer: addressArg(consumerValue, "--consumer") }));
  const indexer = await connection.indexer();
  const query = { consumer, statuses, offers, limit, names };
  const rows =
    indexer === undefined
      ? await ordersFromChain(connection.client, query)
      : await ordersFromIndex(indexer, query);
  const { cells, json } = pick(rows, ORDER_FIELDS, names);
  return saveOrShow(ctx.io.cwd, input, {
    text: rows.length === 0 ? `No orders of ${consumer}` : table(cells).join("\n"),
    json: {
      consumer,
      orders: input.values["fields"] === undefined ? rows.map((w) => orderJson(w.order)) : json,
    },
  });
}
