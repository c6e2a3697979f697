/**
 * Indexer benchmark: seeds a Hardhat node on 127.0.0.1 with BENCH_OFFERS offers (default 10,000)
 * and BENCH_ORDERS workflows (default 100,000; every tenth canceled) in bulk (scripts/lib/bulkSeed.ts),
 * then runs the indexer (`ponder start`, as the tests do) on PGlite and on a PostgreSQL server
 * started here, and records:
 *
 * - the backfill: seconds from `ponder start` until the index has reached the chain's head;
 * - p50/p95 latency of the common queries through the SDK's indexer client (orders by consumer, by
 *   status, by offer; suborders of a provider; an order's history; the TCBs of an offer; offers by
 *   type, provider and keywords; a keyword search), varied parameters, after a warm-up;
 * - the same answers computed from the chain with the SDK (and the logs, where the chain has no
 *   view), with their JSON-RPC request counts: what the index saves.
 *
 * Writes benchmarks/indexer.json and fails when a query's p95 is over 50 ms or a backfill over 10
 * minutes. Usage: npm run bench:indexer (after `npm run build`); BENCH_ORDERS=10000 for a quick run.
 */
import { execFileSync } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { availableParallelism, tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { format, resolveConfig } from "prettier";
import { type Address, type Log, parseEventLogs } from "viem";
import { getAddresses, getContractEvents, getLogs } from "viem/actions";
import { createWalletClient, http } from "viem";

import { OfferType, OrderStatus, ordersAbi, tcbRegistryAbi } from "../sdk/src/index.js";
import { type IndexerClient, createIndexerClient } from "../sdk/src/indexer/index.js";
import {
  ALICE_RESULT_KEY,
  type Marketplace,
  setUpProviders,
  startMarketplace,
} from "../sdk/test/support/marketplace.js";
import { type IndexDatabase, startIndexer } from "../indexer/test/support/indexer.js";
import { type PostgresServer, startPostgres } from "../indexer/test/support/postgres.js";
import { VOCABULARY, BulkSender, approvals, seedOffers, seedOrders } from "./lib/bulkSeed.js";
import { TOKEN } from "./lib/scenario.js";
import { ORDER_EVENTS } from "../cli/src/history.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const outputFile = path.join(root, "benchmarks", "indexer.json");
const QUERY_P95_BUDGET_MS = 50;
const BACKFILL_BUDGET_SECONDS = 600;
const ITERATIONS = 200;
const WARM_UP = 20;
/** Blocks per eth_getLogs of the chain's answers (a seeded block holds a few hundred workflows). */
const LOG_RANGE = 4n;

function sizeFromEnv(name: string, fallback: number): number {
  const value = process.env[name];
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value) || Number(value) < 10)
    throw new Error(`${name}: expected a number ≥ 10, got ${value}`);
  return Number(value);
}

const ORDERS = sizeFromEnv("BENCH_ORDERS", 100_000);
const OFFERS = sizeFromEnv("BENCH_OFFERS", 10_000);

/** Latency percentiles of a series, in ms. */
function percentiles(samples: readonly number[]): { p50Ms: number; p95Ms: number; samples: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? 0;
  const round = (ms: number) => Math.round(ms * 100) / 100;
  return { p50Ms: round(at(0.5)), p95Ms: round(at(0.95)), samples: sorted.length };
}

/** A deterministic sequence of choices, so runs compare. */
function chooser(seed: number) {
  let state = seed;
  return <T>(items: readonly T[]): T => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    const item = items[state % items.length];
    if (item === undefined) throw new Error("no items to choose from");
    return item;
  };
}

/** Times `run` `iterations` times after a warm-up; returns the percentiles. */
async function time(iterations: number, run: (i: number) => Promise<unknown>) {
  for (let i = 0; i < Math.min(WARM_UP, iterations); i++) await run(-1 - i);
  const samples: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const start = performance.now();
    await run(i);
    samples.push(performance.now() - start);
  }
  return percentiles(samples);
}

interface Fixture {
  consumers: Address[];
  providers: Address[];
  dataOffers: bigint[];
  orderIds: bigint[];
  teeOfferId: bigint;
}

