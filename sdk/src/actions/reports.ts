/**
 * Order reports: the TEE publishes one (signed with its TCB key); anyone reads it back from the
 * `OrderReportPublished` event at the order's `reportBlock`, turns it into Super Protocol's JSON
 * shape, and verifies it against the order, the TCB and the registry (`IOrderReports`).
 */
import {
  type Address,
  type Hex,
  type LocalAccount,
  type TransactionReceipt,
  isAddressEqual,
  zeroHash,
} from "viem";
import { getBlock } from "viem/actions";

import { ordersAbi } from "../abi/orders.js";
import { tcbRegistryAbi } from "../abi/tcbRegistry.js";
import type { MarketplaceContext } from "../context.js";
import { OrderStatus, RuntimeType, TcbStatus, enumName } from "../enums.js";
import { InputError, StateError } from "../errors.js";
import { errorText } from "../internal/fields.js";
import { eventsAtBlock, eventsInRange, read, requireWallet, send } from "../internal/contract.js";
import { toId } from "../internal/ids.js";
import { toOrder } from "../internal/orderStructs.js";
import {
  type OrderReport,
  type OrderReportJson,
  type RuntimeInfo,
  orderReportDomain,
  orderReportHash,
  orderReportTypes,
  recoverOrderReportSigner,
  reportToJson,
  signOrderReport,
} from "../reports.js";
import { type ContentHashInput, toContentHash } from "../resourceFile.js";
import { toUint } from "../validate.js";
import { getWorkflow } from "./orders.js";
import { type Tcb, activeTcbIdOf, getTcb, isMeasurementAllowed } from "./tcb.js";

/** Who signs a report: the TCB's TEE key, as a `0x` private key or a viem local account. */
export type ReportSigner = Hex | Pick<LocalAccount, "address" | "signTypedData">;

/** What {@link publishReport} takes. */
export interface PublishReportParameters {
  orderId: bigint | number | string;
  /** What ran: exactly one Image entry (the committed solution hash) and a Data entry per pinned data hash. */
  runtimeInfo: readonly RuntimeInfo[];
  /** Unix seconds when the TEE made the report; default now. */
  created?: bigint | number;
  /** The TCB whose key signs; default the active TCB of the order's TEE offer (one more read). */
  tcbId?: bigint | number | string;
  /** The TEE key that signs the report (the transaction is sent by the wallet client). */
  signer: ReportSigner;
}

/**
 * Publishes a Processing order's report (TEE side): builds the report, signs it with the TEE key
 * over the Orders contract's EIP-712 domain, simulates and sends `publishOrderReport`. The wallet
 * client sends the transaction: the TEE offer's provider authority, its action account or the TEE
 * key itself.
 *
 * @param ctx The marketplace context.
 * @param params See {@link PublishReportParameters}.
 * @returns The receipt, the report, its signature and its hash (what the order stores).
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
 * @throws {ContractError} `OrderReportSignerMismatch` (signed by another key), `OrderReportTcbNotActive`,
 * `OrderReportTcbNotValid`, `OrderReportImageMismatch`, `OrderReportDataMissing`, `OrderReportNotProcessing`, ...
 */
