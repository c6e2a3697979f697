/**
 * The index answers as the chain does. A seeded history (test/support/history.ts) on a Hardhat
 * node, indexed by `ponder start` on PGlite and then on a PostgreSQL server started here; every
 * query of the SDK's indexer client, random ones included, is compared with the chain's own answer
 * (test/support/chain.ts): the SDK's reads and the deployment's logs.
 */

import { expect } from "chai";
import type { Address } from "viem";

import {
  OfferType,
  OrderStatus,
  type Workflow,
  keywordSimilarity,
  parseKeywords,
} from "@tee-marketplace/sdk";
import { type IndexerClient, chainOffer, createIndexerClient } from "@tee-marketplace/sdk/indexer";

import { type Marketplace, startMarketplace } from "../../sdk/test/support/marketplace.js";
import { failure } from "../../sdk/test/support/rejections.js";
import { type ChainState, readChain, searchChain } from "./support/chain.js";
import { type SeededHistory, seedHistory } from "./support/history.js";
import { type RunningIndexer, startIndexer } from "./support/indexer.js";
import { type TestDatabase, createTestDatabase, describeOnEachDatabase } from "./support/databases.js";
import { seededRandom } from "./support/random.js";

const random = seededRandom();
const SEED = `(INDEXER_TEST_SEED=${random.seed})`;
const ALL_STATUSES = Object.values(OrderStatus);
const KEYWORDS = [
  "feedback",
  "2025",
  "satisfaction",
  "clicks",
  "sessions",
  "reviews",
  "2024",
  "quality",
  "weather",
  "1999",
  "nothing",
];

function byIdDesc(a: Workflow, b: Workflow): number {
  return a.order.id < b.order.id ? 1 : -1;
}

/** Every page of the index's orders for a query, with a small page size to walk the cursor. */
async function allIndexedOrders(
  client: IndexerClient,
  query: Parameters<IndexerClient["orders"]["list"]>[0],
  limit: number,
): Promise<Workflow[]> {
  const workflows: Workflow[] = [];
  let cursor: bigint | undefined;
  do {
    const page = await client.orders.list({ ...query, limit, ...(cursor === undefined ? {} : { cursor }) });
    workflows.push(...page.workflows);
    cursor = page.nextCursor;
  } while (cursor !== undefined);
  return workflows;
}

