/**
 * `tee-market orders`: read orders with their suborders, complete a suborder (the data owner's
 * hash-gated hand-over), save and validate order reports, cancel, withdraw, list.
 */
import { writeFile } from "node:fs/promises";
import path from "node:path";

import {
  type Order,
  OfferType,
  OrderStatus,
  type ResourceFile,
  type Suborder,
  enumName,
  reportFromJson,
} from "@tee-marketplace/sdk";
import { readResourceFile } from "@tee-marketplace/sdk/node";
import type { CommandContext, CommandInput } from "./command.js";
import { DEFAULT_SUBORDER_FIELDS, SUBORDER_FIELDS, type SuborderField } from "./suborderFields.js";
import {
  addressArg,
  bytes32Arg,
  flag,
  hashOrResource,
  idArg,
  inFile,
  list,
  optional,
  positional,
  readJsonFile,
  required,
  uintArg,
} from "./args.js";
import { type CommandResult, UsageError, fields, table, toJsonText } from "./output.js";
import { formatTokens } from "./amounts.js";

/* GET */

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

/* COMPLETE */

const COMPLETION_STATUSES = { done: "Done", error: "Error", canceled: "Canceled" } as const;

/* REPORTS */

function sameHex(a: unknown, b: string): boolean {
  return typeof a === "string" && a.toLowerCase() === b.toLowerCase();
}

/* CONSUMER */

