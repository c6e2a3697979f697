/**
 * The agent keeps going through the RPC's faults, on a real node behind a proxy the test controls:
 * the RPC down for a few seconds in the middle of an order, rate-limited (429), and refusing
 * `eth_getLogs` ranges larger than its limit. And its TCB expiring during a long order: the refresh
 * keeps the enclave's key, so the report stays good and the order completes Done.
 */
import { randomBytes } from "node:crypto";
import { writeFile } from "node:fs/promises";
import path from "node:path";

import { expect } from "chai";

import { OrderStatus, TcbStatus, parseResourceFile } from "@tee-marketplace/sdk";

import { type RpcProxy, startRpcProxy } from "./support/rpcProxy.js";
import {
  type RunningAgent,
  type World,
  handOver,
  orderEvent,
  placeOrder,
  runAgent,
  startWorld,
} from "./support/world.js";

describe("agent: faults of the RPC, and a TCB expiring during an order", function () {
  this.timeout(300_000);
  const TCB_LIFETIME = 3600;
  let world: World;
  let proxy: RpcProxy;
  let running: RunningAgent | undefined;

  before(async () => {
    world = await startWorld({ tcbLifetime: TCB_LIFETIME });
    proxy = await startRpcProxy(world.m.node.url);
  });
  after(async () => {
    await running?.agent.stop();
    await proxy?.close();
    await world?.stop();
  });

  it("reads logs in ranges within the RPC's limit, narrowing when the RPC refuses a range", async () => {
    proxy.limitLogRange(8n);
    running = await runAgent(world, world.config({ rpcUrl: proxy.url, logBlockRange: 50, fromBlock: "0" }));
    const narrowed = await running.waitFor("warning", (e) => /refused logs of 50 blocks/.test(e.message));
    expect(narrowed.message, "the warning").to.match(/reading 25 at a time/);
    await running.waitFor("warning", (e) => /reading 6 at a time/.test(e.message));
    for (let waited = 0; proxy.logRanges.length === 0 && waited < 10_000; waited += 100) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(proxy.logRanges.length, "log requests passed").to.be.greaterThan(0);
    expect(
      proxy.logRanges.every((r) => r <= 8n),
      `ranges passed: ${proxy.logRanges.join(", ")}`,
    ).to.equal(true);
  });

  it("retries with backoff while the RPC is down or rate-limited, and completes the order", async () => {
    if (running === undefined) throw new Error("no agent");
    const solution = await world.uploadSolution();
    const gate = path.join(world.dir, `gate-${randomBytes(4).toString("hex")}`);
    const created = await placeOrder(world, { solution, owners: [world.bob], args: { waitFor: gate } });
    await handOver(world, created, [world.bob], parseResourceFile(solution).hash);
    await running.waitFor("solution-started", orderEvent(created.orderId));
    await proxy.down();
    await writeFile(gate, "go");
    await running.waitFor("retrying", (e) =>
      /no answer from .*ECONNREFUSED|no answer from .*fetch failed/.test(e.message),
    );
    await new Promise((resolve) => setTimeout(resolve, 3000));
    proxy.rateLimit(true);
    await proxy.up();
    await running.waitFor("retrying", (e) => /HTTP 429/.test(e.message));
    await new Promise((resolve) => setTimeout(resolve, 2000));
    proxy.rateLimit(false);
    const end = await running.waitFor("order-completed", orderEvent(created.orderId));
    expect(end.details?.["status"], "the ending").to.equal("Done");
    expect(proxy.rateLimited, "requests answered 429").to.be.greaterThan(0);
    const { order } = await world.m.reader.orders.get({ orderId: created.orderId });
    expect(order.status, "status").to.equal(OrderStatus.Done);
    const health = running.agent.status();
    expect(health.status, "healthz after the outage").to.equal("ok");
  });

  it("refreshes the TCB before it expires during a long order, with the same key, and completes Done", async () => {
    if (running === undefined) throw new Error("no agent");
    const { agent } = running;
    const firstTcb = agent.tcb;
    const solution = await world.uploadSolution();
    const gate = path.join(world.dir, `gate-${randomBytes(4).toString("hex")}`);
    const created = await placeOrder(world, { solution, owners: [world.bob], args: { waitFor: gate } });
    await handOver(world, created, [world.bob], parseResourceFile(solution).hash);
    await running.waitFor("solution-started", orderEvent(created.orderId));
    const { timestamp } = await world.m.publicClient.getBlock();
    await world.m.increaseTime(firstTcb.validUntil - Number(timestamp) - 30);
    const refreshed = await running.waitFor("attested", (e) => e.details?.["refresh"] === true);
    expect(BigInt(String(refreshed.details?.["tcbId"])) > firstTcb.tcbId, "the new TCB is newer").to.equal(
      true,
    );
    await world.m.increaseTime(60);
    const old = await world.m.reader.tcb.get({ tcbId: firstTcb.tcbId });
    expect(old.status, "the first TCB now").to.not.equal(TcbStatus.Active);
    const key = await world.m.reader.tcb.teeKey({ teeKey: agent.teeKey });
    expect(key.valid, "the enclave's key is still valid").to.equal(true);
    expect(key.latestTcbId, "its newest TCB").to.equal(agent.tcb.tcbId);
    await writeFile(gate, "go");
    const end = await running.waitFor("order-completed", orderEvent(created.orderId));
    expect(end.details?.["status"], "the ending").to.equal("Done");
    const report = await world.m.reader.reports.get({ orderId: created.orderId });
    expect(report.tcb.id, "the report names the first TCB").to.equal(firstTcb.tcbId);
    const verification = await world.m.reader.reports.verify(created.orderId, {});
    expect(
      verification.checks.filter((c) => !c.ok),
      "failed report checks",
    ).to.deep.equal([]);
  });
});
