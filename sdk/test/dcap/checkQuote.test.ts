/**
 * checkQuote: a TCB's quote as named checks (quoteGenuine, tcbStatus, measurementExpected), the
 * way reports.verify reports its checks.
 */
import { expect } from "chai";
import { keccak256, stringToHex } from "viem";

import { checkQuote } from "../../src/dcap/index.js";
import { InputError } from "../../src/errors.js";
import { TEST_TD_MEASUREMENT, TEST_TD_REGISTRY_MEASUREMENT, buildTdxQuote } from "../../../mocks/tdxQuote.js";
import { TEST_TEE_TCB_SVN, createTestPki } from "../../../mocks/testPki.js";
import { dcapSample, flipByte } from "../support/dcap.js";

const BINDING = keccak256(stringToHex("binding"));

describe("dcap: checkQuote", function () {
  const pki = createTestPki();
  const collateral = pki.collateral();
  const trustTest = { rootCa: pki.rootCaPem, expectedReportData: BINDING };
  const names = (checks: { name: string; ok: boolean }[]) =>
    checks.map((c) => `${c.name}:${c.ok ? "ok" : "FAIL"}`);

  it("a genuine UpToDate quote with an expected measurement passes all three checks", async function () {
    const quote = buildTdxQuote(pki, { reportData: BINDING });
    for (const measurement of [TEST_TD_REGISTRY_MEASUREMENT, TEST_TD_MEASUREMENT.mrTd]) {
      const result = await checkQuote(quote, collateral, { ...trustTest, measurements: [measurement] });
      expect(
        names(result.checks),
        `checks with ${measurement.length === 66 ? "registry measurement" : "MRTD"}`,
      ).to.deep.equal(["quoteGenuine:ok", "tcbStatus:ok", "measurementExpected:ok"]);
      expect(result.ok, "ok").to.equal(true);
      expect(result.verified?.status, "verified quote").to.equal("UpToDate");
    }
  });

  it("without measurements there is no measurementExpected check", async function () {
    const result = await checkQuote(buildTdxQuote(pki, { reportData: BINDING }), collateral, trustTest);
    expect(names(result.checks), "checks").to.deep.equal(["quoteGenuine:ok", "tcbStatus:ok"]);
  });

  it("a status you do not accept fails tcbStatus, naming the status and its advisories", async function () {
    const quote = buildTdxQuote(pki, { reportData: BINDING, teeTcbSvn: TEST_TEE_TCB_SVN.OutOfDate });
    const refused = await checkQuote(quote, collateral, trustTest);
    expect(names(refused.checks), "default accepts UpToDate only").to.deep.equal([
      "quoteGenuine:ok",
      "tcbStatus:FAIL",
    ]);
    expect(refused.checks[1]?.detail, "detail").to.match(
      /OutOfDate \(INTEL-SA-TEST-0001, INTEL-SA-TEST-0002\); you accept UpToDate/,
    );
    const accepted = await checkQuote(quote, collateral, {
      ...trustTest,
      acceptStatuses: ["UpToDate", "OutOfDate"],
    });
    expect(accepted.ok, "accepted when listed").to.equal(true);
  });

  it("a measurement you do not expect fails measurementExpected, whatever the registry allows", async function () {
    const quote = buildTdxQuote(pki, { reportData: BINDING });
    const result = await checkQuote(quote, collateral, { ...trustTest, measurements: [keccak256("0x01")] });
    expect(names(result.checks), "checks").to.deep.equal([
      "quoteGenuine:ok",
      "tcbStatus:ok",
      "measurementExpected:FAIL",
    ]);
    expect(result.ok, "ok").to.equal(false);
  });

  it("a quote that does not verify fails quoteGenuine with its reason; the others are not evaluated", async function () {
    const quote = flipByte(buildTdxQuote(pki, { reportData: BINDING }), 200);
    const result = await checkQuote(quote, collateral, {
      ...trustTest,
      measurements: [TEST_TD_REGISTRY_MEASUREMENT],
    });
    expect(names(result.checks), "checks").to.deep.equal([
      "quoteGenuine:FAIL",
      "tcbStatus:FAIL",
      "measurementExpected:FAIL",
    ]);
    expect(result.checks[0]?.detail, "reason").to.match(/^QuoteSignatureInvalid: /);
    expect(result.checks[1]?.detail, "not evaluated").to.include("not evaluated");
    expect(result.verified, "no verified quote").to.equal(undefined);
  });

  it("the real SGX sample: genuine, ConfigurationAndSWHardeningNeeded, MRENCLAVE as measurement", async function () {
    const sgx = dcapSample("sgx_quote");
    const first = await checkQuote(sgx.quote, sgx.collateral, { at: sgx.at });
    const mrEnclave = first.verified?.teeType === "SGX" ? first.verified.measurement.mrEnclave : "0x";
    const result = await checkQuote(sgx.quote, sgx.collateral, {
      at: sgx.at,
      acceptStatuses: ["ConfigurationAndSWHardeningNeeded"],
      measurements: [mrEnclave],
    });
    expect(names(result.checks), "checks").to.deep.equal([
      "quoteGenuine:ok",
      "tcbStatus:ok",
      "measurementExpected:ok",
    ]);
  });

  it("bad options are InputErrors before anything is checked", async function () {
    const quote = buildTdxQuote(pki, { reportData: BINDING });
    for (const [options, field] of [
      [{ measurements: ["0x1234"] }, "measurements[0]"],
      [{ acceptStatuses: ["Fine"] }, "acceptStatuses[0]"],
    ] as const) {
      const error = await checkQuote(quote, collateral, { ...trustTest, ...(options as object) }).catch(
        (e: unknown) => e,
      );
      expect(error, field).to.be.instanceOf(InputError).with.property("field", field);
    }
  });
});