/** The indexed queries, each with varied parameters. */
async function indexedQueries(client: IndexerClient, f: Fixture) {
  const pick = chooser(42);
  const statuses = [OrderStatus.New, OrderStatus.Blocked, OrderStatus.Canceled];
  const queries: Record<string, (i: number) => Promise<unknown>> = {
    "orders by consumer (a page of 100)": () =>
      client.orders.list({ consumer: pick(f.consumers), cursor: pick(f.orderIds), limit: 100 }),
    "orders by status (a page of 100)": () =>
      client.orders.list({ status: pick(statuses), cursor: pick(f.orderIds), limit: 100 }),
    "orders by consumer and status (a page of 100)": () =>
      client.orders.list({
        consumer: pick(f.consumers),
        status: pick(statuses),
        cursor: pick(f.orderIds),
        limit: 100,
      }),
    "orders by offer (newest 100)": () => client.orders.list({ offerIds: [pick(f.dataOffers)], limit: 100 }),
    "suborders of a provider, New (a page of 100)": () =>
      client.suborders.list({
        provider: pick(f.providers),
        status: "New",
        cursor: pick(f.orderIds),
        limit: 100,
      }),
    "an order's history": () => client.orders.history({ orderId: pick(f.orderIds) }),
    "TCBs of a TEE offer": () => client.tcbs.list({ teeOfferId: f.teeOfferId }),
    "Data offers of a provider with a keyword (first 100)": () =>
      client.offers.list({
        offerType: OfferType.Data,
        provider: pick(f.providers),
        keywords: [pick(VOCABULARY)],
        limit: 100,
      }),
    "keyword search (best 20)": () =>
      client.offers.search({
        keywords: [pick(VOCABULARY), pick(VOCABULARY), pick(["2019", "2022", "2025"])],
        limit: 20,
      }),
  };
  const results: Record<string, ReturnType<typeof percentiles>> = {};
  for (const [name, run] of Object.entries(queries)) {
    results[name] = await time(ITERATIONS, run);
    console.log(`  ${name}: p50 ${results[name]?.p50Ms} ms, p95 ${results[name]?.p95Ms} ms`);
  }
  return results;
}

