/**
 * Results through the CLI, on a Hardhat node: result keys (`workflows generate-key`, `workflows
 * create --result-key` / `--result-recipient`), `orders download-result` and `orders verify-result`
 * for Done and Error orders, and their refusals, each leaving nothing behind: a key the workflow did
 * not name, a key file that was altered or is missing, an existing destination, an order without a
 * result, a truncated result object. Bob's completions and the enclave's run go through the SDK
 * (support/teeRun.ts); Alice's side is the built bin.
 */
import { expect } from "chai";
import { mkdir, mkdtemp, readFile, readdir, rm, stat, truncate, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { type Hex, createWalletClient, http, parseEther } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { getTransactionCount, sendTransaction, waitForTransactionReceipt } from "viem/actions";

import { generateEciesKey, teePublicKeyFromPrivateKey } from "@tee-marketplace/sdk";

import {
  type Listing,
  type Marketplace,
  TOKEN,
  setUpProviders,
  startMarketplace,
} from "../../sdk/test/support/marketplace.js";
import { fixture } from "../../sdk/test/support/paths.js";
import { readTree, writeTree } from "../../sdk/test/support/storage.js";
import { type TeeRun, runOrderInTee } from "../../sdk/test/support/teeRun.js";
import { type CliRun, requireBuiltCli, runCli } from "./support/cli.js";

const OUTPUT = { "answer.txt": "42\n", "charts/": "", "charts/a.csv": "x,y\n1,2\n" };

function ok(run: CliRun): string {
  expect(run.code, `exit code (stderr: ${run.stderr})`).to.equal(0);
  return run.stdout;
}

describe("cli: result keys, orders download-result and verify-result", function () {
  this.timeout(120_000);

  let m: Marketplace | undefined;
  let market: Marketplace;
  let listing: Listing;
  let tmp: string;
  const aliceKey = generatePrivateKey();
  const alice = privateKeyToAccount(aliceKey).address;

  const cli = (args: string[], options: { cwd?: string; key?: Hex } = {}) =>
    runCli(args, { cwd: options.cwd ?? tmp, env: { TEE_MARKET_PRIVATE_KEY: options.key ?? aliceKey } });

  /** Alice's workflow through the CLI (the fixtures' solution and Bob's data offer); its order id. */
  async function createWorkflow(extra: string[] = [], cwd = tmp): Promise<bigint> {
    const run = await cli(
      [
        "workflows",
        "create",
        "--solution",
        fixture("solution.resource.json"),
        "--data",
        `${listing.dataOfferId},${listing.dataSlotId}`,
        "--tee",
        String(listing.teeOfferId),
        "--json",
        ...extra,
      ],
      { cwd },
    );
    return BigInt((JSON.parse(ok(run)) as { orderId: string }).orderId);
  }

  /** Bob hands his dataset over (SDK), then the enclave runs the order and completes it. */
  async function complete(orderId: bigint, status: "Done" | "Error" = "Done"): Promise<TeeRun> {
    const { suborders } = await market.reader.orders.get({ orderId });
    await market.as(market.cast.bobAction).suborders.complete({
      suborderId: suborders[0]?.id ?? 0n,
      status: "Done",
      solutionHash: listing.solution,
      resourceFile: listing.dataset,
    });
    return runOrderInTee(market, {
      orderId,
      output: path.join(tmp, status === "Done" ? "output" : "logs.txt"),
      storage: { type: "FS", directory: path.join(tmp, "enclave-storage") },
      status,
      downloadInputs: false,
    });
  }

  before(async function () {
    this.timeout(300_000);
    requireBuiltCli();
    m = await startMarketplace();
    market = m;
    listing = await setUpProviders(market);
    tmp = await mkdtemp(path.join(tmpdir(), "tee-market-cli-results-"));
    const funder = createWalletClient({
      account: market.cast.admin,
      chain: market.chain,
      transport: http(market.node.url),
    });
    await waitForTransactionReceipt(market.publicClient, {
      hash: await sendTransaction(funder, { to: alice, value: parseEther("10") }),
    });
    await market.mint(alice, 1000n * TOKEN);
    await writeFile(
      path.join(tmp, "deployment.json"),
      JSON.stringify(market.deployment, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v)),
    );
    await writeFile(
      path.join(tmp, "tee-market.json"),
      JSON.stringify({ network: "localhost", rpcUrl: market.node.url, deployment: "deployment.json" }),
    );
    await writeTree(path.join(tmp, "output"), OUTPUT);
    await writeFile(path.join(tmp, "logs.txt"), "error: /sp/inputs/input-0001 is empty\n");
  });

  after(async function () {
    await m?.stop();
    if (tmp !== undefined) await rm(tmp, { recursive: true, force: true });
  });

  describe("result keys", function () {
    it("workflows generate-key writes the documented JSON, mode 0600, and never overwrites it", async function () {
      const output = ok(await cli(["workflows", "generate-key", "--output", "mine.key.json"]));
      expect(output, "line").to.include("Result key was saved to mine.key.json");
      const file = path.join(tmp, "mine.key.json");
      expect((await stat(file)).mode & 0o777, "mode").to.equal(0o600);
      const document = JSON.parse(await readFile(file, "utf8")) as Record<string, string | number>;
      expect(Object.keys(document), "fields").to.deep.equal([
        "type",
        "version",
        "publicKey",
        "privateKey",
        "created",
      ]);
      expect(document, "type and version").to.include({ type: "tee-marketplace/result-key", version: 1 });
      expect(document["publicKey"], "a compressed public key").to.match(/^0x0[23][0-9a-f]{64}$/);
      const uncompressed = teePublicKeyFromPrivateKey(document["privateKey"] as Hex);
      expect(String(document["publicKey"]).slice(4), "the private key's public key").to.equal(
        uncompressed.slice(4, 68),
      );
      expect(output, "the public key is shown").to.include(String(document["publicKey"]));
      expect(Number.isNaN(Date.parse(String(document["created"]))), "created").to.equal(false);

      const before = await readFile(file, "utf8");
      const again = await cli(["workflows", "generate-key", "--output", "mine.key.json"]);
      expect(again.code, "exit code").to.equal(2);
      expect(again.errors[0], "message").to.include("never overwritten");
      expect(await readFile(file, "utf8"), "the key is unchanged").to.equal(before);
    });

    it("workflows create names --result-key's public key first, then each --result-recipient", async function () {
      const other = generateEciesKey().publicKey;
      const run = await cli([
        "workflows",
        "create",
        "--solution",
        fixture("solution.resource.json"),
        "--data",
        `${listing.dataOfferId},${listing.dataSlotId}`,
        "--tee",
        String(listing.teeOfferId),
        "--result-key",
        "mine.key.json",
        "--result-recipient",
        other,
        "--json",
      ]);
      const created = JSON.parse(ok(run)) as {
        orderId: string;
        resultRecipients: string[];
        resultKeyFile: string;
      };
      const mine = JSON.parse(await readFile(path.join(tmp, "mine.key.json"), "utf8")) as { publicKey: Hex };
      expect(created.resultRecipients, "JSON: the recipients").to.deep.equal([mine.publicKey, other]);
      expect(created.resultKeyFile, "JSON: the key file").to.equal(path.join(tmp, "mine.key.json"));
      const params = await market.reader.orders.getParams({ orderId: created.orderId });
      expect(params.resultRecipients, "on-chain").to.deep.equal([mine.publicKey, other]);
    });

    it("--result-recipient alone keeps its meaning (the recipients, yours first) and generates no key", async function () {
      const elsewhere = path.join(tmp, "recipients-only");
      await mkdir(elsewhere);
      const mine = generateEciesKey().publicKey;
      const run = await runCli(
        [
          "workflows",
          "create",
          "--solution",
          fixture("solution.resource.json"),
          "--data",
          `${listing.dataOfferId},${listing.dataSlotId}`,
          "--tee",
          String(listing.teeOfferId),
          "--result-recipient",
          mine,
          "--config",
          path.join(tmp, "tee-market.json"),
          "--json",
        ],
        { cwd: elsewhere, env: { TEE_MARKET_PRIVATE_KEY: aliceKey } },
      );
      const { orderId } = JSON.parse(ok(run)) as { orderId: string };
      expect(run.stderr, "no result key named").not.to.include("esult key");
      expect(
        (await market.reader.orders.getParams({ orderId })).resultRecipients,
        "recipients",
      ).to.deep.equal([mine]);
      expect(await readdir(tmp), "no key generated beside the config").not.to.include(
        "tee-market.result-key.json",
      );
    });

    it("a missing or altered --result-key is refused before any transaction", async function () {
      const nonce = await getTransactionCount(market.publicClient, { address: alice });
      const missing = await cli([
        "workflows",
        "create",
        "--solution",
        fixture("solution.resource.json"),
        "--tee",
        String(listing.teeOfferId),
        "--result-key",
        "nope.json",
      ]);
      expect(missing.code, "missing: exit code").to.equal(2);
      expect(missing.errors[0], "missing: message")
        .to.include("no result key at")
        .and.include("workflows generate-key");
      const mine = JSON.parse(await readFile(path.join(tmp, "mine.key.json"), "utf8")) as Record<
        string,
        string
      >;
      await writeFile(
        path.join(tmp, "altered.key.json"),
        JSON.stringify({ ...mine, publicKey: generateEciesKey().publicKey }),
      );
      const altered = await cli([
        "workflows",
        "create",
        "--solution",
        fixture("solution.resource.json"),
        "--tee",
        String(listing.teeOfferId),
        "--result-key",
        "altered.key.json",
      ]);
      expect(altered.code, "altered: exit code").to.equal(1);
      expect(altered.errors[0], "altered: message").to.include('is not the public key of its "privateKey"');
      expect(await getTransactionCount(market.publicClient, { address: alice }), "Alice's nonce").to.equal(
        nonce,
      );
    });

    it("a key file that is a directory, not JSON, of another type or with a bad private key is refused; one cannot be written into a missing directory", async function () {
      await mkdir(path.join(tmp, "a-directory.json"));
      await writeFile(path.join(tmp, "text.json"), "not json");
      await writeFile(path.join(tmp, "keystore.json"), JSON.stringify({ version: 3, crypto: {} }));
      await writeFile(
        path.join(tmp, "short.json"),
        JSON.stringify({
          type: "tee-marketplace/result-key",
          version: 1,
          privateKey: "0x1234",
          publicKey: "0x02",
        }),
      );
      const cases: [string, string][] = [
        ["a-directory.json", "cannot read the result key"],
        ["text.json", "is not JSON"],
        ["keystore.json", 'its "type" is not "tee-marketplace/result-key"'],
        ["short.json", '"privateKey" must be 32 bytes of 0x hex'],
      ];
      for (const [file, message] of cases) {
        const run = await cli(["orders", "download-result", "1", "--result-key", file, "--save-to", "never"]);
        expect(run.code, `${file}: exit code`).to.equal(1);
        expect(run.errors[0], `${file}: message`).to.include(message);
      }
      const nowhere = await cli([
        "workflows",
        "generate-key",
        "--output",
        path.join("missing-dir", "key.json"),
      ]);
      expect(nowhere.code, "a missing directory: exit code").to.equal(1);
      expect(nowhere.errors[0], "message").to.include("cannot write the result key");
      expect(await readdir(tmp), "nothing written").not.to.include.members(["never", "missing-dir"]);
    });
  });

  describe("orders download-result and verify-result", function () {
    let orderId: bigint;
    let run: TeeRun;

    before(async function () {
      orderId = await createWorkflow();
      run = await complete(orderId);
    });

    it("workflows create generated the default key beside the config, and download-result opens the result with it", async function () {
      expect(
        (await stat(path.join(tmp, "tee-market.result-key.json"))).mode & 0o777,
        "the default key",
      ).to.equal(0o600);
      const output = ok(await cli(["orders", "download-result", String(orderId)]));
      expect(output, "spctl's line").to.include(
        `Order result was downloaded successfully to order-${orderId}-result`,
      );
      expect(output, "the hash, checked").to.include(`${run.resultHash} (the receipt's: checked)`);
      expect(await readTree(path.join(tmp, `order-${orderId}-result`)), "the enclave's output").to.deep.equal(
        OUTPUT,
      );
      const json = JSON.parse(
        ok(await cli(["orders", "download-result", String(orderId), "--save-to", "again", "--json"])),
      ) as {
        status: string;
        resultHash: string;
        unpacked: boolean;
        checks: { ok: boolean }[];
      };
      expect(json, "--json").to.deep.include({ status: "Done", resultHash: run.resultHash, unpacked: true });
      expect(
        json.checks.every((c) => c.ok),
        "the receipt's checks",
      ).to.equal(true);
    });

    it("refuses an existing --save-to, a key the workflow did not name, and an order without a result, writing nothing", async function () {
      const exists = await cli(["orders", "download-result", String(orderId), "--save-to", "again"]);
      expect(exists.code, "existing destination: exit code").to.equal(2);
      expect(exists.errors[0], "message").to.include("already exists");

      ok(await cli(["workflows", "generate-key", "--output", "stranger.key.json"]));
      const stranger = await cli([
        "orders",
        "download-result",
        String(orderId),
        "--result-key",
        "stranger.key.json",
        "--save-to",
        "stranger",
      ]);
      expect(stranger.code, "not a recipient: exit code").to.equal(2);
      expect(stranger.errors[0], "message").to.include(`none of order ${orderId}'s 1 result recipients`);

      const pending = await createWorkflow();
      const none = await cli(["orders", "download-result", String(pending), "--save-to", "pending"]);
      expect(none.code, "no result: exit code").to.equal(1);
      expect(none.errors[0], "message").to.include(`Order ${pending} has no result: it is Blocked`);
      expect(await readdir(tmp), "nothing written").not.to.include.members(["stranger", "pending"]);
    });

    it("a truncated result object: exit 1, nothing at --save-to", async function () {
      const truncatedOrder = await createWorkflow();
      const truncatedRun = await complete(truncatedOrder);
      const object = (truncatedRun.uploaded.resource as { filepath: string }).filepath;
      await truncate(path.join(tmp, "enclave-storage", object), 64);
      const result = await cli([
        "orders",
        "download-result",
        String(truncatedOrder),
        "--save-to",
        "truncated",
      ]);
      expect(result.code, "exit code").to.equal(1);
      expect(result.errors, "one line").to.have.length(1);
      expect(result.errors[0], "message").to.include("altered or truncated");
      expect(await readdir(tmp), "nothing at --save-to").not.to.include("truncated");
    });

    it("verify-result prints the receipt's checks; without a key file it does not open a pointer", async function () {
      const output = ok(await cli(["orders", "verify-result", String(orderId)]));
      for (const name of ["receiptSigned", "pointerPerRecipient", "pointerOpens"]) {
        expect(output, name).to.match(new RegExp(`^ok\\s+${name}\\s`, "m"));
      }
      expect(output, "summary").to.include(
        `The result receipt of order ${orderId} is valid: all 3 checks passed`,
      );
      // Another machine: a config of its own (no result key beside it).
      const elsewhere = path.join(tmp, "no-key");
      await mkdir(elsewhere);
      await writeFile(
        path.join(elsewhere, "tee-market.json"),
        JSON.stringify({
          network: "localhost",
          rpcUrl: market.node.url,
          deployment: path.join(tmp, "deployment.json"),
        }),
      );
      const keyless = ok(await runCli(["orders", "verify-result", String(orderId)], { cwd: elsewhere }));
      expect(keyless, "two checks")
        .to.include("all 2 checks passed")
        .and.include("not opened (no result key)");
    });

    it("an Error order: download-result saves the logs and says they are not signed; verify-result fails receiptSigned", async function () {
      const failed = await createWorkflow();
      await complete(failed, "Error");
      const output = ok(await cli(["orders", "download-result", String(failed), "--save-to", "logs"]));
      expect(output, "line").to.include(`Order ${failed} ended with Error`).and.include("not signed");
      expect(await readFile(path.join(tmp, "logs", "logs.txt"), "utf8"), "the logs").to.equal(
        "error: /sp/inputs/input-0001 is empty\n",
      );
      const verified = await cli(["orders", "verify-result", String(failed)]);
      expect(verified.code, "exit code").to.equal(1);
      expect(verified.stdout, "receiptSigned fails").to.match(/^FAIL\s+receiptSigned\s/m);
      const shown = ok(await cli(["orders", "get", String(failed)]));
      expect(shown, "orders get's result line").to.match(
        /result\s+Error, hash 0x[0-9a-f]{64}, 1 pointer for 1 recipient/,
      );
    });
  });
});
