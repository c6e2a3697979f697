/**
 * `--indexer <url>` (or the config file's `indexer`): the list commands (`orders list`, `orders
 * history`, `offers list`, `suborders list`, `tcb list`) and `offers search` read an indexer instead
 * of the chain and print the same output, text and `--json`. A seeded history on a Hardhat node (indexer/test/support), the
 * indexer run as `ponder start` on PGlite, the built bin run as a child process both ways. And the
 * errors: an indexer of another deployment (exit 2), one that does not answer (exit 1), a URL that
 * is not one (exit 2).
 */
import { expect } from "chai";
import { type Server, createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { type SeededHistory, seedHistory } from "../../indexer/test/support/history.js";
import { type RunningIndexer, startIndexer } from "../../indexer/test/support/indexer.js";
import { type Marketplace, startMarketplace } from "../../sdk/test/support/marketplace.js";
import { freePort } from "../../sdk/test/support/hardhatNode.js";
import { type CliRun, requireBuiltCli, runCli } from "./support/cli.js";

function ok(run: CliRun): string {
  expect(run.code, `exit code (stderr: ${run.stderr})`).to.equal(0);
  return run.stdout;
}

describe("cli: --indexer", function () {
  this.timeout(600_000);

  let m: Marketplace | undefined;
  let seeded: SeededHistory;
  let indexer: RunningIndexer | undefined;
  let tmp: string;
  let pglite: string;
  let impostor: Server | undefined;

  const run = (args: string[], env: Record<string, string> = {}) => runCli(args, { cwd: tmp, env });

  /** Runs a command from the chain and from the index; both must succeed with the same output. */
  async function sameBothWays(args: string[]): Promise<string> {
    const url = indexer?.url ?? "";
    const fromChain = ok(await run(args));
    expect(ok(await run([...args, "--indexer", url])), `tee-market ${args.join(" ")}`).to.equal(fromChain);
    expect(
      ok(await run([...args, "--json", "--indexer", url])),
      `tee-market ${args.join(" ")} --json`,
    ).to.equal(ok(await run([...args, "--json"])));
    return fromChain;
  }

  before(async function () {
    requireBuiltCli();
    m = await startMarketplace();
    seeded = await seedHistory(m);
    tmp = await mkdtemp(path.join(tmpdir(), "tee-market-cli-indexer-"));
    pglite = await mkdtemp(path.join(tmpdir(), "tee-market-cli-pglite-"));
    indexer = await startIndexer({
      deployment: m.deployment,
      rpcUrl: m.node.url,
      database: { kind: "pglite", directory: pglite },
    });
    await indexer.waitForBlock(await m.publicClient.getBlockNumber());
    await writeFile(
      path.join(tmp, "deployment.json"),
      JSON.stringify(m.deployment, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v)),
    );
    await writeFile(
      path.join(tmp, "tee-market.json"),
      JSON.stringify({ network: "localhost", rpcUrl: m.node.url, deployment: "deployment.json" }),
    );
  });

  after(async function () {
    await indexer?.stop();
    await m?.stop();
    await new Promise<void>((resolve) =>
      impostor === undefined ? resolve() : impostor.close(() => resolve()),
    );
    if (tmp !== undefined) await rm(tmp, { recursive: true, force: true });
    if (pglite !== undefined) await rm(pglite, { recursive: true, force: true });
  });

  it("orders list prints the same orders from the index as from the chain, filters and columns included", async function () {
    const market = m as Marketplace;
    const alice = market.cast.alice;
    const all = await sameBothWays(["orders", "list", "--consumer", alice]);
    expect(all.trim().split("\n").length, "a header and Alice's orders").to.be.greaterThan(4);
    await sameBothWays([
      "orders",
      "list",
      "--consumer",
      alice,
      "--status",
      "canceled,done",
      "--fields",
      "id,status,offers",
    ]);
    await sameBothWays([
      "orders",
      "list",
      "--consumer",
      market.cast.stranger,
      "--offers",
      String(seeded.offers.clicks.offerId),
    ]);
    await sameBothWays(["orders", "list", "--consumer", alice, "--limit", "2"]);
    const none = await sameBothWays(["orders", "list", "--consumer", market.cast.bob]);
    expect(none.trim(), "no orders").to.equal(`No orders of ${market.cast.bob}`);
  });

  it("offers list prints the same offers from the index as from the chain", async function () {
    const market = m as Marketplace;
    await sameBothWays(["offers", "list"]);
    await sameBothWays(["offers", "list", "--type", "Data", "--provider", market.cast.bob]);
    await sameBothWays(["offers", "list", "--from", "3", "--limit", "3"]);
    await sameBothWays(["offers", "list", "--from", "50"]);
    const feedback = await sameBothWays(["offers", "list", "--keywords", "FEEDBACK"]);
    const ids = feedback
      .trim()
      .split("\n")
      .slice(1)
      .map((line) => line.split(/\s+/)[0]);
    // Usage events names feedback since its info was updated: the index follows the update.
    const { feedback: named, clicks, reviews, retired, weather } = seeded.offers;
    expect(ids, "offers naming feedback, any case").to.deep.equal(
      [named, clicks, reviews, retired].map((o) => String(o.offerId)),
    );
    expect(ids, "the weather offer does not name feedback").to.not.include(String(weather.offerId));
    const both = await sameBothWays(["offers", "list", "--type", "Data", "--keywords", "feedback,support"]);
    expect(both.trim().split("\n").length, "a header and the one offer naming both").to.equal(2);
  });

  it("suborders list prints the same suborders from the index as from the chain", async function () {
    const market = m as Marketplace;
    await sameBothWays(["suborders", "list", "--provider", market.cast.bob]);
    await sameBothWays(["suborders", "list", "--provider", market.cast.bob, "--status", "new"]);
    await sameBothWays([
      "suborders",
      "list",
      "--offer",
      String(seeded.offers.feedback.offerId),
      "--limit",
      "2",
    ]);
    await sameBothWays([
      "suborders",
      "list",
      "--provider",
      market.cast.carol,
      "--offer",
      String(seeded.offers.feedback.offerId),
    ]);
  });

  it("offers search ranks Data offers by keyword similarity, the same from the index as from the chain", async function () {
    const text = await sameBothWays(["offers", "search", "--keywords", "feedback,2025"]);
    const [header, first] = text.trim().split("\n");
    expect(header?.split(/\s+/), "columns").to.deep.equal([
      "offer",
      "slot",
      "price",
      "per",
      "similarity",
      "name",
    ]);
    expect(first?.split(/\s{2,}/), "best match: the feedback dataset of 2025, 2 of 4 terms").to.deep.equal([
      String(seeded.offers.feedback.offerId),
      String(seeded.offers.feedback.slotId),
      "5 TEST",
      "order",
      "0.50",
      "Customer feedback",
    ]);
    const strict = await sameBothWays([
      "offers",
      "search",
      "--keywords",
      "feedback,2025",
      "--min-similarity",
      "0.5",
    ]);
    expect(
      strict
        .trim()
        .split("\n")
        .slice(1)
        .every((line) => /\s0\.50\s|\s1\.00\s|\s0\.[5-9]\d\s/.test(line)),
      "all ≥ 0.5",
    ).to.equal(true);
    const none = await sameBothWays(["offers", "search", "--keywords", "nothing,matches"]);
    expect(none.trim(), "no match").to.equal("No Data offer shares a keyword with nothing, matches");
  });

  it("orders history prints the same events from the index as from the chain", async function () {
    const done = await sameBothWays(["orders", "history", String(seeded.orders.done)]);
    const kinds = done
      .trim()
      .split("\n")
      .slice(1)
      .map((line) => line.split(/\s+/)[2]);
    expect(kinds[0], "a workflow's history starts with its creation").to.equal("WorkflowCreated");
    expect(kinds, "a Done workflow's story").to.include.members([
      "OrderStatusUpdated",
      "SuborderCompleted",
      "OrderReportPublished",
      "OrderCompleted",
      "PaymentsCredited",
    ]);
    for (const orderId of [seeded.orders.canceled, seeded.orders.expired, seeded.orders.open]) {
      await sameBothWays(["orders", "history", String(orderId)]);
    }
  });

  it("tcb list prints the same TCBs from the index as from the chain", async function () {
    const listed = await sameBothWays(["tcb", "list", "--tee-offer", String(seeded.listing.teeOfferId)]);
    expect(listed.trim().split("\n").length, "a header and the TEE offer's TCBs").to.be.greaterThan(1);
    const none = await sameBothWays(["tcb", "list", "--tee-offer", String(seeded.offers.feedback.offerId)]);
    expect(none.trim(), "a Data offer has none").to.equal(
      `TEE offer ${seeded.offers.feedback.offerId} has no TCB yet`,
    );
  });

  it("reads the indexer from the config file's indexer key", async function () {
    const market = m as Marketplace;
    await writeFile(
      path.join(tmp, "with-indexer.json"),
      JSON.stringify({ rpcUrl: market.node.url, deployment: "deployment.json", indexer: indexer?.url }),
    );
    const fromConfig = ok(
      await run(["offers", "search", "--keywords", "weather", "--config", "with-indexer.json"]),
    );
    expect(fromConfig, "same output").to.equal(ok(await run(["offers", "search", "--keywords", "weather"])));
    const broken = JSON.stringify({
      rpcUrl: market.node.url,
      deployment: "deployment.json",
      indexer: "not a url",
    });
    await writeFile(path.join(tmp, "broken-indexer.json"), broken);
    const refused = await run(["offers", "list", "--config", "broken-indexer.json"]);
    expect([refused.code, refused.errors.join(" ")], "a malformed indexer URL").to.satisfy(
      ([code, error]: [number, string]) =>
        code === 2 && /--indexer: expected the indexer's http\(s\) URL/.test(error),
    );
  });

  it("refuses an indexer of another deployment (exit 2) and says when the indexer does not answer (exit 1)", async function () {
    const market = m as Marketplace;
    impostor = createServer((request, response) => {
      response.writeHead(200, { "content-type": "application/json" });
      response.end(
        JSON.stringify(
          request.url === "/deployment"
            ? {
                chainId: 5611,
                contracts: { ...market.deployment.contracts },
                blocks: { deployed: "1" },
              }
            : {},
        ),
      );
    });
    await new Promise<void>((resolve) => impostor?.listen(0, "127.0.0.1", resolve));
    const impostorUrl = `http://127.0.0.1:${(impostor.address() as AddressInfo).port}`;
    const other = await run(["orders", "list", "--consumer", market.cast.alice, "--indexer", impostorUrl]);
    expect(other.code, "exit code").to.equal(2);
    expect(other.errors.join(" "), "message").to.match(/indexes another deployment \(chain 5611/);

    const silent = await run(["offers", "list", "--indexer", `http://127.0.0.1:${await freePort()}`]);
    expect(silent.code, "exit code").to.equal(1);
    expect(silent.errors.join(" "), "message").to.match(/Cannot reach the indexer at .*npm run indexer/);
  });
});
