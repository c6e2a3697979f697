/**
 * Judging an order report: a pure, synchronous check over evidence (the report and its signature,
 * the order, the TCB, the allow-list, what the verifier expects). Where the evidence comes from is
 * not its business: `reports.verify` fetches it from a node (`fetchReportEvidence`), `tee-market
 * orders validate-report` puts a saved report file in it, an indexer could build it too.
 */
import { type Address, type Hex, isAddressEqual, zeroHash } from "viem";

import { OrderStatus, RuntimeType, enumName } from "./enums.js";
import { errorText } from "./internal/fields.js";
import {
  type OrderReport,
  type OrderReportDomain,
  type RuntimeInfo,
  orderReportHash,
  recoverOrderReportSigner,
} from "./reports.js";

/** Names of the checks {@link checkReportEvidence} makes. */
export type ReportCheckName =
  | "reportPublished"
  | "reportHash"
  | "signature"
  | "tcbOfOrderEnclave"
  | "tcbValidAtPublication"
  | "measurementAllowed"
  | "quoteGenuine"
  | "tcbStatus"
  | "measurementExpected"
  | "imageIsCommittedSolution"
  | "imageIsExpectedSolution"
  | "pinnedDataHashes"
  | "expectedDataHashes";

/** One check of a report. */
export interface ReportCheck {
  name: ReportCheckName;
  ok: boolean;
  /** What was compared, in words. */
  detail: string;
}

/** The outcome: `ok` when every check passed. */
export interface ReportChecks {
  ok: boolean;
  checks: ReportCheck[];
}

/** The report as published: what the TEE signed and where the chain has it. */
export interface ReportPublication {
  report: OrderReport;
  signature: Hex;
  /**
   * The `reportHash` of the `OrderReportPublished` event: the EIP-712 struct hash the contract
   * computed of the report it accepted (the order stores only the event's block).
   */
  reportHash: Hex;
  blockNumber: bigint;
  /** Position of `OrderReportPublished` in its block (a revocation in the same block counts when before it). */
  logIndex: number;
  transactionHash: Hex;
  /** The timestamp of the report's block, in unix seconds. */
  blockTime: bigint;
}

/** Everything a report's verification looks at. */
export interface ReportEvidence {
  /** The order, as the chain has it. */
  order: {
    id: bigint;
    status: OrderStatus;
    teeOfferId: bigint;
    /** The order's enclave: the only key whose reports it accepts. */
    teeKey: Address;
    /** The committed solution hash. */
    solutionHash: Hex;
    /** Block of `OrderReportPublished`, 0 when the order has no report. */
    reportBlock: bigint;
  };
  /** The order's suborders with the data hash each owner pinned (zero: none). */
  suborders: readonly { id: bigint; dataHash: Hex }[];
  /** The report; `undefined` when the order has none, or it is not at its stored block. */
  publication: ReportPublication | undefined;
  /** The TCB the report names. */
  tcb:
    | {
        id: bigint;
        teeKey: Address;
        teeOfferId: bigint;
        addedAt: number;
        validUntil: number;
        /** Block of its key's revocation; 0 while not revoked. */
        revokedBlock: bigint;
        measurement: Hex;
      }
    | undefined;
  /**
   * Position of the key's `TcbRevoked` in its block, when that is the report's block (which came
   * first decides); `undefined` otherwise.
   */
  revocationLogIndex: number | undefined;
  /** Whether the TCB's measurement is on the allow-list now. */
  measurementAllowed: boolean;
  /** The TCB's quote, checked against the registry's binding (`reports.verify` with `quote`). */
  quoteChecks?: readonly {
    name: "quoteGenuine" | "tcbStatus" | "measurementExpected";
    ok: boolean;
    detail: string;
  }[];
  /** The EIP-712 domain reports of this deployment are signed over. */
  domain: OrderReportDomain;
  /** What the verifier expects beyond what the order committed to. */
  expected: { solutionHash?: Hex | undefined; dataHashes?: readonly Hex[] | undefined };
}

function statusName(status: number): string {
  try {
    return enumName(OrderStatus, status);
  } catch {
    return String(status);
  }
}

