/**
 * Quote verification through the CLI (issue 13's commands): `quotes validate` on real Intel quotes
 * (test/fixtures/dcap) under Intel's root, with collateral from a file or a PCCS (the stand-in of
 * mocks/pccs.ts serving the samples' collateral on 127.0.0.1); then, on a Hardhat node, `tcb verify`
 * of a TCB the stand-in enclave published under the test root, and `orders validate-report` with
 * the same quote checks, on this marketplace's report and on a report in Super Protocol's shape.
 */
import { expect } from "chai";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { toHex } from "viem";

import { type TestPccs, startTestPccs } from "../../mocks/pccs.js";
import { dcapFixturesDir, dcapSample, flipByte } from "../../sdk/test/support/dcap.js";
import {
  type Listing,
  type Marketplace,
  MEASUREMENT,
  placeWorkflow,
  setUpProviders,
  startMarketplace,
} from "../../sdk/test/support/marketplace.js";
import { fixture } from "../../sdk/test/support/paths.js";
import { writeTree } from "../../sdk/test/support/storage.js";
import { runOrderInTee } from "../../sdk/test/support/teeRun.js";
import { type CliRun, requireBuiltCli, runCli } from "./support/cli.js";

const tdx = dcapSample("tdx_quote");
const sgx = dcapSample("sgx_quote");
const TDX_FILES = [
  path.join(dcapFixturesDir, "tdx_quote"),
  "--collateral",
  path.join(dcapFixturesDir, "tdx_quote_collateral.json"),
];
const SGX_FILES = [
  path.join(dcapFixturesDir, "sgx_quote"),
  "--collateral",
  path.join(dcapFixturesDir, "sgx_quote_collateral.json"),
];

function ok(run: CliRun): string {
  expect(run.code, `exit code (stderr: ${run.stderr})`).to.equal(0);
  return run.stdout;
}

/** The check lines of an output: name → ok. */
function verdicts(output: string): Record<string, boolean> {
  const found: Record<string, boolean> = {};
  for (const match of output.matchAll(/^(ok|FAIL)\s+(\w+)\s/gm)) found[match[2] ?? ""] = match[1] === "ok";
  return found;
}

