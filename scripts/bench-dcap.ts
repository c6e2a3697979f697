/**
 * DCAP benchmark: the time `verifyQuote` (@tee-marketplace/sdk/dcap) takes on the real Intel TDX
 * quote of test/fixtures/dcap, warm (after warm-up runs), at a time inside its collateral's window;
 * and, for the record, the browser bundle size of the dcap entry. Writes benchmarks/dcap.json; fails
 * when the median is over budget.
 *
 * Usage: npm run bench:dcap
 */
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { format, resolveConfig } from "prettier";

import { verifyQuote } from "../sdk/src/dcap/index.js";
import { bundleSize } from "./lib/bundleSize.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const outputFile = path.join(root, "benchmarks", "dcap.json");
const fixtures = path.join(root, "test", "fixtures", "dcap");
const WARM_UP_RUNS = 20;
const RUNS = 100;
/** Budget for the warm median, in milliseconds. */
const BUDGET_MS = 100;

const quote = new Uint8Array(await readFile(path.join(fixtures, "tdx_quote")));
const collateral = await readFile(path.join(fixtures, "tdx_quote_collateral.json"), "utf8");
const tcbInfo = JSON.parse((JSON.parse(collateral) as { tcb_info: string }).tcb_info) as {
  issueDate: string;
};
const at = Date.parse(tcbInfo.issueDate) / 1000 + 3600;

const verify = async () => {
  const verified = await verifyQuote(quote, collateral, { at });
  if (verified.status !== "UpToDate") throw new Error(`the TDX sample verified as ${verified.status}`);
};
console.log(`verifyQuote on the TDX sample: ${WARM_UP_RUNS} warm-up runs, then ${RUNS} timed runs...`);
for (let i = 0; i < WARM_UP_RUNS; i++) await verify();
const times: number[] = [];
for (let i = 0; i < RUNS; i++) {
  const start = performance.now();
  await verify();
  times.push(performance.now() - start);
}
times.sort((a, b) => a - b);
const percentile = (p: number) =>
  round(times[Math.min(times.length - 1, Math.floor((p / 100) * times.length))]!);

const median = percentile(50);
const output = {
  description:
    `verifyQuote (@tee-marketplace/sdk/dcap, @phala/dcap-qvl 0.3.9 with node:crypto) on the real Intel TDX quote v4 ` +
    `of test/fixtures/dcap with its collateral file, at its TCB info's issueDate + 1 h: milliseconds per call after ` +
    `${WARM_UP_RUNS} warm-up calls, over ${RUNS} calls, on Node ${process.versions.node}. The dcap entry's browser ` +
    `bundle (esbuild, minified, gzip level 9; viem included), for the record (no budget; the main entry's is in sdk.json).`,
  budgets: { verifyQuoteMedianMs: BUDGET_MS },
  verifyQuote: { runs: RUNS, medianMs: median, p90Ms: percentile(90), minMs: round(times[0]!) },
  bundle: await bundleSize(path.join(root, "sdk", "src", "dcap", "index.ts")),
};
// Written as prettier writes it, so `prettier --check` passes on the committed file.
const prettierOptions = (await resolveConfig(outputFile)) ?? {};
await writeFile(
  outputFile,
  await format(JSON.stringify(output), { ...prettierOptions, filepath: outputFile }),
);
console.log(`verifyQuote: median ${median} ms, p90 ${output.verifyQuote.p90Ms} ms (budget ${BUDGET_MS} ms)`);
console.log(`Written to ${path.relative(root, outputFile)}`);
if (median > BUDGET_MS) {
  console.error(`Over budget: verifyQuote median ${median} ms, budget ${BUDGET_MS} ms`);
  process.exitCode = 1;
}

function round(ms: number): number {
  return Math.round(ms * 100) / 100;
}
