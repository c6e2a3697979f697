/**
 * Agent benchmark: the agent's own overhead on an order, against a Hardhat node started like the
 * agent's tests (127.0.0.1, a free port, stopped at the end), with the process runner and an FS
 * storage. For each of several orders: the time from the order becoming New (the receipt of the
 * last data owner's completion) to its report being published (the agent's `report-published`
 * event: it polls, starts the order, opens and checks the inputs, signs and sends the report), and
 * from the solution's exit to Done (`solution-exited` to `order-completed`: pack, encrypt, upload,
 * seal, sign, complete). Polls every 100 ms. Writes benchmarks/agent.json with the medians and the
 * worst, and fails when a median is over its budget.
 *
 * Usage: npm run bench:agent (after `npm run build`)
 */
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { format, resolveConfig } from "prettier";

import { parseResourceFile } from "@tee-marketplace/sdk";

import {
  OVERLAP_SOLUTION,
  type RunningAgent,
  type World,
  handOver,
  orderEvent,
  placeOrder,
  runAgent,
  startWorld,
} from "../agent/test/support/world.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const outputFile = path.join(root, "benchmarks", "agent.json");
const ORDERS = 5;
/** Budgets for the medians, in milliseconds. */
const BUDGETS = { newToReportMs: 1500, exitToDoneMs: 750 };

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

let world: World | undefined;
let running: RunningAgent | undefined;
let failed = false;
try {
  console.log("Starting a Hardhat node, deploying, listing the offers...");
  world = await startWorld();
  running = await runAgent(world, world.config({ pollIntervalMs: 100, maxConcurrentOrders: 1 }));
  const solution = await world.uploadSolution(OVERLAP_SOLUTION);
  const solutionHash = parseResourceFile(solution).hash;
  const newToReport: number[] = [];
  const exitToDone: number[] = [];
  for (let i = 0; i < ORDERS; i++) {
    const created = await placeOrder(world, { solution, owners: [world.bob, world.dave] });
    await handOver(world, created, [world.bob], solutionHash);
    await handOver(world, { suborderIds: created.suborderIds.slice(1) }, [world.dave], solutionHash);
    const becameNew = Date.now();
    const reported = await running.waitFor("report-published", orderEvent(created.orderId));
    const exited = await running.waitFor("solution-exited", orderEvent(created.orderId));
    const done = await running.waitFor("order-completed", orderEvent(created.orderId, "Done"));
    newToReport.push(Date.parse(reported.time) - becameNew);
    exitToDone.push(Date.parse(done.time) - Date.parse(exited.time));
    console.log(
      `order ${created.orderId}: New → report ${newToReport.at(-1)} ms, exit → Done ${exitToDone.at(-1)} ms`,
    );
  }
  const result = {
    description:
      "The TEE provider's agent against a local Hardhat node (automine), process runner, FS storage, polling every 100 ms, " +
      `${ORDERS} orders of two datasets one after another: New (the last data owner's completion mined) → report ` +
      "published (poll, start, open and check the inputs, sign and send the report), and solution exit → Done (pack, " +
      "encrypt, upload, seal three pointers, sign, complete). Medians and worst of the runs; budgets on the medians.",
    budgets: BUDGETS,
    environment: { node: process.version },
    orders: ORDERS,
    newToReportMs: { median: median(newToReport), worst: Math.max(...newToReport), runs: newToReport },
    exitToDoneMs: { median: median(exitToDone), worst: Math.max(...exitToDone), runs: exitToDone },
  };
  await mkdir(path.dirname(outputFile), { recursive: true });
  const options = (await resolveConfig(outputFile)) ?? {};
  await writeFile(outputFile, await format(JSON.stringify(result), { ...options, filepath: outputFile }));
  console.log(`wrote ${path.relative(root, outputFile)}`);
  if (result.newToReportMs.median > BUDGETS.newToReportMs) {
    console.error(
      `New → report median ${result.newToReportMs.median} ms is over its ${BUDGETS.newToReportMs} ms budget`,
    );
    failed = true;
  }
  if (result.exitToDoneMs.median > BUDGETS.exitToDoneMs) {
    console.error(
      `exit → Done median ${result.exitToDoneMs.median} ms is over its ${BUDGETS.exitToDoneMs} ms budget`,
    );
    failed = true;
  }
} finally {
  await running?.agent.stop();
  await world?.stop();
}
process.exitCode = failed ? 1 : 0;