/**
 * Checks a report against its evidence, synchronously, reading nothing. The checks, each with its
 * detail:
 *
 * - `reportPublished`: the order has a report and its event is at the stored block;
 * - `reportHash`: the report hashes (EIP-712 struct hash) to the `reportHash` of the
 *   `OrderReportPublished` event at the order's `reportBlock`, so it is the report the contract
 *   accepted, and it names the order;
 * - `signature`: the signature recovers to the order's enclave key;
 * - `tcbOfOrderEnclave`: the TCB the report names is one of the order's enclave key, for the
 *   order's TEE offer;
 * - `tcbValidAtPublication`: at the report's block the TCB was published (`addedAt` ≤ block time),
 *   not expired (block time < `validUntil`) and its key not revoked (no revocation before the report);
 * - `measurementAllowed`: the TCB's measurement is on the allow-list now;
 * - `quoteGenuine`, `tcbStatus`, `measurementExpected` (with `quoteChecks`): the TCB's quote
 *   verifies to the trusted root carrying the registry's binding, its TCB status is one you accept,
 *   its own measurement is one you accept;
 * - `imageIsCommittedSolution`: exactly one Image entry, equal to the order's committed solution hash;
 * - `imageIsExpectedSolution` (with `expected.solutionHash`): the Image entry is the solution you expect;
 * - `pinnedDataHashes`: every data hash a data owner pinned is a Data entry;
 * - `expectedDataHashes` (with `expected.dataHashes`): every dataset you expect is a Data entry.
 *
 * Without a publication (or a TCB) only `reportPublished` is reported, failed.
 *
 * @param evidence See {@link ReportEvidence}.
 * @example
 * const evidence = await fetchReportEvidence(ctx, { orderId });
 * const { ok, checks } = checkReportEvidence({ ...evidence, publication: { ...evidence.publication!, ...fromFile } });
 * @throws nothing: a malformed report or signature is a failed check.
 */
export function checkReportEvidence(evidence: ReportEvidence): ReportChecks {
  const { order, publication, tcb } = evidence;
  const checks: ReportCheck[] = [];
  const check = (name: ReportCheckName, ok: boolean, detail: string) => checks.push({ name, ok, detail });

  if (order.reportBlock === 0n) {
    check("reportPublished", false, `order ${order.id} has no report (it is ${statusName(order.status)})`);
    return { ok: false, checks };
  }
  if (publication === undefined || tcb === undefined) {
    check(
      "reportPublished",
      false,
      `no OrderReportPublished event of order ${order.id} at its stored block ${order.reportBlock}`,
    );
    return { ok: false, checks };
  }
  const { report, signature } = publication;
  check(
    "reportPublished",
    true,
    `published at block ${publication.blockNumber} in transaction ${publication.transactionHash}`,
  );

  let hash: Hex | undefined;
  try {
    hash = orderReportHash(report);
  } catch (error) {
    check("reportHash", false, `the report does not hash: ${errorText(error)}`);
  }
  if (hash !== undefined) {
    const emitted = publication.reportHash.toLowerCase();
    const sameOrder = report.orderId === order.id;
    check(
      "reportHash",
      hash === emitted && sameOrder,
      hash !== emitted
        ? `the report hashes to ${hash}, the contract emitted ${emitted} at block ${publication.blockNumber}`
        : sameOrder
          ? `the report hashes to the emitted ${emitted}`
          : `the report names order ${report.orderId}, not ${order.id}`,
    );
  }

  let signer: Address | undefined;
  try {
    signer = recoverOrderReportSigner(evidence.domain, report, signature);
  } catch (error) {
    check("signature", false, `the signature does not recover: ${errorText(error)}`);
  }
  if (signer !== undefined) {
    const ok = isAddressEqual(signer, order.teeKey);
    check(
      "signature",
      ok,
      ok
        ? `signed by the order's enclave ${order.teeKey}`
        : `signed by ${signer}, the order's enclave is ${order.teeKey}`,
    );
  }

  const sameTcb = report.tcbId === tcb.id;
  const sameKey = isAddressEqual(tcb.teeKey, order.teeKey);
  const sameOffer = tcb.teeOfferId === order.teeOfferId;
  check(
    "tcbOfOrderEnclave",
    sameTcb && sameKey && sameOffer,
    !sameTcb
      ? `the report names TCB ${report.tcbId}, the evidence is of TCB ${tcb.id}`
      : !sameKey
        ? `TCB ${tcb.id} is of key ${tcb.teeKey}, the order's enclave is ${order.teeKey}`
        : sameOffer
          ? `TCB ${tcb.id} is of the order's enclave ${order.teeKey}, for TEE offer ${tcb.teeOfferId}`
          : `TCB ${tcb.id} attests TEE offer ${tcb.teeOfferId}, the order's is ${order.teeOfferId}`,
  );

  const time = publication.blockTime;
  const revoked = tcb.revokedBlock !== 0n;
  const revokedBefore =
    revoked &&
    (tcb.revokedBlock < publication.blockNumber ||
      (tcb.revokedBlock === publication.blockNumber &&
        (evidence.revocationLogIndex === undefined || evidence.revocationLogIndex < publication.logIndex)));
  const validProblems = [
    time < BigInt(tcb.addedAt)
      ? `the report's block time ${time} is before the TCB was added (${tcb.addedAt})`
      : "",
    time >= BigInt(tcb.validUntil)
      ? `the report's block time ${time} is not before the TCB's validUntil ${tcb.validUntil}`
      : "",
    revokedBefore ? `the TCB's key was revoked at block ${tcb.revokedBlock}, before the report` : "",
  ].filter((p) => p !== "");
  check(
    "tcbValidAtPublication",
    validProblems.length === 0,
    validProblems.length === 0
      ? `block time ${time} within [${tcb.addedAt}, ${tcb.validUntil}), not revoked before block ${publication.blockNumber}` +
          (revoked ? ` (revoked later, at block ${tcb.revokedBlock})` : "")
      : validProblems.join("; "),
  );

  check(
    "measurementAllowed",
    evidence.measurementAllowed,
    `measurement ${tcb.measurement} is ${evidence.measurementAllowed ? "" : "no longer "}on the allow-list`,
  );
  for (const quoteCheck of evidence.quoteChecks ?? [])
    check(quoteCheck.name, quoteCheck.ok, quoteCheck.detail);

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
  checks.push(...checkRuntimeInfo(report.runtimeInfo, { solutionHash: evidence.expected.solutionHash }));

  const dataEntries = new Set(
    report.runtimeInfo.filter((e) => e.runtimeType === RuntimeType.Data).map((e) => e.hash),
  );
  const pinned = evidence.suborders.filter((s) => s.dataHash !== zeroHash);
  const missingPinned = pinned.filter((s) => !dataEntries.has(s.dataHash));
  check(
    "pinnedDataHashes",
    missingPinned.length === 0,
    missingPinned.length === 0
      ? `${pinned.length} pinned data hash${pinned.length === 1 ? "" : "es"} listed as Data entries`
      : missingPinned.map((s) => `suborder ${s.id} pinned ${s.dataHash}, not in the report`).join("; "),
  );
  checks.push(...checkRuntimeInfo(report.runtimeInfo, { dataHashes: evidence.expected.dataHashes }));

  return { ok: checks.every((c) => c.ok), checks };
}

