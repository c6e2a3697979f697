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

import { OrderStatus, RuntimeType } from "../sdk/src/index.js";
import type { RequestCounter } from "../sdk/src/testing/index.js";
import {
  type Marketplace,
  createDataOffer,
  placeWorkflow,
  setUpProviders,
  startMarketplace,
} from "../sdk/test/support/marketplace.js";
import { fixture } from "../sdk/test/support/paths.js";
import { bundleSize } from "./lib/bundleSize.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const outputFile = path.join(root, "benchmarks", "sdk.json");
const SUBORDERS = 4;
/** Round-trip budgets (with JSON-RPC batching). */
const BUDGETS: Record<string, number> = { "orders.get": 3, "reports.verify": 3 };
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
  const { orderId, suborderIds } = await placeWorkflow(m, listing, inputs);

  const reader = m.counted();
  const results: Record<string, Measurement> = {};
  results["orders.get"] = await measure(reader.counter, () => reader.client.orders.get({ orderId }));

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
  await tee.orders.complete({ orderId, status: "Done" });
  let verified = false;
  results["reports.verify"] = await measure(reader.counter, async () => {
    verified = (await reader.client.reports.verify(orderId, { solutionHash: listing.solution })).ok;
  });
  if (!verified) throw new Error("the report did not verify");

  const failures = Object.entries(BUDGETS)
    .filter(([name, budget]) => (results[name]?.roundTrips ?? Infinity) > budget)
    .map(([name, budget]) => `${name}: ${results[name]?.roundTrips} round trips, budget ${budget}`);
  if (bundle.gzipBytes > BUNDLE_BUDGET_GZIP_BYTES) {
    failures.push(`bundle: ${bundle.gzipBytes} bytes gzip, budget ${BUNDLE_BUDGET_GZIP_BYTES}`);
  }
  const output = {
    description:
      `JSON-RPC requests and HTTP round trips per SDK call against a Hardhat node on 127.0.0.1, viem http transport ` +
      `with batch: true, a workflow with ${SUBORDERS} data suborders. suborders.complete counts the read-only checks ` +
      `(suborder, workflow, active TCB, TCB, public key log) and the write (simulate, send, receipt).`,
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
