/**
 * The agent serves an order end to end on a real node: two data owners hand over their datasets,
 * the agent checks them, reports before running, runs the keyword-overlap solution with the process
 * runner, delivers the result to Alice and both owners, and completes Done with its signed receipt.
 */
import { readFile, readdir, mkdtemp } from "node:fs/promises";
import path from "node:path";

import { expect } from "chai";
import { getContractEvents } from "viem/actions";

import { OrderStatus, ordersAbi, parseResourceFile } from "@tee-marketplace/sdk";
import { downloadResource } from "@tee-marketplace/sdk/node";

import {
  OVERLAP_SOLUTION,
  type RunningAgent,
  type World,
  handOver,
  orderEvent,
  placeOrder,
  runAgent,
  startWorld,
} from "./support/world.js";

describe("agent: an order with two data owners, end to end", function () {
  this.timeout(300_000);
  let world: World;
  let running: RunningAgent | undefined;

  before(async () => {
    world = await startWorld();
  });
  after(async () => {
    await running?.agent.stop();
    await world?.stop();
  });

  it("checks the inputs, reports before it runs, runs the solution and completes Done for every recipient", async () => {
    running = await runAgent(world, world.config({ http: { port: 0 } }));
    const { agent } = running;
    const solution = await world.uploadSolution(OVERLAP_SOLUTION);
    const solutionHash = parseResourceFile(solution).hash;
    const created = await placeOrder(world, { solution, owners: [world.bob, world.dave], args: { top: 5 } });
    expect(created.teeKey, "the workflow's enclave").to.equal(agent.teeKey);
    await handOver(world, created, [world.bob, world.dave], solutionHash);
    const completed = await running.waitFor("order-completed", orderEvent(created.orderId));
    expect(completed.details?.["status"], `order ${created.orderId}'s ending: ${completed.message}`).to.equal(
      "Done",
    );

    expect(running.of(created.orderId), "the order's events, in order").to.deep.equal([
      "order-found",
      "order-started",
      "inputs-opened",
      "input-checked",
      "input-checked",
      "input-checked",
      "report-published",
      "solution-started",
      "solution-exited",
      "result-uploaded",
      "order-completed",
    ]);
    const { order } = await world.m.reader.orders.get({ orderId: created.orderId });
    expect(order.status, "the order's status").to.equal(OrderStatus.Done);
    expect(
      order.reportBlock > 0n && order.reportBlock < order.resultBlock,
      "report block before result block",
    ).to.equal(true);

    const report = await world.m.reader.reports.get({ orderId: created.orderId });
    expect(
      report.report.runtimeInfo.map((e) => e.hash),
      "the report's Image and Data hashes",
    ).to.deep.equal([
      solutionHash,
      parseResourceFile(world.bob.dataset).hash,
      parseResourceFile(world.dave.dataset).hash,
    ]);
    const verification = await world.m.reader.reports.verify(created.orderId, {
      solutionHash,
      dataHashes: [world.bob.dataset, world.dave.dataset],
    });
    expect(
      verification.checks.filter((c) => !c.ok),
      "failed report checks",
    ).to.deep.equal([]);

    const result = await world.m.reader.orders.getResult({ orderId: created.orderId });
    const overlaps: unknown[] = [];
    for (const who of [world.alice, world.bob, world.dave]) {
      const checks = await world.m.reader.results.verify({ result, privateKey: who.resultKey.privateKey });
      expect(
        checks.checks.filter((c) => !c.ok),
        "failed result checks",
      ).to.deep.equal([]);
      const { resource } = world.m.reader.results.open({ result, privateKey: who.resultKey.privateKey });
      const into = await mkdtemp(path.join(world.dir, "result-"));
      const downloaded = await downloadResource(resource as never, into, { unpack: true });
      expect(downloaded.hash, "the downloaded result's sha256").to.equal(result.resultHash);
      overlaps.push(JSON.parse(await readFile(path.join(downloaded.path, "overlap.json"), "utf8")));
    }
    expect(overlaps[1], "Bob's result").to.deep.equal(overlaps[0]);
    expect(overlaps[2], "Dave's result").to.deep.equal(overlaps[0]);
    const overlap = overlaps[0] as {
      jaccard_similarity: number;
      overlap_keywords: string[];
      datasets: unknown[];
    };
    expect(overlap.overlap_keywords, "the shared keywords").to.include.members([
      "customer",
      "quality",
      "support",
    ]);
    expect(overlap.jaccard_similarity, "the Jaccard similarity").to.be.greaterThan(0).and.lessThan(1);
    expect(overlap.datasets, "the datasets' aggregates").to.have.length(2);

    const reports = await getContractEvents(world.m.publicClient, {
      address: world.m.deployment.contracts.orders,
      abi: ordersAbi,
      eventName: "OrderReportPublished",
      args: { orderId: created.orderId },
      fromBlock: 0n,
    });
    expect(reports, "report events of the order").to.have.length(1);

    // The agent records the last block it followed when it polls the chain: read its health until a
    // poll has passed the result's block (bounded, so a stuck follower still fails the check below).
    const readHealth = async () =>
      (await (await fetch(`${agent.healthUrl}/healthz`)).json()) as Record<string, unknown>;
    const lastBlockOf = (report: Record<string, unknown>) =>
      BigInt((report["lastBlock"] as { number: string }).number);
    let health = await readHealth();
    for (
      let deadline = Date.now() + 20_000;
      lastBlockOf(health) < order.resultBlock && Date.now() < deadline;
    ) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      health = await readHealth();
    }
    expect(health["status"], "healthz status").to.equal("ok");
    expect(health["teeKey"], "healthz enclave").to.equal(agent.teeKey);
    const lastBlock = lastBlockOf(health);
    expect(lastBlock >= order.resultBlock, `healthz last block ${lastBlock}`).to.equal(true);
    expect((health["tcb"] as { id: string }).id, "healthz TCB").to.equal(agent.tcb.tcbId.toString());
    expect(health["ordersInFlight"], "orders in flight after the order").to.deep.equal([]);
    expect(await readdir(path.join(world.dir, "work")), "work directories left behind").to.deep.equal([]);
  });
});