describe("the index equals the chain", function () {
  this.timeout(1_200_000);
  let m: Marketplace | undefined;
  let seeded: SeededHistory;
  let chain: ChainState;

  before(async function () {
    m = await startMarketplace();
    seeded = await seedHistory(m);
    chain = await readChain(m);
  });

  after(async function () {
    await m?.stop();
  });

  describeOnEachDatabase("indexed on", (kind) => {
    let indexer: RunningIndexer | undefined;
    let client: IndexerClient;
    let made: TestDatabase | undefined;

    before(async function () {
      made = await createTestDatabase(kind);
      const { database } = made;
      const market = m as Marketplace;
      indexer = await startIndexer({ deployment: market.deployment, rpcUrl: market.node.url, database });
      await indexer.waitForBlock(chain.block);
      client = createIndexerClient({ url: indexer.url });
    });

    after(async function () {
      await indexer?.stop();
      await made?.drop();
    });

    it("says which deployment it indexes, and that it reached the chain's head", async function () {
      const market = m as Marketplace;
      expect(await client.deployment(), "indexed deployment").to.deep.equal({
        chainId: market.deployment.chainId,
        contracts: market.deployment.contracts,
        blocks: market.deployment.blocks,
      });
      const status = await client.status();
      expect(status.ready, "backfill done").to.equal(true);
      expect(status.chainId, "chain").to.equal(market.deployment.chainId);
      expect(status.block !== undefined && status.block >= chain.block, "indexed block").to.equal(true);
    });

    it("every workflow, by id, equals orders.get's", async function () {
      for (const workflow of chain.workflows) {
        expect(
          await client.orders.get({ orderId: workflow.order.id }),
          `workflow ${workflow.order.id}`,
        ).to.deep.equal(workflow);
      }
      expect(await client.orders.get({ orderId: 999_999n }), "an order that does not exist").to.equal(
        undefined,
      );
      const ends = chain.workflows.map((w) => w.order.status);
      for (const status of [
        OrderStatus.Done,
        OrderStatus.Error,
        OrderStatus.Canceled,
        OrderStatus.Blocked,
        OrderStatus.Processing,
      ]) {
        expect(ends, "the history reaches every kind of end").to.include(status);
      }
    });

    it("orders by consumer, status and offer, walked page by page, equal the chain's (random queries)", async function () {
      const consumers = [...new Set(chain.workflows.map((w) => w.order.consumer))];
      const offerIds = chain.offers.map((offer) => offer.id);
      for (let i = 0; i < 40; i++) {
        const consumer = random.next() < 0.7 ? random.pick(consumers) : undefined;
        const status = random.next() < 0.5 ? random.subset(ALL_STATUSES) : undefined;
        const offers = random.next() < 0.4 ? random.subset(offerIds) : undefined;
        const expected = chain.workflows
          .filter((w) => consumer === undefined || w.order.consumer === consumer)
          .filter((w) => status === undefined || status.includes(w.order.status))
          .filter(
            (w) =>
              offers === undefined ||
              [w.order.teeOfferId, ...w.suborders.map((s) => s.offerId)].some((id) => offers.includes(id)),
          )
          .sort(byIdDesc);
        const query = {
          ...(consumer === undefined ? {} : { consumer }),
          ...(status === undefined ? {} : { status }),
          ...(offers === undefined ? {} : { offerIds: offers }),
        };
        const actual = await allIndexedOrders(client, query, random.int(1, 4));
        expect(
          actual,
          `orders of ${JSON.stringify(query, (_, v: unknown) => (typeof v === "bigint" ? String(v) : v))} ${SEED}`,
        ).to.deep.equal(expected);
      }
    });

    it("each consumer's orders equal the contract's ordersOfConsumer (orders.list)", async function () {
      const market = m as Marketplace;
      for (const consumer of [...new Set(chain.workflows.map((w) => w.order.consumer))]) {
        const { orderIds } = await market.reader.orders.list({ consumer });
        const { workflows } = await client.orders.list({ consumer, limit: 1000 });
        expect(
          workflows.map((w) => w.order.id),
          `orders of ${consumer}`,
        ).to.deep.equal(orderIds);
      }
    });

    it("suborders of each provider, and of each offer, by status, equal suborders.list's", async function () {
      const market = m as Marketplace;
      for (const provider of chain.providers) {
        for (const status of [undefined, "New", ["Done", "Canceled"]] as const) {
          const expected = await market.reader.suborders.list({
            provider,
            ...(status === undefined ? {} : { status }),
          });
          const actual = await client.suborders.list({
            provider,
            limit: 1000,
            ...(status === undefined ? {} : { status }),
          });
          expect(actual, `suborders of ${provider}, ${JSON.stringify(status)}`).to.deep.equal({
            suborders: expected.suborders,
            nextCursor: undefined,
          });
        }
      }
      for (const offer of chain.offers.filter((o) => o.offerType === OfferType.Data)) {
        const expected = await market.reader.suborders.list({ offerId: offer.id, limit: 100 });
        const actual = await client.suborders.list({ offerId: offer.id, limit: 1000 });
        expect(actual.suborders, `suborders of offer ${offer.id}`).to.deep.equal(expected.suborders);
      }
      expect((await failure(client.suborders.list({}))).message, "no provider nor offer").to.match(
        /pass a provider/,
      );
    });

    it("each order's history is every log of its workflow, in order, whether asked by order or suborder", async function () {
      for (const { order, suborders } of chain.workflows) {
        const expected = chain.events.filter((e) => e.orderId === order.id);
        expect(
          await client.orders.history({ orderId: order.id }),
          `history of order ${order.id}`,
        ).to.deep.equal(expected);
        for (const suborder of suborders) {
          expect(
            await client.orders.history({ orderId: suborder.id }),
            `history via suborder ${suborder.id}`,
          ).to.deep.equal(expected);
        }
      }
      const done = chain.events.filter((e) => e.orderId === seeded.orders.done).map((e) => e.kind);
      expect(done, "a Done order's story").to.include.members([
        "WorkflowCreated",
        "SuborderCompleted",
        "OrderReportPublished",
        "OrderCompleted",
        "PaymentsCredited",
      ]);
    });

    it("every offer, slot (open-order counts included) and provider equal the chain's", async function () {
      const market = m as Marketplace;
      const { offers } = await client.offers.list({ limit: 1000 });
      expect(offers.map(chainOffer), "offers").to.deep.equal(
        chain.offers.map(({ name: _n, keywords: _k, dataset: _d, ...offer }) => offer),
      );
      expect(
        offers.map(({ name, keywords, dataset }) => ({ name, keywords, dataset })),
        "offers' discovery fields",
      ).to.deep.equal(chain.offers.map(({ name, keywords, dataset }) => ({ name, keywords, dataset })));
      const slots = await client.sql("SELECT * FROM slots ORDER BY id");
      const { slotFromRow } = await import("@tee-marketplace/sdk/indexer");
      expect(
        slots.map((row) => slotFromRow(indexer?.url ?? "", row)),
        "slots",
      ).to.deep.equal(chain.slots);
      expect(
        chain.slots.some((slot) => slot.openOrders > 0n),
        "some slot is held by an open order",
      ).to.equal(true);
      const providers = await client.sql(
        "SELECT authority, action_account, token_receiver, info_hash, info_block FROM providers ORDER BY authority",
      );
      const expected = await Promise.all(
        chain.providers.map((authority) => market.reader.providers.get({ authority })),
      );
      expect(
        providers.map((row) => [
          row["authority"],
          row["action_account"],
          row["token_receiver"],
          row["info_hash"],
          row["info_block"],
        ]),
        "providers",
      ).to.deep.equal(
        expected
          .map((p) => [
            p.authority.toLowerCase(),
            p.actionAccount.toLowerCase(),
            p.tokenReceiver.toLowerCase(),
            p.infoHash,
            String(p.infoBlock),
          ])
          .sort((a, b) => ((a[0] ?? "") < (b[0] ?? "") ? -1 : 1)),
      );
    });

    it("every account's balance equals the contract's withdrawable balance", async function () {
      const market = m as Marketplace;
      const rows = await client.sql("SELECT account, balance FROM balances ORDER BY account");
      expect(rows.length, "accounts credited").to.be.greaterThan(2);
      for (const row of rows) {
        const account = row["account"] as Address;
        const { withdrawable } = await market.as(account).payments.balance();
        expect(BigInt(row["balance"] as string), `balance of ${account}`).to.equal(withdrawable);
      }
    });

    it("the TCBs of each TEE offer, with their statuses, equal the registry's", async function () {
      const teeOffers = chain.offers.filter((offer) => offer.offerType === OfferType.TeeOffer);
      for (const offer of teeOffers) {
        const expected = chain.tcbs.filter((tcb) => tcb.teeOfferId === offer.id);
        expect(
          await client.tcbs.list({ teeOfferId: offer.id, at: chain.timestamp }),
          `TCBs of offer ${offer.id}`,
        ).to.deep.equal(expected);
      }
      expect(chain.tcbs.length, "TCBs published").to.be.greaterThan(1);
      expect(
        await client.tcbs.list({ teeOfferId: seeded.offers.feedback.offerId }),
        "a Data offer has none",
      ).to.deep.equal([]);
    });

    it("offers by type, provider and keywords equal the chain's (random queries)", async function () {
      const keywords = [...new Set(chain.offers.flatMap((offer) => offer.keywords))];
      for (let i = 0; i < 30; i++) {
        const offerType = random.next() < 0.5 ? random.pick([OfferType.TeeOffer, OfferType.Data]) : undefined;
        const provider = random.next() < 0.5 ? random.pick(chain.providers) : undefined;
        const wanted = random.next() < 0.5 ? random.subset(keywords).slice(0, 2) : undefined;
        const first = random.int(1, 4);
        const expected = chain.offers
          .filter((o) => o.id >= BigInt(first))
          .filter((o) => offerType === undefined || o.offerType === offerType)
          .filter((o) => provider === undefined || o.provider === provider)
          .filter((o) => wanted === undefined || wanted.every((k) => o.keywords.includes(k)));
        const { offers, offerCount } = await client.offers.list({
          firstOfferId: first,
          limit: 1000,
          ...(offerType === undefined ? {} : { offerType }),
          ...(provider === undefined ? {} : { provider }),
          ...(wanted === undefined ? {} : { keywords: wanted }),
        });
        const query = JSON.stringify({ offerType, provider, wanted, first });
        expect(
          offers.map((o) => o.id),
          `offers of ${query} ${SEED}`,
        ).to.deep.equal(expected.map((o) => o.id));
        expect(offerCount, "offer count").to.equal(BigInt(chain.offers.length));
      }
      const page = await client.offers.list({ limit: 2 });
      expect([page.offers.length, page.nextOfferId], "a first page of two").to.deep.equal([2, 3n]);
    });

    it("keyword search ranks Data offers as the SDK's chain search does (the seeds' example and random queries)", async function () {
      const market = m as Marketplace;
      const seeds = await client.offers.search({ keywords: "feedback,2025" });
      const top = seeds.matches[0];
      expect(top?.offer.id, `best match of feedback,2025 ${SEED}`).to.equal(seeded.offers.feedback.offerId);
      expect(top?.similarity, "feedback,2025 against feedback, satisfaction, support from 2025").to.equal(
        0.5,
      );
      expect(
        seeds.matches.map((match) => match.offer.id),
        "the disabled offer is not offered",
      ).not.to.include(seeded.offers.retired.offerId);
      for (let i = 0; i < 25; i++) {
        const keywords = random.subset(KEYWORDS).slice(0, 4);
        if (keywords.length === 0) keywords.push(random.pick(KEYWORDS));
        const minSimilarity = random.pick([0, 0, 0.2, 0.3, 0.5, 1]);
        const limit = random.int(1, 6);
        const expected = await searchChain(market, { keywords, minSimilarity, limit });
        const { matches } = await client.offers.search({ keywords, minSimilarity, limit });
        const query = `${keywords.join(",")} ≥ ${minSimilarity} (${limit}) ${SEED}`;
        expect(
          matches.map((x) => ({ ...x, offer: chainOffer(x.offer) })),
          `search ${query}`,
        ).to.deep.equal(expected);
        for (const match of matches) {
          expect(match.similarity, `similarity of ${match.offer.id} for ${query}`).to.equal(
            keywordSimilarity(parseKeywords(keywords, "keywords"), {
              keywords: match.keywords,
              timeRange: match.dataset.timeRange,
            }),
          );
        }
      }
    });

    it("serves the same orders over GraphQL", async function () {
      const response = await fetch(`${indexer?.url}/graphql`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          query:
            '{ orders(orderBy: "id", orderDirection: "asc", limit: 1000) { items { id status consumer deposit } } }',
        }),
      });
      const body = (await response.json()) as {
        data?: { orders: { items: { id: string; status: number; consumer: string; deposit: string }[] } };
      };
      expect(
        body.data?.orders.items.map((o) => [BigInt(o.id), o.status, o.consumer, BigInt(o.deposit)]),
        "orders over GraphQL",
      ).to.deep.equal(
        chain.workflows.map((w) => [
          w.order.id,
          w.order.status,
          w.order.consumer.toLowerCase(),
          w.order.deposit,
        ]),
      );
    });

    it("refuses on /sql what is not a read of the index: writes, several statements, other schemas", async function () {
      for (const sql of [
        "DELETE FROM orders",
        "UPDATE orders SET status = 4",
        "SELECT 1; DROP TABLE orders",
        "SELECT * FROM ponder_sync.logs",
        "SELECT pg_sleep(10)",
      ]) {
        expect((await failure(client.sql(sql))).message, sql).to.match(/refused a query/);
      }
      const [counted] = await client.sql("SELECT count(*) AS n FROM orders");
      expect(String(counted?.["n"]), "orders counted").to.equal(String(chain.workflows.length));
    });
  });
});
