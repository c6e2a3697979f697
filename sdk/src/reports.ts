/**
 * Order reports (docs/design.md §4): what a TEE says it ran for an order, signed with EIP-712 by the
 * `teeKey` of its TCB over the Orders contract's domain. Types, hashing, signing, recovery, and
 * the JSON form that keeps Super Protocol's shape.
 */
import { type Address, type Hex, hashStruct, hashTypedData } from "viem";

import { MAX_REPORT_ENTRIES } from "./abi/protocol.js";
import { RuntimeType, enumName, parseEnum } from "./enums.js";
import { InputError } from "./errors.js";
import { type Domain, makeDomain } from "./internal/eip712.js";
import {
  type JsonObject,
  arrayAt,
  describe,
  errorText,
  fieldPath,
  isObject,
  objectAt,
  rootObject,
} from "./internal/fields.js";
import { accountFor } from "./internal/keys.js";
import { recoverAddressSync } from "./internal/recover.js";
import { toBytes32, toHexBytes, toUint } from "./validate.js";

/** One thing the TEE ran or read (`IOrderReports.RuntimeInfo`). */
export interface RuntimeInfo {
  /** Image (the solution), Solution (a further solution layer) or Data. */
  runtimeType: RuntimeType;
  /** Size in bytes (uint64). */
  size: bigint;
  /** sha256 of the content. */
  hash: Hex;
}

/** A TEE's report of an order (`IOrderReports.OrderReport`). */
export interface OrderReport {
  /** The (parent) order. */
  orderId: bigint;
  /** The TCB whose key signs the report. */
  tcbId: bigint;
  /** When the TEE created the report, in unix seconds (uint64). */
  created: bigint;
  /** What ran, at most {@link MAX_REPORT_ENTRIES} entries. */
  runtimeInfo: readonly RuntimeInfo[];
}

/**
 * The EIP-712 types of an order report, for viem, exactly as in IOrderReports.sol:
 * `OrderReport(uint256 orderId,uint256 tcbId,uint64 created,RuntimeInfo[] runtimeInfo)` and
 * `RuntimeInfo(uint8 runtimeType,uint64 size,bytes32 hash)`.
 *
 * @example
 * await walletClient.signTypedData({ domain, types: orderReportTypes, primaryType: "OrderReport", message: report });
 * @throws nothing: it is a constant.
 */
export const orderReportTypes = {
  OrderReport: [
    { name: "orderId", type: "uint256" },
    { name: "tcbId", type: "uint256" },
    { name: "created", type: "uint64" },
    { name: "runtimeInfo", type: "RuntimeInfo[]" },
  ],
  RuntimeInfo: [
    { name: "runtimeType", type: "uint8" },
    { name: "size", type: "uint64" },
    { name: "hash", type: "bytes32" },
  ],
} as const;

/** The EIP-712 domain of order reports: the Orders contract on one chain. */
export type OrderReportDomain = Domain<"TeeMarketplaceOrders">;

/**
 * The EIP-712 domain reports are signed over: name `"TeeMarketplaceOrders"`, version `"1"`, the
 * chain id and the Orders contract's address.
 *
 * @param chainId The chain (5611 for opBNB testnet, 204 for opBNB).
 * @param ordersAddress The Orders contract.
 * @example
 * const domain = orderReportDomain(5611, deployment.contracts.orders);
 * @throws {InputError} naming `chainId` or `ordersAddress` when it is malformed.
 */
export function orderReportDomain(chainId: number | bigint, ordersAddress: Address): OrderReportDomain {
  return makeDomain("TeeMarketplaceOrders", chainId, ordersAddress, "ordersAddress");
}

/**
 * The EIP-712 struct hash of a report: what the contract emits as `reportHash` in
 * `OrderReportPublished` (`orderReportHash` in IOrderReports.sol; the order stores the event's
 * block, not the hash). It does not depend on the domain.
 *
 * @param report The report.
 * @example
 * const reportHash = orderReportHash(report); // compare with the reportHash of OrderReportPublished
 * @throws {InputError} naming the field when the report is malformed (a hash that is not 32 bytes,
 * an unknown runtime type, a number out of range, too many entries).
 */
