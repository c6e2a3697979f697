/**
 * The service over HTTP on 127.0.0.1: it signs only genuine, non-debug quotes of accepted status and
 * measurement that bind the claimed keys, and the proof it returns decodes and recovers to its key
 * over the verifier's EIP-712 digest. Every refusal has its code; caps and the rate limit hold.
 */
import { expect } from "chai";
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { type Hex, bytesToHex, concat, keccak256, recoverAddress } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";

import {
  MAX_QUOTE_SIZE,
  attestationDigest,
  attestationDomain,
  decodeAttestationProof,
  tcbReportData,
} from "@tee-marketplace/sdk";

import { startTestPccs } from "../../mocks/pccs.js";
import { TEST_TD_MEASUREMENT, TEST_TD_REGISTRY_MEASUREMENT } from "../../mocks/tdxQuote.js";
import { TEST_TEE_TCB_SVN } from "../../mocks/testPki.js";
import { type AttestationService, MAX_REQUEST_SIZE, startAttestationService } from "../src/index.js";
import {
  CHAIN_ID,
  REGISTRY,
  VERIFIER,
  type TestTee,
  collateralDir,
  errorCode,
  post,
  testConfig,
  testTee,
} from "./support.js";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

describe("attestation service: HTTP", function () {
  const signingKey = generatePrivateKey();
  let tee: TestTee;
  let files: Awaited<ReturnType<typeof collateralDir>>;
  let service: AttestationService;
  const started: AttestationService[] = [];

  /** Starts a service with the test root and `overrides` of the configuration. */
  async function start(
    overrides: Record<string, unknown> = {},
    now?: () => number,
  ): Promise<AttestationService> {
    const running = await startAttestationService({
      config: testConfig(files.dir, overrides),
      signingKey,
      rootCa: tee.pki.rootCaPem,
      ...(now === undefined ? {} : { now }),
    });
    started.push(running);
    return running;
  }

  before(async function () {
    tee = testTee();
    files = await collateralDir(tee.pki);
    service = await start();
  });

  after(async function () {
    for (const running of started) await running.close();
    await files.remove();
  });

  describe("a genuine quote", function () {
    it("is signed: the proof decodes and recovers to the service key over the verifier's digest", async function () {
      const quote = tee.quote();
      const before = Math.floor(Date.now() / 1000);
      const { status, json } = await post(service.url, tee.body(quote));
      expect(status, `status (${JSON.stringify(json)})`).to.equal(200);
      const proof = decodeAttestationProof(json["proof"] as Hex);
      expect(proof.measurement, "measurement").to.equal(TEST_TD_REGISTRY_MEASUREMENT);
      expect(Number(proof.expiry), "expiry").to.be.within(before + 600, Math.floor(Date.now() / 1000) + 600);
      const reportData = tcbReportData(tee.claim);
      const digest = attestationDigest(attestationDomain(CHAIN_ID, VERIFIER), {
        quoteHash: keccak256(quote),
        reportData,
        measurement: proof.measurement,
        expiry: proof.expiry,
      });
      const signer = await recoverAddress({ hash: digest, signature: proof.signature });
      expect(signer, "signer").to.equal(privateKeyToAccount(signingKey).address);
      expect(json["signer"], "signer in the answer").to.equal(signer);
      expect(json["attestation"], "attestation").to.deep.equal({
        quoteHash: keccak256(quote),
        reportData,
        measurement: TEST_TD_REGISTRY_MEASUREMENT,
        expiry: proof.expiry.toString(),
      });
      expect(
        [json["tcbStatus"], json["teeType"], json["chainId"], json["verifier"]],
        "verdict",
      ).to.deep.equal(["UpToDate", "TDX", CHAIN_ID.toString(), VERIFIER]);
    });

    it("an accepted status other than UpToDate is signed, with its advisories", async function () {
      const { status, json } = await post(
        service.url,
        tee.body(tee.quote({ teeTcbSvn: TEST_TEE_TCB_SVN.SWHardeningNeeded })),
      );
      expect(status, "status").to.equal(200);
      expect([json["tcbStatus"], json["advisoryIds"]], "verdict").to.deep.equal([
        "SWHardeningNeeded",
        ["INTEL-SA-TEST-0001"],
      ]);
    });

    it("the expiry never outlives the collateral", async function () {
      const almostDue = tee.pki.nextUpdate.getTime() - 3_600_000;
      const late = await start({ expirySeconds: 86_400 }, () => almostDue);
      const { status, json } = await post(late.url, tee.body(tee.quote()));
      expect(status, "status").to.equal(200);
      const { expiry } = decodeAttestationProof(json["proof"] as Hex);
      expect(expiry, "expiry = the collateral's nextUpdate").to.equal(
        BigInt(tee.pki.nextUpdate.getTime() / 1000),
      );
    });

    it("a quote at the registry's cap (zero-padded as some platforms send it) is signed", async function () {
      const quote = tee.quote();
      const padded = concat([quote, `0x${"00".repeat(MAX_QUOTE_SIZE - (quote.length - 2) / 2)}`]);
      const { status } = await post(service.url, tee.body(padded));
      expect(status, "status at 16384 bytes").to.equal(200);
    });
  });

  describe("refusals", function () {
    const refusals: [string, () => Record<string, unknown>, number, string][] = [
      ["a debug TD", () => tee.body(tee.quote({ debug: true })), 422, "DebugEnclave"],
      [
        "a measurement off the list",
        () => tee.body(tee.quote({ measurement: { rtmr3: TEST_TD_MEASUREMENT.rtmr2 } })),
        422,
        "MeasurementNotAllowed",
      ],
      [
        "a TCB status the operator did not accept",
        () => tee.body(tee.quote({ teeTcbSvn: TEST_TEE_TCB_SVN.OutOfDate })),
        422,
        "TcbStatusNotAccepted",
      ],
      [
        "a quote binding other keys than claimed",
        () => tee.body(tee.quote(), { teeKey: privateKeyToAccount(generatePrivateKey()).address }),
        422,
        "ReportDataMismatch",
      ],
      [
        "a deployment it does not serve",
        () => tee.body(tee.quote(), { chainId: 1n }),
        422,
        "DeploymentNotServed",
      ],
      ["a truncated quote", () => tee.body(tee.quote().slice(0, 2 + 2 * 700) as Hex), 422, "MalformedQuote"],
      ["bytes of another format", () => tee.body(`0x${"01".repeat(1000)}`), 422, "UnsupportedQuote"],
      [
        "a quote over the registry's cap",
        () => tee.body(`0x${"00".repeat(MAX_QUOTE_SIZE + 1)}`),
        413,
        "QuoteTooLarge",
      ],
      ["a missing field", () => ({ ...tee.body(tee.quote()), teeKey: undefined }), 400, "InvalidRequest"],
      ["an unknown field", () => ({ ...tee.body(tee.quote()), measurement: "0x00" }), 400, "InvalidRequest"],
    ];
    for (const [what, body, expectedStatus, code] of refusals) {
      it(`${what}: ${expectedStatus} ${code}`, async function () {
        const { status, json } = await post(service.url, body());
        expect([status, errorCode(json)], `answer (${JSON.stringify(json)})`).to.deep.equal([
          expectedStatus,
          code,
        ]);
        expect(json["proof"], "no proof").to.equal(undefined);
      });
    }

    it("names the malformed field", async function () {
      const { json } = await post(service.url, { ...tee.body(tee.quote()), teeKey: "0x1234" });
      expect((json["error"] as { message: string }).message, "message").to.match(/^teeKey: /);
    });

    it("a body over its cap: 413 RequestTooLarge, without reading it all", async function () {
      const { status, json } = await post(service.url, `"${"a".repeat(MAX_REQUEST_SIZE)}"`);
      expect([status, errorCode(json)], "answer").to.deep.equal([413, "RequestTooLarge"]);
    });

    it("not JSON: 400; not application/json: 415; wrong method: 405; unknown path: 404", async function () {
      const notJson = await post(service.url, "{");
      expect([notJson.status, errorCode(notJson.json)], "not JSON").to.deep.equal([400, "InvalidRequest"]);
      const text = await post(service.url, "{}", { "content-type": "text/plain" });
      expect([text.status, errorCode(text.json)], "text/plain").to.deep.equal([415, "UnsupportedMediaType"]);
      const get = await fetch(`${service.url}/v1/attestations`);
      expect(get.status, "GET").to.equal(405);
      const unknown = await fetch(`${service.url}/v2/anything`, { method: "POST" });
      expect(unknown.status, "unknown path").to.equal(404);
    });

    it("under Intel's root (no test root configured) the test platform's quotes are refused: UntrustedRoot", async function () {
      const intel = await startAttestationService({ config: testConfig(files.dir), signingKey });
      started.push(intel);
      const { status, json } = await post(intel.url, tee.body(tee.quote()));
      expect([status, errorCode(json)], "answer").to.deep.equal([422, "UntrustedRoot"]);
    });
  });

  describe("rate limit", function () {
    it("answers 429 with Retry-After past the limit, before reading the body", async function () {
      const limited = await start({ rateLimit: { requests: 2, perSeconds: 3600 } });
      for (let i = 0; i < 2; i++) {
        const { status } = await post(limited.url, "{");
        expect(status, `request ${i + 1}`).to.equal(400);
      }
      const { status, headers, json } = await post(limited.url, tee.body(tee.quote()));
      expect([status, errorCode(json)], "third request").to.deep.equal([429, "RateLimited"]);
      expect(Number(headers.get("retry-after")), "Retry-After").to.be.within(1, 1800);
    });

    it("refills with time", async function () {
      let clock = Date.now();
      const limited = await start({ rateLimit: { requests: 1, perSeconds: 60 } }, () => clock);
      expect((await post(limited.url, "{")).status, "first").to.equal(400);
      expect((await post(limited.url, "{")).status, "second, at once").to.equal(429);
      clock += 60_000;
      expect((await post(limited.url, "{")).status, "a minute later").to.equal(400);
    });
  });

  describe("collateral sources", function () {
    it("from a PCCS: fetched once, then kept", async function () {
      const pccs = await startTestPccs(tee.pki.collateral());
      try {
        const fromPccs = await start({ collateral: { pccsUrl: pccs.url } });
        for (let i = 0; i < 2; i++) {
          const { status } = await post(fromPccs.url, tee.body(tee.quote()));
          expect(status, `request ${i + 1}`).to.equal(200);
        }
        expect(pccs.requests, "PCCS requests").to.have.length(4);
      } finally {
        await pccs.close();
      }
    });

    it("a PCCS that does not answer: 503 CollateralFetchFailed", async function () {
      const pccs = await startTestPccs(tee.pki.collateral());
      const url = pccs.url;
      await pccs.close();
      const dead = await start({ collateral: { pccsUrl: url } });
      const { status, json } = await post(dead.url, tee.body(tee.quote()));
      expect([status, errorCode(json)], "answer").to.deep.equal([503, "CollateralFetchFailed"]);
    });

    it("from one file; and a directory without this platform's collateral: 422 CollateralNotFound", async function () {
      const fromFile = await start({ collateral: { file: "collateral/tdx-90C06F000000.json" } });
      expect((await post(fromFile.url, tee.body(tee.quote()))).status, "from a file").to.equal(200);
      // Intel's SGX sample: another TEE type and FMSPC than the directory's test collateral.
      const sgxQuote = bytesToHex(readFileSync(path.join(repoRoot, "test/fixtures/dcap/sgx_quote")));
      const { status, json } = await post(service.url, tee.body(sgxQuote));
      expect([status, errorCode(json)], "another platform's quote").to.deep.equal([
        422,
        "CollateralNotFound",
      ]);
    });
  });

  it("GET /v1/health names the signer and what it serves", async function () {
    const response = await fetch(`${service.url}/v1/health`);
    expect(response.status, "status").to.equal(200);
    expect(await response.json(), "body").to.deep.equal({
      signer: privateKeyToAccount(signingKey).address,
      chains: [{ chainId: CHAIN_ID.toString(), verifier: VERIFIER, registry: REGISTRY }],
      acceptedStatuses: ["UpToDate", "SWHardeningNeeded"],
    });
  });
});