export async function publishReport(
  ctx: MarketplaceContext,
  params: PublishReportParameters,
): Promise<{ receipt: TransactionReceipt; report: OrderReport; signature: Hex; reportHash: Hex }> {
  const orderId = toId(params.orderId, "orderId", "an order");
  const created = toUint(params.created ?? BigInt(Math.floor(Date.now() / 1000)), "created", { bits: 64 });
  const signer = params.signer;
  if (
    typeof signer !== "string" &&
    (typeof signer !== "object" || signer === null || typeof signer.signTypedData !== "function")
  ) {
    throw new InputError("signer", "expected the TEE key: a 0x private key or a viem local account");
  }
  // Validates the entries before any RPC (the tcb id is filled in below).
  orderReportHash({ orderId, tcbId: 1n, created, runtimeInfo: params.runtimeInfo });
  requireWallet(ctx, `Cannot publish the report of order ${orderId}`);

  let tcbId: bigint;
  if (params.tcbId !== undefined) tcbId = toId(params.tcbId, "tcbId", "a TCB");
  else {
    const order = await readOrder(ctx, orderId);
    tcbId = await activeTcbIdOf(ctx, order.teeOfferId);
    if (tcbId === 0n) {
      throw new StateError(
        `TEE offer ${order.teeOfferId} has no TCB: publish one (tcb.upload) before reporting.`,
      );
    }
  }
  const report: OrderReport = { orderId, tcbId, created, runtimeInfo: params.runtimeInfo };
  const domain = orderReportDomain(ctx.deployment.chainId, ctx.deployment.contracts.orders);
  const signature =
    typeof signer === "string"
      ? await signOrderReport(signer, domain, report)
      : await signer.signTypedData({
          domain,
          types: orderReportTypes,
          primaryType: "OrderReport",
          message: { ...report, runtimeInfo: [...report.runtimeInfo] },
        });
  const receipt = await send(
    ctx,
    {
      address: ctx.deployment.contracts.orders,
      abi: ordersAbi,
      functionName: "publishOrderReport",
      args: [orderId, { ...report, runtimeInfo: [...report.runtimeInfo] }, signature],
    },
    `Cannot publish the report of order ${orderId}`,
  );
  return { receipt, report, signature, reportHash: orderReportHash(report) };
}

/** A published report, as read back. */
export interface PublishedReport {
  orderId: bigint;
  report: OrderReport;
  signature: Hex;
  /** The report's EIP-712 struct hash as the contract stored it. */
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
 * An order's report: the typed report, the TEE's signature and the TCB, from the
 * `OrderReportPublished` event at the order's stored `reportBlock` (two round trips with a
 * batching transport: the order, then the event and the TCB together).
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
  const [event, tcb] = await Promise.all([
    reportEvent(ctx, orderId, order.reportBlock),
    getTcb(ctx, { tcbId: order.reportTcbId }),
  ]);
  if (event === undefined) {
    throw new StateError(
      `No OrderReportPublished event of order ${orderId} at block ${order.reportBlock}; check the RPC.`,
    );
  }
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

/** Names of the checks {@link verifyReport} makes. */
export type ReportCheckName =
  | "reportPublished"
  | "reportHash"
  | "signature"
  | "tcbOfOrderOffer"
  | "tcbValidAtPublication"
  | "measurementAllowed"
  | "imageIsCommittedSolution"
  | "imageIsExpectedSolution"
  | "pinnedDataHashes"
  | "expectedDataHashes";

/** One check of {@link verifyReport}. */
export interface ReportCheck {
  name: ReportCheckName;
  ok: boolean;
  /** What was compared, in words. */
  detail: string;
}

/** What {@link verifyReport} returns: `ok` when every check passed. */
export interface ReportVerification {
  ok: boolean;
  checks: ReportCheck[];
  /** The report, when one was published. */
  published?: PublishedReport;
}

/** What {@link verifyReport} takes besides the order. */
export interface VerifyReportOptions {
  /** The solution you expect ran (your `solution.resource.json` or its hash). */
  solutionHash?: ContentHashInput;
  /** Datasets you expect were read (resource files or hashes). */
  dataHashes?: readonly ContentHashInput[];
}