export function orderReportHash(report: OrderReport): Hex {
  return hashStruct({ data: checkReport(report), primaryType: "OrderReport", types: orderReportTypes });
}

/**
 * The EIP-712 digest a TEE signs for a report (`orderReportDigest` in IOrderReports.sol).
 *
 * @param domain From {@link orderReportDomain}.
 * @param report The report.
 * @example
 * const digest = orderReportDigest(orderReportDomain(204, ordersAddress), report);
 * @throws {InputError} naming the field when the report is malformed.
 */
export function orderReportDigest(domain: OrderReportDomain, report: OrderReport): Hex {
  return hashTypedData({
    domain,
    types: orderReportTypes,
    primaryType: "OrderReport",
    message: checkReport(report),
  });
}

/**
 * Signs a report with a TEE key (TEE side). The signature is 65 bytes (`r || s || v`).
 *
 * @param teePrivateKey The private key of the TCB's `teeKey`, as `0x` hex.
 * @param domain From {@link orderReportDomain}.
 * @param report The report.
 * @returns The signature to pass to `publishOrderReport`.
 * @example
 * const signature = await signOrderReport(teePrivateKey, orderReportDomain(5611, ordersAddress), report);
 * @throws {InputError} naming `teePrivateKey` when it is not a private key, or the field of the
 * report that is malformed.
 */
export async function signOrderReport(
  teePrivateKey: Hex,
  domain: OrderReportDomain,
  report: OrderReport,
): Promise<Hex> {
  const account = accountFor(teePrivateKey, "teePrivateKey");
  return account.signTypedData({
    domain,
    types: orderReportTypes,
    primaryType: "OrderReport",
    message: checkReport(report),
  });
}

/**
 * The address that signed a report (synchronous). A report is genuine when this is the `teeKey` of
 * the TCB the report names (`tcbId`), and that TCB was valid and active for the order's TEE offer.
 *
 * @param domain From {@link orderReportDomain}.
 * @param report The report.
 * @param signature The signature: 65 bytes, or 64 bytes in EIP-2098 form.
 * @example
 * const signer = recoverOrderReportSigner(domain, report, signature);
 * if (signer !== tcb.teeKey) throw new Error("report not signed by the TCB's key");
 * @throws {InputError} naming `signature` when it is not a 64- or 65-byte signature or does not
 * recover, or the field of the report that is malformed.
 */
export function recoverOrderReportSigner(
  domain: OrderReportDomain,
  report: OrderReport,
  signature: Hex,
): Address {
  const digest = orderReportDigest(domain, report);
  const sig = checkSignature(signature, "signature");
  try {
    return recoverAddressSync(digest, sig);
  } catch (error) {
    throw new InputError("signature", `does not recover to an address: ${errorText(error)}`, {
      cause: error,
    });
  }
}

/** Name of a runtime entry type in the JSON form. */
export type RuntimeTypeName = keyof typeof RuntimeType;

/**
 * The JSON form of a signed report, in Super Protocol's shape. `workloadInfo.created` and each
 * entry's `size` are JSON numbers, Super Protocol's types (a decimal string only for a value above
 * 2^53 - 1, which a number cannot hold exactly); the order and TCB ids are decimal strings (uint256);
 * hashes are 64 lowercase hex digits without `0x` (as in `*.resource.json`); the signature is `0x` hex.
 */
export interface OrderReportJson {
  orderId: string;
  /** The TCB: its id (the report's `tcbId`) and any details the caller added. */
  tcb: { id: string; [key: string]: unknown };
  signature: Hex;
  workloadInfo: {
    /** Unix seconds. */
    created: number | string;
    runtimeInfo: {
      type: RuntimeTypeName;
      /** Bytes. */
      size: number | string;
      hash: { algo: "sha256"; hash: string; encoding: "hex" };
    }[];
  };
}

