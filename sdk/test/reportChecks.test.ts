import { expect } from "chai";
import { type Hex, zeroHash } from "viem";
import { privateKeyToAccount } from "viem/accounts";

import {
  type OrderReport,
  OrderStatus,
  type ReportEvidence,
  RuntimeType,
  checkReportEvidence,
  checkRuntimeInfo,
  orderReportDomain,
  orderReportHash,
  signOrderReport,
} from "../src/index.js";

const SOLUTION_HASH = "0xb9de3d23d309364f3b8bbe7a76fcd9037fb12d6c984e5bd33e26fa3a66e21895";
const DATASET_HASH = "0x8598805cd2136a4beff17559a7228854f6a8cc0b027856ea5c196fb8d0602501";
const ORDERS = "0x5FbDB2315678afecb367f032d93F642f64180aa3";
const TEE_KEY: Hex = "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d";
const domain = orderReportDomain(5611, ORDERS);

const REPORT: OrderReport = {
  orderId: 12n,
  tcbId: 3n,
  created: 1_735_689_600n,
  runtimeInfo: [
    { runtimeType: RuntimeType.Image, size: 32n, hash: SOLUTION_HASH },
    { runtimeType: RuntimeType.Data, size: 46n, hash: DATASET_HASH },
  ],
};

/** Evidence of a genuine report, as a node would give it: every check passes. */
async function genuine(): Promise<ReportEvidence> {
  return {
    order: {
      id: 12n,
      status: OrderStatus.Done,
      teeOfferId: 2n,
      teeKey: privateKeyToAccount(TEE_KEY).address,
      solutionHash: SOLUTION_HASH,
      reportBlock: 100n,
    },
    suborders: [{ id: 13n, dataHash: DATASET_HASH }],
    publication: {
      report: REPORT,
      signature: await signOrderReport(TEE_KEY, domain, REPORT),
      reportHash: orderReportHash(REPORT),
      blockNumber: 100n,
      logIndex: 4,
      transactionHash: `0x${"77".repeat(32)}`,
      blockTime: 1_735_689_700n,
    },
    tcb: {
      id: 3n,
      teeKey: privateKeyToAccount(TEE_KEY).address,
      teeOfferId: 2n,
      addedAt: 1_735_680_000,
      validUntil: 1_738_000_000,
      revokedBlock: 0n,
      measurement: `0x${"aa".repeat(32)}`,
    },
    revocationLogIndex: undefined,
    measurementAllowed: true,
    domain,
    expected: { solutionHash: SOLUTION_HASH, dataHashes: [DATASET_HASH] },
  };
}

function failed(evidence: ReportEvidence): string[] {
  return checkReportEvidence(evidence)
    .checks.filter((c) => !c.ok)
    .map((c) => c.name);
}

