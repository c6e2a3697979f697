import { expect } from "chai";
import { anyValue } from "@nomicfoundation/hardhat-ethers-chai-matchers/withArgs";
import { network } from "hardhat";

import {
  DATA_PRICE,
  DATASET_HASH,
  DEPOSIT,
  ENCRYPTED_RESULT,
  OrderStatus,
  RESULT_HASH,
  RESULT_POINTER,
  SOLUTION_HASH,
  TEE_MIN_MINUTES,
  TEE_PRICE_PER_HOUR,
  WRONG_HASH,
  marketplaceFixtures,
  storyReport,
} from "../helpers/marketplace.js";

const { ethers, networkHelpers } = await network.create();
const fx = marketplaceFixtures(ethers, networkHelpers);

describe("Workflow story (docs/design.md §1)", function () {
  it("runs from offers to a verified report and settled payouts", async function () {
    // Steps 1–2: Bob's Data offer and slot, Carol's TEE offer, slot and active TCB.
    const m = await networkHelpers.loadFixture(fx.deployStory);
    expect(await m.tcbRegistry.activeTeeKeyOf(m.teeOfferId), "active TEE key").to.equal(m.teeKey.address);

    // Step 3: Alice places the workflow; the parent is Blocked and Bob's suborder is New.
    const aliceBefore = await m.token.balanceOf(m.alice.address);
    const { orderId, suborderId } = await fx.createWorkflow(m);
    const [order, suborders] = await m.orders.getWorkflow(orderId);
    expect(order.status, "parent status").to.equal(OrderStatus.Blocked);
    expect(order.solutionHash, "committed solution hash").to.equal(SOLUTION_HASH);
    expect(
      suborders.map((s) => s.status),
      "suborder statuses",
    ).to.deep.equal([OrderStatus.New]);
    expect(await m.token.balanceOf(await m.orders.getAddress()), "escrowed deposit").to.equal(DEPOSIT);

    // Step 4: the wrong hash is refused and changes nothing; the right one unblocks the parent.
    await expect(
      m.orders
        .connect(m.bob)
        .completeSuborder(
          suborderId,
          OrderStatus.Done,
          WRONG_HASH,
          DATASET_HASH,
          m.teeKey.address,
          ENCRYPTED_RESULT,
        ),
    )
      .to.be.revertedWithCustomError(m.orders, "SolutionHashMismatch")
      .withArgs(suborderId, SOLUTION_HASH, WRONG_HASH);
    expect((await m.orders.getSuborder(suborderId)).status, "suborder after refusal").to.equal(
      OrderStatus.New,
    );
    await expect(
      m.orders
        .connect(m.bob)
        .completeSuborder(
          suborderId,
          OrderStatus.Done,
          SOLUTION_HASH,
          DATASET_HASH,
          m.teeKey.address,
          ENCRYPTED_RESULT,
        ),
    )
      .to.emit(m.orders, "OrderStatusUpdated")
      .withArgs(orderId, OrderStatus.Blocked, OrderStatus.New);

    // Step 5: the TEE starts the order and publishes its signed report.
    await expect(m.orders.connect(m.teeKey).startOrder(orderId))
      .to.emit(m.orders, "OrderStatusUpdated")
      .withArgs(orderId, OrderStatus.New, OrderStatus.Processing);
    const report = storyReport(orderId, m.tcbId);
    await expect(
      m.orders.connect(m.teeKey).publishOrderReport(orderId, report, await fx.signReport(m, report)),
    )
      .to.emit(m.orders, "OrderReportPublished")
      .withArgs(orderId, m.tcbId, await m.orders.orderReportHash(report), anyValue, anyValue);

    // Step 6: the TEE completes after 30 minutes; Carol gets 30 minutes, Bob his fixed price.
    await fx.runFor(m, orderId, 30);
    const { receipt, signature } = await fx.signedReceipt(m, orderId);
    await expect(m.orders.connect(m.teeKey).completeOrder(orderId, OrderStatus.Done, receipt, signature))
      .to.emit(m.orders, "OrderCompleted")
      .withArgs(orderId, OrderStatus.Done, RESULT_HASH, [RESULT_POINTER], signature);
    const teeCost = (TEE_PRICE_PER_HOUR * 30n) / 60n;
    expect(TEE_MIN_MINUTES, "the run is longer than the TEE slot's minimum").to.be.lessThan(30);
    expect(await m.orders.balanceOf(m.carolReceiver.address), "Carol's payout").to.equal(teeCost);
    expect(await m.orders.balanceOf(m.bobReceiver.address), "Bob's payout").to.equal(DATA_PRICE);
    expect(await m.orders.balanceOf(m.alice.address), "Alice's refund").to.equal(
      DEPOSIT - teeCost - DATA_PRICE,
    );

    for (const payee of [m.carolReceiver, m.bobReceiver, m.alice]) {
      await m.orders.connect(payee).withdraw();
    }
    expect(await m.token.balanceOf(await m.orders.getAddress()), "escrow after withdrawals").to.equal(0n);
    expect(await m.token.balanceOf(m.alice.address), "Alice's tokens").to.equal(
      aliceBefore - teeCost - DATA_PRICE,
    );

    // Step 7: anyone reads the report's block, finds the report there, and checks its hash and
    // signer.
    const done = await m.orders.getOrder(orderId);
    expect(done.status, "final status").to.equal(OrderStatus.Done);
    expect(done.teeKey, "the enclave that signed").to.equal(m.teeKey.address);
    const digest = await m.orders.orderReportDigest(report);
    const events = await m.orders.queryFilter(
      m.orders.filters.OrderReportPublished(orderId),
      Number(done.reportBlock),
      Number(done.reportBlock),
    );
    expect(events, "report events in the stored block").to.have.length(1);
    expect(events[0].args.reportHash, "the event's report hash").to.equal(
      await m.orders.orderReportHash(report),
    );
    expect(ethers.recoverAddress(digest, events[0].args.signature), "report signer").to.equal(
      (await m.tcbRegistry.getTcb(m.tcbId)).teeKey,
    );
  });
});