/**
 * The JSON form of a signed report, in the shape Super Protocol's tools read:
 * `{ orderId, tcb: { id, ... }, signature, workloadInfo: { created, runtimeInfo: [{ type, size,
 * hash: { algo: "sha256", hash, encoding: "hex" } }] } }`.
 *
 * `created` and `size` are JSON numbers, as Super Protocol's `OrderReportSchema` types them (a
 * decimal string only above 2^53 - 1, where a number would lose digits); `orderId`, `tcb.id` and
 * bigints inside `tcb` are decimal strings; hashes are 64 hex digits without `0x`; entry types are
 * names (`"Image"`, `"Solution"`, `"Data"`). {@link reportFromJson} reads it back exactly.
 *
 * @param report The report.
 * @param options `signature`: the TEE's signature; `tcb`: details of the TCB to include next to
 * its id (teeKey, deviceId, ...), optional.
 * @example
 * JSON.stringify(reportToJson(report, { signature, tcb: { teeKey } }), null, 2);
 * @throws {InputError} naming the field when the report or signature is malformed, or `tcb.id`
 * when the given TCB details name another TCB than the report.
 */
export function reportToJson(
  report: OrderReport,
  options: { signature: Hex; tcb?: Readonly<Record<string, unknown>> },
): OrderReportJson {
  const checked = checkReport(report);
  const tcbId = checked.tcbId.toString();
  const extra = options.tcb ?? {};
  if (extra["id"] !== undefined && String(extra["id"]) !== tcbId) {
    throw new InputError(
      "tcb.id",
      `the TCB details are for TCB ${String(extra["id"])}, the report for TCB ${tcbId}`,
    );
  }
  return {
    orderId: checked.orderId.toString(),
    tcb: { ...(jsonSafe(extra) as JsonObject), id: tcbId },
    signature: checkSignature(options.signature, "signature"),
    workloadInfo: {
      created: jsonUint64(checked.created),
      runtimeInfo: checked.runtimeInfo.map((entry) => ({
        type: enumName(RuntimeType, entry.runtimeType),
        size: jsonUint64(entry.size),
        hash: { algo: "sha256", hash: entry.hash.slice(2), encoding: "hex" },
      })),
    },
  };
}

/**
 * Reads the JSON form of a signed report (from {@link reportToJson}, or Super Protocol's tools)
 * and checks every field: integers (numbers or decimal strings) in range, entry types by name or
 * number, hashes as sha256 hex (with or without `0x`), the signature 64 or 65 bytes.
 *
 * @param json The report: a parsed object or its JSON text.
 * @returns The report, its signature, and the `tcb` object as given (its `id` is `report.tcbId`).
 * @example
 * const { report, signature } = reportFromJson(await readFile("report.json", "utf8"));
 * const signer = await recoverOrderReportSigner(domain, report, signature);
 * @throws {InputError} naming the path of the bad field (`"workloadInfo.runtimeInfo[0].hash.hash"`).
 */
export function reportFromJson(json: unknown): {
  report: OrderReport;
  signature: Hex;
  tcb: Readonly<Record<string, unknown>>;
} {
  const raw = rootObject(json, "an order report object");
  const tcb = objectAt(raw, "", "tcb");
  const { created, runtimeInfo } = workloadFromJson(raw);
  return {
    report: {
      orderId: toUint(raw["orderId"], "orderId"),
      tcbId: toUint(tcb["id"], "tcb.id"),
      created,
      runtimeInfo,
    },
    signature: checkSignature(raw["signature"], "signature"),
    tcb,
  };
}

/**
 * Reads the workload of a report file: `workloadInfo.created` and the runtime entries (what ran and
 * what was read), from this SDK's JSON form ({@link reportToJson}) or from a report Super Protocol's
 * tools saved (`{ certificate, workloadInfo }`). Only `type`, `size` and `hash` of an entry are
 * read: Super Protocol's `signatureKeyHash` and `argsHash`, `workloadInfo.orderCapacity` and the
 * report's `certificate` are left aside. Compare the entries with your resource files with
 * `checkRuntimeInfo`.
 *
 * @param json The report: a parsed object or its JSON text.
 * @returns `created` (unix seconds) and the entries, hashes as lowercase `0x` hex.
 * @example
 * const { runtimeInfo } = workloadFromJson(await readFile("sp-report.json", "utf8"));
 * const checks = checkRuntimeInfo(runtimeInfo, { solutionHash: solution.hash, dataHashes: [dataset.hash] });
 * @throws {InputError} naming the path of the bad field (`"workloadInfo.runtimeInfo[0].size"`).
 */
