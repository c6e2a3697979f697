/**
 * Transactions of the agent that pass their simulation and then revert, made to happen on a real
 * node: automine is turned off, the agent simulates and sends its transaction, someone else's
 * conflicting transaction goes into the same block ahead of it (a higher tip), and the block is
 * mined. The agent must say which transaction reverted, end the order as the chain now allows, keep
 * serving other orders, and never send the same thing again and again. And the same race lost
 * before the agent even tried: another operator account starts the order in the block that makes it
 * New.
 */
import { randomBytes } from "node:crypto";
import { writeFile } from "node:fs/promises";
import path from "node:path";

import { expect } from "chai";
import { type Address, type Hash, createTestClient, createWalletClient, http, parseGwei } from "viem";
import { getBlock, getTransactionCount, getTransactionReceipt } from "viem/actions";

import { type MarketplaceCall, OrderStatus, ordersAbi, parseResourceFile } from "@tee-marketplace/sdk";

import { DEPOSIT } from "../../scripts/lib/scenario.js";
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

/** Longest wait for something the agent does next (it polls every 100 ms). */
const BOUND_MS = 30_000;

/** The events of an order's run once it is Processing, for one input handed over (and the solution). */
const RUN = [
  "inputs-opened",
  "input-checked",
  "input-checked",
  "report-published",
  "solution-started",
  "solution-exited",
  "result-uploaded",
  "order-completed",
];