/**
 * Verifies an order's report from the chain alone. Checks, each reported with its detail:
 *
 * - `reportPublished`: the order has a report and its event is at the stored block;
 * - `reportHash`: the report hashes (EIP-712 struct hash) to the `reportHash` the order stored;
 * - `signature`: the signature recovers to the TCB's `teeKey`;
 * - `tcbOfOrderOffer`: the TCB attests the order's TEE offer and is the TCB the order recorded;
 * - `tcbValidAtPublication`: at the report's block the TCB was published (`addedAt` ≤ block time),
 *   not expired (block time < `validUntil`) and not revoked (no `TcbRevoked` before the report);
 * - `measurementAllowed`: the TCB's measurement is on the allow-list now;
 * - `imageIsCommittedSolution`: exactly one Image entry, equal to the order's committed solution hash;
 * - `imageIsExpectedSolution` (with `solutionHash`): the Image entry is the solution you expect;
 * - `pinnedDataHashes`: every data hash a data owner pinned is a Data entry;
 * - `expectedDataHashes` (with `dataHashes`): every dataset you expect is a Data entry.
 *
 * At most three round trips with a batching transport (`http(url, { batch: true })`): the
 * workflow; then the report event, the TCB and the report's block together; then the measurement
 * and, only for a revoked TCB, its `TcbRevoked` logs between its publication and the report (in
 * ranges of at most `logBlockRange` blocks).
 *
 * @param ctx The marketplace context.
 * @param params `orderId`, and optionally what you expect: `solutionHash`, `dataHashes`.
 * @example
 * const { ok, checks } = await client.reports.verify(orderId, {
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
  const orderId = toId(params.orderId, "orderId", "an order");
  const expectedSolution =
    params.solutionHash === undefined ? undefined : toContentHash(params.solutionHash, "solutionHash");
  const expectedData = params.dataHashes?.map((value, i) => toContentHash(value, `dataHashes[${i}]`));
  const checks: ReportCheck[] = [];
  const check = (name: ReportCheckName, ok: boolean, detail: string) => checks.push({ name, ok, detail });

  // Round trip 1: the workflow (order and suborders in one call).
  const { order, suborders } = await getWorkflow(ctx, { orderId });
  if (order.reportBlock === 0n) {
    check("reportPublished", false, `order ${orderId} has no report (it is ${enumNameSafe(order.status)})`);
    return { ok: false, checks };
  }

  // Round trip 2: the report event, the TCB (and its status), the report's block.
  const [event, tcb, block] = await Promise.all([
    reportEvent(ctx, orderId, order.reportBlock),
    getTcb(ctx, { tcbId: order.reportTcbId }),
    getBlock(ctx.publicClient, { blockNumber: order.reportBlock }),
  ]);
  if (event === undefined) {
    check(
      "reportPublished",
      false,
      `no OrderReportPublished event of order ${orderId} at its stored block ${order.reportBlock}`,
    );
    return { ok: false, checks };
  }
  check(
    "reportPublished",
    true,
    `published at block ${event.blockNumber} in transaction ${event.transactionHash}`,
  );
  const report = toReport(event.args.report);
  const signature = event.args.signature;
  const published: PublishedReport = {
    orderId,
    report,
    signature,
    reportHash: event.args.reportHash,
    tcb,
    blockNumber: event.blockNumber,
    transactionHash: event.transactionHash,
  };

  // Round trip 3: the measurement now, and the revocation logs when the TCB is revoked.
  const [measurementAllowed, revocations] = await Promise.all([
    isMeasurementAllowed(ctx, { measurement: tcb.measurement }),
    tcb.revoked
      ? eventsInRange(ctx, {
          address: ctx.deployment.contracts.tcbRegistry,
          abi: tcbRegistryAbi,
          eventName: "TcbRevoked",
          args: { tcbId: tcb.id },
          fromBlock: tcb.publishedBlock,
          toBlock: order.reportBlock,
        })
      : Promise.resolve([]),
  ]);

  let hash: Hex | undefined;
  try {
    hash = orderReportHash(report);
  } catch (error) {
    check("reportHash", false, `the report does not hash: ${errorText(error)}`);
  }
  if (hash !== undefined) {
    check(
      "reportHash",
      hash === order.reportHash && report.orderId === orderId,
      hash === order.reportHash
        ? report.orderId === orderId
          ? `the report hashes to the stored ${order.reportHash}`
          : `the report names order ${report.orderId}, not ${orderId}`
        : `the report hashes to ${hash}, the order stored ${order.reportHash}`,
    );
  }

  let signer: Address | undefined;
  try {
    signer = await recoverOrderReportSigner(
      orderReportDomain(ctx.deployment.chainId, ctx.deployment.contracts.orders),
      report,
      signature,
    );
  } catch (error) {
    check("signature", false, `the signature does not recover: ${errorText(error)}`);
  }
  if (signer !== undefined) {
    const ok = isAddressEqual(signer, tcb.teeKey);
    check(
      "signature",
      ok,
      ok
        ? `signed by the TCB's TEE key ${tcb.teeKey}`
        : `signed by ${signer}, the TCB's TEE key is ${tcb.teeKey}`,
    );
  }

  const sameTcb = report.tcbId === tcb.id;
  const sameOffer = tcb.teeOfferId === order.teeOfferId;
  check(
    "tcbOfOrderOffer",
    sameTcb && sameOffer,
    !sameTcb
      ? `the report names TCB ${report.tcbId}, the order recorded TCB ${tcb.id}`
      : sameOffer
        ? `TCB ${tcb.id} attests TEE offer ${tcb.teeOfferId}, the order's`
        : `TCB ${tcb.id} attests TEE offer ${tcb.teeOfferId}, the order's is ${order.teeOfferId}`,
  );

  const time = block.timestamp;
  const revokedBefore = revocations.find(
    (r) =>
      r.blockNumber < event.blockNumber ||
      (r.blockNumber === event.blockNumber && r.logIndex < event.logIndex),
  );
  const validProblems = [
    time < BigInt(tcb.addedAt)
      ? `the report's block time ${time} is before the TCB was added (${tcb.addedAt})`
      : "",
    time >= BigInt(tcb.validUntil)
      ? `the report's block time ${time} is not before the TCB's validUntil ${tcb.validUntil}`
      : "",
    revokedBefore !== undefined
      ? `the TCB was revoked at block ${revokedBefore.blockNumber}, before the report`
      : "",
  ].filter((p) => p !== "");
  check(
    "tcbValidAtPublication",
    validProblems.length === 0,
    validProblems.length === 0
      ? `block time ${time} within [${tcb.addedAt}, ${tcb.validUntil}), not revoked before block ${event.blockNumber}` +
          (tcb.revoked ? " (revoked later)" : "")
      : validProblems.join("; "),
  );

  check(
    "measurementAllowed",
    measurementAllowed,
    `measurement ${tcb.measurement} is ${measurementAllowed ? "" : "no longer "}on the allow-list`,
  );

  const images = report.runtimeInfo.filter((e) => e.runtimeType === RuntimeType.Image);
  const image = images.length === 1 ? images[0]?.hash : undefined;
  check(
    "imageIsCommittedSolution",
    image === order.solutionHash,
    images.length !== 1
      ? `the report has ${images.length} Image entries, not 1`
      : image === order.solutionHash
        ? `Image ${image} is the committed solution`
        : `Image ${image}, the order committed to ${order.solutionHash}`,
  );
  if (expectedSolution !== undefined) {
    check(
      "imageIsExpectedSolution",
      image === expectedSolution,
      image === expectedSolution
        ? `Image ${image} is the solution you expect`
        : `Image ${image ?? "(none)"}, you expect ${expectedSolution}`,
    );
  }

  const dataEntries = new Set(
    report.runtimeInfo.filter((e) => e.runtimeType === RuntimeType.Data).map((e) => e.hash),
  );
  const pinned = suborders.filter((s) => s.dataHash !== zeroHash);
  const missingPinned = pinned.filter((s) => !dataEntries.has(s.dataHash));
  check(
    "pinnedDataHashes",
    missingPinned.length === 0,
    missingPinned.length === 0
      ? `${pinned.length} pinned data hash${pinned.length === 1 ? "" : "es"} listed as Data entries`
      : missingPinned.map((s) => `suborder ${s.id} pinned ${s.dataHash}, not in the report`).join("; "),
  );
  if (expectedData !== undefined) {
    const missing = expectedData.filter((h) => !dataEntries.has(h));
    check(
      "expectedDataHashes",
      missing.length === 0,
      missing.length === 0
        ? `all ${expectedData.length} expected datasets are Data entries`
        : `missing Data entries: ${missing.join(", ")}`,
    );
  }

  return { ok: checks.every((c) => c.ok), checks, published };
}

/** One parent order, as the SDK shapes it (one `getOrder` call). */
async function readOrder(ctx: MarketplaceContext, orderId: bigint) {
  return toOrder(
    orderId,
    await read(
      ctx,
      { address: ctx.deployment.contracts.orders, abi: ordersAbi, functionName: "getOrder", args: [orderId] },
      `Cannot read order ${orderId}`,
    ),
  );
}