describe("checkReportEvidence: the pure report check", function () {
  it("passes every check of a genuine report, synchronously (a result, not a promise)", async function () {
    const result = checkReportEvidence(await genuine());
    expect(result, "result").not.to.be.instanceOf(Promise);
    expect(
      result.checks.map((c) => c.name),
      "checks, in order",
    ).to.deep.equal([
      "reportPublished",
      "reportHash",
      "signature",
      "tcbOfOrderEnclave",
      "tcbValidAtPublication",
      "measurementAllowed",
      "imageIsCommittedSolution",
      "imageIsExpectedSolution",
      "pinnedDataHashes",
      "expectedDataHashes",
    ]);
    expect(result.ok, `ok (${JSON.stringify(result.checks.filter((c) => !c.ok))})`).to.equal(true);
  });

  it("an order without a report fails reportPublished alone", async function () {
    const evidence = await genuine();
    const result = checkReportEvidence({ ...evidence, order: { ...evidence.order, reportBlock: 0n } });
    expect(result.checks, "checks").to.have.length(1);
    expect(result.checks[0], "reportPublished").to.include({ name: "reportPublished", ok: false });
  });

  it("a report other than the one the contract emitted fails reportHash and signature (a forged report)", async function () {
    const evidence = await genuine();
    const forged = { ...REPORT, created: REPORT.created + 1n };
    const names = failed({
      ...evidence,
      publication: { ...evidence.publication!, report: forged },
    });
    expect(names, "failed checks").to.deep.equal(["reportHash", "signature"]);
  });

  it("a report the enclave signed but did not publish fails reportHash alone: it must hash to the event's reportHash", async function () {
    const evidence = await genuine();
    // A second report the order's enclave signed (another runtime, a later time) and handed out
    // instead of the one it published: the signature and every other check pass.
    const unpublished: OrderReport = {
      ...REPORT,
      created: REPORT.created + 60n,
      runtimeInfo: [
        { runtimeType: RuntimeType.Image, size: 64n, hash: SOLUTION_HASH },
        ...REPORT.runtimeInfo.slice(1),
      ],
    };
    const result = checkReportEvidence({
      ...evidence,
      publication: {
        ...evidence.publication!,
        report: unpublished,
        signature: await signOrderReport(TEE_KEY, domain, unpublished),
      },
    });
    expect(
      result.checks.filter((c) => !c.ok).map((c) => c.name),
      "failed checks",
    ).to.deep.equal(["reportHash"]);
    expect(result.checks.find((c) => c.name === "reportHash")?.detail, "reportHash detail").to.equal(
      `the report hashes to ${orderReportHash(unpublished)}, the contract emitted ${orderReportHash(REPORT)} at block 100`,
    );
  });

  it("an event whose reportHash is not the report's fails reportHash alone; the same hash in capitals passes", async function () {
    const evidence = await genuine();
    const publication = evidence.publication!;
    expect(
      failed({ ...evidence, publication: { ...publication, reportHash: `0x${"ab".repeat(32)}` } }),
      "another emitted hash",
    ).to.deep.equal(["reportHash"]);
    expect(
      failed({ ...evidence, publication: { ...publication, reportHash: zeroHash } }),
      "a zero emitted hash",
    ).to.deep.equal(["reportHash"]);
    const upper = `0x${orderReportHash(REPORT).slice(2).toUpperCase()}` as Hex;
    const result = checkReportEvidence({ ...evidence, publication: { ...publication, reportHash: upper } });
    expect(result.ok, "the emitted hash in capitals").to.equal(true);
    expect(result.checks.find((c) => c.name === "reportHash")?.detail, "reportHash detail").to.equal(
      `the report hashes to the emitted ${orderReportHash(REPORT)}`,
    );
  });

  it("a report of another order, though it hashes to the event's reportHash, fails reportHash", async function () {
    const evidence = await genuine();
    const other: OrderReport = { ...REPORT, orderId: 13n };
    const result = checkReportEvidence({
      ...evidence,
      publication: {
        ...evidence.publication!,
        report: other,
        signature: await signOrderReport(TEE_KEY, domain, other),
        reportHash: orderReportHash(other),
      },
    });
    const check = result.checks.find((c) => c.name === "reportHash");
    expect(check, "reportHash").to.deep.equal({
      name: "reportHash",
      ok: false,
      detail: "the report names order 13, not 12",
    });
  });

  it("a signature by another key fails signature alone", async function () {
    const evidence = await genuine();
    const other = await signOrderReport(`0x${"12".repeat(32)}`, domain, REPORT);
    expect(
      failed({ ...evidence, publication: { ...evidence.publication!, signature: other } }),
    ).to.deep.equal(["signature"]);
    expect(
      failed({ ...evidence, publication: { ...evidence.publication!, signature: "0x1234" } }),
      "a malformed signature is a failed check, not an exception",
    ).to.deep.equal(["signature"]);
  });

  it("a revocation before the report (an earlier block, or the same block and an earlier log) fails tcbValidAtPublication; one after does not", async function () {
    const evidence = await genuine();
    const revokedAt = (block: bigint) => ({ ...evidence.tcb!, revokedBlock: block });
    expect(failed({ ...evidence, tcb: revokedAt(99n) }), "revoked a block before").to.deep.equal([
      "tcbValidAtPublication",
    ]);
    expect(
      failed({ ...evidence, tcb: revokedAt(100n), revocationLogIndex: 3 }),
      "revoked in the report's block, before it",
    ).to.deep.equal(["tcbValidAtPublication"]);
    expect(
      failed({ ...evidence, tcb: revokedAt(100n), revocationLogIndex: undefined }),
      "revoked in the report's block, order unknown: not trusted",
    ).to.deep.equal(["tcbValidAtPublication"]);
    for (const [label, later] of [
      ["the same block, a later log", { ...evidence, tcb: revokedAt(100n), revocationLogIndex: 5 }],
      ["a later block", { ...evidence, tcb: revokedAt(101n) }],
    ] as const) {
      const result = checkReportEvidence(later);
      expect(result.ok, `revoked later: ${label}`).to.equal(true);
      expect(
        result.checks.find((c) => c.name === "tcbValidAtPublication")?.detail,
        `detail: ${label}`,
      ).to.include("revoked later");
    }
  });

  it("a TCB of another key than the order's enclave, or a report naming another TCB, fails tcbOfOrderEnclave", async function () {
    const evidence = await genuine();
    const other = privateKeyToAccount(`0x${"12".repeat(32)}`).address;
    expect(
      failed({ ...evidence, tcb: { ...evidence.tcb!, teeKey: other } }),
      "another key's TCB",
    ).to.deep.equal(["tcbOfOrderEnclave"]);
    expect(
      failed({ ...evidence, tcb: { ...evidence.tcb!, id: 4n } }),
      "evidence of another TCB",
    ).to.deep.equal(["tcbOfOrderEnclave"]);
    expect(
      failed({ ...evidence, order: { ...evidence.order, teeKey: other } }),
      "an order bound to another enclave: the signature and the TCB are not its",
    ).to.deep.equal(["signature", "tcbOfOrderEnclave"]);
  });

  it("appends the quote's checks when given, failing with them", async function () {
    const evidence = await genuine();
    const quoteChecks = [
      { name: "quoteGenuine", ok: true, detail: "genuine" },
      { name: "tcbStatus", ok: false, detail: "OutOfDate" },
    ] as const;
    const result = checkReportEvidence({ ...evidence, quoteChecks });
    expect(
      result.checks.map((c) => c.name).slice(5, 8),
      "the quote checks follow measurementAllowed",
    ).to.deep.equal(["measurementAllowed", "quoteGenuine", "tcbStatus"]);
    expect(failed({ ...evidence, quoteChecks }), "failing").to.deep.equal(["tcbStatus"]);
  });

  it("an expired TCB, a disallowed measurement, another TEE offer each fail their own check", async function () {
    const evidence = await genuine();
    expect(failed({ ...evidence, tcb: { ...evidence.tcb!, validUntil: 1_735_689_700 } })).to.deep.equal([
      "tcbValidAtPublication",
    ]);
    expect(failed({ ...evidence, measurementAllowed: false })).to.deep.equal(["measurementAllowed"]);
    expect(failed({ ...evidence, tcb: { ...evidence.tcb!, teeOfferId: 9n } })).to.deep.equal([
      "tcbOfOrderEnclave",
    ]);
  });

  it("checks the Image against the committed and the expected solution, the Data against pins and expectations", async function () {
    const evidence = await genuine();
    const other: Hex = `0x${"ee".repeat(32)}`;
    expect(
      failed({ ...evidence, expected: { solutionHash: other } }),
      "another expected solution",
    ).to.deep.equal(["imageIsExpectedSolution"]);
    expect(failed({ ...evidence, order: { ...evidence.order, solutionHash: other } })).to.deep.equal([
      "imageIsCommittedSolution",
    ]);
    expect(failed({ ...evidence, suborders: [{ id: 13n, dataHash: other }] })).to.deep.equal([
      "pinnedDataHashes",
    ]);
    expect(
      failed({ ...evidence, suborders: [{ id: 13n, dataHash: zeroHash }] }),
      "nothing pinned",
    ).to.deep.equal([]);
    expect(failed({ ...evidence, expected: { dataHashes: [other] } })).to.deep.equal(["expectedDataHashes"]);
  });

  describe("checkRuntimeInfo", function () {
    const other: Hex = `0x${"ee".repeat(32)}`;

    it("passes the report's own Image and Data hashes, given in either case", function () {
      const checks = checkRuntimeInfo(REPORT.runtimeInfo, {
        solutionHash: SOLUTION_HASH.toUpperCase().replace("0X", "0x") as Hex,
        dataHashes: [DATASET_HASH],
      });
      expect(
        checks.map((c) => [c.name, c.ok]),
        "checks",
      ).to.deep.equal([
        ["imageIsExpectedSolution", true],
        ["expectedDataHashes", true],
      ]);
    });

    it("fails another solution, a missing dataset, and a report with two Image entries", function () {
      const [solution, data] = checkRuntimeInfo(REPORT.runtimeInfo, {
        solutionHash: other,
        dataHashes: [DATASET_HASH, other],
      });
      expect(solution, "another solution").to.include({ name: "imageIsExpectedSolution", ok: false });
      expect(solution?.detail, "detail").to.include(`you expect ${other}`);
      expect(data, "a missing dataset").to.include({ name: "expectedDataHashes", ok: false });
      expect(data?.detail, "detail").to.equal(`missing Data entries: ${other}`);
      const twoImages = [...REPORT.runtimeInfo, { runtimeType: RuntimeType.Image, size: 1n, hash: other }];
      const [image] = checkRuntimeInfo(twoImages, { solutionHash: SOLUTION_HASH });
      expect(image, "two Image entries").to.include({ ok: false });
      expect(image?.detail, "detail").to.include("2 Image entries");
    });

    it("checks nothing that is not expected", function () {
      expect(checkRuntimeInfo(REPORT.runtimeInfo, {}), "no expectations").to.deep.equal([]);
    });
  });
});