/** The same answers from the chain: the SDK's reads, and logs where the chain has no view. */
async function chainQueries(m: Marketplace, f: Fixture) {
  const pick = chooser(42);
  const { client, counter } = m.counted();
  const head = await m.publicClient.getBlockNumber();
  const from = m.deployment.blocks.deployed;
  // In ranges of LOG_RANGE blocks, as an RPC that caps eth_getLogs (and a response's size) needs.
  const logs = async (address: Address) => {
    const found: Log[] = [];
    for (let start = from; start <= head; start += LOG_RANGE) {
      const end = start + LOG_RANGE - 1n < head ? start + LOG_RANGE - 1n : head;
      found.push(
        ...(await getLogs(client.context.publicClient, { address, fromBlock: start, toBlock: end })),
      );
    }
    return found;
  };
  const queries: Record<string, { iterations: number; run: () => Promise<unknown> }> = {
    "orders by consumer (a page of 100)": {
      iterations: 5,
      run: async () => {
        const { orderIds } = await client.orders.list({ consumer: pick(f.consumers), limit: 100 });
        return Promise.all(orderIds.map((orderId) => client.orders.get({ orderId })));
      },
    },
    "orders by status (a page of 100)": {
      iterations: 2,
      run: async () => {
        const created = parseEventLogs({
          abi: ordersAbi,
          eventName: "WorkflowCreated",
          logs: await logs(m.deployment.contracts.orders),
        });
        const ids = created.map((log) => log.args.orderId).reverse();
        const found = [];
        for (let i = 0; i < ids.length && found.length < 100; i += 100) {
          const page = await client.orders.getMany({ orderIds: ids.slice(i, i + 100) });
          found.push(...page.filter((order) => order.status === OrderStatus.Canceled));
        }
        return found.slice(0, 100);
      },
    },
    "orders by offer (newest 100)": {
      iterations: 5,
      run: async () => {
        const { suborders } = await client.suborders.list({ offerId: pick(f.dataOffers), limit: 100 });
        return Promise.all(suborders.map((s) => client.orders.get({ orderId: s.parentId })));
      },
    },
    "suborders of a provider, New (a page of 100)": {
      iterations: 2,
      run: async () =>
        (await client.suborders.list({ provider: pick(f.providers), status: "New" })).suborders.slice(0, 100),
    },
    "an order's history": {
      iterations: 5,
      run: async () => {
        const orderId = pick(f.orderIds);
        const { suborders } = await client.orders.get({ orderId });
        const ids = [orderId, ...suborders.map((s) => s.id)];
        const range = {
          address: m.deployment.contracts.orders,
          abi: ordersAbi,
          fromBlock: from,
          toBlock: head,
        };
        const byOrder = ORDER_EVENTS.map((eventName) =>
          getContractEvents(client.context.publicClient, { ...range, eventName, args: { orderId: ids } }),
        );
        const bySuborder = getContractEvents(client.context.publicClient, {
          ...range,
          eventName: "SuborderCompleted",
          args: { suborderId: ids },
        });
        return (await Promise.all([...byOrder, bySuborder])).flat();
      },
    },
    "TCBs of a TEE offer": {
      iterations: 5,
      run: async () => {
        const published = parseEventLogs({
          abi: tcbRegistryAbi,
          eventName: "TcbPublished",
          logs: await logs(m.deployment.contracts.tcbRegistry),
        }).filter((log) => log.args.teeOfferId === f.teeOfferId);
        return Promise.all(published.map((log) => client.tcb.get({ tcbId: log.args.tcbId })));
      },
    },
    "keyword search (best 20)": {
      iterations: 1,
      run: async () => {
        const keywords = [pick(VOCABULARY), pick(VOCABULARY), "2022"];
        const matches = [];
        for (let first: bigint | undefined = 1n; first !== undefined;) {
          const page: Awaited<ReturnType<typeof client.offers.search>> = await client.offers.search({
            keywords,
            firstOfferId: first,
          });
          matches.push(...page.matches);
          first = page.nextOfferId;
        }
        return matches.slice(0, 20);
      },
    },
  };
  const results: Record<string, ReturnType<typeof percentiles> & { requestsPerQuery: number }> = {};
  for (const [name, { iterations, run }] of Object.entries(queries)) {
    const samples: number[] = [];
    counter.reset();
    for (let i = 0; i < iterations; i++) {
      const start = performance.now();
      await run();
      samples.push(performance.now() - start);
    }
    results[name] = {
      ...percentiles(samples),
      requestsPerQuery: Math.round(counter.snapshot().requests / iterations),
    };
    console.log(
      `  ${name}: p50 ${results[name]?.p50Ms} ms (${results[name]?.requestsPerQuery} JSON-RPC requests)`,
    );
  }
  return results;
}

async function measureIndexer(m: Marketplace, f: Fixture, database: IndexDatabase) {
  const head = await m.publicClient.getBlockNumber();
  const start = performance.now();
  const indexer = await startIndexer({
    deployment: m.deployment,
    rpcUrl: m.node.url,
    database,
    pollingInterval: 1000,
  });
  try {
    await indexer.waitForBlock(head);
    const backfillSeconds = Math.round((performance.now() - start) / 100) / 10;
    console.log(`  backfill: ${backfillSeconds} s`);
    const queries = await indexedQueries(createIndexerClient({ url: indexer.url }), f);
    return { backfillSeconds, queries };
  } finally {
    await indexer.stop();
  }
}

