import { expect } from "chai";
import { Signature, TypedDataEncoder, verifyTypedData } from "ethers";
import { readFileSync } from "node:fs";
import path from "node:path";
import type { Hex } from "viem";
import { privateKeyToAccount } from "viem/accounts";

import {
  InputError,
  MAX_REPORT_ENTRIES,
  type OrderReport,
  RuntimeType,
  orderReportDigest,
  orderReportDomain,
  orderReportHash,
  orderReportTypes,
  recoverOrderReportSigner,
  reportFromJson,
  reportToJson,
  signOrderReport,
  workloadFromJson,
} from "../src/index.js";
import { repoRoot } from "./support/paths.js";

const SOLUTION_HASH = "0xb9de3d23d309364f3b8bbe7a76fcd9037fb12d6c984e5bd33e26fa3a66e21895";
const DATASET_HASH = "0x8598805cd2136a4beff17559a7228854f6a8cc0b027856ea5c196fb8d0602501";
const ORDERS = "0x5FbDB2315678afecb367f032d93F642f64180aa3";
const TEE_KEY: Hex = "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d";

/** A fixed report: the known vector of these tests. */
const REPORT: OrderReport = {
  orderId: 12n,
  tcbId: 3n,
  created: 1_735_689_600n,
  runtimeInfo: [
    { runtimeType: RuntimeType.Image, size: 32n, hash: SOLUTION_HASH },
    { runtimeType: RuntimeType.Data, size: 46n, hash: DATASET_HASH },
  ],
};

/** The same report as ethers wants it (field values only). */
const ETHERS_VALUE = {
  orderId: REPORT.orderId,
  tcbId: REPORT.tcbId,
  created: REPORT.created,
  runtimeInfo: REPORT.runtimeInfo.map((entry) => ({ ...entry })),
};
const ETHERS_TYPES = {
  OrderReport: orderReportTypes.OrderReport.map((field) => ({ ...field })),
  RuntimeInfo: orderReportTypes.RuntimeInfo.map((field) => ({ ...field })),
};

