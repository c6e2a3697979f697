/**
 * Order reports: the TEE publishes one (signed with its TCB key); anyone reads it back from the
 * `OrderReportPublished` event at the order's `reportBlock`, turns it into Super Protocol's JSON
 * shape, and verifies it against the order, the TCB and the registry (`IOrderReports`).
 */
import { type Hex, type TransactionReceipt } from "viem";
import { getBlock } from "viem/actions";

import { ordersAbi } from "../abi/orders.js";
import type { MarketplaceCall } from "../calls.js";
import { tcbRegistryAbi } from "../abi/tcbRegistry.js";
import type { MarketplaceContext } from "../context.js";
import { OrderStatus, RuntimeType, TcbStatus, enumName } from "../enums.js";
import { type ReportChecks, type ReportEvidence, checkReportEvidence } from "../reportChecks.js";
import { InputError, StateError } from "../errors.js";
import { eventsAtBlock, read, requireWallet, send } from "../internal/contract.js";
import { toId } from "../internal/ids.js";
import { type TeeSigner, teeSignerAccount } from "../internal/keys.js";
import {
  type OrderReport,
  type OrderReportJson,
  type RuntimeInfo,
  orderReportDomain,
  orderReportHash,
  orderReportTypes,
  reportToJson,
} from "../reports.js";
import { type ContentHashInput, toContentHash } from "../resourceFile.js";
import { toUint } from "../validate.js";
import { getWorkflow, readOrder } from "./orders.js";
import { type Tcb, getTcb, getTcbQuoteBinding, getTeeKey, isMeasurementAllowed } from "./tcb.js";

/** Who signs a report: the order's TEE key, as a `0x` private key or a viem local account. */
export type ReportSigner = TeeSigner;

/** What {@link publishReport} takes. */
export interface PublishReportParameters {
  orderId: bigint | number | string;
  /** What ran: exactly one Image entry (the committed solution hash) and a Data entry per pinned data hash. */
  runtimeInfo: readonly RuntimeInfo[];
  /** Unix seconds when the TEE made the report; default now. */
  created?: bigint | number;
  /** The TCB the report names, one of the signing key's; default the key's newest (one more read). */
  tcbId?: bigint | number | string;
  /** The order's TEE key, which signs the report (the transaction is sent by the wallet client). */
  signer: ReportSigner;
}

/**
 * Publishes a Processing order's report (TEE side): builds the report, signs it with the order's
 * TEE key (its enclave) over the Orders contract's EIP-712 domain, simulates and sends
 * `publishOrderReport`. The wallet client sends the transaction: the TEE offer's provider
 * authority, its action account or the TEE key itself.
 *
 * @param ctx The marketplace context.
 * @param params See {@link PublishReportParameters}.
 * @returns The receipt, the report, its signature and its hash (what `OrderReportPublished` carries).
 * @example
 * await teeClient.reports.publish({
 *   orderId,
 *   signer: teePrivateKey,
 *   runtimeInfo: [
 *     { runtimeType: RuntimeType.Image, size: 4096n, hash: solutionHash },
 *     { runtimeType: RuntimeType.Data, size: 46n, hash: datasetHash },
 *   ],
 * });
 * @throws {InputError} naming the field of the report or the signer that is malformed, or `walletClient`.
 * @throws {ContractError} `OrderReportSignerMismatch` (signed by another key than the order's),
 * `OrderReportTeeNotApproved` (a TCB of another key), `OrderReportTcbNotValid`,
 * `OrderReportImageMismatch`, `OrderReportDataMissing`, `OrderReportNotProcessing`, ...
 */
export async function publishReport(
  ctx: MarketplaceContext,
  params: PublishReportParameters,
): Promise<{ receipt: TransactionReceipt; report: OrderReport; signature: Hex; reportHash: Hex }> {
  const { call, report, signature } = await prepareReport(ctx, params, true);
  const receipt = await send(ctx, call, `Cannot publish the report of order ${report.orderId}`);
  return { receipt, report, signature, reportHash: orderReportHash(report) };
}

/**
 * The `publishOrderReport` call of {@link publishReport}, signed but not sent (for a relayer or a
 * batcher): the report is built and signed with the TEE key (and, without `tcbId`, the key's
 * newest TCB read). Async, unlike most builders, because signing and that read are.
 *
 * @param ctx The marketplace context (its wallet is not needed).
 * @param params See {@link PublishReportParameters}.
 * @example
 * const call = await client.calls.publishReport({ orderId, signer: teeKey, runtimeInfo, tcbId });
 * @throws As {@link publishReport}, before anything would be sent.
 */
export async function publishReportCall(
  ctx: MarketplaceContext,
  params: PublishReportParameters,
): Promise<MarketplaceCall<typeof ordersAbi, "publishOrderReport">> {
  return (await prepareReport(ctx, params, false)).call;
}

