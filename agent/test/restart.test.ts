/**
 * The agent as a program (`tee-market-agent run --config <file> --json`, the built bin) killed with
 * SIGKILL after it published an order's report, and started again: the new process has new keys,
 * so it can neither report nor run the order again; it ends it Error with the reason, once, and the
 * order is settled once. It then serves new orders with its new enclave.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { createInterface } from "node:readline";

import { expect } from "chai";
import { getContractEvents } from "viem/actions";

import { OrderStatus, ordersAbi, parseResourceFile } from "@tee-marketplace/sdk";

import type { AgentEvent } from "../src/index.js";
import { type World, handOver, placeOrder, repoRoot, startWorld } from "./support/world.js";

const BIN = path.join(repoRoot, "agent", "bin", "tee-market-agent.js");

/** A child agent and its JSON events. */
interface ChildAgent {
  child: ChildProcess;
  events: AgentEvent[];
  stderr: () => string;
  waitFor(match: (event: AgentEvent) => boolean, timeoutMs?: number): Promise<AgentEvent>;
  exited: Promise<number | null>;
}

function startChild(world: World, configFile: string): ChildAgent {
  const child = spawn(process.execPath, [BIN, "run", "--config", configFile, "--json"], {
    env: { PATH: process.env["PATH"] ?? "", TEE_MARKET_AGENT_PRIVATE_KEY: world.operatorKey },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const events: AgentEvent[] = [];
  const wakers = new Set<() => void>();
  let stderr = "";
  child.stderr!.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  createInterface({ input: child.stdout! }).on("line", (line) => {
    events.push(JSON.parse(line) as AgentEvent);
    for (const wake of wakers) wake();
  });
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return {
    child,
    events,
    stderr: () => stderr,
    exited,
    waitFor: (match, timeoutMs = 60_000) =>
      new Promise((resolve, reject) => {
        const check = () => {
          const found = events.find(match);
          if (found === undefined) return;
          clearTimeout(timer);
          wakers.delete(check);
          resolve(found);
        };
        const timer = setTimeout(() => {
          wakers.delete(check);
          reject(
            new Error(
              `no such event within ${timeoutMs} ms:\n${events.map((e) => e.message).join("\n")}\n${stderr}`,
            ),
          );
        }, timeoutMs);
        wakers.add(check);
        check();
      }),
  };
}

describe("agent: killed after the report and restarted", function () {
  this.timeout(300_000);
  let world: World;
  const children: ChildProcess[] = [];

  before(async () => {
    world = await startWorld();
  });
  after(async () => {
    for (const child of children) if (child.exitCode === null) child.kill("SIGKILL");
    await world?.stop();
  });

  it("ends the reported order Error once, never reports it twice, and serves the next order", async () => {
    const configFile = path.join(world.dir, "agent.json");
    const config = world.config();
    await writeFile(
      configFile,
      JSON.stringify({
        rpcUrl: world.m.node.url,
        deployment: world.m.deployment.contracts && {
          chainId: world.m.deployment.chainId,
          contracts: world.m.deployment.contracts,
          blocks: { deployed: world.m.deployment.blocks.deployed.toString() },
        },
        teeOfferId: world.teeOfferId.toString(),
        attestationService: config.attestationService,
        quotes: { source: "stand-in", standInUrl: config.quotes.standInUrl },
        storage: { type: "FS", directory: "results" },
        runner: { type: "process", workDirectory: "work" },
        pollIntervalMs: 100,
      }),
    );
    const first = startChild(world, configFile);
    children.push(first.child);
    const started = await first.waitFor((e) => e.type === "agent-started");
    await first.waitFor((e) => e.type === "attested");
    const solution = await world.uploadSolution();
    const gate = path.join(world.dir, `gate-${randomBytes(4).toString("hex")}`);
    const created = await placeOrder(world, { solution, owners: [world.bob], args: { waitFor: gate } });
    expect(created.teeKey, "bound to the first process's enclave").to.equal(started.details?.["teeKey"]);
    await handOver(world, created, [world.bob], parseResourceFile(solution).hash);
    await first.waitFor((e) => e.type === "report-published" && e.orderId === created.orderId.toString());
    first.child.kill("SIGKILL");
    await first.exited;
    await writeFile(gate, "go");

    const second = startChild(world, configFile);
    children.push(second.child);
    const restarted = await second.waitFor((e) => e.type === "agent-started");
    expect(restarted.details?.["teeKey"], "the restarted enclave's key").to.not.equal(created.teeKey);
    const end = await second.waitFor(
      (e) => e.type === "order-completed" && e.orderId === created.orderId.toString(),
    );
    expect(end.details?.["status"], "the ending").to.equal("Error");
    expect(end.message, "the reason").to.match(/is gone: its agent restarted/);
    const { order } = await world.m.reader.orders.get({ orderId: created.orderId });
    expect(order.status, "status").to.equal(OrderStatus.Error);
    const orders = world.m.deployment.contracts.orders;
    const reports = await getContractEvents(world.m.publicClient, {
      address: orders,
      abi: ordersAbi,
      eventName: "OrderReportPublished",
      args: { orderId: created.orderId },
      fromBlock: 0n,
    });
    expect(reports, "reports of the order").to.have.length(1);
    const settlements = await getContractEvents(world.m.publicClient, {
      address: orders,
      abi: ordersAbi,
      eventName: "PaymentsCredited",
      args: { orderId: created.orderId },
      fromBlock: 0n,
    });
    expect(settlements, "settlements of the order").to.have.length(1);

    const next = await placeOrder(world, { solution, owners: [world.bob] });
    expect(next.teeKey, "new workflows go to the new enclave").to.equal(restarted.details?.["teeKey"]);
    await handOver(world, next, [world.bob], parseResourceFile(solution).hash);
    const done = await second.waitFor(
      (e) => e.type === "order-completed" && e.orderId === next.orderId.toString(),
    );
    expect(done.details?.["status"], "the next order's ending").to.equal("Done");

    second.child.kill("SIGTERM");
    expect(await second.exited, "exit code after SIGTERM").to.equal(0);
    expect(second.events.at(-1)?.type, "the last event").to.equal("agent-stopped");
  });
});
