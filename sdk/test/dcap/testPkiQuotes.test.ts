/**
 * verifyQuote on the stand-in platform's quotes (mocks/testPki.ts, mocks/tdxQuote.ts): real TDX v4
 * quotes carrying our report data, signed under a test root. The same verifier runs; only the root
 * differs. These cover what the real samples cannot: the registry's binding, every TCB status, a
 * revoked PCK, a debug TD, a debug quoting enclave, the TDX module identity.
 */
import { expect } from "chai";
import { type Hex, keccak256, stringToHex } from "viem";

import { registryMeasurement, verifyQuote } from "../../src/dcap/index.js";
import { TEST_TD_MEASUREMENT, TEST_TD_REGISTRY_MEASUREMENT, buildTdxQuote } from "../../../mocks/tdxQuote.js";
import { TEST_ADVISORIES, TEST_TEE_TCB_SVN, type TestPki, createTestPki } from "../../../mocks/testPki.js";
import { refusedWith } from "../support/dcap.js";

const BINDING: Hex = keccak256(
  stringToHex("registry binding of chain, registry, offer, TEE key, public key"),
);

describe("dcap: verifyQuote on the stand-in platform's quotes (test root)", function () {
  let pki: TestPki;
  let at: number;
  before(function () {
    pki = createTestPki({ issuedAt: new Date("2026-01-01T00:00:00Z") });
    at = pki.issuedAt.getTime() / 1000 + 3600;
  });
  const trustTest = () => ({ at, rootCa: pki.rootCaPem });

  it("a quote with the registry's binding verifies under the test root, UpToDate", async function () {
    const quote = buildTdxQuote(pki, { reportData: BINDING });
    const verified = await verifyQuote(quote, pki.collateral(), {
      ...trustTest(),
      expectedReportData: BINDING,
    });
    expect(verified.status, "status").to.equal("UpToDate");
    expect(verified.teeType, "TEE type").to.equal("TDX");
    expect(verified.version, "version").to.equal(4);
    expect(verified.reportData, "report data").to.equal(`${BINDING}${"0".repeat(64)}`);
    expect(verified.measurement, "measurement").to.deep.equal(TEST_TD_MEASUREMENT);
    expect(verified.registryMeasurement, "registry measurement").to.equal(TEST_TD_REGISTRY_MEASUREMENT);
    expect(registryMeasurement(verified), "recomputed").to.equal(TEST_TD_REGISTRY_MEASUREMENT);
    expect(verified.collateralValidUntil, "valid until").to.equal(pki.nextUpdate.getTime() / 1000);
  });

  it("is refused under Intel's root (the default): UntrustedRoot", async function () {
    const quote = buildTdxQuote(pki, { reportData: BINDING });
    const error = await refusedWith(verifyQuote(quote, pki.collateral(), { at }), "UntrustedRoot");
    expect(error.compared["trustedRoot"], "trusted root").to.equal("Intel SGX Root CA");
  });

  it("a quote for other keys: ReportDataMismatch", async function () {
    const other = buildTdxQuote(pki, { reportData: keccak256(stringToHex("other keys")) });
    await refusedWith(
      verifyQuote(other, pki.collateral(), { ...trustTest(), expectedReportData: BINDING }),
      "ReportDataMismatch",
    );
  });

  it("the binding must be followed by zeros: a non-zero second half is a mismatch", async function () {
    const padded = `${BINDING}${"00".repeat(31)}01` as Hex;
    await refusedWith(
      verifyQuote(buildTdxQuote(pki, { reportData: padded }), pki.collateral(), {
        ...trustTest(),
        expectedReportData: BINDING,
      }),
      "ReportDataMismatch",
    );
  });

  describe("TCB status", function () {
    it("each TCB level's status and advisories come back", async function () {
      const cases = [
        ["SWHardeningNeeded", TEST_ADVISORIES.SWHardeningNeeded],
        ["OutOfDate", TEST_ADVISORIES.OutOfDate],
      ] as const;
      for (const [status, advisories] of cases) {
        const quote = buildTdxQuote(pki, { reportData: BINDING, teeTcbSvn: TEST_TEE_TCB_SVN[status] });
        const verified = await verifyQuote(quote, pki.collateral(), trustTest());
        expect(verified.status, `status of the ${status} level`).to.equal(status);
        expect(verified.advisoryIds, `advisories of the ${status} level`).to.deep.equal([...advisories]);
      }
    });

    it("a Revoked level is refused: TcbRevoked", async function () {
      const quote = buildTdxQuote(pki, { reportData: BINDING, teeTcbSvn: TEST_TEE_TCB_SVN.Revoked });
      await refusedWith(verifyQuote(quote, pki.collateral(), trustTest()), "TcbRevoked");
    });

    it("below every level: TcbLevelNotFound", async function () {
      const quote = buildTdxQuote(pki, { reportData: BINDING, teeTcbSvn: TEST_TEE_TCB_SVN.Unknown });
      await refusedWith(verifyQuote(quote, pki.collateral(), trustTest()), "TcbLevelNotFound");
    });
  });

  describe("revocation", function () {
    it("a PCK certificate listed in the PCK CRL: PckRevoked", async function () {
      const quote = buildTdxQuote(pki, { reportData: BINDING });
      const error = await refusedWith(
        verifyQuote(quote, pki.collateral({ revokePck: true }), trustTest()),
        "PckRevoked",
      );
      expect(error.compared["serial"], "serial").to.equal(
        Buffer.from(pki.pck.serial)
          .toString("hex")
          .replace(/^(00)+/, ""),
      );
    });

    it("the revocation cannot be hidden with an older CRL signed by another key of the same name: CrlInvalid", async function () {
      // Another PKI has CAs of the same names: its PCK CRL does not list our PCK.
      const forged = createTestPki({ issuedAt: pki.issuedAt }).collateral().pck_crl;
      const quote = buildTdxQuote(pki, { reportData: BINDING });
      await refusedWith(
        verifyQuote(quote, { ...pki.collateral({ revokePck: true }), pck_crl: forged }, trustTest()),
        "CrlInvalid",
      );
    });
  });

  describe("CRLs", function () {
    it("a PCK CA listed in the root CA's CRL: CertificateRevoked", async function () {
      const quote = buildTdxQuote(pki, { reportData: BINDING });
      const error = await refusedWith(
        verifyQuote(quote, pki.collateral({ revokePckCa: true }), trustTest()),
        "CertificateRevoked",
      );
      expect(error.message, "names the CA").to.include("PCK Platform CA");
    });

    it("CRLs issued after the verification time, or due before it, while the TCB info is current", async function () {
      const quote = buildTdxQuote(pki, { reportData: BINDING });
      const hour = 3_600_000;
      const late = { thisUpdate: new Date(at * 1000 + hour), nextUpdate: pki.nextUpdate };
      await refusedWith(
        verifyQuote(quote, pki.collateral({ crlWindow: late }), trustTest()),
        "CollateralNotYetValid",
      );
      const stale = { thisUpdate: pki.issuedAt, nextUpdate: new Date(at * 1000 - 1000) };
      await refusedWith(
        verifyQuote(quote, pki.collateral({ crlWindow: stale }), trustTest()),
        "CollateralExpired",
      );
      const current = { thisUpdate: new Date(at * 1000), nextUpdate: new Date(at * 1000) };
      const verified = await verifyQuote(quote, pki.collateral({ crlWindow: current }), trustTest());
      expect(verified.collateralValidUntil, "valid until the CRLs are due").to.equal(at);
    });
  });

  describe("debug", function () {
    it("a debug TD is refused: DebugEnclave", async function () {
      const quote = buildTdxQuote(pki, { reportData: BINDING, debug: true });
      const error = await refusedWith(verifyQuote(quote, pki.collateral(), trustTest()), "DebugEnclave");
      expect(error.message, "says how to allow it").to.include("allowDebug");
    });

    it("with allowDebug a debug TD is accepted, flagged, with the status a production TD would get", async function () {
      for (const status of ["UpToDate", "OutOfDate"] as const) {
        const options = { reportData: BINDING, teeTcbSvn: TEST_TEE_TCB_SVN[status] };
        const debug = await verifyQuote(buildTdxQuote(pki, { ...options, debug: true }), pki.collateral(), {
          ...trustTest(),
          allowDebug: true,
        });
        const production = await verifyQuote(buildTdxQuote(pki, options), pki.collateral(), trustTest());
        expect(debug.debug, "debug flag").to.equal(true);
        expect(production.debug, "production flag").to.equal(false);
        expect([debug.status, debug.advisoryIds], `status of a debug TD at ${status}`).to.deep.equal([
          production.status,
          production.advisoryIds,
        ]);
      }
    });

    it("allowDebug does not let a debug TD past the rest: a Revoked level is still refused", async function () {
      const quote = buildTdxQuote(pki, {
        reportData: BINDING,
        teeTcbSvn: TEST_TEE_TCB_SVN.Revoked,
        debug: true,
      });
      await refusedWith(
        verifyQuote(quote, pki.collateral(), { ...trustTest(), allowDebug: true }),
        "TcbRevoked",
      );
    });

    it("a debug quoting enclave is refused even with allowDebug", async function () {
      const debugQe = { ...pki.platform.qe, attributes: Uint8Array.from([0x13, ...new Uint8Array(15)]) };
      const quote = buildTdxQuote(
        { ...pki, platform: { ...pki.platform, qe: debugQe } },
        { reportData: BINDING },
      );
      const error = await refusedWith(
        verifyQuote(quote, pki.collateral(), { ...trustTest(), allowDebug: true }),
        "DebugEnclave",
      );
      expect(error.message, "names the quoting enclave").to.include("quoting enclave");
    });
  });

  describe("platform", function () {
    it("a TD without SEPT_VE_DISABLE, or with a reserved attribute bit: TdAttributesInvalid", async function () {
      for (const tdAttributes of [new Uint8Array(8), Uint8Array.of(0, 0x01, 0, 0x10, 0, 0, 0, 0)]) {
        const quote = buildTdxQuote(pki, { reportData: BINDING, tdAttributes });
        await refusedWith(verifyQuote(quote, pki.collateral(), trustTest()), "TdAttributesInvalid");
      }
    });

    it("a quoting enclave below the QE identity's levels: QeIdentityMismatch", async function () {
      const oldQe = { ...pki.platform.qe, isvSvn: 1 };
      const quote = buildTdxQuote(
        { ...pki, platform: { ...pki.platform, qe: oldQe } },
        { reportData: BINDING },
      );
      await refusedWith(verifyQuote(quote, pki.collateral(), trustTest()), "QeIdentityMismatch");
    });

    it("a TDX module signed by another signer: TdxModuleMismatch", async function () {
      const quote = buildTdxQuote(pki, { reportData: BINDING, mrSignerSeam: new Uint8Array(48).fill(0x42) });
      await refusedWith(verifyQuote(quote, pki.collateral(), trustTest()), "TdxModuleMismatch");
    });

    it("a versioned TDX module needs its identity in the TCB info", async function () {
      const known = TEST_TEE_TCB_SVN.UpToDate.slice();
      known[1] = 3; // TDX_03 is in the test TCB info
      const verified = await verifyQuote(
        buildTdxQuote(pki, { reportData: BINDING, teeTcbSvn: known }),
        pki.collateral(),
        trustTest(),
      );
      expect(verified.status, "TDX_03").to.equal("UpToDate");
      const unknown = known.slice();
      unknown[1] = 4;
      await refusedWith(
        verifyQuote(
          buildTdxQuote(pki, { reportData: BINDING, teeTcbSvn: unknown }),
          pki.collateral(),
          trustTest(),
        ),
        "TdxModuleMismatch",
      );
    });

    it("a versioned module's TCB level counts, worst wins; below every level: TcbLevelNotFound", async function () {
      const svn = TEST_TEE_TCB_SVN.UpToDate.slice();
      svn[1] = 3; // TDX_03, module SVN 5
      const quote = buildTdxQuote(pki, { reportData: BINDING, teeTcbSvn: svn });
      const withLevels = (levels: { isvsvn: number; tcbStatus: string; advisoryIDs?: string[] }[]) =>
        pki.collateral({
          editTcbInfo: (info) => {
            const [identity] = info["tdxModuleIdentities"] as Record<string, unknown>[];
            identity!["tcbLevels"] = levels.map(({ isvsvn, ...rest }) => ({
              tcb: { isvsvn },
              tcbDate: "2026-01-01T00:00:00Z",
              ...rest,
            }));
          },
        });
      const outdated = await verifyQuote(
        quote,
        withLevels([
          { isvsvn: 9, tcbStatus: "UpToDate" },
          { isvsvn: 4, tcbStatus: "OutOfDate", advisoryIDs: ["INTEL-SA-TEST-MODULE"] },
        ]),
        trustTest(),
      );
      expect([outdated.status, outdated.advisoryIds], "module OutOfDate").to.deep.equal([
        "OutOfDate",
        ["INTEL-SA-TEST-MODULE"],
      ]);
      await refusedWith(
        verifyQuote(quote, withLevels([{ isvsvn: 9, tcbStatus: "UpToDate" }]), trustTest()),
        "TcbLevelNotFound",
      );
    });

    it("SEAM attributes other than the TCB info's: TdxModuleMismatch; no module identity: MalformedCollateral", async function () {
      const quote = buildTdxQuote(pki, { reportData: BINDING });
      const attributes = pki.collateral({
        editTcbInfo: (info) =>
          (info["tdxModule"] = {
            mrsigner: "00".repeat(48),
            attributes: "01" + "00".repeat(7),
            attributesMask: "FF".repeat(8),
          }),
      });
      await refusedWith(verifyQuote(quote, attributes, trustTest()), "TdxModuleMismatch");
      const none = pki.collateral({ editTcbInfo: (info) => delete info["tdxModule"] });
      await refusedWith(verifyQuote(quote, none, trustTest()), "MalformedCollateral");
    });

    it("TCB info for another PCE id or FMSPC: CollateralMismatch", async function () {
      const quote = buildTdxQuote(pki, { reportData: BINDING });
      for (const [field, value] of [
        ["pceId", "0100"],
        ["fmspc", "00A067110000"],
      ] as const) {
        const collateral = pki.collateral({ editTcbInfo: (info) => (info[field] = value) });
        await refusedWith(verifyQuote(quote, collateral, trustTest()), "CollateralMismatch");
      }
    });
  });

  describe("time", function () {
    it("before the collateral was issued: CollateralNotYetValid; after its nextUpdate: CollateralExpired", async function () {
      const quote = buildTdxQuote(pki, { reportData: BINDING });
      const issued = pki.issuedAt.getTime() / 1000;
      const next = pki.nextUpdate.getTime() / 1000;
      await refusedWith(
        verifyQuote(quote, pki.collateral(), { ...trustTest(), at: issued - 1 }),
        "CollateralNotYetValid",
      );
      expect(
        (await verifyQuote(quote, pki.collateral(), { ...trustTest(), at: issued })).status,
        "at issue",
      ).to.equal("UpToDate");
      expect(
        (await verifyQuote(quote, pki.collateral(), { ...trustTest(), at: next })).status,
        "at nextUpdate",
      ).to.equal("UpToDate");
      await refusedWith(
        verifyQuote(quote, pki.collateral(), { ...trustTest(), at: next + 1 }),
        "CollateralExpired",
      );
    });

    it("after the certificates expired: CertificateExpired, naming the certificate", async function () {
      const quote = buildTdxQuote(pki, { reportData: BINDING });
      const error = await refusedWith(
        verifyQuote(quote, pki.collateral(), { ...trustTest(), at: new Date("2032-01-01T00:00:00Z") }),
        "CertificateExpired",
      );
      expect(error.compared["certificate"], "certificate").to.match(/^tee-marketplace TEST SGX /);
    });
  });
});
