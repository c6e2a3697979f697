/**
 * Staying in step with the chain: a restart resumes from Ponder's checkpoint, after a graceful stop
 * and after a crash (SIGKILL), on PGlite and on PostgreSQL, and the index then equals the chain
 * (nothing lost, nothing counted twice); a reorg is followed (the orphaned blocks' rows go, the
 * new branch's come); and an RPC that caps `eth_getLogs` ranges is never asked for more than the
 * configured range.
 */

import { expect } from "chai";
import { createTestClient, http } from "viem";

import { OrderStatus } from "@tee-marketplace/sdk";
import { type IndexerClient, createIndexerClient } from "@tee-marketplace/sdk/indexer";

import {
  type Listing,
  type Marketplace,
  setUpProviders,
  startMarketplace,
} from "../../sdk/test/support/marketplace.js";
import { expectIndexEqualsChain } from "./support/compare.js";
import { growHistory, placeOrder } from "./support/history.js";
import { type IndexDatabase, type RunningIndexer, startIndexer } from "./support/indexer.js";
import { type TestDatabase, createTestDatabase, describeOnEachDatabase } from "./support/databases.js";
import { startRangeLimitedRpc } from "./support/rangeLimitedRpc.js";

/**
 * Mines `count` empty blocks one `evm_mine` at a time: Hardhat's `hardhat_mine` makes blocks whose
 * parents cannot be fetched by hash, which no indexer can follow.
 */
async function mineBlocks(m: Marketplace, count: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    await fetch(m.node.url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: i, method: "evm_mine", params: [] }),
    });
  }
}

/** The chain's newest block. */
async function head(m: Marketplace): Promise<bigint> {
  return m.publicClient.getBlockNumber();
}

describe("the index follows the chain", function () {
  this.timeout(1_200_000);

  describeOnEachDatabase("restarts on", (kind) => {
    let m: Marketplace | undefined;
    let listing: Listing;
    let made: TestDatabase | undefined;
    let database: IndexDatabase;
    let indexer: RunningIndexer | undefined;

    const start = async (): Promise<IndexerClient> => {
      const market = m as Marketplace;
      indexer = await startIndexer({
        deployment: market.deployment,
        rpcUrl: market.node.url,
        database,
        logLevel: "info",
      });
      await indexer.waitForBlock(await head(market));
      return createIndexerClient({ url: indexer.url });
    };

    before(async function () {
      m = await startMarketplace();
      listing = await setUpProviders(m);
      await growHistory(m, listing, 3);
      made = await createTestDatabase(kind);
      database = made.database;
    });

    after(async function () {
      await indexer?.stop();
      await m?.stop();
      await made?.drop();
    });

    it("resumes from its checkpoint after a graceful stop: the blocks since are indexed, none twice", async function () {
      const market = m as Marketplace;
      const first = await start();
      await expectIndexEqualsChain(first, market, "first run");
      await indexer?.stop();
      await growHistory(market, listing, 2);
      const second = await start();
      expect(indexer?.output(), "Ponder resumed rather than starting over").to.match(/crash recovery/i);
      await expectIndexEqualsChain(second, market, "after the restart");
      await indexer?.stop();
    });

    it("resumes after a crash (SIGKILL) in the middle of new blocks: nothing lost, nothing twice", async function () {
      const market = m as Marketplace;
      const client = await start();
      const growing = growHistory(market, listing, 3);
      // Kill it while blocks arrive, once it has indexed at least one of them.
      const before = (await client.status()).block ?? 0n;
      while (((await client.status()).block ?? 0n) <= before) await new Promise((r) => setTimeout(r, 50));
      await indexer?.stop({ kill: true });
      await growing;
      await growHistory(market, listing, 1);
      const restarted = await start();
      expect(indexer?.output(), "Ponder resumed rather than starting over").to.match(/crash recovery/i);
      const chain = await expectIndexEqualsChain(restarted, market, "after the crash");
      expect(chain.workflows.length, "workflows").to.equal(9);
    });
  });

  describe("reorgs", function () {
    let m: Marketplace | undefined;
    let indexer: RunningIndexer | undefined;
    let made: TestDatabase | undefined;

    after(async function () {
      await indexer?.stop();
      await m?.stop();
      await made?.drop();
    });

    it("drops what an orphaned branch wrote and indexes the branch that replaced it", async function () {
      m = await startMarketplace();
      const listing = await setUpProviders(m);
      await growHistory(m, listing, 1);
      made = await createTestDatabase("pglite");
      indexer = await startIndexer({
        deployment: m.deployment,
        rpcUrl: m.node.url,
        database: made.database,
      });
      await indexer.waitForBlock(await head(m));
      const client = createIndexerClient({ url: indexer.url });
      const testClient = createTestClient({ mode: "hardhat", chain: m.chain, transport: http(m.node.url) });

      const snapshot = await testClient.snapshot();
      const orphan = await placeOrder(m, listing, m.cast.alice, [
        { offerId: listing.dataOfferId, slotId: listing.dataSlotId },
      ]);
      await indexer.waitForBlock(await head(m));
      const seen = await client.orders.get({ orderId: orphan.orderId });
      expect(seen?.order.consumer, "the orphan order, indexed").to.equal(m.cast.alice);

      await testClient.revert({ id: snapshot });
      const replacement = await placeOrder(m, listing, m.cast.stranger, [
        { offerId: listing.dataOfferId, slotId: listing.dataSlotId },
      ]);
      await mineBlocks(m, 10);
      expect(replacement.orderId, "the same id on the new branch").to.equal(orphan.orderId);
      await indexer.waitForBlock(await head(m));
      const replaced = await client.orders.get({ orderId: orphan.orderId });
      expect(replaced?.order.consumer, "the order of the new branch").to.equal(m.cast.stranger);
      expect(replaced?.order.status, "its status").to.equal(OrderStatus.Blocked);
      await expectIndexEqualsChain(client, m, "after the reorg");
    });
  });

  describe("an RPC that caps eth_getLogs ranges", function () {
    let m: Marketplace | undefined;
    let indexer: RunningIndexer | undefined;
    let made: TestDatabase | undefined;
    let proxy: Awaited<ReturnType<typeof startRangeLimitedRpc>> | undefined;

    after(async function () {
      await indexer?.stop();
      await proxy?.stop();
      await m?.stop();
      await made?.drop();
    });

    it("is never asked for more than INDEXER_LOG_BLOCK_RANGE blocks, and everything is indexed", async function () {
      const maxRange = 50;
      m = await startMarketplace();
      const listing = await setUpProviders(m);
      await growHistory(m, listing, 1);
      await mineBlocks(m, 4 * maxRange);
      await growHistory(m, listing, 1);
      await mineBlocks(m, 3 * maxRange);
      proxy = await startRangeLimitedRpc(m.node.url, maxRange);
      made = await createTestDatabase("pglite");
      indexer = await startIndexer({
        deployment: m.deployment,
        rpcUrl: proxy.url,
        database: made.database,
        logBlockRange: maxRange,
      });
      await indexer.waitForBlock(await head(m));
      const client = createIndexerClient({ url: indexer.url });
      await expectIndexEqualsChain(client, m, "through the capped RPC");
      expect(proxy.widestRange(), "widest eth_getLogs range asked").to.be.within(1, maxRange);
      expect(proxy.refused(), "eth_getLogs refused").to.equal(0);
    });
  });
});
