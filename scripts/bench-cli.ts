/**
 * CLI start-up benchmark: the wall time of `tee-market --help` (the installed bin: the launcher,
 * then the built CLI) against `node -e 0` on the same machine in the same run, each the median of
 * several runs, interleaved. Writes benchmarks/cli.json and fails when the ratio is over its budget.
 *
 * Usage: npm run bench:cli (after `npm run build`)
 */
import { spawnSync } from "node:child_process";
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { format, resolveConfig } from "prettier";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const outputFile = path.join(root, "benchmarks", "cli.json");
const bin = path.join(root, "cli", "bin", "tee-market.js");
const RUNS = 15;
/** `tee-market --help` may take at most this many times `node -e 0`. */
const BUDGET_RATIO = 4;

/** Milliseconds one run of `node <args>` takes, start to exit. */
function timeRun(args: string[]): number {
  const start = process.hrtime.bigint();
  const result = spawnSync(process.execPath, args, { cwd: root, stdio: ["ignore", "ignore", "pipe"] });
  const elapsed = Number(process.hrtime.bigint() - start) / 1e6;
  if (result.status !== 0) throw new Error(`node ${args.join(" ")} failed: ${result.stderr.toString()}`);
  return elapsed;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

// A first run of each warms the file system cache (and builds the CLI if dist/ is missing).
timeRun([bin, "--help"]);
timeRun(["-e", "0"]);
const help: number[] = [];
const bare: number[] = [];
for (let i = 0; i < RUNS; i++) {
  help.push(timeRun([bin, "--help"]));
  bare.push(timeRun(["-e", "0"]));
}
const helpMs = median(help);
const nodeMs = median(bare);
const ratio = helpMs / nodeMs;
const round = (value: number) => Math.round(value * 10) / 10;
const output = {
  description:
    `Wall time of \`tee-market --help\` (node cli/bin/tee-market.js --help) and of \`node -e 0\`, ` +
    `${RUNS} runs each, interleaved, median; node ${process.version}. The ratio is what the budget bounds.`,
  budgetRatio: BUDGET_RATIO,
  ratio: round(ratio),
  helpMedianMs: round(helpMs),
  nodeMedianMs: round(nodeMs),
};
await mkdir(path.dirname(outputFile), { recursive: true });
const prettierOptions = (await resolveConfig(outputFile)) ?? {};
await writeFile(
  outputFile,
  await format(JSON.stringify(output), { ...prettierOptions, filepath: outputFile }),
);
console.log(`tee-market --help: ${round(helpMs)} ms, node -e 0: ${round(nodeMs)} ms, ratio ${round(ratio)}`);
console.log(`Written to ${path.relative(root, outputFile)}`);
if (ratio > BUDGET_RATIO) {
  console.error(`Over budget: tee-market --help takes ${round(ratio)}× node -e 0, budget ${BUDGET_RATIO}×`);
  process.exitCode = 1;
}