async function prepareReport(
  ctx: MarketplaceContext,
  params: PublishReportParameters,
  needsWallet: boolean,
): Promise<{
  call: MarketplaceCall<typeof ordersAbi, "publishOrderReport">;
  report: OrderReport;
  signature: Hex;
}> {
  const orderId = toId(params.orderId, "orderId", "an order");
  const created = toUint(params.created ?? BigInt(Math.floor(Date.now() / 1000)), "created", { bits: 64 });
  const signer = teeSignerAccount(params.signer, "signer");
  // Validates the entries before any RPC (the tcb id is filled in below).
  orderReportHash({ orderId, tcbId: 1n, created, runtimeInfo: params.runtimeInfo });
  if (needsWallet) requireWallet(ctx, `Cannot publish the report of order ${orderId}`);

  let tcbId: bigint;
  if (params.tcbId !== undefined) tcbId = toId(params.tcbId, "tcbId", "a TCB");
  else {
    tcbId = (await getTeeKey(ctx, { teeKey: signer.address })).latestTcbId;
    if (tcbId === 0n) {
      throw new StateError(
        `TEE key ${signer.address} has no TCB: publish one (tcb.upload) before reporting.`,
      );
    }
  }
  const report: OrderReport = { orderId, tcbId, created, runtimeInfo: params.runtimeInfo };
  const signature = await signer.signTypedData({
    domain: orderReportDomain(ctx.deployment.chainId, ctx.deployment.contracts.orders),
    types: orderReportTypes,
    primaryType: "OrderReport",
    message: { ...report, runtimeInfo: [...report.runtimeInfo] },
  });
  const call: MarketplaceCall<typeof ordersAbi, "publishOrderReport"> = {
    address: ctx.deployment.contracts.orders,
    abi: ordersAbi,
    functionName: "publishOrderReport",
    args: [orderId, { ...report, runtimeInfo: [...report.runtimeInfo] }, signature],
  };
  return { call, report, signature };
}

/** A published report, as read back. */
export interface PublishedReport {
  orderId: bigint;
  report: OrderReport;
  signature: Hex;
  /** The report's EIP-712 struct hash as the contract emitted it with the report. */
  reportHash: Hex;
  /** The TCB whose key signed it. */
  tcb: Tcb;
  blockNumber: bigint;
  transactionHash: Hex;
}

async function reportEvent(ctx: MarketplaceContext, orderId: bigint, block: bigint) {
  const [event] = await eventsAtBlock(ctx, {
    address: ctx.deployment.contracts.orders,
    abi: ordersAbi,
    eventName: "OrderReportPublished",
    args: { orderId },
    block,
  });
  return event;
}

function toReport(raw: {
  orderId: bigint;
  tcbId: bigint;
  created: bigint;
  runtimeInfo: readonly { runtimeType: number; size: bigint; hash: Hex }[];
}): OrderReport {
  return {
    orderId: raw.orderId,
    tcbId: raw.tcbId,
    created: raw.created,
    runtimeInfo: raw.runtimeInfo.map((entry) => ({
      ...entry,
      runtimeType: entry.runtimeType as RuntimeType,
    })),
  };
}

/**
 * An order's report: the typed report, the TEE's signature and the TCB it names, from the
 * `OrderReportPublished` event at the order's stored `reportBlock` (three round trips: the order,
 * the event, the TCB).
 *
 * @param ctx The marketplace context.
 * @param params `orderId`.
 * @example
 * const published = await client.reports.get({ orderId });
 * console.log(JSON.stringify(client.reports.toJson(published), null, 2));
 * @throws {InputError} naming `orderId`.
 * @throws {ContractError} `OrderNotFound`.
 * @throws {StateError} when the order has no report yet, or the event is missing at the stored block.
 */
export async function getReport(
  ctx: MarketplaceContext,
  params: { orderId: bigint | number | string },
): Promise<PublishedReport> {
  const orderId = toId(params.orderId, "orderId", "an order");
  const order = await readOrder(ctx, orderId);
  if (order.reportBlock === 0n) {
    throw new StateError(
      `Order ${orderId} has no report yet: it is ${enumNameSafe(order.status)}; the TEE publishes one while Processing.`,
    );
  }
  const event = await reportEvent(ctx, orderId, order.reportBlock);
  if (event === undefined) {
    throw new StateError(
      `No OrderReportPublished event of order ${orderId} at block ${order.reportBlock}; check the RPC.`,
    );
  }
  const tcb = await getTcb(ctx, { tcbId: event.args.tcbId });
  return {
    orderId,
    report: toReport(event.args.report),
    signature: event.args.signature,
    reportHash: event.args.reportHash,
    tcb,
    blockNumber: event.blockNumber,
    transactionHash: event.transactionHash,
  };
}

