/**
 * verifyQuote on real Intel quotes under Intel's root: the verdicts inside the collateral's window,
 * at today's date and at its edges, and every tampering an attacker with public data can try.
 */
import { expect } from "chai";
import { keccak256, type Hex } from "viem";

import { InputError } from "../../src/errors.js";
import {
  type QuoteCollateral,
  readQuote,
  registryMeasurement,
  reportDataBinding,
  toCollateral,
  verifyQuote,
} from "../../src/dcap/index.js";
import { createTestPki } from "../../../mocks/testPki.js";
import { dcapSample, flipByte, refusedWith } from "../support/dcap.js";

/** Offsets in a TDX quote v4: header 48 bytes, TD report 584, then the signature data. */
const TDX = { mrTd: 184, reportData: 568, signature: 636, attestationKey: 700, qeReport: 770 } as const;
/** Offsets in an SGX quote v3: header 48 bytes, enclave report 384, then the signature data. */
const SGX = { mrEnclave: 112, signature: 436 } as const;

const TODAY = new Date("2026-12-01T00:00:00Z");

describe("dcap: verifyQuote on real Intel quotes", function () {
  const tdx = dcapSample("tdx_quote");
  const sgx = dcapSample("sgx_quote");
  const outdated = dcapSample("tdx_quote_outdated");

  /** The collateral of a sample with one field replaced. */
  function edited(collateral: string, field: keyof QuoteCollateral, value: string): QuoteCollateral {
    return { ...toCollateral(collateral), [field]: value };
  }

  describe("verdicts inside the collateral's window", function () {
    it("the TDX quote is UpToDate with no advisory, and says what it measures", async function () {
      const verified = await verifyQuote(tdx.quote, tdx.collateral, { at: tdx.at });
      expect(verified.status, "status").to.equal("UpToDate");
      expect(verified.advisoryIds, "advisories").to.deep.equal([]);
      expect(verified.teeType, "TEE type").to.equal("TDX");
      expect(verified.version, "quote version").to.equal(4);
      expect(verified.debug, "debug").to.equal(false);
      expect(verified.reportData, "report data (64 bytes)").to.match(/^0x[0-9a-f]{128}$/);
      if (verified.teeType !== "TDX") throw new Error("not TDX");
      for (const register of ["mrTd", "rtmr0", "rtmr1", "rtmr2", "rtmr3"] as const) {
        expect(verified.measurement[register], register).to.match(/^0x[0-9a-f]{96}$/);
      }
      const { mrTd, rtmr0, rtmr1, rtmr2, rtmr3 } = verified.measurement;
      expect(verified.registryMeasurement, "registry measurement").to.equal(
        keccak256(`0x${[mrTd, rtmr0, rtmr1, rtmr2, rtmr3].map((m) => m.slice(2)).join("")}`),
      );
      // The PCK CRL is due first (2025-07-19T10:00:35Z), before the TCB info (10:16:03Z).
      expect(verified.collateralValidUntil, "collateral valid until").to.equal(
        Date.parse("2025-07-19T10:00:35Z") / 1000,
      );
    });

    it("the SGX quote is ConfigurationAndSWHardeningNeeded with 2 advisories", async function () {
      const verified = await verifyQuote(sgx.quote, sgx.collateral, { at: sgx.at });
      expect(verified.status, "status").to.equal("ConfigurationAndSWHardeningNeeded");
      expect(verified.advisoryIds, "advisories").to.have.members(["INTEL-SA-00289", "INTEL-SA-00615"]);
      expect(verified.teeType, "TEE type").to.equal("SGX");
      expect(verified.version, "quote version").to.equal(3);
      if (verified.teeType !== "SGX") throw new Error("not SGX");
      expect(verified.measurement.mrEnclave, "MRENCLAVE").to.match(/^0x[0-9a-f]{64}$/);
      expect(verified.measurement.mrSigner, "MRSIGNER").to.match(/^0x[0-9a-f]{64}$/);
      expect(verified.registryMeasurement, "registry measurement is MRENCLAVE").to.equal(
        verified.measurement.mrEnclave,
      );
    });

    it("the out-of-date TDX platform (quote v5) has no TCB level: TcbLevelNotFound", async function () {
      expect(readQuote(outdated.quote).version, "quote version").to.equal(5);
      await refusedWith(
        verifyQuote(outdated.quote, outdated.collateral, { at: outdated.at }),
        "TcbLevelNotFound",
      );
    });
  });

  describe("time", function () {
    it("at today's date every sample is refused as expired", async function () {
      for (const sample of [tdx, sgx, outdated]) {
        await refusedWith(verifyQuote(sample.quote, sample.collateral, { at: TODAY }), "CollateralExpired");
      }
    });

    it("without `at` it verifies now, so the samples are expired", async function () {
      await refusedWith(verifyQuote(tdx.quote, tdx.collateral), "CollateralExpired");
    });

    it("before the TCB info's issueDate it is not yet valid; at the issueDate it verifies", async function () {
      const issued = Date.parse(tdx.tcbInfo.issueDate) / 1000;
      await refusedWith(verifyQuote(tdx.quote, tdx.collateral, { at: issued - 1 }), "CollateralNotYetValid");
      // The QE identity was issued 16 minutes after the TCB info.
      const qeIssued = Date.parse("2025-06-19T10:32:27Z") / 1000;
      await refusedWith(
        verifyQuote(tdx.quote, tdx.collateral, { at: qeIssued - 1 }),
        "CollateralNotYetValid",
      );
      expect((await verifyQuote(tdx.quote, tdx.collateral, { at: qeIssued })).status, "at issue").to.equal(
        "UpToDate",
      );
    });

    it("a CRL past its nextUpdate is expired although the TCB info is still current", async function () {
      const crlNext = Date.parse("2025-07-19T10:00:35Z") / 1000;
      expect(Date.parse(tdx.tcbInfo.nextUpdate) / 1000, "TCB info due later").to.be.greaterThan(crlNext + 1);
      const last = await verifyQuote(tdx.quote, tdx.collateral, { at: crlNext });
      expect(last.status, "at the CRL's nextUpdate").to.equal("UpToDate");
      const error = await refusedWith(
        verifyQuote(tdx.quote, tdx.collateral, { at: crlNext + 1 }),
        "CollateralExpired",
      );
      expect(error.message, "names the CRL").to.include("pck_crl");
    });

    it("accepts a Date, unix seconds and a bigint, and refuses anything else before verifying", async function () {
      for (const at of [new Date(tdx.at * 1000), tdx.at, BigInt(tdx.at)]) {
        expect((await verifyQuote(tdx.quote, tdx.collateral, { at })).status, `at ${String(at)}`).to.equal(
          "UpToDate",
        );
      }
      for (const at of [Number.NaN, -1, "2025-06-19" as unknown as number]) {
        await verifyQuote(tdx.quote, tdx.collateral, { at }).then(
          () => expect.fail(`at ${String(at)} accepted`),
          (error: unknown) =>
            expect(error, `at ${String(at)}`)
              .to.be.instanceOf(InputError)
              .with.property("field", "at"),
        );
      }
    });
  });

  describe("tampering with the quote", function () {
    it("a byte of the TD's measurement or report data: QuoteSignatureInvalid", async function () {
      for (const offset of [TDX.mrTd, TDX.reportData, TDX.reportData + 63]) {
        await refusedWith(
          verifyQuote(flipByte(tdx.quote, offset), tdx.collateral, { at: tdx.at }),
          "QuoteSignatureInvalid",
        );
      }
      await refusedWith(
        verifyQuote(flipByte(sgx.quote, SGX.mrEnclave), sgx.collateral, { at: sgx.at }),
        "QuoteSignatureInvalid",
      );
    });

    it("a byte of the quote's signature: QuoteSignatureInvalid", async function () {
      await refusedWith(
        verifyQuote(flipByte(tdx.quote, TDX.signature + 10), tdx.collateral, { at: tdx.at }),
        "QuoteSignatureInvalid",
      );
      await refusedWith(
        verifyQuote(flipByte(sgx.quote, SGX.signature + 40), sgx.collateral, { at: sgx.at }),
        "QuoteSignatureInvalid",
      );
    });

    it("another attestation key (to sign altered bodies with it): QeReportHashMismatch", async function () {
      await refusedWith(
        verifyQuote(flipByte(tdx.quote, TDX.attestationKey + 5), tdx.collateral, { at: tdx.at }),
        "QeReportHashMismatch",
      );
    });

    it("a byte of the quoting enclave's report: QeReportSignatureInvalid", async function () {
      await refusedWith(
        verifyQuote(flipByte(tdx.quote, TDX.qeReport + 130), tdx.collateral, { at: tdx.at }),
        "QeReportSignatureInvalid",
      );
    });

    it("a truncated quote is MalformedQuote, another version UnsupportedQuote", async function () {
      await refusedWith(
        verifyQuote(tdx.quote.slice(0, 700), tdx.collateral, { at: tdx.at }),
        "MalformedQuote",
      );
      const v2 = tdx.quote.slice();
      v2[0] = 2;
      await refusedWith(verifyQuote(v2, tdx.collateral, { at: tdx.at }), "UnsupportedQuote");
    });

    it("a quote over the registry's 16384-byte cap is an InputError before any check", async function () {
      const big = new Uint8Array(16385);
      big.set(tdx.quote);
      await verifyQuote(big, tdx.collateral, { at: tdx.at }).then(
        () => expect.fail("accepted"),
        (error: unknown) =>
          expect(error, "error").to.be.instanceOf(InputError).with.property("field", "quote"),
      );
      const atCap = new Uint8Array(16384);
      atCap.set(tdx.quote);
      expect((await verifyQuote(atCap, tdx.collateral, { at: tdx.at })).status, "16384 bytes").to.equal(
        "UpToDate",
      );
    });
  });

  describe("tampering with the collateral", function () {
    it("TCB info edited to raise a level's status: TcbInfoSignatureInvalid", async function () {
      const tcbInfo = toCollateral(tdx.collateral).tcb_info;
      expect(tcbInfo, "has an OutOfDate level").to.include('"tcbStatus":"OutOfDate"');
      const upgraded = tcbInfo.replaceAll('"tcbStatus":"OutOfDate"', '"tcbStatus":"UpToDate"');
      await refusedWith(
        verifyQuote(tdx.quote, edited(tdx.collateral, "tcb_info", upgraded), { at: tdx.at }),
        "TcbInfoSignatureInvalid",
      );
    });

    it("TCB info edited to extend its window to today: TcbInfoSignatureInvalid", async function () {
      const tcbInfo = toCollateral(tdx.collateral).tcb_info;
      const extended = tcbInfo.replace(tdx.tcbInfo.nextUpdate, "2027-07-19T10:16:03Z");
      await refusedWith(
        verifyQuote(tdx.quote, edited(tdx.collateral, "tcb_info", extended), { at: TODAY }),
        "TcbInfoSignatureInvalid",
      );
    });

    it("QE identity edited: QeIdentitySignatureInvalid", async function () {
      const qeIdentity = toCollateral(tdx.collateral).qe_identity;
      const edit = qeIdentity.replace('"isvprodid":2', '"isvprodid":3');
      expect(edit, "edited").to.not.equal(qeIdentity);
      await refusedWith(
        verifyQuote(tdx.quote, edited(tdx.collateral, "qe_identity", edit), { at: tdx.at }),
        "QeIdentitySignatureInvalid",
      );
    });

    it("a CRL with an altered signature: CrlInvalid (the library alone does not check CRL signatures)", async function () {
      const collateral = toCollateral(tdx.collateral);
      for (const field of ["pck_crl", "root_ca_crl"] as const) {
        const hex = collateral[field];
        const last = (parseInt(hex.slice(-2), 16) ^ 1).toString(16).padStart(2, "0");
        await refusedWith(
          verifyQuote(tdx.quote, edited(tdx.collateral, field, hex.slice(0, -2) + last), { at: tdx.at }),
          "CrlInvalid",
        );
      }
    });

    it("another CA's CRL (one that cannot list this PCK): CrlInvalid", async function () {
      // The SGX sample's PCK CRL is the Processor CA's; the TDX quote's PCK is the Platform CA's.
      const foreign = toCollateral(sgx.collateral).pck_crl;
      await refusedWith(
        verifyQuote(tdx.quote, edited(tdx.collateral, "pck_crl", foreign), { at: tdx.at }),
        "CrlInvalid",
      );
    });

    it("collateral of another platform and TEE type: CollateralMismatch", async function () {
      await refusedWith(verifyQuote(tdx.quote, sgx.collateral, { at: tdx.at }), "CollateralMismatch");
    });

    it("a TCB signing chain under another root: UntrustedRoot", async function () {
      const pki = createTestPki({ issuedAt: new Date(tdx.at * 1000) });
      const testChain = pki.tcbSigning.pem + pki.rootCaPem;
      await refusedWith(
        verifyQuote(tdx.quote, edited(tdx.collateral, "tcb_info_issuer_chain", testChain), { at: tdx.at }),
        "UntrustedRoot",
      );
    });

    it("a malformed field is an InputError naming it", async function () {
      for (const [field, value] of [
        ["tcb_info", 42],
        ["pck_crl", "not hex"],
        ["qe_identity_issuer_chain", "no certificate"],
      ] as const) {
        const collateral = { ...toCollateral(tdx.collateral), [field]: value } as unknown as QuoteCollateral;
        await verifyQuote(tdx.quote, collateral, { at: tdx.at }).then(
          () => expect.fail(`${field} accepted`),
          (error: unknown) =>
            expect(error, field).to.be.instanceOf(InputError).with.property("field", `collateral.${field}`),
        );
      }
    });
  });

  describe("the trusted root", function () {
    it("Intel's quotes are refused under another root: UntrustedRoot", async function () {
      const pki = createTestPki({ issuedAt: new Date(tdx.at * 1000) });
      const error = await refusedWith(
        verifyQuote(tdx.quote, tdx.collateral, { at: tdx.at, rootCa: pki.rootCaPem }),
        "UntrustedRoot",
      );
      expect(error.compared["endsAt"], "the chain's root").to.equal("Intel SGX Root CA");
    });

    it("Intel's root passed explicitly, as PEM or DER, is the default's", async function () {
      const pem = toCollateral(tdx.collateral).tcb_info_issuer_chain.split(
        /(?=-----BEGIN CERTIFICATE-----)/,
      )[1]!;
      const der = new Uint8Array(Buffer.from(pem.replace(/-----[A-Z ]+-----|\s/g, ""), "base64"));
      for (const [form, rootCa] of [
        ["PEM", pem],
        ["DER", der],
      ] as const) {
        const verified = await verifyQuote(tdx.quote, tdx.collateral, { at: tdx.at, rootCa });
        expect(verified.status, `status with Intel's root as ${form}`).to.equal("UpToDate");
      }
    });

    it("a root that is not one certificate is an InputError before any check", async function () {
      for (const rootCa of ["no certificate", new Uint8Array([0x30, 0x03, 0x02, 0x01, 0x01])]) {
        const error = await verifyQuote(tdx.quote, tdx.collateral, { at: tdx.at, rootCa }).catch(
          (e: unknown) => e,
        );
        expect(error, `rootCa ${String(rootCa)}`)
          .to.be.instanceOf(InputError)
          .with.property("field", "rootCa");
      }
    });
  });

  describe("the report data binding", function () {
    it("a quote made for other keys: ReportDataMismatch with both values", async function () {
      const expected: Hex = `0x${"11".repeat(32)}`;
      const mismatch = await refusedWith(
        verifyQuote(tdx.quote, tdx.collateral, { at: tdx.at, expectedReportData: expected }),
        "ReportDataMismatch",
      );
      expect(mismatch.compared["expected"], "expected").to.equal(`${expected}${"0".repeat(64)}`);
      expect(mismatch.compared["actual"], "actual").to.equal(readQuote(tdx.quote).reportData);
    });

    it("the expected value must be 32 bytes", async function () {
      await verifyQuote(tdx.quote, tdx.collateral, { at: tdx.at, expectedReportData: "0x1234" }).then(
        () => expect.fail("accepted"),
        (error: unknown) =>
          expect(error, "error").to.be.instanceOf(InputError).with.property("field", "expectedReportData"),
      );
    });
  });

  describe("readQuote, registryMeasurement, reportDataBinding", function () {
    it("readQuote says what verifyQuote proves, without verifying", async function () {
      const read = readQuote(tdx.quote);
      const {
        status,
        advisoryIds,
        registryMeasurement: measured,
        collateralValidUntil,
        ...proven
      } = await verifyQuote(tdx.quote, tdx.collateral, { at: tdx.at });
      expect(read, "read = proven").to.deep.equal(proven);
      expect(registryMeasurement(read), "registry measurement").to.equal(measured);
      expect([status, advisoryIds.length, collateralValidUntil > 0], "verified extras").to.deep.equal([
        "UpToDate",
        0,
        true,
      ]);
      expect(readQuote(flipByte(tdx.quote, TDX.signature)).reportData, "reads a forged quote too").to.equal(
        read.reportData,
      );
    });

    it("reportDataBinding is the first half when the second half is zero", function () {
      const outdatedData = readQuote(outdated.quote).reportData;
      expect(reportDataBinding(outdatedData), "zero-padded").to.equal(outdatedData.slice(0, 66));
      expect(reportDataBinding(readQuote(tdx.quote).reportData), "64 bytes of data").to.equal(undefined);
      expect(() => reportDataBinding(`0x${"00".repeat(32)}`), "32 bytes")
        .to.throw(InputError)
        .with.property("field", "reportData");
    });
  });
});