let market: Marketplace | undefined;
let postgres: PostgresServer | undefined;
const scratch = await mkdtemp(path.join(tmpdir(), "tee-marketplace-bench-indexer-"));
try {
  console.log(`Starting a Hardhat node and deploying...`);
  market = await startMarketplace();
  const m = market;
  const listing = await setUpProviders(m);
  const accounts = await getAddresses(createWalletClient({ chain: m.chain, transport: http(m.node.url) }));
  const extraProviders = accounts.slice(9, 17);
  const consumers = [m.cast.alice, m.cast.stranger, ...accounts.slice(17, 20)];
  for (const account of extraProviders) {
    await m.as(account).providers.register({
      info: { name: `Provider ${account}` },
      actionAccount: account,
      tokenReceiver: account,
    });
  }
  const perConsumer = BigInt(Math.ceil(ORDERS / consumers.length) + 1) * 20n * TOKEN;
  for (const consumer of consumers) await m.mint(consumer, perConsumer);

  const seedStart = performance.now();
  const sender = await BulkSender.on(m.node.url);
  await sender.send(approvals(m.deployment.contracts.paymentToken, m.deployment.contracts.orders, consumers));
  const providers = [m.cast.bob, m.cast.carol, ...extraProviders];
  console.log(`Seeding ${OFFERS} offers...`);
  const { offers } = await seedOffers(sender, m.reader, providers, OFFERS - 2);
  console.log(`Seeding ${ORDERS} workflows...`);
  const orderIds = await seedOrders(sender, m.reader, {
    consumers,
    offers,
    count: ORDERS,
    tee: {
      teeOfferId: listing.teeOfferId,
      teeSlotId: listing.teeSlotId,
      teeKey: m.tee.account.address,
      solutionHash: listing.solution.hash,
      resultRecipient: ALICE_RESULT_KEY.publicKey,
    },
  });
  await sender.done();
  const seedSeconds = Math.round((performance.now() - seedStart) / 100) / 10;
  const blocks = await m.publicClient.getBlockNumber();
  console.log(`Seeded in ${seedSeconds} s: ${blocks} blocks`);
  const fixture: Fixture = {
    consumers,
    providers,
    dataOffers: offers.map((offer) => offer.offerId),
    orderIds,
    teeOfferId: listing.teeOfferId,
  };

  const indexers: Record<string, Awaited<ReturnType<typeof measureIndexer>>> = {};
  console.log("Indexer on PGlite:");
  indexers["pglite"] = await measureIndexer(m, fixture, {
    kind: "pglite",
    directory: path.join(scratch, "pglite"),
  });
  console.log("Indexer on PostgreSQL:");
  postgres = await startPostgres();
  indexers["postgres"] = await measureIndexer(m, fixture, { kind: "postgres", url: postgres.url });
  console.log("The same answers from the chain:");
  const chain = await chainQueries(m, fixture);

  const failures: string[] = [];
  for (const [kind, result] of Object.entries(indexers)) {
    if (result.backfillSeconds > BACKFILL_BUDGET_SECONDS) {
      failures.push(`${kind} backfill: ${result.backfillSeconds} s, budget ${BACKFILL_BUDGET_SECONDS} s`);
    }
    for (const [name, { p95Ms }] of Object.entries(result.queries)) {
      if (p95Ms > QUERY_P95_BUDGET_MS)
        failures.push(`${kind} ${name}: p95 ${p95Ms} ms, budget ${QUERY_P95_BUDGET_MS} ms`);
    }
  }
  const output = {
    description:
      `A Hardhat node on 127.0.0.1 seeded in bulk with ${OFFERS} offers (10 providers, one slot each, keywords and ` +
      `dataset metadata) and ${ORDERS} workflows (5 consumers, one TEE offer and one Data input each; every tenth ` +
      `canceled), indexed by \`ponder start\` (Ponder 0.16.10) on PGlite and on PostgreSQL ${postgresVersion()}. ` +
      `Backfill: seconds from the indexer's start to the index reaching the chain's head. Queries: the SDK's indexer ` +
      `client over HTTP, ${ITERATIONS} runs each with varied parameters after ${WARM_UP} warm-up runs. Chain: the same ` +
      `answers with the SDK on the node (viem http transport, batching on), and the deployment's logs where the ` +
      `contracts have no view; a few runs each. Machine: ${availableParallelism()} cores, shared.`,
    size: { offers: OFFERS, workflows: ORDERS, blocks: Number(blocks), seedSeconds },
    budgets: { queryP95Ms: QUERY_P95_BUDGET_MS, backfillSeconds: BACKFILL_BUDGET_SECONDS },
    indexers,
    chain,
  };
  await mkdir(path.dirname(outputFile), { recursive: true });
  const prettierOptions = (await resolveConfig(outputFile)) ?? {};
  await writeFile(
    outputFile,
    await format(JSON.stringify(output), { ...prettierOptions, filepath: outputFile }),
  );
  console.log(`Written to ${path.relative(root, outputFile)}`);
  if (failures.length > 0) {
    console.error(`Over budget:\n- ${failures.join("\n- ")}`);
    process.exitCode = 1;
  }
} finally {
  await market?.stop();
  await postgres?.stop();
  await rm(scratch, { recursive: true, force: true });
}

/** The PostgreSQL server's version, for the record. */
function postgresVersion(): string {
  try {
    return execFileSync("postgres", ["--version"], { encoding: "utf8" })
      .trim()
      .replace(/^postgres \(PostgreSQL\) /, "");
  } catch {
    return "(version unknown)";
  }
}