/**
 * Compares a report's runtime entries with what you expect ran, synchronously: `imageIsExpectedSolution`
 * (with `solutionHash`: the one Image entry is that solution) and `expectedDataHashes` (with
 * `dataHashes`: each is a Data entry). The entries may come from a report of this marketplace
 * (`reportFromJson`) or a Super Protocol report file (`workloadFromJson`); `checkReportEvidence`
 * makes the same two checks.
 *
 * @param runtimeInfo The report's entries.
 * @param expected `solutionHash` and `dataHashes`: the hashes of your resource files (`readResourceFile(...).hash`).
 * @returns The checks, in that order; none for what you do not pass.
 * @example
 * const { runtimeInfo } = workloadFromJson(reportText);
 * for (const c of checkRuntimeInfo(runtimeInfo, { solutionHash, dataHashes: [datasetHash] })) console.log(c.ok, c.name, c.detail);
 * @throws nothing for entries read with `reportFromJson` or `workloadFromJson`.
 */
export function checkRuntimeInfo(
  runtimeInfo: readonly RuntimeInfo[],
  expected: { solutionHash?: Hex | undefined; dataHashes?: readonly Hex[] | undefined },
): ReportCheck[] {
  const checks: ReportCheck[] = [];
  if (expected.solutionHash !== undefined) {
    const images = runtimeInfo.filter((e) => e.runtimeType === RuntimeType.Image);
    const image = images.length === 1 ? images[0]?.hash : undefined;
    const ok = image === expected.solutionHash.toLowerCase();
    checks.push({
      name: "imageIsExpectedSolution",
      ok,
      detail: ok
        ? `Image ${image} is the solution you expect`
        : images.length > 1
          ? `the report has ${images.length} Image entries, you expect one: ${expected.solutionHash}`
          : `Image ${image ?? "(none)"}, you expect ${expected.solutionHash}`,
    });
  }
  if (expected.dataHashes !== undefined) {
    const dataEntries = new Set(
      runtimeInfo.filter((e) => e.runtimeType === RuntimeType.Data).map((e) => e.hash),
    );
    const missing = expected.dataHashes.filter((h) => !dataEntries.has(h.toLowerCase() as Hex));
    checks.push({
      name: "expectedDataHashes",
      ok: missing.length === 0,
      detail:
        missing.length === 0
          ? `all ${expected.dataHashes.length} expected datasets are Data entries`
          : `missing Data entries: ${missing.join(", ")}`,
    });
  }
  return checks;
}