function enumNameSafe(status: number): string {
  try {
    return enumName(OrderStatus, status);
  } catch {
    return String(status);
  }
}

/**
 * The JSON form of a published report, in Super Protocol's shape (`reportToJson`), with the TCB's
 * details next to its id: teeKey, teeOfferId, measurement, addedAt, validUntil, publicKeyHash
 * and its status now.
 *
 * @param published From {@link getReport}.
 * @example
 * await writeFile("report.json", JSON.stringify(reportJson(await getReport(ctx, { orderId })), null, 2));
 * @throws {InputError} when the report or signature is malformed.
 */
export function reportJson(published: PublishedReport): OrderReportJson {
  const { tcb } = published;
  return reportToJson(published.report, {
    signature: published.signature,
    tcb: {
      id: tcb.id,
      teeKey: tcb.teeKey,
      teeOfferId: tcb.teeOfferId,
      measurement: tcb.measurement,
      addedAt: tcb.addedAt,
      validUntil: tcb.validUntil,
      publicKeyHash: tcb.publicKeyHash,
      status: enumName(TcbStatus, tcb.status),
    },
  });
}

/** What {@link verifyReport} returns: `ok` when every check passed. */
export interface ReportVerification extends ReportChecks {
  /** The report, when one was published. */
  published?: PublishedReport;
}

/**
 * Checks a TCB's quote against the registry's binding, for `reports.verify`: the DCAP entry's
 * `reportQuoteChecker` makes one (`@tee-marketplace/sdk/dcap`), so the main entry carries no quote
 * verifier unless you ask for one.
 */
export type ReportQuoteChecker = (
  quote: Hex,
  expectedReportData: Hex,
) => Promise<{
  checks: readonly {
    name: "quoteGenuine" | "tcbStatus" | "measurementExpected";
    ok: boolean;
    detail: string;
  }[];
}>;

/** What {@link verifyReport} takes besides the order. */
export interface VerifyReportOptions {
  /** The solution you expect ran (your `solution.resource.json` or its hash). */
  solutionHash?: ContentHashInput;
  /** Datasets you expect were read (resource files or hashes). */
  dataHashes?: readonly ContentHashInput[];
  /**
   * Verify the TCB's quote too (`quoteGenuine`, `tcbStatus`, `measurementExpected`): trust Intel's
   * root rather than the registry's attestation service. From `reportQuoteChecker` of the DCAP entry.
   */
  quote?: ReportQuoteChecker;
}

/** What {@link fetchReportEvidence} returns: the evidence, and the report as {@link getReport} shapes it. */
export interface FetchedReportEvidence {
  evidence: ReportEvidence;
  /** The report, when one was published. */
  published: PublishedReport | undefined;
}

/**
 * Gathers from the chain the evidence {@link checkReportEvidence} judges an order's report by, in
 * three round trips with a batching transport (`http(url, { batch: true })`): the workflow; then
 * the report event, the report's block and the order's enclave key with its newest TCB; then the
 * TCB's status, its measurement's allow-list entry and, when asked, its quote (and, only for a key
 * revoked in the report's own block, that block's `TcbRevoked` log, to order the two). A report
 * naming an older TCB of the key than its newest costs one more round trip.
 *
 * @param ctx The marketplace context.
 * @param params `orderId`, and optionally what you expect: `solutionHash`, `dataHashes`, `quote`.
 * @example
 * const { evidence } = await fetchReportEvidence(ctx, { orderId });
 * const { ok } = checkReportEvidence(evidence);
 * @throws {InputError} naming `orderId`, `solutionHash` or `dataHashes[i]` when malformed, or
 * `quote` when it is not a function.
 * @throws {ContractError} `OrderNotFound`.
 */