/** The EIP-712 type strings written in IOrderReports.sol's NatSpec. */
function natSpecTypeStrings(): string[] {
  const source = readFileSync(path.join(repoRoot, "contracts/interfaces/IOrderReports.sol"), "utf8");
  const doc = source.replace(/\n\s*\/\/\/\s*/g, " ");
  return [...doc.matchAll(/`((?:OrderReport|RuntimeInfo)\([^`]*\))`/g)].map((match) => match[1]!);
}

describe("reports", function () {
  const domain = orderReportDomain(5611, ORDERS);

  describe("orderReportTypes", function () {
    it("encode exactly the type strings of IOrderReports.sol", function () {
      const [orderReport, runtimeInfo] = natSpecTypeStrings();
      expect(orderReport, "OrderReport type in the NatSpec").to.equal(
        "OrderReport(uint256 orderId,uint256 tcbId,uint64 created,RuntimeInfo[] runtimeInfo)",
      );
      expect(
        TypedDataEncoder.from(ETHERS_TYPES).encodeType("OrderReport"),
        "encoded OrderReport type",
      ).to.equal(`${orderReport}${runtimeInfo}`);
    });
  });

  describe("orderReportDomain", function () {
    it("names the Orders contract on the chain", function () {
      expect(domain, "domain").to.deep.equal({
        name: "TeeMarketplaceOrders",
        version: "1",
        chainId: 5611,
        verifyingContract: ORDERS,
      });
      expect(orderReportDomain(204n, ORDERS.toLowerCase() as Hex).chainId, "chain id from a bigint").to.equal(
        204,
      );
      expect(() => orderReportDomain(0, ORDERS)).to.throw(InputError, "chainId: expected a chain id");
      expect(() => orderReportDomain(204, "0x12")).to.throw(InputError, "ordersAddress: ");
    });
  });

  describe("orderReportHash / orderReportDigest", function () {
    it("match ethers' TypedDataEncoder for the fixed report", function () {
      expect(orderReportHash(REPORT), "struct hash").to.equal(
        TypedDataEncoder.hashStruct("OrderReport", ETHERS_TYPES, ETHERS_VALUE),
      );
      expect(orderReportDigest(domain, REPORT), "digest").to.equal(
        TypedDataEncoder.hash(domain, ETHERS_TYPES, ETHERS_VALUE),
      );
    });

    it("match the pinned vector of the fixed report", function () {
      expect(orderReportHash(REPORT), "struct hash").to.equal(
        "0xef7d426c317cfe3663e35dab10c9f51fa528e704a1f0a73db458bf81fc7ed77e",
      );
      expect(orderReportDigest(domain, REPORT), "digest").to.equal(
        "0x78300ce55c049e61c97753b17841870c0d5b7073f79e2eeb21f127cf87fd504b",
      );
    });

    it("depend on every field and on the entries' order, and accept hashes in any case", function () {
      const base = orderReportHash(REPORT);
      const variants: [string, OrderReport][] = [
        ["orderId", { ...REPORT, orderId: 13n }],
        ["tcbId", { ...REPORT, tcbId: 4n }],
        ["created", { ...REPORT, created: REPORT.created + 1n }],
        ["entry order", { ...REPORT, runtimeInfo: [...REPORT.runtimeInfo].reverse() }],
        [
          "size",
          { ...REPORT, runtimeInfo: [{ ...REPORT.runtimeInfo[0]!, size: 33n }, REPORT.runtimeInfo[1]!] },
        ],
      ];
      for (const [label, variant] of variants) {
        expect(orderReportHash(variant), `struct hash with another ${label}`).to.not.equal(base);
      }
      const upper = REPORT.runtimeInfo.map((e) => ({
        ...e,
        hash: e.hash.toUpperCase().replace("0X", "0x") as Hex,
      }));
      expect(
        orderReportHash({ ...REPORT, runtimeInfo: upper }),
        "struct hash with uppercase hashes",
      ).to.equal(base);
    });

    it("reject a malformed report, naming the field", function () {
      const badHash = { ...REPORT, runtimeInfo: [{ ...REPORT.runtimeInfo[0]!, hash: "0x1234" as Hex }] };
      expect(() => orderReportHash(badHash)).to.throw(InputError, "report.runtimeInfo[0].hash: ");
      const badType = {
        ...REPORT,
        runtimeInfo: [{ ...REPORT.runtimeInfo[0]!, runtimeType: 5 as RuntimeType }],
      };
      expect(() => orderReportHash(badType)).to.throw(
        InputError,
        "report.runtimeInfo[0].runtimeType: 5 is not one of",
      );
      expect(() => orderReportHash({ ...REPORT, created: 2n ** 64n })).to.throw(
        InputError,
        "report.created: ",
      );
      const tooMany = Array.from({ length: MAX_REPORT_ENTRIES + 1 }, () => REPORT.runtimeInfo[1]!);
      expect(() => orderReportHash({ ...REPORT, runtimeInfo: tooMany })).to.throw(
        InputError,
        "report.runtimeInfo: 33 entries, more than the contract's cap of 32",
      );
    });
  });

  describe("signOrderReport / recoverOrderReportSigner", function () {
    const teeAddress = privateKeyToAccount(TEE_KEY).address;

    it("signs so that viem and ethers both recover the TEE key", async function () {
      const signature = await signOrderReport(TEE_KEY, domain, REPORT);
      expect(await recoverOrderReportSigner(domain, REPORT, signature), "signer (viem)").to.equal(teeAddress);
      expect(verifyTypedData(domain, ETHERS_TYPES, ETHERS_VALUE, signature), "signer (ethers)").to.equal(
        teeAddress,
      );
    });

    it("recovers from a 64-byte EIP-2098 signature", async function () {
      const signature = await signOrderReport(TEE_KEY, domain, REPORT);
      const compact = Signature.from(signature).compactSerialized as Hex;
      expect(await recoverOrderReportSigner(domain, REPORT, compact), "signer").to.equal(teeAddress);
    });

    it("recovers another address for another report, chain or contract", async function () {
      const signature = await signOrderReport(TEE_KEY, domain, REPORT);
      const other = { ...REPORT, orderId: 13n };
      expect(
        await recoverOrderReportSigner(domain, other, signature),
        "signer of another report",
      ).to.not.equal(teeAddress);
      const otherChain = orderReportDomain(204, ORDERS);
      expect(
        await recoverOrderReportSigner(otherChain, REPORT, signature),
        "signer on another chain",
      ).to.not.equal(teeAddress);
    });

    it("rejects a malformed key or signature with an InputError", async function () {
      let error: unknown;
      try {
        await signOrderReport("0x1234", domain, REPORT);
      } catch (e) {
        error = e;
      }
      expect(error, "error for a short key").to.be.instanceOf(InputError);
      expect((error as InputError).field, "field").to.equal("teePrivateKey");
      error = undefined;
      try {
        await recoverOrderReportSigner(domain, REPORT, `0x${"11".repeat(10)}`);
      } catch (e) {
        error = e;
      }
      expect(error, "error for a short signature").to.be.instanceOf(InputError);
      expect((error as InputError).message, "message").to.equal(
        "signature: expected a 65-byte signature (or 64 bytes, EIP-2098), got 10 bytes",
      );
    });
  });

  describe("reportToJson / reportFromJson", function () {
    const signature = `0x${"ab".repeat(65)}` as Hex;

    it("writes Super Protocol's shape: created and size as numbers, ids as decimal strings, bare hex hashes", function () {
      const json = reportToJson(REPORT, { signature, tcb: { teeKey: ORDERS, benchmark: 7n } });
      expect(json, "JSON form").to.deep.equal({
        orderId: "12",
        tcb: { teeKey: ORDERS, benchmark: "7", id: "3" },
        signature,
        workloadInfo: {
          created: 1735689600,
          runtimeInfo: [
            {
              type: "Image",
              size: 32,
              hash: { algo: "sha256", hash: SOLUTION_HASH.slice(2), encoding: "hex" },
            },
            {
              type: "Data",
              size: 46,
              hash: { algo: "sha256", hash: DATASET_HASH.slice(2), encoding: "hex" },
            },
          ],
        },
      });
    });

    it("writes a size or time above 2^53 - 1 as a decimal string, which a number cannot hold, and reads it back", function () {
      const big = 2n ** 64n - 1n;
      const report = {
        ...REPORT,
        created: big,
        runtimeInfo: [{ ...REPORT.runtimeInfo[0]!, size: 2n ** 53n }],
      };
      const json = reportToJson(report, { signature });
      expect(json.workloadInfo.created, "created above 2^53 - 1").to.equal("18446744073709551615");
      expect(json.workloadInfo.runtimeInfo[0]?.size, "size of 2^53").to.equal("9007199254740992");
      const safe = reportToJson({ ...report, created: 2n ** 53n - 1n }, { signature });
      expect(safe.workloadInfo.created, "created at 2^53 - 1").to.equal(9007199254740991);
      expect(reportFromJson(JSON.stringify(json)).report, "read back exactly").to.deep.equal(report);
    });

    it("round-trips through JSON text", function () {
      const text = JSON.stringify(reportToJson(REPORT, { signature }));
      const parsed = reportFromJson(text);
      expect(parsed.report, "report").to.deep.equal(REPORT);
      expect(parsed.signature, "signature").to.equal(signature);
      expect(parsed.tcb, "tcb").to.deep.equal({ id: "3" });
    });

    it("reads numbers, type numbers and 0x-prefixed hashes too", function () {
      const json = reportToJson(REPORT, { signature }) as unknown as Record<string, unknown> & {
        workloadInfo: { created: unknown; runtimeInfo: Record<string, unknown>[] };
      };
      json["orderId"] = 12;
      json.workloadInfo.created = 1_735_689_600;
      json.workloadInfo.runtimeInfo[0]!["type"] = 0;
      (json.workloadInfo.runtimeInfo[1]!["hash"] as Record<string, unknown>)["hash"] = DATASET_HASH;
      expect(reportFromJson(json).report, "report").to.deep.equal(REPORT);
    });

    it("rejects a TCB id that contradicts the report", function () {
      expect(() => reportToJson(REPORT, { signature, tcb: { id: 4n } })).to.throw(
        InputError,
        "tcb.id: the TCB details are for TCB 4, the report for TCB 3",
      );
    });

    it("names the path of every bad field", function () {
      const cases: [string, (json: any) => void, string][] = [
        [
          "orderId",
          (j) => (j.orderId = "-1"),
          'orderId: expected a non-negative integer (uint256), got "-1"',
        ],
        ["tcb", (j) => delete j.tcb, "tcb: expected an object, got nothing"],
        ["tcb.id", (j) => (j.tcb.id = "x"), 'tcb.id: expected a non-negative integer (uint256), got "x"'],
        ["signature", (j) => (j.signature = "0x12"), "signature: expected a 65-byte signature"],
        ["created", (j) => (j.workloadInfo.created = "1.5"), "workloadInfo.created: "],
        [
          "runtimeInfo",
          (j) => (j.workloadInfo.runtimeInfo = {}),
          "workloadInfo.runtimeInfo: expected an array",
        ],
        [
          "type",
          (j) => (j.workloadInfo.runtimeInfo[1].type = "Model"),
          'workloadInfo.runtimeInfo[1].type: "Model" is not',
        ],
        ["size", (j) => (j.workloadInfo.runtimeInfo[0].size = "2e3"), "workloadInfo.runtimeInfo[0].size: "],
        [
          "algo",
          (j) => (j.workloadInfo.runtimeInfo[0].hash.algo = "md5"),
          'workloadInfo.runtimeInfo[0].hash.algo: expected "sha256"',
        ],
        [
          "encoding",
          (j) => (j.workloadInfo.runtimeInfo[0].hash.encoding = "base64"),
          "workloadInfo.runtimeInfo[0].hash.encoding: ",
        ],
        [
          "hash",
          (j) => (j.workloadInfo.runtimeInfo[1].hash.hash = "abc"),
          "workloadInfo.runtimeInfo[1].hash.hash: expected a 32-byte hash",
        ],
        [
          "entry",
          (j) => (j.workloadInfo.runtimeInfo[0] = "Image"),
          "workloadInfo.runtimeInfo[0]: expected a runtime entry object",
        ],
      ];
      for (const [label, mutate, message] of cases) {
        const json = JSON.parse(JSON.stringify(reportToJson(REPORT, { signature })));
        mutate(json);
        expect(() => reportFromJson(json), `error for a bad ${label}`).to.throw(InputError, message);
      }
    });
  });

  describe("workloadFromJson", function () {
    /** A report as Super Protocol's tools save it (`OrderReportSchema`): a certificate, no signature. */
    const superProtocolReport = {
      certificate: "-----BEGIN CERTIFICATE-----\nMIIB...\n-----END CERTIFICATE-----\n",
      workloadInfo: {
        created: 1735689600,
        runtimeInfo: [
          {
            type: "Image",
            size: 32,
            hash: { algo: "sha256", hash: SOLUTION_HASH.slice(2), encoding: "hex" },
            signatureKeyHash: { algo: "sha256", hash: "00".repeat(32), encoding: "hex" },
          },
          {
            type: "Data",
            size: 46,
            hash: { algo: "sha256", hash: DATASET_HASH.slice(2), encoding: "hex" },
            argsHash: { algo: "sha256", hash: "11".repeat(32), encoding: "hex" },
          },
        ],
        orderCapacity: {
          cpuCores: 1,
          ram: 0,
          diskUsage: 0,
          gpuCores: 0,
          vram: 0,
          bandwidth: 0,
          externalPort: 0,
          traffic: 0,
        },
      },
    };

    it("reads a Super Protocol report file, its certificate and extra entry fields aside", function () {
      expect(workloadFromJson(JSON.stringify(superProtocolReport)), "workload").to.deep.equal({
        created: REPORT.created,
        runtimeInfo: REPORT.runtimeInfo,
      });
    });

    it("reads this SDK's report file the same way", function () {
      const json = reportToJson(REPORT, { signature: `0x${"ab".repeat(65)}` });
      expect(workloadFromJson(json), "workload").to.deep.equal({
        created: REPORT.created,
        runtimeInfo: REPORT.runtimeInfo,
      });
    });

    it("names the bad field of a Super Protocol report", function () {
      const json = JSON.parse(JSON.stringify(superProtocolReport));
      json.workloadInfo.runtimeInfo[1].size = -1;
      expect(() => workloadFromJson(json), "negative size").to.throw(
        InputError,
        "workloadInfo.runtimeInfo[1].size: ",
      );
      expect(() => workloadFromJson({ certificate: "x" }), "no workloadInfo").to.throw(
        InputError,
        "workloadInfo: expected an object, got nothing",
      );
    });
  });
});
