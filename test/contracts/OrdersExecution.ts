import { anyValue } from "@nomicfoundation/hardhat-ethers-chai-matchers/withArgs";
import { expect } from "chai";
import { network } from "hardhat";

import {
  DATA_PRICE,
  DEPOSIT,
  MIN_COST,
  OrderStatus,
  PROCESSING_TIMEOUT,
  PriceType,
  RESULT_HASH,
  RESULT_POINTER,
  SOLUTION_HASH,
  TCB_LIFETIME,
  TEE_MAX_MINUTES,
  TEE_MIN_MINUTES,
  TEE_PRICE_PER_HOUR,
  TOKEN,
  bytesOfLength,
  marketplaceFixtures,
  storyReport,
} from "../helpers/marketplace.js";

const { ethers, networkHelpers } = await network.create();
const fx = marketplaceFixtures(ethers, networkHelpers);

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

  describe("the order's enclave", function () {
    it("keeps operating the order through a refresh of its TCB (same key)", async function () {
      const m = await networkHelpers.loadFixture(fx.deployNewWorkflow);
      const refreshed = await fx.publishTcb(m, m.teeOfferId);
      expect(refreshed, "a new TCB").to.not.equal(m.tcbId);
      await m.orders.connect(m.teeKey).startOrder(m.orderId);
      const report = storyReport(m.orderId, refreshed);
      await m.orders.connect(m.teeKey).publishOrderReport(m.orderId, report, await fx.signReport(m, report));
      await fx.completeOrder(m, m.orderId, OrderStatus.Done);
      expect((await m.orders.getOrder(m.orderId)).status, "status").to.equal(OrderStatus.Done);
    });

    it("keeps a superseded enclave operating its own orders, and keeps the new enclave off them", async function () {
      const m = await networkHelpers.loadFixture(fx.deployNewWorkflow);
      await fx.publishTcb(m, m.teeOfferId, { teeKey: m.stranger.address });
      await expect(m.orders.connect(m.stranger).startOrder(m.orderId))
        .to.be.revertedWithCustomError(m.orders, "OrderCallerNotTeeOperator")
        .withArgs(m.orderId, m.stranger.address);
      await m.orders.connect(m.teeKey).startOrder(m.orderId);
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
      await expect(fx.completeOrder(m, m.orderId, OrderStatus.Done))
        .to.be.revertedWithCustomError(m.orders, "OrderReportMissing")
        .withArgs(m.orderId);
    });

    it("emits the receipt and settles a Done order in one payout event: PerHour for elapsed minutes, Fixed in full", async function () {
      const m = await networkHelpers.loadFixture(fx.deployReportedWorkflow);
      await fx.runFor(m, m.orderId, 45);
      const started = await m.orders.getOrder(m.orderId);
      const { receipt, signature } = await fx.signedReceipt(m, m.orderId);
      const tx = m.orders.connect(m.teeKey).completeOrder(m.orderId, OrderStatus.Done, receipt, signature);
      await expect(tx)
        .to.emit(m.orders, "OrderCompleted")
        .withArgs(m.orderId, OrderStatus.Done, RESULT_HASH, [RESULT_POINTER], signature);
      await expect(tx)
        .to.emit(m.orders, "PaymentsCredited")
        .withArgs(
          m.orderId,
          [m.carolReceiver.address, m.bobReceiver.address, m.alice.address],
          [teeCost(45), DATA_PRICE, DEPOSIT - teeCost(45) - DATA_PRICE],
        );
      const order = await m.orders.getOrder(m.orderId);
      expect(order.status, "status").to.equal(OrderStatus.Done);
      expect(order.resultBlock, "result block").to.equal(BigInt((await (await tx).wait())!.blockNumber));
      // Status and result block are written into the order's first word as read: the rest of it
      // (the enclave, the blocking count, the start time) stays.
      expect(
        [order.teeKey, order.blockingSuborders, order.startedAt],
        "the rest of the first word",
      ).to.deep.equal([started.teeKey, started.blockingSuborders, started.startedAt]);
      expect(order.startedAt, "a start time").to.not.equal(0n);
      expect((await m.registry.getSlot(m.teeSlotId)).openOrders, "TEE slot released").to.equal(0n);
      expect((await m.registry.getSlot(m.dataSlotId)).openOrders, "data slot released").to.equal(0n);
    });

    it("accepts the enclave's receipt sent by the provider", async function () {
      const m = await networkHelpers.loadFixture(fx.deployReportedWorkflow);
      await expect(fx.completeOrder(m, m.orderId, OrderStatus.Done, { from: m.carolAction }))
        .to.emit(m.orders, "OrderStatusUpdated")
        .withArgs(m.orderId, OrderStatus.Processing, OrderStatus.Done);
    });

    describe("the result receipt", function () {
      it("reverts with OrderReceiptSignerMismatch for a receipt not signed by the order's enclave", async function () {
        const m = await networkHelpers.loadFixture(fx.deployReportedWorkflow);
        // The provider, another enclave of the same offer made active later, a stranger.
        await fx.publishTcb(m, m.teeOfferId, { teeKey: m.stranger.address });
        for (const signer of [m.carol, m.stranger, m.alice]) {
          await expect(fx.completeOrder(m, m.orderId, OrderStatus.Done, { from: m.carol, signer }))
            .to.be.revertedWithCustomError(m.orders, "OrderReceiptSignerMismatch")
            .withArgs(m.orderId, signer.address, m.teeKey.address);
        }
      });

      it("reverts with OrderReceiptOrderMismatch for another order's receipt, replayed", async function () {
        const m = await networkHelpers.loadFixture(fx.deployReportedWorkflow);
        const { receipt, signature } = await fx.signedReceipt(m, m.orderId + 7n);
        await expect(
          m.orders.connect(m.teeKey).completeOrder(m.orderId, OrderStatus.Done, receipt, signature),
        )
          .to.be.revertedWithCustomError(m.orders, "OrderReceiptOrderMismatch")
          .withArgs(m.orderId, m.orderId + 7n);
      });

      it("reverts with OrderReceiptPointerCount unless Done has one pointer per recipient", async function () {
        const m = await networkHelpers.loadFixture(fx.deployReportedWorkflow);
        for (const pointers of [[], [RESULT_POINTER, RESULT_POINTER]]) {
          await expect(
            fx.completeOrder(m, m.orderId, OrderStatus.Done, { pointers }),
            `${pointers.length} pointers`,
          )
            .to.be.revertedWithCustomError(m.orders, "OrderReceiptPointerCount")
            .withArgs(m.orderId, pointers.length, 1);
        }
      });

      it("lets an Error carry up to one pointer per recipient (the logs), unsigned", async function () {
        const m = await networkHelpers.loadFixture(fx.deployProcessingWorkflow);
        await expect(
          fx.completeOrder(m, m.orderId, OrderStatus.Error, { pointers: [RESULT_POINTER, RESULT_POINTER] }),
        )
          .to.be.revertedWithCustomError(m.orders, "OrderReceiptPointerCount")
          .withArgs(m.orderId, 2, 1);
        const receipt = { orderId: m.orderId, resultHash: ethers.ZeroHash, pointers: [] };
        await expect(m.orders.connect(m.carol).completeOrder(m.orderId, OrderStatus.Error, receipt, "0x"))
          .to.emit(m.orders, "OrderCompleted")
          .withArgs(m.orderId, OrderStatus.Error, ethers.ZeroHash, [], "0x");
      });

      it("reverts with InputTooLarge for a pointer over MAX_RESULT_POINTER_SIZE (1024 bytes), accepts 1024", async function () {
        const m = await networkHelpers.loadFixture(fx.deployReportedWorkflow);
        await expect(fx.completeOrder(m, m.orderId, OrderStatus.Done, { pointers: [bytesOfLength(1025)] }))
          .to.be.revertedWithCustomError(m.orders, "InputTooLarge")
          .withArgs("pointers", 1025, 1024);
        await fx.completeOrder(m, m.orderId, OrderStatus.Done, { pointers: [bytesOfLength(1024)] });
      });

      it("reverts with OrderReceiptTeeNotValid when the enclave's key was revoked after its report", async function () {
        const m = await networkHelpers.loadFixture(fx.deployReportedWorkflow);
        await m.tcbRegistry.connect(m.admin).revokeTcb(m.tcbId);
        await expect(fx.completeOrder(m, m.orderId, OrderStatus.Done, { from: m.carol }))
          .to.be.revertedWithCustomError(m.orders, "OrderReceiptTeeNotValid")
          .withArgs(m.orderId, m.teeKey.address);
        // The revoked key is no operator any more; the provider can still end the order with Error.
        await expect(fx.completeOrder(m, m.orderId, OrderStatus.Error))
          .to.be.revertedWithCustomError(m.orders, "OrderCallerNotTeeOperator")
          .withArgs(m.orderId, m.teeKey.address);
        await fx.completeOrder(m, m.orderId, OrderStatus.Error, { from: m.carol });
      });

      it("computes the digest the enclave signs (resultReceiptDigest)", async function () {
        const m = await networkHelpers.loadFixture(fx.deployReportedWorkflow);
        const { receipt, signature } = await fx.signedReceipt(m, m.orderId);
        const digest = await m.orders.resultReceiptDigest(receipt);
        expect(ethers.recoverAddress(digest, signature), "signer of the digest").to.equal(m.teeKey.address);
      });
    });

    it("charges the slot's min time for a short run and its max time for a long one", async function () {
      for (const [minutes, charged] of [
        [1, TEE_MIN_MINUTES],
        [TEE_MAX_MINUTES + 90, TEE_MAX_MINUTES],
      ]) {
        const m = await networkHelpers.loadFixture(fx.deployReportedWorkflow);
        await fx.runFor(m, m.orderId, minutes);
        await fx.completeOrder(m, m.orderId, OrderStatus.Done, { from: m.teeKey });
        expect(
          await m.orders.balanceOf(m.carolReceiver.address),
          `TEE payout for ${minutes} minutes`,
        ).to.equal(teeCost(charged));
      }
    });

    it("charges a PerHour slot without a max time no further than the order's deadline", async function () {
      const m = await networkHelpers.loadFixture(fx.deployStory);
      // A TEE slot with no max time: its deadline is startedAt + PROCESSING_TIMEOUT.
      const slotId = await fx.addSlot(m, m.carol, m.teeOfferId, {
        price: TEE_PRICE_PER_HOUR,
        priceType: PriceType.PerHour,
        minTimeMinutes: 0,
        maxTimeMinutes: 0,
      });
      const deposit = 100_000n * TOKEN;
      await m.token.mint(m.alice.address, deposit);
      const { orderId, suborderId } = await fx.createWorkflow(m, {
        deposit,
        overrides: { teeSlotId: slotId, teeTermsHash: await m.registry.slotTermsHash(slotId) },
      });
      await m.orders
        .connect(m.bob)
        .completeSuborder(
          suborderId,
          OrderStatus.Done,
          SOLUTION_HASH,
          ethers.ZeroHash,
          m.teeKey.address,
          "0x",
        );
      await m.orders.connect(m.teeKey).startOrder(orderId);
      const timeoutMinutes = PROCESSING_TIMEOUT / 60;
      // Nobody forced the refund; the provider completes long after the deadline.
      await fx.runFor(m, orderId, 3 * timeoutMinutes);
      await fx.completeOrder(m, orderId, OrderStatus.Error);
      expect(await m.orders.balanceOf(m.carolReceiver.address), "TEE payout: up to the deadline").to.equal(
        (TEE_PRICE_PER_HOUR * BigInt(timeoutMinutes)) / 60n,
      );
    });

    it("charges up to the deadline, one minute before it and at it", async function () {
      for (const minutes of [TEE_MAX_MINUTES - 1, TEE_MAX_MINUTES]) {
        const m = await networkHelpers.loadFixture(fx.deployReportedWorkflow);
        await fx.runFor(m, m.orderId, minutes);
        await fx.completeOrder(m, m.orderId, OrderStatus.Done);
        expect(
          await m.orders.balanceOf(m.carolReceiver.address),
          `TEE payout after ${minutes} minutes`,
        ).to.equal(teeCost(minutes));
      }
    });

    it("pays every provider its min cost before extras when the deposit runs short", async function () {
      const m = await networkHelpers.loadFixture(fx.deployStory);
      const { orderId, suborderId } = await fx.createWorkflow(m, { deposit: MIN_COST + 3n * 10n ** 18n });
      await m.orders
        .connect(m.bob)
        .completeSuborder(
          suborderId,
          OrderStatus.Done,
          SOLUTION_HASH,
          ethers.ZeroHash,
          m.teeKey.address,
          "0x",
        );
      await m.orders.connect(m.teeKey).startOrder(orderId);
      await fx.runFor(m, orderId, 61);
      // The consumer's refund is zero: the payout event lists the two providers only.
      await expect(fx.completeOrder(m, orderId, OrderStatus.Error, { from: m.teeKey }))
        .to.emit(m.orders, "PaymentsCredited")
        .withArgs(
          orderId,
          [m.carolReceiver.address, m.bobReceiver.address],
          [teeCost(TEE_MIN_MINUTES) + 3n * 10n ** 18n, DATA_PRICE],
        );
      expect(await m.orders.balanceOf(m.carolReceiver.address), "TEE payout").to.equal(
        teeCost(TEE_MIN_MINUTES) + 3n * 10n ** 18n,
      );
      expect(await m.orders.balanceOf(m.bobReceiver.address), "data payout").to.equal(DATA_PRICE);
      expect(await m.orders.balanceOf(m.alice.address), "consumer refund").to.equal(0n);
    });

    it("completes with Error without a report and settles", async function () {
      const m = await networkHelpers.loadFixture(fx.deployProcessingWorkflow);
      await expect(fx.completeOrder(m, m.orderId, OrderStatus.Error, { from: m.carol }))
        .to.emit(m.orders, "OrderCompleted")
        .withArgs(m.orderId, OrderStatus.Error, RESULT_HASH, [RESULT_POINTER], anyValue);
      expect(await m.orders.balanceOf(m.bobReceiver.address), "data payout").to.equal(DATA_PRICE);
    });

    it("settles a Canceling order with Canceled", async function () {
      const m = await networkHelpers.loadFixture(fx.deployProcessingWorkflow);
      await m.orders.connect(m.alice).cancelOrder(m.orderId);
      await fx.runFor(m, m.orderId, 20);
      await expect(fx.completeOrder(m, m.orderId, OrderStatus.Canceled, { from: m.teeKey }))
        .to.emit(m.orders, "OrderStatusUpdated")
        .withArgs(m.orderId, OrderStatus.Canceling, OrderStatus.Canceled);
      expect(await m.orders.balanceOf(m.carolReceiver.address), "TEE payout").to.equal(teeCost(20));
    });

    it("reverts with OrderInvalidTransition for Canceled from Processing and Done from Canceling", async function () {
      const m = await networkHelpers.loadFixture(fx.deployReportedWorkflow);
      await expect(fx.completeOrder(m, m.orderId, OrderStatus.Canceled, { from: m.teeKey }))
        .to.be.revertedWithCustomError(m.orders, "OrderInvalidTransition")
        .withArgs(m.orderId, OrderStatus.Processing, OrderStatus.Canceled);
      await m.orders.connect(m.alice).cancelOrder(m.orderId);
      await expect(fx.completeOrder(m, m.orderId, OrderStatus.Done, { from: m.teeKey }))
        .to.be.revertedWithCustomError(m.orders, "OrderInvalidTransition")
        .withArgs(m.orderId, OrderStatus.Canceling, OrderStatus.Done);
    });

    it("reverts with OrderInvalidTransition when the order has not started", async function () {
      const m = await networkHelpers.loadFixture(fx.deployNewWorkflow);
      await expect(fx.completeOrder(m, m.orderId, OrderStatus.Error, { from: m.carol }))
        .to.be.revertedWithCustomError(m.orders, "OrderInvalidTransition")
        .withArgs(m.orderId, OrderStatus.New, OrderStatus.Error);
    });

    it("reverts with OrderInvalidTransition when the order already ended", async function () {
      const m = await networkHelpers.loadFixture(fx.deployReportedWorkflow);
      await fx.completeOrder(m, m.orderId, OrderStatus.Done, { from: m.teeKey });
      await expect(fx.completeOrder(m, m.orderId, OrderStatus.Error, { from: m.teeKey }))
        .to.be.revertedWithCustomError(m.orders, "OrderInvalidTransition")
        .withArgs(m.orderId, OrderStatus.Done, OrderStatus.Error);
    });

    it("reverts with OrderInvalidCompletionStatus for a non-final status", async function () {
      const m = await networkHelpers.loadFixture(fx.deployReportedWorkflow);
      await expect(fx.completeOrder(m, m.orderId, OrderStatus.New, { from: m.teeKey }))
        .to.be.revertedWithCustomError(m.orders, "OrderInvalidCompletionStatus")
        .withArgs(m.orderId, OrderStatus.New);
    });

    it("reverts with OrderCallerNotTeeOperator for the consumer", async function () {
      const m = await networkHelpers.loadFixture(fx.deployReportedWorkflow);
      await expect(fx.completeOrder(m, m.orderId, OrderStatus.Done, { from: m.alice }))
        .to.be.revertedWithCustomError(m.orders, "OrderCallerNotTeeOperator")
        .withArgs(m.orderId, m.alice.address);
    });
  });
});
