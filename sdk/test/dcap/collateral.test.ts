/**
 * Collateral: checking its shape, reading it from files, fetching it from a PCCS (the stand-in of
 * mocks/pccs.ts on 127.0.0.1, serving the test PKI's collateral or a real sample's).
 */
import { expect } from "chai";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { type Server, createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { keccak256, stringToHex } from "viem";

import { MAX_COLLATERAL_SIZE, fetchCollateral, toCollateral, verifyQuote } from "../../src/dcap/index.js";
import { FileFormatError, InputError } from "../../src/errors.js";
import { readCollateralFile, readRootCaFile } from "../../src/node/index.js";
import { startTestPccs } from "../../../mocks/pccs.js";
import { buildTdxQuote } from "../../../mocks/tdxQuote.js";
import { createTestPki } from "../../../mocks/testPki.js";
import { dcapSample, refusedWith } from "../support/dcap.js";

const BINDING = keccak256(stringToHex("binding"));

/** Starts a server on 127.0.0.1 that answers every request with `handler`. */
async function startServer(
  handler: Parameters<typeof createServer>[1],
): Promise<{ url: string; server: Server }> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

async function stop(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

describe("dcap: collateral", function () {
  const tdx = dcapSample("tdx_quote");
  const sgx = dcapSample("sgx_quote");

  describe("toCollateral", function () {
    it("takes dcap-qvl's shapes: hex with or without 0x, byte arrays; gives lowercase hex", function () {
      const canonical = toCollateral(tdx.collateral);
      const bytes = Array.from(Buffer.from(canonical.pck_crl, "hex"));
      const variant = toCollateral({
        ...canonical,
        pck_crl: bytes,
        root_ca_crl: `0x${canonical.root_ca_crl.toUpperCase()}`,
      });
      expect(variant, "same collateral").to.deep.equal(canonical);
      expect(canonical.tcb_info_signature, "hex").to.match(/^[0-9a-f]{128}$/);
    });

    it("names a missing or malformed field, and refuses more than 1 MiB", function () {
      const canonical = toCollateral(tdx.collateral);
      const cases: [string, unknown][] = [
        ["collateral.qe_identity", undefined],
        ["collateral.tcb_info", "[]"],
        ["collateral.pck_crl", [1, 256]],
        ["collateral.tcb_info_signature", "abc"],
        ["collateral.tcb_info_issuer_chain", "not PEM"],
      ];
      for (const [field, value] of cases) {
        const key = field.split(".")[1]!;
        expect(() => toCollateral({ ...canonical, [key]: value }), field)
          .to.throw(InputError)
          .with.property("field", field);
      }
      expect(() => toCollateral("{"), "not JSON")
        .to.throw(InputError)
        .with.property("field", "collateral");
      expect(() => toCollateral([]), "not an object")
        .to.throw(InputError)
        .with.property("field", "collateral");
      const padding = " ".repeat(MAX_COLLATERAL_SIZE - tdx.collateral.length);
      expect(toCollateral(tdx.collateral + padding), "exactly the cap").to.deep.equal(canonical);
      expect(() => toCollateral(`${tdx.collateral + padding} `), "one byte over")
        .to.throw(InputError)
        .with.property("field", "collateral");
    });
  });

  describe("files (@tee-marketplace/sdk/node)", function () {
    let dir: string;
    before(async function () {
      dir = await mkdtemp(path.join(tmpdir(), "dcap-collateral-"));
    });
    after(async function () {
      await rm(dir, { recursive: true, force: true });
    });

    it("readCollateralFile reads and checks a collateral file", async function () {
      const file = path.join(dir, "tdx.json");
      await writeFile(file, tdx.collateral);
      expect(await readCollateralFile(file), "collateral").to.deep.equal(toCollateral(tdx.collateral));
      const broken = path.join(dir, "broken.json");
      await writeFile(broken, JSON.stringify({ ...toCollateral(tdx.collateral), pck_crl: 7 }));
      const error = await readCollateralFile(broken).catch((e: unknown) => e);
      expect(error, "error").to.be.instanceOf(FileFormatError);
      expect((error as FileFormatError).path, "path").to.equal(broken);
      expect((error as FileFormatError).field, "field").to.equal("pck_crl");
      const missing = await readCollateralFile(path.join(dir, "missing.json")).catch((e: unknown) => e);
      expect(missing, "missing file").to.be.instanceOf(InputError).with.property("field", "path");
    });

    it("readRootCaFile reads PEM and DER, and refuses anything else", async function () {
      const pki = createTestPki();
      await writeFile(path.join(dir, "root.pem"), pki.rootCaPem);
      await writeFile(path.join(dir, "root.der"), pki.root.der);
      await writeFile(path.join(dir, "junk"), "hello");
      expect(await readRootCaFile(path.join(dir, "root.pem")), "PEM").to.equal(pki.rootCaPem);
      expect(await readRootCaFile(path.join(dir, "root.der")), "DER").to.deep.equal(pki.root.der);
      const error = await readRootCaFile(path.join(dir, "junk")).catch((e: unknown) => e);
      expect(error, "junk").to.be.instanceOf(FileFormatError);
    });
  });

  describe("fetchCollateral from a PCCS", function () {
    it("fetches the test platform's collateral: the four v4 requests, byte for byte what was served", async function () {
      const pki = createTestPki();
      const served = pki.collateral();
      const pccs = await startTestPccs(served);
      try {
        const quote = buildTdxQuote(pki, { reportData: BINDING });
        const fetched = await fetchCollateral(quote, { pccsUrl: pccs.url });
        expect(fetched, "collateral").to.deep.equal(served);
        expect(pccs.requests, "requests").to.have.members([
          "/sgx/certification/v4/pckcrl?ca=platform&encoding=der",
          "/tdx/certification/v4/tcb?fmspc=90C06F000000",
          "/tdx/certification/v4/qe/identity",
          "/sgx/certification/v4/rootcacrl",
        ]);
        const verified = await verifyQuote(quote, fetched, {
          rootCa: pki.rootCaPem,
          expectedReportData: BINDING,
        });
        expect(verified.status, "verifies").to.equal("UpToDate");
      } finally {
        await pccs.close();
      }
    });

    it("keeps Intel's signed TCB info and QE identity byte for byte (real TDX and SGX samples)", async function () {
      for (const [sample, ca, tee] of [
        [tdx, "platform", "tdx"],
        [sgx, "processor", "sgx"],
      ] as const) {
        const pccs = await startTestPccs(toCollateral(sample.collateral));
        try {
          const fetched = await fetchCollateral(sample.quote, {
            pccsUrl: `${pccs.url}/sgx/certification/v4/`,
          });
          expect(fetched, `${tee} collateral`).to.deep.equal(toCollateral(sample.collateral));
          expect(pccs.requests, `${tee} requests`).to.include(
            `/sgx/certification/v4/pckcrl?ca=${ca}&encoding=der`,
          );
          expect(
            pccs.requests.some((r) => r.startsWith(`/${tee}/certification/v4/tcb?fmspc=`)),
            `${tee} TCB info`,
          ).to.equal(true);
          const verified = await verifyQuote(sample.quote, fetched, { at: sample.at });
          expect(verified.teeType, "verifies under Intel's root").to.equal(tee.toUpperCase());
        } finally {
          await pccs.close();
        }
      }
    });

    it("a PCCS without this platform's TCB info: CollateralFetchFailed naming the URL", async function () {
      const pccs = await startTestPccs(toCollateral(sgx.collateral));
      try {
        const error = await refusedWith(
          fetchCollateral(tdx.quote, { pccsUrl: pccs.url }),
          "CollateralFetchFailed",
        );
        expect(error.message, "names the TCB info URL and the status").to.match(
          /\/tdx\/certification\/v4\/tcb\?fmspc=.*HTTP 404/,
        );
      } finally {
        await pccs.close();
      }
    });

    it("no answer within the timeout, more than 1 MiB, or no collateral in the answer: CollateralFetchFailed", async function () {
      const silent = await startServer(() => undefined);
      const junk = await startServer((_request, response) => {
        response.writeHead(200, { "content-type": "application/json" });
        response.end("{}");
      });
      const flood = await startServer((_request, response) => {
        response.writeHead(200, { "content-type": "application/octet-stream" });
        const chunk = Buffer.alloc(65_536, 0x30);
        for (let i = 0; i < 20; i++) response.write(chunk);
        response.end();
      });
      try {
        const slow = await refusedWith(
          fetchCollateral(tdx.quote, { pccsUrl: silent.url, timeoutMs: 200 }),
          "CollateralFetchFailed",
        );
        expect(slow.message, "timeout").to.include("no answer within 200 ms");
        const big = await refusedWith(
          fetchCollateral(tdx.quote, { pccsUrl: flood.url }),
          "CollateralFetchFailed",
        );
        expect(big.message, "cap").to.include(`cap of ${MAX_COLLATERAL_SIZE}`);
        const empty = await refusedWith(
          fetchCollateral(tdx.quote, { pccsUrl: junk.url }),
          "CollateralFetchFailed",
        );
        expect(empty.message, "names what is missing").to.match(/"signature"|header|not a CRL/);
      } finally {
        await stop(junk.server);
        await stop(silent.server);
        await stop(flood.server);
      }
    });

    it("refuses a URL that is not http(s) before any request", async function () {
      for (const pccsUrl of ["ftp://pccs.example", "not a url"]) {
        const error = await fetchCollateral(tdx.quote, { pccsUrl }).catch((e: unknown) => e);
        expect(error, pccsUrl).to.be.instanceOf(InputError).with.property("field", "pccsUrl");
      }
    });
  });
});