export async function fetchReportEvidence(
  ctx: MarketplaceContext,
  params: { orderId: bigint | number | string } & VerifyReportOptions,
): Promise<FetchedReportEvidence> {
  const orderId = toId(params.orderId, "orderId", "an order");
  const expected = {
    solutionHash:
      params.solutionHash === undefined ? undefined : toContentHash(params.solutionHash, "solutionHash"),
    dataHashes: params.dataHashes?.map((value, i) => toContentHash(value, `dataHashes[${i}]`)),
  };
  if (params.quote !== undefined && typeof params.quote !== "function") {
    throw new InputError(
      "quote",
      "expected a quote checker (reportQuoteChecker of @tee-marketplace/sdk/dcap)",
    );
  }
  const domain = orderReportDomain(ctx.deployment.chainId, ctx.deployment.contracts.orders);
  const registry = ctx.deployment.contracts.tcbRegistry;

  // Round trip 1: the workflow (order and suborders in one call).
  const { order, suborders } = await getWorkflow(ctx, { orderId });
  const none: ReportEvidence = {
    order,
    suborders,
    publication: undefined,
    tcb: undefined,
    revocationLogIndex: undefined,
    measurementAllowed: false,
    domain,
    expected,
  };
  if (order.reportBlock === 0n) return { evidence: none, published: undefined };

  // Round trip 2: the report event, its block, the enclave's key and newest TCB.
  const [event, block, key] = await Promise.all([
    reportEvent(ctx, orderId, order.reportBlock),
    getBlock(ctx.publicClient, { blockNumber: order.reportBlock }),
    getTeeKey(ctx, { teeKey: order.teeKey }),
  ]);
  if (event === undefined) return { evidence: none, published: undefined };
  const tcbId = event.args.tcbId;
  const stored =
    key.latestTcb?.id === tcbId
      ? key.latestTcb
      : {
          id: tcbId,
          ...(await read(
            ctx,
            { address: registry, abi: tcbRegistryAbi, functionName: "getTcb", args: [tcbId] },
            `Cannot read TCB ${tcbId}`,
          )),
        };

  // Round trip 3: the TCB's status, the measurement now, the revocation's order, the quote.
  const [status, measurementAllowed, revocation, quoteChecks] = await Promise.all([
    read(
      ctx,
      { address: registry, abi: tcbRegistryAbi, functionName: "tcbStatus", args: [tcbId] },
      `Cannot read TCB ${tcbId}`,
    ),
    isMeasurementAllowed(ctx, { measurement: stored.measurement }),
    stored.revokedBlock === order.reportBlock
      ? eventsAtBlock(ctx, {
          address: registry,
          abi: tcbRegistryAbi,
          eventName: "TcbRevoked",
          args: { teeKey: stored.teeKey },
          block: stored.revokedBlock,
        })
      : Promise.resolve([]),
    params.quote === undefined ? Promise.resolve(undefined) : quoteChecksOf(ctx, stored, params.quote),
  ]);
  const tcb: Tcb = { ...stored, status: status as TcbStatus };
  const report = toReport(event.args.report);
  const published: PublishedReport = {
    orderId,
    report,
    signature: event.args.signature,
    reportHash: event.args.reportHash,
    tcb,
    blockNumber: event.blockNumber,
    transactionHash: event.transactionHash,
  };
  return {
    evidence: {
      ...none,
      publication: {
        report,
        signature: event.args.signature,
        reportHash: event.args.reportHash,
        blockNumber: event.blockNumber,
        logIndex: event.logIndex,
        transactionHash: event.transactionHash,
        blockTime: block.timestamp,
      },
      tcb,
      revocationLogIndex: revocation[0]?.logIndex,
      measurementAllowed,
      ...(quoteChecks === undefined ? {} : { quoteChecks }),
    },
    published,
  };
}

/** The TCB's quote (from its publication) checked against the registry's binding for it. */
async function quoteChecksOf(
  ctx: MarketplaceContext,
  tcb: Omit<Tcb, "status">,
  checker: ReportQuoteChecker,
): Promise<ReportEvidence["quoteChecks"]> {
  const { quote, expectedReportData } = await getTcbQuoteBinding(ctx, tcb);
  return (await checker(quote, expectedReportData)).checks;
}

/**
 * Verifies an order's report from the chain alone: {@link fetchReportEvidence}, then the pure
 * {@link checkReportEvidence} (its checks are listed there: `reportPublished`, `reportHash`,
 * `signature`, `tcbOfOrderEnclave`, `tcbValidAtPublication`, `measurementAllowed`, with `quote`
 * `quoteGenuine`, `tcbStatus` and `measurementExpected`, `imageIsCommittedSolution`,
 * `imageIsExpectedSolution`, `pinnedDataHashes`, `expectedDataHashes`). Three round trips with a
 * batching transport.
 *
 * @param ctx The marketplace context.
 * @param params `orderId`, and optionally what you expect: `solutionHash`, `dataHashes`, `quote`.
 * @example
 * const { ok, checks } = await client.reports.verify({
 *   orderId,
 *   solutionHash: await readResourceFile("solution.resource.json"),
 *   dataHashes: [await readResourceFile("dataset.resource.json")],
 * });
 * for (const c of checks) console.log(c.ok ? "ok  " : "FAIL", c.name, c.detail);
 * @throws {InputError} naming `orderId`, `solutionHash` or `dataHashes[i]` when malformed.
 * @throws {ContractError} `OrderNotFound`.
 */
export async function verifyReport(
  ctx: MarketplaceContext,
  params: { orderId: bigint | number | string } & VerifyReportOptions,
): Promise<ReportVerification> {
  const { evidence, published } = await fetchReportEvidence(ctx, params);
  const result = checkReportEvidence(evidence);
  return published === undefined ? result : { ...result, published };
}