describe("agent: a transaction that reverts after its simulation passed", function () {
  this.timeout(300_000);
  let world: World;
  let running: RunningAgent;
  let operator: Address;

  before(async () => {
    world = await startWorld();
    running = await runAgent(world, world.config());
    operator = running.agent.operator;
  });
  after(async () => {
    await setAutomine(true).catch(() => undefined);
    await running?.agent.stop();
    await world?.stop();
  });

  const testClient = () =>
    createTestClient({ mode: "hardhat", chain: world.m.chain, transport: http(world.m.node.url) });
  const setAutomine = (on: boolean) => testClient().setAutomine(on);
  const mine = () => testClient().request({ method: "evm_mine" } as never);

  /** Polls `check` every 50 ms until it holds, for at most {@link BOUND_MS}. */
  async function until(what: string, check: () => Promise<boolean>): Promise<void> {
    const deadline = Date.now() + BOUND_MS;
    while (!(await check())) {
      if (Date.now() > deadline) throw new Error(`${what}: not within ${BOUND_MS} ms`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** Waits until `account` has a transaction in the node's pool. */
  const pendingFrom = (account: Address, who: string) =>
    until(`a pending transaction of ${who}`, async () => {
      const [pending, mined] = await Promise.all([
        getTransactionCount(world.m.publicClient, { address: account, blockTag: "pending" }),
        getTransactionCount(world.m.publicClient, { address: account, blockTag: "latest" }),
      ]);
      return pending > mined;
    });

  /**
   * Sends `call` from a node account with a fixed gas limit (no estimate against the pool) and a
   * tip: the node's pool mines higher tips first. 50 gwei is far above what the agent and the SDK
   * pay; 0 is below.
   */
  async function sendWithTip(account: Address, call: MarketplaceCall, tipGwei: string): Promise<Hash> {
    const wallet = createWalletClient({ account, chain: world.m.chain, transport: http(world.m.node.url) });
    return wallet.writeContract({
      ...(call as MarketplaceCall<typeof ordersAbi, "cancelOrder">),
      gas: 500_000n,
      maxPriorityFeePerGas: parseGwei(tipGwei),
      maxFeePerGas: parseGwei("100"),
    });
  }
  const sendAhead = (account: Address, call: MarketplaceCall) => sendWithTip(account, call, "50");

  /**
   * Mines the pool (the conflicting transaction and the agent's) in one block, automine back on,
   * and returns both receipts, checking the order they were mined in.
   */
  async function mineConflict(ahead: Hash): Promise<{ agentTx: Hash }> {
    await mine();
    await setAutomine(true);
    const block = await getBlock(world.m.publicClient, { blockTag: "latest", includeTransactions: true });
    const agentTxs = block.transactions.filter((tx) => tx.from.toLowerCase() === operator.toLowerCase());
    expect(agentTxs, "the agent's transactions in the block").to.have.length(1);
    const agentTx = agentTxs[0]!.hash;
    const [aheadReceipt, agentReceipt] = await Promise.all([
      getTransactionReceipt(world.m.publicClient, { hash: ahead }),
      getTransactionReceipt(world.m.publicClient, { hash: agentTx }),
    ]);
    expect(aheadReceipt.status, "the conflicting transaction").to.equal("success");
    expect(agentReceipt.status, "the agent's transaction").to.equal("reverted");
    expect(
      aheadReceipt.transactionIndex < agentReceipt.transactionIndex,
      "the conflicting transaction mined first",
    ).to.equal(true);
    return { agentTx };
  }

  /** Places an order on Bob's dataset and lets Bob hand it over in a block the test mines. */
  async function newOrderWithStartPending(): Promise<bigint> {
    const solution = await world.uploadSolution();
    const created = await placeOrder(world, { solution, owners: [world.bob] });
    await setAutomine(false);
    const handed = handOver(world, created, [world.bob], parseResourceFile(solution).hash);
    await pendingFrom(world.bob.address, "Bob (his hand-over)");
    await mine();
    await handed;
    await pendingFrom(operator, "the agent (its start)");
    return created.orderId;
  }

  it("consumer cancels before the start is mined: the start reverts, the order stays Canceled, the agent goes on", async () => {
    const orderId = await newOrderWithStartPending();
    const cancel = await sendAhead(world.alice.address, world.alice.client.calls.cancelOrder({ orderId }));
    const { agentTx } = await mineConflict(cancel);
    const said = await running.waitFor(
      "warning",
      (e) => orderEvent(orderId)(e) && e.message.includes(agentTx),
    );
    expect(said.message, "what the agent says").to.match(
      /starting order \d+: transaction 0x[0-9a-f]{64} reverted/,
    );
    expect(said.message, "what the agent found").to.match(/Canceled now/);
    const nonceAfterRevert = await getTransactionCount(world.m.publicClient, { address: operator });

    const { order } = await world.m.reader.orders.get({ orderId });
    expect(order.status, "the order").to.equal(OrderStatus.Canceled);
    expect(await paymentsOf(world, orderId), "the consumer's full refund").to.deep.equal([
      { account: world.alice.address, amount: DEPOSIT },
    ]);

    // The agent is alive and serves the next order; it sent nothing more for the canceled one.
    const solution = await world.uploadSolution();
    const next = await placeOrder(world, { solution, owners: [world.bob] });
    await handOver(world, next, [world.bob], parseResourceFile(solution).hash);
    const end = await running.waitFor("order-completed", orderEvent(next.orderId));
    expect(end.details?.["status"], "the next order's ending").to.equal("Done");
    expect(
      await getTransactionCount(world.m.publicClient, { address: operator }),
      "the agent's transactions since the revert: the next order's start, report and completion",
    ).to.equal(nonceAfterRevert + 3);
    expect(running.of(orderId), "the canceled order's events").to.deep.equal(["order-found", "warning"]);
  });

  it("another operator account starts the order first: the agent's start reverts and it serves the order", async () => {
    const orderId = await newOrderWithStartPending();
    const carol = world.m.cast.carol;
    const start = await sendAhead(carol, world.m.as(carol).calls.startOrder({ orderId }));
    const { agentTx } = await mineConflict(start);
    const said = await running.waitFor(
      "warning",
      (e) => orderEvent(orderId)(e) && e.message.includes(agentTx),
    );
    expect(said.message, "what the agent found").to.match(/Processing now/);
    const end = await running.waitFor("order-completed", orderEvent(orderId));
    expect(end.details?.["status"], `the ending: ${end.message}`).to.equal("Done");
    expect(running.of(orderId), "the order's events").to.deep.equal(["order-found", "warning", ...RUN]);
    const { order } = await world.m.reader.orders.get({ orderId });
    expect(order.status, "the order").to.equal(OrderStatus.Done);
  });

  it("another operator account starts the order in the block that makes it New: the agent runs it without a start", async () => {
    const solution = await world.uploadSolution();
    const created = await placeOrder(world, { solution, owners: [world.bob] });
    const { orderId } = created;
    const carol = world.m.cast.carol;
    await setAutomine(false);
    const handed = handOver(world, created, [world.bob], parseResourceFile(solution).hash);
    await pendingFrom(world.bob.address, "Bob (his hand-over)");
    const start = await sendWithTip(carol, world.m.as(carol).calls.startOrder({ orderId }), "0");
    await mine();
    await setAutomine(true);
    await handed;
    const startReceipt = await getTransactionReceipt(world.m.publicClient, { hash: start });
    expect(startReceipt.status, "Carol's start, mined after Bob's hand-over").to.equal("success");
    const end = await running.waitFor("order-completed", orderEvent(orderId));
    expect(end.details?.["status"], `the ending: ${end.message}`).to.equal("Done");
    expect(running.of(orderId), "the order's events: no start of its own").to.deep.equal([
      "order-found",
      ...RUN,
    ]);
  });

  it("consumer cancels before the Done completion is mined: the completion reverts and the order completes Canceled", async () => {
    const solution = await world.uploadSolution();
    const gate = path.join(world.dir, `gate-${randomBytes(4).toString("hex")}`);
    const created = await placeOrder(world, { solution, owners: [world.bob], args: { waitFor: gate } });
    const { orderId } = created;
    await handOver(world, created, [world.bob], parseResourceFile(solution).hash);
    await running.waitFor("solution-started", orderEvent(orderId));
    await setAutomine(false);
    await writeFile(gate, "go");
    await pendingFrom(operator, "the agent (its Done completion)");
    const cancel = await sendAhead(world.alice.address, world.alice.client.calls.cancelOrder({ orderId }));
    const { agentTx } = await mineConflict(cancel);
    const said = await running.waitFor(
      "warning",
      (e) => orderEvent(orderId)(e) && e.message.includes(agentTx),
    );
    expect(said.message, "what the agent says").to.match(
      /completing order \d+ \(Done\): transaction 0x[0-9a-f]{64} reverted/,
    );
    const end = await running.waitFor("order-completed", orderEvent(orderId));
    expect(end.details?.["status"], `the ending: ${end.message}`).to.equal("Canceled");
    const { order } = await world.m.reader.orders.get({ orderId });
    expect(order.status, "the order").to.equal(OrderStatus.Canceled);
    const events = running.of(orderId);
    expect(events.slice(events.indexOf("solution-exited")), "after the run").to.deep.equal([
      "solution-exited",
      "result-uploaded",
      "warning",
      "order-completed",
    ]);
  });
});
