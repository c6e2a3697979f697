import { expect } from "chai";
import { network } from "hardhat";

import {
  DATA_PRICE,
  DEPOSIT,
  ENCRYPTED_RESULT,
  MIN_COST,
  OrderStatus,
  SOLUTION_HASH,
  TCB_LIFETIME,
  TEE_MAX_MINUTES,
  TEE_MIN_MINUTES,
  TEE_PRICE_PER_HOUR,
  bytesOfLength,
  marketplaceFixtures,
} from "../helpers/marketplace.js";

const { ethers, networkHelpers } = await network.create();
const fx = marketplaceFixtures(ethers, networkHelpers);
const RESULT_HASH = ethers.id("result");

/** Cost of the TEE slot for a run of `minutes` (clamped to its min and max). */
function teeCost(minutes: number): bigint {
  const charged = Math.min(Math.max(minutes, TEE_MIN_MINUTES), TEE_MAX_MINUTES);
  return (TEE_PRICE_PER_HOUR * BigInt(charged)) / 60n;
}

describe("Orders", function () {
  describe("startOrder", function () {
    it("moves a New order to Processing and records the start time, for each TEE operator", async function () {
      for (const operator of ["carol", "carolAction", "teeKey"] as const) {
        const m = await networkHelpers.loadFixture(fx.deployNewWorkflow);
        await expect(m.orders.connect(m[operator]).startOrder(m.orderId))
          .to.emit(m.orders, "OrderStatusUpdated")
          .withArgs(m.orderId, OrderStatus.New, OrderStatus.Processing);
        const order = await m.orders.getOrder(m.orderId);
        expect(order.status, `status when started by ${operator}`).to.equal(OrderStatus.Processing);
        expect(order.startedAt, "start time").to.equal(BigInt(await networkHelpers.time.latest()));
      }
    });

    it("reverts with OrderCallerNotTeeOperator for other accounts and for a revoked TCB's key", async function () {
      const m = await networkHelpers.loadFixture(fx.deployNewWorkflow);
      for (const caller of [m.stranger, m.alice, m.bob]) {
        await expect(m.orders.connect(caller).startOrder(m.orderId))
          .to.be.revertedWithCustomError(m.orders, "OrderCallerNotTeeOperator")
          .withArgs(m.orderId, caller.address);
      }
      await m.tcbRegistry.connect(m.carol).revokeTcb(m.tcbId);
      await expect(m.orders.connect(m.teeKey).startOrder(m.orderId))
        .to.be.revertedWithCustomError(m.orders, "OrderCallerNotTeeOperator")
        .withArgs(m.orderId, m.teeKey.address);
    });

    it("refuses an expired TCB's key but still accepts the provider", async function () {
      const m = await networkHelpers.loadFixture(fx.deployNewWorkflow);
      await networkHelpers.time.increase(TCB_LIFETIME + 1);
      await expect(m.orders.connect(m.teeKey).startOrder(m.orderId))
        .to.be.revertedWithCustomError(m.orders, "OrderCallerNotTeeOperator")
        .withArgs(m.orderId, m.teeKey.address);
      await m.orders.connect(m.carolAction).startOrder(m.orderId);
    });

    it("reverts with OrderInvalidTransition unless the order is New", async function () {
      const m = await networkHelpers.loadFixture(fx.deployBlockedWorkflow);
      await expect(m.orders.connect(m.carol).startOrder(m.orderId))
        .to.be.revertedWithCustomError(m.orders, "OrderInvalidTransition")
        .withArgs(m.orderId, OrderStatus.Blocked, OrderStatus.Processing);
    });

    it("reverts with OrderNotFound for an unknown order or a suborder id", async function () {
      const m = await networkHelpers.loadFixture(fx.deployBlockedWorkflow);
      for (const id of [m.suborderId, 99n]) {
        await expect(m.orders.connect(m.carol).startOrder(id))
          .to.be.revertedWithCustomError(m.orders, "OrderNotFound")
          .withArgs(id);
      }
    });
  });

  describe("suspendOrder and resumeOrder", function () {
    it("pauses a New order and resumes it", async function () {
      const m = await networkHelpers.loadFixture(fx.deployNewWorkflow);
      await expect(m.orders.connect(m.carolAction).suspendOrder(m.orderId))
        .to.emit(m.orders, "OrderStatusUpdated")
        .withArgs(m.orderId, OrderStatus.New, OrderStatus.Suspended);
      await expect(m.orders.connect(m.carolAction).startOrder(m.orderId))
        .to.be.revertedWithCustomError(m.orders, "OrderInvalidTransition")
        .withArgs(m.orderId, OrderStatus.Suspended, OrderStatus.Processing);
      await expect(m.orders.connect(m.carolAction).resumeOrder(m.orderId))
        .to.emit(m.orders, "OrderStatusUpdated")
        .withArgs(m.orderId, OrderStatus.Suspended, OrderStatus.New);
    });

    it("does not let the TEE unblock a Blocked order by resuming it", async function () {
      const m = await networkHelpers.loadFixture(fx.deployBlockedWorkflow);
      await expect(m.orders.connect(m.carol).resumeOrder(m.orderId))
        .to.be.revertedWithCustomError(m.orders, "OrderInvalidTransition")
        .withArgs(m.orderId, OrderStatus.Blocked, OrderStatus.New);
      await expect(m.orders.connect(m.carol).suspendOrder(m.orderId))
        .to.be.revertedWithCustomError(m.orders, "OrderInvalidTransition")
        .withArgs(m.orderId, OrderStatus.Blocked, OrderStatus.Suspended);
    });

    it("reverts with OrderCallerNotTeeOperator for the consumer", async function () {
      const m = await networkHelpers.loadFixture(fx.deployNewWorkflow);
      await expect(m.orders.connect(m.alice).suspendOrder(m.orderId))
        .to.be.revertedWithCustomError(m.orders, "OrderCallerNotTeeOperator")
        .withArgs(m.orderId, m.alice.address);
      await expect(m.orders.connect(m.alice).resumeOrder(m.orderId))
        .to.be.revertedWithCustomError(m.orders, "OrderCallerNotTeeOperator")
        .withArgs(m.orderId, m.alice.address);
    });
  });

  describe("completeOrder", function () {
    it("reverts with OrderReportMissing when completing Done without a report", async function () {
      const m = await networkHelpers.loadFixture(fx.deployProcessingWorkflow);
      await expect(m.orders.connect(m.teeKey).completeOrder(m.orderId, OrderStatus.Done, RESULT_HASH, "0x"))
        .to.be.revertedWithCustomError(m.orders, "OrderReportMissing")
        .withArgs(m.orderId);
    });

    it("stores the result and settles a Done order: PerHour for elapsed minutes, Fixed in full", async function () {
      const m = await networkHelpers.loadFixture(fx.deployReportedWorkflow);
      await fx.runFor(m, m.orderId, 45);
      const tx = m.orders
        .connect(m.teeKey)
        .completeOrder(m.orderId, OrderStatus.Done, RESULT_HASH, ENCRYPTED_RESULT);
      await expect(tx)
        .to.emit(m.orders, "OrderCompleted")
        .withArgs(m.orderId, OrderStatus.Done, RESULT_HASH, ENCRYPTED_RESULT);
      await expect(tx)
        .to.emit(m.orders, "PaymentCredited")
        .withArgs(m.carolReceiver.address, m.orderId, teeCost(45));
      await expect(tx)
        .to.emit(m.orders, "PaymentCredited")
        .withArgs(m.bobReceiver.address, m.orderId, DATA_PRICE);
      await expect(tx)
        .to.emit(m.orders, "PaymentCredited")
        .withArgs(m.alice.address, m.orderId, DEPOSIT - teeCost(45) - DATA_PRICE);
      const order = await m.orders.getOrder(m.orderId);
      expect(order.status, "status").to.equal(OrderStatus.Done);
      expect(order.resultBlock, "result block").to.equal(BigInt((await (await tx).wait())!.blockNumber));
      expect((await m.registry.getSlot(m.teeSlotId)).openOrders, "TEE slot released").to.equal(0n);
      expect((await m.registry.getSlot(m.dataSlotId)).openOrders, "data slot released").to.equal(0n);
    });

    it("charges the slot's min time for a short run and its max time for a long one", async function () {
      for (const [minutes, charged] of [
        [1, TEE_MIN_MINUTES],
        [TEE_MAX_MINUTES + 90, TEE_MAX_MINUTES],
      ]) {
        const m = await networkHelpers.loadFixture(fx.deployReportedWorkflow);
        await fx.runFor(m, m.orderId, minutes);
        await m.orders.connect(m.teeKey).completeOrder(m.orderId, OrderStatus.Done, RESULT_HASH, "0x");
        expect(
          await m.orders.balanceOf(m.carolReceiver.address),
          `TEE payout for ${minutes} minutes`,
        ).to.equal(teeCost(charged));
      }
    });

    it("pays every provider its min cost before extras when the deposit runs short", async function () {
      const m = await networkHelpers.loadFixture(fx.deployStory);
      const { orderId, suborderId } = await fx.createWorkflow(m, { deposit: MIN_COST + 3n * 10n ** 18n });
      await m.orders
        .connect(m.bob)
        .completeSuborder(suborderId, OrderStatus.Done, SOLUTION_HASH, ethers.ZeroHash, "0x");
      await m.orders.connect(m.teeKey).startOrder(orderId);
      await fx.runFor(m, orderId, 61);
      await m.orders.connect(m.teeKey).completeOrder(orderId, OrderStatus.Error, RESULT_HASH, "0x");
      expect(await m.orders.balanceOf(m.carolReceiver.address), "TEE payout").to.equal(
        teeCost(TEE_MIN_MINUTES) + 3n * 10n ** 18n,
      );
      expect(await m.orders.balanceOf(m.bobReceiver.address), "data payout").to.equal(DATA_PRICE);
      expect(await m.orders.balanceOf(m.alice.address), "consumer refund").to.equal(0n);
    });

    it("completes with Error without a report and settles", async function () {
      const m = await networkHelpers.loadFixture(fx.deployProcessingWorkflow);
      await expect(m.orders.connect(m.carol).completeOrder(m.orderId, OrderStatus.Error, RESULT_HASH, "0x"))
        .to.emit(m.orders, "OrderCompleted")
        .withArgs(m.orderId, OrderStatus.Error, RESULT_HASH, "0x");
      expect(await m.orders.balanceOf(m.bobReceiver.address), "data payout").to.equal(DATA_PRICE);
    });

    it("settles a Canceling order with Canceled", async function () {
      const m = await networkHelpers.loadFixture(fx.deployProcessingWorkflow);
      await m.orders.connect(m.alice).cancelOrder(m.orderId);
      await fx.runFor(m, m.orderId, 20);
      await expect(
        m.orders.connect(m.teeKey).completeOrder(m.orderId, OrderStatus.Canceled, RESULT_HASH, "0x"),
      )
        .to.emit(m.orders, "OrderStatusUpdated")
        .withArgs(m.orderId, OrderStatus.Canceling, OrderStatus.Canceled);
      expect(await m.orders.balanceOf(m.carolReceiver.address), "TEE payout").to.equal(teeCost(20));
    });

    it("reverts with OrderInvalidTransition for Canceled from Processing and Done from Canceling", async function () {
      const m = await networkHelpers.loadFixture(fx.deployReportedWorkflow);
      await expect(
        m.orders.connect(m.teeKey).completeOrder(m.orderId, OrderStatus.Canceled, RESULT_HASH, "0x"),
      )
        .to.be.revertedWithCustomError(m.orders, "OrderInvalidTransition")
        .withArgs(m.orderId, OrderStatus.Processing, OrderStatus.Canceled);
      await m.orders.connect(m.alice).cancelOrder(m.orderId);
      await expect(m.orders.connect(m.teeKey).completeOrder(m.orderId, OrderStatus.Done, RESULT_HASH, "0x"))
        .to.be.revertedWithCustomError(m.orders, "OrderInvalidTransition")
        .withArgs(m.orderId, OrderStatus.Canceling, OrderStatus.Done);
    });

    it("reverts with OrderInvalidTransition when the order has not started", async function () {
      const m = await networkHelpers.loadFixture(fx.deployNewWorkflow);
      await expect(m.orders.connect(m.carol).completeOrder(m.orderId, OrderStatus.Error, RESULT_HASH, "0x"))
        .to.be.revertedWithCustomError(m.orders, "OrderInvalidTransition")
        .withArgs(m.orderId, OrderStatus.New, OrderStatus.Error);
    });

    it("reverts with OrderInvalidTransition when the order already ended", async function () {
      const m = await networkHelpers.loadFixture(fx.deployReportedWorkflow);
      await m.orders.connect(m.teeKey).completeOrder(m.orderId, OrderStatus.Done, RESULT_HASH, "0x");
      await expect(m.orders.connect(m.teeKey).completeOrder(m.orderId, OrderStatus.Error, RESULT_HASH, "0x"))
        .to.be.revertedWithCustomError(m.orders, "OrderInvalidTransition")
        .withArgs(m.orderId, OrderStatus.Done, OrderStatus.Error);
    });

    it("reverts with OrderInvalidCompletionStatus for a non-final status", async function () {
      const m = await networkHelpers.loadFixture(fx.deployReportedWorkflow);
      await expect(m.orders.connect(m.teeKey).completeOrder(m.orderId, OrderStatus.New, RESULT_HASH, "0x"))
        .to.be.revertedWithCustomError(m.orders, "OrderInvalidCompletionStatus")
        .withArgs(m.orderId, OrderStatus.New);
    });

    it("reverts with OrderCallerNotTeeOperator for the consumer and with InputTooLarge for a large result", async function () {
      const m = await networkHelpers.loadFixture(fx.deployReportedWorkflow);
      await expect(m.orders.connect(m.alice).completeOrder(m.orderId, OrderStatus.Done, RESULT_HASH, "0x"))
        .to.be.revertedWithCustomError(m.orders, "OrderCallerNotTeeOperator")
        .withArgs(m.orderId, m.alice.address);
      await expect(
        m.orders
          .connect(m.teeKey)
          .completeOrder(m.orderId, OrderStatus.Done, RESULT_HASH, bytesOfLength(4097)),
      )
        .to.be.revertedWithCustomError(m.orders, "InputTooLarge")
        .withArgs("encryptedResult", 4097, 4096);
    });
  });
});
