/**
 * SDK benchmark: the browser bundle of the main entry (minified, gzip), and the JSON-RPC requests and
 * HTTP round trips of the SDK's multi-call operations against a Hardhat node started like the SDK's
 * integration tests (127.0.0.1, a free port, stopped at the end), with JSON-RPC batching on. Runs a
 * workflow with 4 data suborders and writes benchmarks/sdk.json with the bundle's size and the counts
 * of orders.get, suborders.complete and reports.verify; fails when one is over its budget.
 *
 * Usage: npm run bench:sdk (after `npm run build`)
 */
import { mkdir, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { format, resolveConfig } from "prettier";
import { type Hex, createWalletClient, http } from "viem";
import { waitForTransactionReceipt, writeContract } from "viem/actions";

import { OrderStatus, RuntimeType } from "../sdk/src/index.js";
import type { RequestCounter } from "../sdk/src/testing/index.js";
import {
  ALICE_RESULT_KEY,
  DEPOSIT,
  type Marketplace,
  completeDone,
  createDataOffer,
  setUpProviders,
  startMarketplace,
} from "../sdk/test/support/marketplace.js";
import { fixture } from "../sdk/test/support/paths.js";
import { bundleSize } from "./lib/bundleSize.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const outputFile = path.join(root, "benchmarks", "sdk.json");
const SUBORDERS = 4;
/** Orders Alice placed before, so that listing all of hers takes several id pages of 1000. */
const EARLIER_ORDERS = 2000;
/** Round-trip budgets (with JSON-RPC batching). */
const BUDGETS: Record<string, number> = {
  "orders.createWorkflow": 5,
  "orders.get": 3,
  "suborders.complete": 5,
  "suborders.list (provider)": 5,
  "reports.verify": 3,
  [`orders.list (all ${EARLIER_ORDERS + 1} orders, then orders.getMany of a page)`]: 5,
};
/** The main entry's browser bundle, minified and gzipped, in bytes. */
const BUNDLE_BUDGET_GZIP_BYTES = 120_000;

interface Measurement {
  requests: number;
  roundTrips: number;
  methods: string[];
}

async function measure(counter: RequestCounter, run: () => Promise<unknown>): Promise<Measurement> {
  counter.reset();
  await run();
  return counter.snapshot();
}

console.log("Bundling the SDK's main entry for the browser...");
const bundle = await bundleSize(path.join(root, "sdk", "src", "index.ts"));
console.log(`bundle: ${bundle.minifiedBytes} bytes minified, ${bundle.gzipBytes} bytes gzip`);

let market: Marketplace | undefined;
try {
  console.log("Starting a Hardhat node and deploying...");
  market = await startMarketplace();
  const m = market;
  const listing = await setUpProviders(m);
  const bob = m.as(m.cast.bob);
  const inputs = [{ offerId: listing.dataOfferId, slotId: listing.dataSlotId }];
  for (let i = 1; i < SUBORDERS; i++) {
    const { offerId, slotId } = await createDataOffer(bob);
    inputs.push({ offerId, slotId });
  }
  console.log(`Workflow with ${SUBORDERS} data suborders...`);
  await m.mint(m.cast.alice, DEPOSIT);
  await m.as(m.cast.alice).payments.approve({ amount: DEPOSIT });
  const alice = m.counted(m.cast.alice);
  const results: Record<string, Measurement> = {};
  let created: { orderId: bigint; suborderIds: bigint[] } | undefined;
  results["orders.createWorkflow"] = await measure(alice.counter, async () => {
    created = await alice.client.orders.createWorkflow({
      teeOfferId: listing.teeOfferId,
      teeSlotId: listing.teeSlotId,
      solution: listing.solution,
      inputs,
      deposit: DEPOSIT,
      resultRecipients: [ALICE_RESULT_KEY.publicKey],
    });
  });
  const { orderId, suborderIds } = created!;

  const reader = m.counted();
  results["orders.get"] = await measure(reader.counter, () => reader.client.orders.get({ orderId }));
  results["suborders.list (provider)"] = await measure(reader.counter, () =>
    reader.client.suborders.list({ provider: m.cast.bob, status: "New" }),
  );

  for (const suborderId of suborderIds.slice(0, -1)) {
    await bob.suborders.complete({
      suborderId,
      status: "Done",
      solutionHash: listing.solution,
      resourceFile: listing.dataset,
    });
  }
  const bobCounted = m.counted(m.cast.bob);
  const lastSuborder = suborderIds.at(-1)!;
  results["suborders.complete"] = await measure(bobCounted.counter, () =>
    bobCounted.client.suborders.complete({
      suborderId: lastSuborder,
      status: "Done",
      solutionHash: listing.solution,
      resourceFile: listing.dataset,
    }),
  );
  const { order } = await m.reader.orders.get({ orderId });
  if (order.status !== OrderStatus.New)
    throw new Error(`order ${orderId} should be New, it is ${order.status}`);

  const tee = m.as(m.tee.account);
  await tee.orders.start({ orderId });
  await tee.reports.publish({
    orderId,
    signer: m.tee.privateKey,
    runtimeInfo: [
      {
        runtimeType: RuntimeType.Image,
        size: BigInt((await stat(fixture("solution.bin"))).size),
        hash: listing.solution.hash,
      },
      { runtimeType: RuntimeType.Data, size: 46n, hash: listing.dataset.hash },
    ],
  });
  await completeDone(m, orderId);
  let verified = false;
  results["reports.verify"] = await measure(reader.counter, async () => {
    verified = (await reader.client.reports.verify(orderId, { solutionHash: listing.solution })).ok;
  });
  if (!verified) throw new Error("the report did not verify");

  console.log(`${EARLIER_ORDERS} more orders of Alice's...`);
  await m.mint(m.cast.alice, DEPOSIT * BigInt(EARLIER_ORDERS));
  const aliceWriter = m.as(m.cast.alice);
  await aliceWriter.payments.approve({ amount: DEPOSIT * BigInt(EARLIER_ORDERS) });
  const call = await aliceWriter.calls.createWorkflow({
    teeOfferId: listing.teeOfferId,
    teeSlotId: listing.teeSlotId,
    solutionHash: listing.solution,
    inputs: [],
    deposit: DEPOSIT,
    resultRecipients: [ALICE_RESULT_KEY.publicKey],
  });
  const aliceWallet = createWalletClient({
    account: m.cast.alice,
    chain: m.chain,
    transport: http(m.node.url),
  });
  const hashes: Hex[] = [];
  for (let i = 0; i < EARLIER_ORDERS; i++) {
    hashes.push(await writeContract(aliceWallet, { ...call, gas: 600_000n }));
    if ((i + 1) % 500 === 0) console.log(`  ${i + 1}/${EARLIER_ORDERS}`);
  }
  await waitForTransactionReceipt(m.publicClient, { hash: hashes.at(-1)! });
  let listed = 0;
  results[`orders.list (all ${EARLIER_ORDERS + 1} orders, then orders.getMany of a page)`] = await measure(
    reader.counter,
    async () => {
      const ids: bigint[] = [];
      let cursor: bigint | undefined;
      do {
        const page = await reader.client.orders.list({
          consumer: m.cast.alice,
          limit: 1000,
          ...(cursor === undefined ? {} : { cursor }),
        });
        ids.push(...page.orderIds);
        cursor = page.nextCursor;
      } while (cursor !== undefined);
      listed = ids.length;
      await reader.client.orders.getMany({ orderIds: ids.slice(0, 100) });
    },
  );
  if (listed !== EARLIER_ORDERS + 1)
    throw new Error(`listed ${listed} orders, expected ${EARLIER_ORDERS + 1}`);

  const failures = Object.entries(BUDGETS)
    .filter(([name, budget]) => (results[name]?.roundTrips ?? Infinity) > budget)
    .map(([name, budget]) => `${name}: ${results[name]?.roundTrips} round trips, budget ${budget}`);
  if (bundle.gzipBytes > BUNDLE_BUDGET_GZIP_BYTES) {
    failures.push(`bundle: ${bundle.gzipBytes} bytes gzip, budget ${BUNDLE_BUDGET_GZIP_BYTES}`);
  }
  const output = {
    description:
      `JSON-RPC requests and HTTP round trips per SDK call against a Hardhat node on 127.0.0.1, viem http transport ` +
      `with batch: true (a JSON-RPC account sends), a workflow with ${SUBORDERS} data suborders. createWorkflow: the ` +
      `enclave and the slots' terms, the enclave's public key, the simulation with the wallet's chain, the send, the ` +
      `receipt; suborders.complete: the suborder with its order, enclave and block time, the public key, then the ` +
      `same write; reports.verify: the workflow, the report with its block and enclave, the TCB's status and ` +
      `measurement; orders.list pages ${EARLIER_ORDERS + 1} order ids by 1000 (one more round trip per 1000 orders, ` +
      `so 10,000 orders take 10), then reads 100 of them in one call.`,
    bundle: {
      description:
        "sdk/src/index.ts bundled for the browser with esbuild (everything it imports, viem included), minified, gzip level 9",
      ...bundle,
      budgetGzipBytes: BUNDLE_BUDGET_GZIP_BYTES,
    },
    budgets: BUDGETS,
    operations: results,
  };
  await mkdir(path.dirname(outputFile), { recursive: true });
  // Written as prettier writes it, so `prettier --check` passes on the committed file.
  const prettierOptions = (await resolveConfig(outputFile)) ?? {};
  await writeFile(
    outputFile,
    await format(JSON.stringify(output), { ...prettierOptions, filepath: outputFile }),
  );
  for (const [name, { requests, roundTrips }] of Object.entries(results)) {
    console.log(`${name}: ${requests} requests, ${roundTrips} round trips`);
  }
  console.log(`Written to ${path.relative(root, outputFile)}`);
  if (failures.length > 0) {
    console.error(`Over budget:\n- ${failures.join("\n- ")}`);
    process.exitCode = 1;
  }
} finally {
  await market?.stop();
}