describe("cli: quotes validate, tcb verify and validate-report's quote checks", function () {
  this.timeout(120_000);

  let tmp: string;
  const cli = (args: string[], env: Record<string, string> = {}) => runCli(args, { cwd: tmp, env });

  before(async function () {
    requireBuiltCli();
    tmp = await mkdtemp(path.join(tmpdir(), "tee-market-cli-dcap-"));
  });

  after(async function () {
    if (tmp !== undefined) await rm(tmp, { recursive: true, force: true });
  });

  describe("quotes validate (Intel's samples, Intel's root)", function () {
    let pccs: TestPccs;

    before(async function () {
      pccs = await startTestPccs(JSON.parse(tdx.collateral));
    });

    after(async function () {
      await pccs?.close();
    });

    it("a TDX quote inside its collateral's window: genuine and UpToDate, with what it attests", async function () {
      const output = ok(await cli(["quotes", "validate", ...TDX_FILES, "--at", String(tdx.at)]));
      expect(verdicts(output), "checks").to.deep.equal({ quoteGenuine: true, tcbStatus: true });
      expect(output, "TEE type").to.match(/^TEE type\s+TDX$/m);
      expect(output, "status").to.match(/^TCB status\s+UpToDate$/m);
      expect(output, "summary").to.include("is valid: all 2 checks passed");
      const json = JSON.parse(
        ok(
          await cli([
            "quotes",
            "validate",
            ...TDX_FILES,
            "--at",
            new Date(tdx.at * 1000).toISOString(),
            "--json",
          ]),
        ),
      ) as Record<string, unknown>;
      expect(json, "--json, an ISO time").to.deep.include({
        ok: true,
        teeType: "TDX",
        status: "UpToDate",
        advisoryIds: [],
      });
    });

    it("the SGX quote's status is refused unless accepted, and its advisories are named", async function () {
      const refused = await cli(["quotes", "validate", ...SGX_FILES, "--at", String(sgx.at)]);
      expect(refused.code, "exit code").to.equal(1);
      expect(verdicts(refused.stdout), "checks").to.deep.equal({ quoteGenuine: true, tcbStatus: false });
      expect(refused.stdout, "the status and advisories").to.match(
        /TCB status ConfigurationAndSWHardeningNeeded \(INTEL-SA-\d+, INTEL-SA-\d+\); you accept UpToDate/,
      );
      expect(refused.errors, "one error line").to.have.length(1);
      const accepted = ok(
        await cli([
          "quotes",
          "validate",
          ...SGX_FILES,
          "--at",
          String(sgx.at),
          "--accept-status",
          "ConfigurationAndSWHardeningNeeded",
        ]),
      );
      expect(verdicts(accepted), "accepted").to.deep.equal({ quoteGenuine: true, tcbStatus: true });
    });

    it("today the samples' collateral has expired: quoteGenuine fails with the reason, tcbStatus is not evaluated", async function () {
      const run = await cli(["quotes", "validate", ...TDX_FILES]);
      expect(run.code, "exit code").to.equal(1);
      expect(run.stdout, "the reason").to.match(/^FAIL\s+quoteGenuine\s+CollateralExpired: /m);
      expect(run.stdout, "not evaluated").to.match(/^FAIL\s+tcbStatus\s+not evaluated/m);
    });

    it("a tampered quote, another measurement or another report data fail their check", async function () {
      await writeFile(path.join(tmp, "tampered"), flipByte(tdx.quote, 200));
      const tampered = await cli([
        "quotes",
        "validate",
        "tampered",
        "--collateral",
        TDX_FILES[2] ?? "",
        "--at",
        String(tdx.at),
      ]);
      expect(tampered.code, "tampered: exit code").to.equal(1);
      expect(tampered.stdout, "tampered: refused with a reason").to.match(
        /^FAIL\s+quoteGenuine\s+[A-Za-z]+: /m,
      );

      const measured = JSON.parse(
        ok(await cli(["quotes", "validate", ...TDX_FILES, "--at", String(tdx.at), "--json"])),
      ) as { measurement: string; reportData: string };
      const own = ok(
        await cli([
          "quotes",
          "validate",
          ...TDX_FILES,
          "--at",
          String(tdx.at),
          "--measurement",
          measured.measurement,
        ]),
      );
      expect(verdicts(own), "its own measurement").to.include({ measurementExpected: true });
      const other = await cli([
        "quotes",
        "validate",
        ...TDX_FILES,
        "--at",
        String(tdx.at),
        "--measurement",
        `0x${"11".repeat(48)}`,
      ]);
      expect(verdicts(other.stdout), "another MRTD").to.include({ measurementExpected: false });

      const reportData = await cli([
        "quotes",
        "validate",
        ...TDX_FILES,
        "--at",
        String(tdx.at),
        "--report-data",
        `0x${"22".repeat(32)}`,
      ]);
      expect(reportData.stdout, "another binding").to.match(/^FAIL\s+quoteGenuine\s+ReportDataMismatch: /m);
    });

    it("fetches the collateral from a PCCS with --pccs-url, and reads the quote as 0x hex text too", async function () {
      await writeFile(path.join(tmp, "tdx.hex"), `${toHex(tdx.quote)}\n`);
      const output = ok(
        await cli(["quotes", "validate", "tdx.hex", "--pccs-url", pccs.url, "--at", String(tdx.at)]),
      );
      expect(verdicts(output), "checks").to.deep.equal({ quoteGenuine: true, tcbStatus: true });
      expect(output, "where the collateral came from").to.include(`collateral from ${pccs.url}`);
      expect(
        pccs.requests.some((r) => r.startsWith("/tdx/certification/v4/tcb?fmspc=")),
        "the PCCS was asked",
      ).to.equal(true);
    });

    it("bad options are usage errors (exit 2), before anything is read", async function () {
      const cases: [string[], string][] = [
        [["--accept-status", "Fine"], 'unknown TCB status "Fine"'],
        [["--pccs-url", "http://127.0.0.1:9"], "not both"],
        [["--measurement", "0x1234"], "32 or 48 bytes"],
        [["--at", "yesterday"], "--at: expected an ISO 8601 time or unix seconds"],
      ];
      for (const [options, message] of cases) {
        const run = await cli(["quotes", "validate", ...TDX_FILES, ...options]);
        expect(run.code, `${options.join(" ")}: exit code`).to.equal(2);
        expect(run.errors[0], `${options.join(" ")}: message`).to.include(message);
      }
    });
  });

  describe("on a node: tcb verify and orders validate-report", function () {
    let m: Marketplace | undefined;
    let market: Marketplace;
    let listing: Listing;
    let orderId: bigint;
    let pccs: TestPccs;

    before(async function () {
      this.timeout(300_000);
      m = await startMarketplace();
      market = m;
      listing = await setUpProviders(market);
      pccs = await startTestPccs(market.attestation.pki.collateral());
      await writeFile(path.join(tmp, "test-root.pem"), market.attestation.pki.rootCaPem);
      await writeFile(
        path.join(tmp, "test-collateral.json"),
        JSON.stringify(market.attestation.pki.collateral()),
      );
      await writeFile(
        path.join(tmp, "deployment.json"),
        JSON.stringify(market.deployment, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v)),
      );
      await writeFile(
        path.join(tmp, "tee-market.json"),
        JSON.stringify({ network: "localhost", rpcUrl: market.node.url, deployment: "deployment.json" }),
      );
      const created = await placeWorkflow(market, listing);
      orderId = created.orderId;
      await market.as(market.cast.bobAction).suborders.complete({
        suborderId: created.suborderIds[0] ?? 0n,
        status: "Done",
        solutionHash: listing.solution,
        resourceFile: listing.dataset,
      });
      await writeTree(path.join(tmp, "output"), { "result.txt": "ok\n" });
      await runOrderInTee(market, {
        orderId,
        output: path.join(tmp, "output"),
        storage: { type: "FS", directory: path.join(tmp, "enclave-storage") },
        downloadInputs: false,
      });
    });

    after(async function () {
      await pccs?.close();
      await m?.stop();
    });

    it("tcb verify: the TCB's quote verifies to the (test) root and carries the registry's binding", async function () {
      const output = ok(
        await cli([
          "tcb",
          "verify",
          String(listing.tcbId),
          "--collateral",
          "test-collateral.json",
          "--root-ca",
          "test-root.pem",
          "--measurement",
          MEASUREMENT,
        ]),
      );
      expect(verdicts(output), "checks").to.deep.equal({
        quoteGenuine: true,
        tcbStatus: true,
        measurementExpected: true,
      });
      expect(output, "the binding").to.match(
        /quoteGenuine\s+a genuine TDX quote under the trusted root, carrying the registry's binding/,
      );
      const tcb = await market.reader.tcb.get({ tcbId: listing.tcbId });
      const binding = market.reader.tee.attestationReportData({
        teeOfferId: tcb.teeOfferId,
        teeKey: tcb.teeKey,
        publicKey: market.tee.publicKey,
      });
      expect(output, "the report data it had to carry").to.match(
        new RegExp(`^expected report data\\s+${binding}$`, "m"),
      );
      expect(output, "the quote's report data, the binding first").to.match(
        new RegExp(`^report data\\s+${binding}[0-9a-f]*$`, "m"),
      );
      expect(output, "the measurement").to.match(new RegExp(`^measurement\\s+${MEASUREMENT}$`, "m"));

      const fetched = ok(
        await cli([
          "tcb",
          "verify",
          String(listing.tcbId),
          "--pccs-url",
          pccs.url,
          "--root-ca",
          "test-root.pem",
        ]),
      );
      expect(verdicts(fetched), "collateral from the PCCS").to.deep.equal({
        quoteGenuine: true,
        tcbStatus: true,
      });
    });

    it("tcb verify under Intel's root refuses the stand-in's quote; another measurement fails its check", async function () {
      const intel = await cli([
        "tcb",
        "verify",
        String(listing.tcbId),
        "--collateral",
        "test-collateral.json",
      ]);
      expect(intel.code, "exit code").to.equal(1);
      expect(intel.stdout, "the reason").to.match(/^FAIL\s+quoteGenuine\s+UntrustedRoot: /m);
      expect(intel.errors[0], "summary").to.include(`The quote of TCB ${listing.tcbId} is NOT valid`);
      const other = await cli([
        "tcb",
        "verify",
        String(listing.tcbId),
        "--collateral",
        "test-collateral.json",
        "--root-ca",
        "test-root.pem",
        "--measurement",
        `0x${"33".repeat(32)}`,
      ]);
      expect(verdicts(other.stdout), "another measurement").to.deep.equal({
        quoteGenuine: true,
        tcbStatus: true,
        measurementExpected: false,
      });
    });

    it("orders validate-report adds the quote checks with collateral, and says when the quote was not checked", async function () {
      ok(await cli(["orders", "get-report", String(orderId), "--save-to", "report.json"]));
      const withQuote = ok(
        await cli([
          "orders",
          "validate-report",
          "--path",
          "report.json",
          "--solution",
          fixture("solution.resource.json"),
          "--collateral",
          "test-collateral.json",
          "--root-ca",
          "test-root.pem",
          "--measurement",
          MEASUREMENT,
        ]),
      );
      const checks = verdicts(withQuote);
      expect(checks, "the quote checks").to.include({
        quoteGenuine: true,
        tcbStatus: true,
        measurementExpected: true,
      });
      expect(Object.values(checks).every(Boolean), `every check:\n${withQuote}`).to.equal(true);
      expect(withQuote, "no note").not.to.include("was not verified");

      const without = ok(await cli(["orders", "validate-report", "report.json"]));
      expect(verdicts(without), "no quote checks").not.to.have.property("quoteGenuine");
      expect(without, "the note").to.include(
        "The TCB's quote was not verified: pass --pccs-url <url> or --collateral <file>",
      );

      const untrusted = await cli([
        "orders",
        "validate-report",
        "report.json",
        "--collateral",
        "test-collateral.json",
      ]);
      expect(untrusted.code, "under Intel's root: exit code").to.equal(1);
      expect(verdicts(untrusted.stdout), "quoteGenuine fails").to.include({
        quoteGenuine: false,
        signature: true,
      });
    });

    it("orders validate-report reads a Super Protocol report: its runtimeInfo against your resource files", async function () {
      const ours = JSON.parse(await readFile(path.join(tmp, "report.json"), "utf8")) as {
        workloadInfo: { created: number; runtimeInfo: unknown[] };
      };
      const superProtocol = {
        certificate: "-----BEGIN CERTIFICATE-----\nMIIBstand-in\n-----END CERTIFICATE-----\n",
        workloadInfo: {
          ...ours.workloadInfo,
          runtimeInfo: ours.workloadInfo.runtimeInfo.map((entry) => ({
            ...(entry as object),
            signatureKeyHash: { algo: "sha256", hash: "00".repeat(32), encoding: "hex" },
          })),
        },
      };
      await writeFile(path.join(tmp, "sp-report.json"), JSON.stringify(superProtocol));
      const solution = fixture("solution.resource.json");
      const dataset = fixture("dataset.resource.json");
      const output = ok(
        await cli(["orders", "validate-report", "sp-report.json", "--solution", solution, "--data", dataset]),
      );
      expect(verdicts(output), "checks").to.deep.equal({
        imageIsExpectedSolution: true,
        expectedDataHashes: true,
      });
      expect(output, "what was not checked").to.include(
        "its certificate (Super Protocol's order certificate chain) is not checked",
      );

      const other = await cli(["orders", "validate-report", "sp-report.json", "--solution", "ee".repeat(32)]);
      expect(other.code, "another solution: exit code").to.equal(1);
      expect(verdicts(other.stdout), "another solution").to.deep.equal({ imageIsExpectedSolution: false });

      const unnamed = await cli(["orders", "validate-report"]);
      expect(unnamed.code, "no file: exit code").to.equal(2);
      expect(unnamed.errors[0], "message").to.include("name the report file");
      const bare = await cli(["orders", "validate-report", "sp-report.json"]);
      expect(bare.code, "nothing to compare: exit code").to.equal(2);
      expect(bare.errors[0], "message").to.include("pass --solution and --data");
      const quote = await cli([
        "orders",
        "validate-report",
        "sp-report.json",
        "--solution",
        solution,
        "--collateral",
        "test-collateral.json",
      ]);
      expect(quote.code, "a quote check asked: exit code").to.equal(2);
      expect(quote.errors[0], "message").to.include("names no TCB on this chain");

      const broken = JSON.parse(JSON.stringify(superProtocol)) as {
        workloadInfo: { runtimeInfo: { size: unknown }[] };
      };
      const first = broken.workloadInfo.runtimeInfo[0];
      if (first !== undefined) first.size = "lots";
      await writeFile(path.join(tmp, "sp-broken.json"), JSON.stringify(broken));
      const bad = await cli(["orders", "validate-report", "sp-broken.json", "--solution", solution]);
      expect(bad.code, "a malformed entry: exit code").to.equal(2);
      expect(bad.errors[0], "names the file and the field")
        .to.include("sp-broken.json")
        .and.include("workloadInfo.runtimeInfo[0].size");
    });
  });
});