/** `orders get`. */
export async function runGet(ctx: CommandContext, input: CommandInput): Promise<CommandResult> {
  const orderId = idArg(positional(input, 0), "<orderId>", "an order");
  const withSuborders =
    flag(input, "suborders") ||
    optional(input, "suborders_fields") !== undefined ||
    optional(input, "suborders-fields") !== undefined;
  const columns = withSuborders ? suborderFields(input) : [];
  const { client, token } = await ctx.reader();
  const [{ order, suborders }, tokenInfo] = await Promise.all([client.orders.get({ orderId }), token()]);
  const types = new Map<bigint, OfferType>();
  if (columns.includes("type")) {
    const offerIds = [...new Set(suborders.map((s) => s.offerId))];
    const offers = await Promise.all(offerIds.map((offerId) => client.offers.get({ offerId })));
    for (const offer of offers) types.set(offer.id, offer.offerType);
  }
  const lines = [
    `Order ${order.id}: ${enumName(OrderStatus, order.status)}`,
    ...fields([
      ["consumer", order.consumer],
      ["TEE offer", `${order.teeOfferId}, slot ${order.teeSlotId}`],
      ["solution hash", order.solutionHash],
      ["deposit", formatTokens(order.deposit, tokenInfo)],
      ["suborders", `${order.suborderCount} (${order.blockingSuborders} blocking)`],
      ["started", order.startedAt === 0 ? "not yet" : new Date(order.startedAt * 1000).toISOString()],
      [
        "report",
        order.reportBlock === 0n
          ? "none"
          : `published at block ${order.reportBlock} by TCB ${order.reportTcbId}`,
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
  return {
    text: lines.join("\n"),
    json: {
      order: orderJson(order),
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
  };
}

/** `orders complete`. */
export async function runComplete(ctx: CommandContext, input: CommandInput): Promise<CommandResult> {
  const suborderId = idArg(positional(input, 0), "<suborderId>", "a suborder");
  const statusValue = required(input, "status", "<done|error|canceled>");
  const status = COMPLETION_STATUSES[statusValue.toLowerCase() as keyof typeof COMPLETION_STATUSES];
  if (status === undefined) {
    throw new UsageError(`--status: expected done, error or canceled, got ${JSON.stringify(statusValue)}`);
  }
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
  const result = await ctx.out.pending(`Completing suborder ${suborderId} (${status})`, () =>
    client.suborders.complete({
      suborderId,
      status,
      ...(solutionHash === undefined ? {} : { solutionHash }),
      ...(resourceFile === undefined ? {} : { resourceFile }),
      ...(dataHash === undefined ? {} : { dataHash }),
    }),
  );
  const parent = result.parentId;
  const parentStatus = enumName(OrderStatus, result.parentStatus);
  return {
    text: [
      `Suborder ${suborderId} has been completed: ${status}`,
      ...fields([
        ["order", `${parent}: ${parentStatus}`],
        ...(result.tcbId === undefined ? [] : [["encrypted for", `TCB ${result.tcbId}`] as const]),
        ["data hash", result.dataHash],
        ["transaction", result.receipt.transactionHash],
      ]),
    ].join("\n"),
    json: {
      suborderId,
      status,
      orderId: parent,
      orderStatus: parentStatus,
      tcbId: result.tcbId,
      dataHash: result.dataHash,
      transactionHash: result.receipt.transactionHash,
    },
  };
}

/** `orders getReport`. */
export async function runGetReport(ctx: CommandContext, input: CommandInput): Promise<CommandResult> {
  const orderId = idArg(positional(input, 0), "<orderId>", "an order");
  const saveTo = optional(input, "save-to");
  const { client } = await ctx.reader();
  const published = await client.reports.get({ orderId });
  const report = client.reports.toJson(published);
  if (saveTo === undefined) return { text: toJsonText(report), json: report };
  const file = path.resolve(ctx.io.cwd, saveTo);
  await writeFile(file, `${toJsonText(report)}\n`);
  return {
    text: [
      `The report of order ${orderId} has been saved to ${saveTo}`,
      ...fields([
        ["TCB", `${published.tcb.id} (TEE key ${published.tcb.teeKey})`],
        ["entries", report.workloadInfo.runtimeInfo.map((e) => `${e.type} ${e.hash.hash}`).join(", ")],
        ["published", `block ${published.blockNumber}, transaction ${published.transactionHash}`],
      ]),
    ].join("\n"),
    json: report,
  };
}

/** `orders validateReport`. */
export async function runValidateReport(ctx: CommandContext, input: CommandInput): Promise<CommandResult> {
  const name = positional(input, 0);
  const file = path.resolve(ctx.io.cwd, name);
  const raw = await readJsonFile(file);
  const fromFile = inFile(file, () => reportFromJson(raw));
  const solution = optional(input, "solution");
  const options = {
    ...(solution === undefined
      ? {}
      : { solutionHash: await hashOrResource(ctx.io.cwd, solution, "--solution") }),
    ...(list(input, "data").length === 0
      ? {}
      : {
          dataHashes: await Promise.all(
            list(input, "data").map((d) => hashOrResource(ctx.io.cwd, d, "--data")),
          ),
        }),
  };
  const { client } = await ctx.reader();
  const orderId = fromFile.report.orderId;
  const { evidence } = await ctx.out.pending(`Reading the evidence of order ${orderId}'s report`, () =>
    client.reports.evidence({ orderId, ...options }),
  );
  // The chain's evidence with the file's report and signature in place of the published ones: the
  // SDK's checks then say whether the file is the report the order stored, signed by its TCB.
  const publication =
    evidence.publication === undefined
      ? undefined
      : { ...evidence.publication, report: fromFile.report, signature: fromFile.signature };
  const verification = client.reports.check({ ...evidence, publication });
  const checks: { name: string; ok: boolean; detail: string }[] = [...verification.checks];
  const tcb = evidence.tcb;
  if (publication !== undefined && tcb !== undefined) {
    const tcbProblems = [
      fromFile.tcb["teeKey"] === undefined || sameHex(fromFile.tcb["teeKey"], tcb.teeKey)
        ? ""
        : `the file's teeKey ${String(fromFile.tcb["teeKey"])} is not the TCB's ${tcb.teeKey}`,
      fromFile.tcb["measurement"] === undefined || sameHex(fromFile.tcb["measurement"], tcb.measurement)
        ? ""
        : `the file's measurement ${String(fromFile.tcb["measurement"])} is not the TCB's ${tcb.measurement}`,
    ].filter((p) => p !== "");
    checks.push({
      name: "fileTcb",
      ok: tcbProblems.length === 0,
      detail:
        tcbProblems.length === 0
          ? `the file's TCB details are TCB ${tcb.id}'s on the chain`
          : tcbProblems.join("; "),
    });
  }
  const failed = checks.filter((c) => !c.ok);
  const ok = failed.length === 0;
  const summary = ok
    ? `The report of order ${orderId} in ${name} is valid: all ${checks.length} checks passed`
    : `The report of order ${orderId} in ${name} is NOT valid: ${failed.length} of ${checks.length} checks failed ` +
      `(${failed.map((c) => c.name).join(", ")})`;
  return {
    text: [...table(checks.map((c) => [c.ok ? "ok" : "FAIL", c.name, c.detail])), summary].join("\n"),
    json: { file, orderId, ok, checks },
    ...(ok ? {} : { exitCode: 1, error: summary }),
  };
}

/** `orders cancel`. */
export async function runCancel(ctx: CommandContext, input: CommandInput): Promise<CommandResult> {
  const orderId = idArg(positional(input, 0), "<orderId>", "an order");
  const { client } = await ctx.writer();
  const { status, receipt } = await ctx.out.pending(`Canceling order ${orderId}`, () =>
    client.orders.cancel({ orderId }),
  );
  const name = enumName(OrderStatus, status);
  return {
    text: [
      status === OrderStatus.Canceled
        ? `Order ${orderId} has been canceled; its deposit is withdrawable (tee-market orders withdraw)`
        : `Order ${orderId} is ${name}: its TEE provider settles it, or force the refund after the deadline`,
      ...fields([["transaction", receipt.transactionHash]]),
    ].join("\n"),
    json: { orderId, status: name, transactionHash: receipt.transactionHash },
  };
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

/** `orders listCommand`. */
export async function runList(ctx: CommandContext, input: CommandInput): Promise<CommandResult> {
  const consumerValue = optional(input, "consumer");
  const { client, consumer } =
    consumerValue === undefined
      ? await ctx.writer().then((c) => ({ client: c.client, consumer: c.account }))
      : await ctx
          .reader()
          .then((c) => ({ client: c.client, consumer: addressArg(consumerValue, "--consumer") }));
  const limitValue = optional(input, "limit");
  const limit = limitValue === undefined ? undefined : uintArg(limitValue, "--limit", 8);
  if (limit !== undefined && (limit < 1n || limit > 100n)) {
    throw new UsageError(`--limit: expected 1 to 100, got ${limitValue}`);
  }
  const { orderIds } = await client.orders.list({ consumer, ...(limit === undefined ? {} : { limit }) });
  const workflows = await Promise.all(orderIds.map((orderId) => client.orders.get({ orderId })));
  return {
    text:
      workflows.length === 0
        ? `No orders of ${consumer}`
        : table([
            ["order", "status", "TEE offer", "suborders", "deposit (base units)"],
            ...workflows.map(({ order }) => [
              String(order.id),
              enumName(OrderStatus, order.status),
              String(order.teeOfferId),
              String(order.suborderCount),
              String(order.deposit),
            ]),
          ]).join("\n"),
    json: { consumer, orders: workflows.map(({ order }) => orderJson(order)) },
  };
}
