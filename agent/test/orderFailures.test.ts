/**
 * What the agent refuses and how orders end when something goes wrong, on a real node: a tampered
 * solution in storage, a hand-over replayed from another order, a storage object missing, a
 * solution that crashes, a consumer who cancels mid-run, a run past the slot's max time, a Blocked
 * order past its deadline, an order bound to another enclave. Every ending is checked on chain,
 * with the money it moved.
 */
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";

import { expect } from "chai";

import { OrderStatus, parseResourceFile, sealHandOver } from "@tee-marketplace/sdk";
import { downloadResource, uploadFile } from "@tee-marketplace/sdk/node";

import { DATA_PRICE, DEPOSIT, TEE_MIN_MINUTES, TEE_PRICE_PER_HOUR } from "../../scripts/lib/scenario.js";
import { OrderRefusedError } from "../src/index.js";
import {
  type RunningAgent,
  type World,
  handOver,
  orderEvent,
  paymentsOf,
  placeOrder,
  runAgent,
  startWorld,
} from "./support/world.js";

describe("agent: refusals and failures", function () {
  this.timeout(300_000);
  let world: World;
  let running: RunningAgent;

  before(async () => {
    world = await startWorld();
    running = await runAgent(world, world.config());
  });
  after(async () => {
    await running?.agent.stop();
    await world?.stop();
  });

  /** The order's ending event once it completes. */
  async function ending(orderId: bigint) {
    return running.waitFor("order-completed", orderEvent(orderId));
  }

  /** The logs an Error order delivered, opened with Alice's key. */
  async function logsOf(orderId: bigint): Promise<string> {
    const result = await world.m.reader.orders.getResult({ orderId });
    const { resource } = world.m.reader.results.open({
      result,
      privateKey: world.alice.resultKey.privateKey,
    });
    const into = path.join(world.dir, `logs-${orderId}`);
    const { path: file } = await downloadResource(resource as never, into);
    return readFile(file, "utf8");
  }

  it("ends Error before anything runs when the stored solution is not the committed one, and settles the deposit", async () => {
    const solutionFile = path.join(world.dir, "tampered-solution.mjs");
    await writeFile(solutionFile, "#!/usr/bin/env node\nconsole.log('the reviewed solution');\n");
    const solution = await uploadFile(solutionFile, {
      storage: { type: "FS", directory: world.storageDir },
      encrypt: false,
    });
    const solutionHash = parseResourceFile(solution).hash;
    const created = await placeOrder(world, { solution, owners: [world.bob] });
    // Someone with write access to the storage swaps the archive after the owner's review.
    const stored = path.join(world.storageDir, (solution.resource as { filepath: string }).filepath);
    await writeFile(stored, "#!/usr/bin/env node\nrequire('fs').writeFileSync('/tmp/stolen', 'data');\n");
    await handOver(world, created, [world.bob], solutionHash);
    const end = await ending(created.orderId);
    expect(end.details?.["status"], "the order's ending").to.equal("Error");
    expect(end.message, "the reason").to.match(/sha256|hash/i);
    expect(running.of(created.orderId), "nothing reported or run").to.not.include.members([
      "report-published",
      "solution-started",
    ]);
    const { order } = await world.m.reader.orders.get({ orderId: created.orderId });
    expect(order.status, "status").to.equal(OrderStatus.Error);
    expect(order.reportBlock, "no report").to.equal(0n);
    expect(await logsOf(created.orderId), "the logs Alice gets").to.match(
      /Refused before anything ran: .*solution/,
    );

    const payments = await paymentsOf(world, created.orderId);
    const teeMin = (TEE_PRICE_PER_HOUR * BigInt(TEE_MIN_MINUTES)) / 60n;
    expect(payments, "the settlement: TEE min cost, Bob's price, the rest to Alice").to.deep.equal([
      { account: world.m.cast.carolReceiver, amount: teeMin },
      { account: world.bob.address, amount: DATA_PRICE },
      { account: world.alice.address, amount: DEPOSIT - teeMin - DATA_PRICE },
    ]);
  });

  it("refuses a hand-over replayed from another order", async () => {
    const solution = await world.uploadSolution();
    const solutionHash = parseResourceFile(solution).hash;
    const first = await placeOrder(world, {
      solution,
      owners: [world.bob],
      args: { waitFor: "/nonexistent" },
    });
    const second = await placeOrder(world, { solution, owners: [world.bob] });
    // Bob's hand-over sealed for the first order's suborder, sent as the second's: the bytes are valid
    // ECIES for the enclave, but the envelope names suborder `first`.
    const tcb = await world.m.reader.tcb.active({ teeOfferId: world.teeOfferId });
    if (tcb === undefined) throw new Error("no TCB");
    const { publicKey } = await world.m.reader.tcb.publication({ tcb });
    const replayed = sealHandOver(publicKey, {
      chainId: world.m.deployment.chainId,
      orders: world.m.deployment.contracts.orders,
      suborderId: first.suborderIds[0]!,
      parentId: first.orderId,
      solutionHash,
      teeKey: tcb.teeKey,
      resource: world.bob.dataset,
    });
    await world.bob.client.suborders.complete({
      suborderId: second.suborderIds[0]!,
      status: "Done",
      solutionHash,
      encryptedResult: replayed,
      dataHash: parseResourceFile(world.bob.dataset).hash,
    });
    const end = await ending(second.orderId);
    expect(end.details?.["status"], "the ending").to.equal("Error");
    expect(await logsOf(second.orderId), "the reason").to.match(/hand-over.*suborderId/);
    await world.m.as(world.alice.address).orders.cancel({ orderId: first.orderId });
  });

  it("ends Error when a dataset's object is missing from storage", async () => {
    const bytes = randomBytes(4).toString("hex");
    const lonely = path.join(world.dir, `gone-${bytes}`);
    await writeFile(lonely, "soon gone\n");
    const gone = await uploadFile(lonely, { storage: { type: "FS", directory: world.storageDir } });
    const solution = await world.uploadSolution();
    const solutionHash = parseResourceFile(solution).hash;
    const created = await placeOrder(world, { solution, owners: [world.bob] });
    await rm(path.join(world.storageDir, (gone.resource as { filepath: string }).filepath));
    await world.bob.client.suborders.complete({
      suborderId: created.suborderIds[0]!,
      status: "Done",
      solutionHash,
      resource: gone,
      dataHash: parseResourceFile(gone).hash,
    });
    const end = await ending(created.orderId);
    expect(end.details?.["status"], "the ending").to.equal("Error");
    const logs = await logsOf(created.orderId);
    expect(logs, "the reason").to.match(/Refused before anything ran: the dataset of suborder/);
    expect(logs, "the storage's word").to.match(/No object .* in the FS storage/);
  });

  it("ends Error with the solution's output when it crashes", async () => {
    const solution = await world.uploadSolution();
    const created = await placeOrder(world, { solution, owners: [world.bob], args: { exitCode: 3 } });
    await handOver(world, created, [world.bob], parseResourceFile(solution).hash);
    const end = await ending(created.orderId);
    expect(end.details?.["status"], "the ending").to.equal("Error");
    const logs = await logsOf(created.orderId);
    expect(logs, "the logs")
      .to.match(/exited with code 3/)
      .and.match(/failing on purpose/);
    expect(running.of(created.orderId), "reported before running").to.include("report-published");
  });

  it("completes Canceled when the consumer cancels while the solution runs", async () => {
    const solution = await world.uploadSolution();
    const gate = path.join(world.dir, `gate-${randomBytes(4).toString("hex")}`);
    const created = await placeOrder(world, { solution, owners: [world.bob], args: { waitFor: gate } });
    await handOver(world, created, [world.bob], parseResourceFile(solution).hash);
    await running.waitFor("solution-started", orderEvent(created.orderId));
    const { status } = await world.alice.client.orders.cancel({ orderId: created.orderId });
    expect(status, "status after the consumer's cancel").to.equal(OrderStatus.Canceling);
    const end = await ending(created.orderId);
    expect(end.details?.["status"], "the ending").to.equal("Canceled");
    const { order } = await world.m.reader.orders.get({ orderId: created.orderId });
    expect(order.status, "status").to.equal(OrderStatus.Canceled);
  });

  it("stops a solution that runs past the slot's max time and ends Error with its logs", async () => {
    const solution = await world.uploadSolution();
    const gate = path.join(world.dir, `gate-${randomBytes(4).toString("hex")}`);
    const created = await placeOrder(world, { solution, owners: [world.bob], args: { waitFor: gate } });
    await handOver(world, created, [world.bob], parseResourceFile(solution).hash);
    await running.waitFor("solution-started", orderEvent(created.orderId));
    // The deadline only after the solution has written its line, so its logs must hold it.
    while (!existsSync(`${gate}.waiting`)) await new Promise((resolve) => setTimeout(resolve, 50));
    await world.m.increaseTime(121 * 60);
    const end = await ending(created.orderId);
    expect(end.details?.["status"], "the ending").to.equal("Error");
    const logs = await logsOf(created.orderId);
    expect(logs, "the logs")
      .to.match(/deadline/)
      .and.match(/waiting for/);
  });

  it("expires a Blocked order past its deadline, refunding the consumer", async () => {
    const solution = await world.uploadSolution();
    const created = await placeOrder(world, { solution, owners: [world.bob] });
    const deadline = await world.m.reader.orders.blockedDeadline({ orderId: created.orderId });
    const { timestamp } = await world.m.publicClient.getBlock();
    await world.m.increaseTime(Number(deadline - timestamp) + 1);
    await running.waitFor("order-expired", orderEvent(created.orderId));
    const { order } = await world.m.reader.orders.get({ orderId: created.orderId });
    expect(order.status, "status").to.equal(OrderStatus.Canceled);
    expect(await paymentsOf(world, created.orderId), "the refund").to.deep.equal([
      { account: world.alice.address, amount: DEPOSIT },
    ]);
  });

  it("says so, once, for a New order bound to another enclave, and leaves it", async () => {
    // A second agent for the same offer publishes a newer TCB: new workflows go to it.
    const second = await runAgent(world, world.config());
    try {
      const solution = await world.uploadSolution();
      const created = await placeOrder(world, { solution, owners: [world.bob] });
      expect(created.teeKey, "bound to the newer enclave").to.equal(second.agent.teeKey);
      await second.agent.stop();
      await handOver(world, created, [world.bob], parseResourceFile(solution).hash);
      const skipped = await running.waitFor("order-skipped", orderEvent(created.orderId));
      expect(skipped.message, "why").to.include(second.agent.teeKey);
      const { order } = await world.m.reader.orders.get({ orderId: created.orderId });
      expect(order.status, "left New").to.equal(OrderStatus.New);
      await world.alice.client.orders.cancel({ orderId: created.orderId });
    } finally {
      await second.agent.stop();
    }
  });

  it("names the refusal in an OrderRefusedError", () => {
    const error = new OrderRefusedError("a reason");
    expect(error.reason, "reason").to.equal("a reason");
    expect(error.message, "message").to.equal("The order is refused before anything runs: a reason");
  });
});
