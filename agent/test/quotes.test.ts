/**
 * The quote sources: configfs-tsm against a directory laid out like the kernel's interface (a
 * stand-in for the kernel, test/support/standInTsm.ts), the stand-in enclave's endpoint, and which
 * one the configuration gets; a quote is used only when it carries the binding asked for.
 */
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { expect } from "chai";
import { type Hex, keccak256, stringToHex } from "viem";

import { InputError, StateError } from "@tee-marketplace/sdk";
import { readQuote, reportDataBinding } from "@tee-marketplace/sdk/dcap";

import { type StandInQuotes, startStandInQuotes } from "../../mocks/standInQuotes.js";
import { type TestPki, createTestPki } from "../../mocks/testPki.js";
import { configfsTsmQuotes } from "../src/quotes/configfsTsm.js";
import { type QuoteSource, boundQuote, selectQuoteSource } from "../src/quotes/quoteSource.js";
import { standInQuotes } from "../src/quotes/standIn.js";
import { startStandInTsm } from "./support/standInTsm.js";

const BINDING: Hex = keccak256(stringToHex("a binding"));

describe("agent: quote sources", function () {
  this.timeout(60_000);
  let pki: TestPki;
  let dir: string;
  let endpoint: StandInQuotes;

  before(async () => {
    pki = createTestPki();
    dir = await mkdtemp(path.join(tmpdir(), "tee-market-agent-quotes-"));
    endpoint = await startStandInQuotes(pki);
  });
  after(async () => {
    await endpoint?.close();
    await rm(dir, { recursive: true, force: true });
  });

  describe("configfs-tsm (a directory laid out like the kernel's, answered by a stand-in for the kernel)", () => {
    it("writes the report data to inblob, reads the quote from outblob and removes the entry", async () => {
      const tsm = await startStandInTsm(path.join(dir, "ok"), pki);
      try {
        const quote = await boundQuote(configfsTsmQuotes(tsm.reportDirectory), BINDING);
        expect(reportDataBinding(readQuote(quote).reportData), "the quote's binding").to.equal(BINDING);
        expect(tsm.answered, "entries answered").to.equal(1);
        expect(await readdir(tsm.reportDirectory), "entries left").to.deep.equal([]);
      } finally {
        tsm.stop();
      }
    });

    it("refuses a provider other than tdx_guest", async () => {
      const tsm = await startStandInTsm(path.join(dir, "sev"), pki, { provider: "sev_guest" });
      try {
        const error = await boundQuote(configfsTsmQuotes(tsm.reportDirectory), BINDING).catch(
          (e: unknown) => e,
        );
        expect(error, "the error").to.be.instanceOf(StateError);
        expect((error as Error).message, "the message").to.match(/"sev_guest", not "tdx_guest"/);
      } finally {
        tsm.stop();
      }
    });

    it("says when it cannot make an entry", async () => {
      const error = await configfsTsmQuotes(path.join(dir, "missing", "report"))
        .quote(`${BINDING}${"00".repeat(32)}`)
        .catch((e: unknown) => e);
      expect((error as Error).message, "the message").to.match(/Cannot make a configfs-tsm report entry/);
    });
  });

  describe("the stand-in enclave", () => {
    it("quotes the report data on local and test chains", async () => {
      const quote = await boundQuote(standInQuotes(endpoint.url, 31337), BINDING);
      expect(reportDataBinding(readQuote(quote).reportData), "the quote's binding").to.equal(BINDING);
    });

    for (const chainId of [204, 56, 1]) {
      it(`is refused on chain ${chainId}`, () => {
        expect(() => standInQuotes(endpoint.url, chainId), "the refusal")
          .to.throw(InputError, /not a TEE: it is refused on chain/)
          .with.property("field", "quotes.source");
      });
    }

    it("says when the endpoint does not answer, and that it is worth retrying", async () => {
      const error = await standInQuotes("http://127.0.0.1:9", 31337)
        .quote("0x00")
        .catch((e: unknown) => e);
      expect((error as Error).message, "the message").to.match(/did not answer/);
      expect((error as { transient?: boolean }).transient, "transient").to.equal(true);
    });

    it("says when the endpoint answers no quote", async () => {
      const error = await standInQuotes(endpoint.url, 31337)
        .quote("0x1234")
        .catch((e: unknown) => e);
      expect((error as Error).message, "the message").to.match(/answered 400/);
    });
  });

  it("refuses a quote that carries other report data than the binding asked for", async () => {
    const other = keccak256(stringToHex("something else"));
    const lying: QuoteSource = {
      kind: "stand-in",
      description: "answers for other report data",
      quote: () => standInQuotes(endpoint.url, 31337).quote(`${other}${"00".repeat(32)}`),
    };
    const error = await boundQuote(lying, BINDING).catch((e: unknown) => e);
    expect(error, "the error").to.be.instanceOf(StateError);
    expect((error as Error).message, "the message").to.match(/not the binding/);
  });

  describe("selectQuoteSource", () => {
    const quotes = (overrides: Record<string, unknown>) => ({
      source: "auto" as const,
      configfsPath: path.join(dir, "nowhere"),
      ...overrides,
    });

    it("takes configfs-tsm when its directory is there (auto)", async () => {
      const tsm = await startStandInTsm(path.join(dir, "auto"), pki);
      tsm.stop();
      const source = await selectQuoteSource(
        quotes({ configfsPath: tsm.reportDirectory, standInUrl: endpoint.url }),
        204,
      );
      expect(source.kind, "the source").to.equal("configfs-tsm");
    });

    it("takes the stand-in otherwise (auto), on a test chain", async () => {
      const source = await selectQuoteSource(quotes({ standInUrl: endpoint.url }), 31337);
      expect(source.kind, "the source").to.equal("stand-in");
      expect(source.description, "its label").to.match(/STAND-IN ENCLAVE/);
    });

    it("refuses when neither is there", async () => {
      const error = await selectQuoteSource(quotes({}), 31337).catch((e: unknown) => e);
      expect(error, "the error").to.be.instanceOf(InputError).with.property("field", "quotes.standInUrl");
    });

    it("refuses configfs-tsm when asked for and absent", async () => {
      const error = await selectQuoteSource(quotes({ source: "configfs-tsm" }), 31337).catch(
        (e: unknown) => e,
      );
      expect(error, "the error").to.be.instanceOf(InputError).with.property("field", "quotes.source");
      expect((error as Error).message, "the message").to.match(/is not there: run the agent in a TDX guest/);
    });
  });
});