export function workloadFromJson(json: unknown): { created: bigint; runtimeInfo: RuntimeInfo[] } {
  const raw = rootObject(json, "an order report object");
  const workloadInfo = objectAt(raw, "", "workloadInfo");
  if (!Array.isArray(workloadInfo["runtimeInfo"])) {
    throw new InputError(
      "workloadInfo.runtimeInfo",
      `expected an array of runtime entries, got ${describe(workloadInfo["runtimeInfo"])}`,
    );
  }
  const entries = arrayAt(workloadInfo, "workloadInfo", "runtimeInfo");
  checkEntryCount(entries.length, "workloadInfo.runtimeInfo");
  const runtimeInfo = entries.map((entry, i) => {
    const base = fieldPath("workloadInfo.runtimeInfo", i);
    if (!isObject(entry))
      throw new InputError(base, `expected a runtime entry object, got ${describe(entry)}`);
    const hash = objectAt(entry, base, "hash");
    if (hash["algo"] !== "sha256") {
      throw new InputError(`${base}.hash.algo`, `expected "sha256", got ${describe(hash["algo"])}`);
    }
    if (hash["encoding"] !== "hex") {
      throw new InputError(`${base}.hash.encoding`, `expected "hex", got ${describe(hash["encoding"])}`);
    }
    return {
      runtimeType: parseEnum(RuntimeType, entry["type"], `${base}.type`),
      size: toUint(entry["size"], `${base}.size`, { bits: 64 }),
      hash: toBytes32(hash["hash"], `${base}.hash.hash`),
    };
  });
  return {
    created: toUint(workloadInfo["created"], "workloadInfo.created", { bits: 64 }),
    runtimeInfo,
  };
}

/** Validates a report given in code and returns it with hashes in lowercase. */
function checkReport(report: OrderReport): OrderReport {
  if (!isObject(report))
    throw new InputError("report", `expected an order report object, got ${describe(report)}`);
  if (!Array.isArray(report.runtimeInfo)) {
    throw new InputError("report.runtimeInfo", `expected an array, got ${describe(report.runtimeInfo)}`);
  }
  checkEntryCount(report.runtimeInfo.length, "report.runtimeInfo");
  return {
    orderId: toUint(report.orderId, "report.orderId"),
    tcbId: toUint(report.tcbId, "report.tcbId"),
    created: toUint(report.created, "report.created", { bits: 64 }),
    runtimeInfo: report.runtimeInfo.map((entry: RuntimeInfo, i) => {
      const base = `report.runtimeInfo[${i}]`;
      return {
        runtimeType: parseEnum(RuntimeType, entry.runtimeType, `${base}.runtimeType`),
        size: toUint(entry.size, `${base}.size`, { bits: 64 }),
        hash: toBytes32(entry.hash, `${base}.hash`),
      };
    }),
  };
}

function checkEntryCount(count: number, field: string): void {
  if (count > MAX_REPORT_ENTRIES) {
    throw new InputError(field, `${count} entries, more than the contract's cap of ${MAX_REPORT_ENTRIES}`);
  }
}

function checkSignature(value: unknown, field: string): Hex {
  const hex = toHexBytes(value, field);
  const size = (hex.length - 2) / 2;
  if (size !== 65 && size !== 64) {
    throw new InputError(field, `expected a 65-byte signature (or 64 bytes, EIP-2098), got ${size} bytes`);
  }
  return hex;
}

/** A uint64 as JSON: a number when it is exact as one, else its decimal string. */
function jsonUint64(value: bigint): number | string {
  return value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value.toString();
}

/** A copy of `value` that JSON can hold: bigints become decimal strings. */
function jsonSafe(value: unknown): unknown {
  if (typeof value === "bigint") return value.toString();
  if (Array.isArray(value)) return value.map(jsonSafe);
  if (isObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, jsonSafe(v)]));
  return value;
}
