import { expect } from "chai";
import { network } from "hardhat";

import {
  BLOCKED_TIMEOUT,
  DEPOSIT,
  OfferType,
  OrderStatus,
  PROCESSING_TIMEOUT,
  PriceType,
  SOLUTION_HASH,
  TEE_MAX_MINUTES,
  TOKEN,
  marketplaceFixtures,
} from "../helpers/marketplace.js";

const { ethers, networkHelpers } = await network.create();
const fx = marketplaceFixtures(ethers, networkHelpers);

async function deploySuspendedWorkflow() {
  const m = await fx.deployNewWorkflow();
  await m.orders.connect(m.carol).suspendOrder(m.orderId);
  return m;
}

async function deployCancelingWorkflow() {
  const m = await fx.deployProcessingWorkflow();
  await m.orders.connect(m.alice).cancelOrder(m.orderId);
  return m;
}

/** A Processing order on a TEE offer that is not cancelable and whose slot has no max time. */
async function deployUncancelableProcessingWorkflow() {
  const m = await fx.deployStory();
  const teeOfferId = await fx.createOffer(m, m.carol, { offerType: OfferType.TeeOffer, cancelable: false });
  const teeSlotId = await fx.addSlot(m, m.carol, teeOfferId, {
    price: TOKEN,
    priceType: PriceType.Fixed,
    minTimeMinutes: 0,
    maxTimeMinutes: 0,
  });
  // A TEE key serves one offer: this offer's enclave has its own.
  await fx.publishTcb(m, teeOfferId, { teeKey: m.stranger.address });
  const { orderId } = await fx.createWorkflow(m, {
    inputs: [],
    overrides: { teeOfferId, teeSlotId, teeTermsHash: await m.registry.slotTermsHash(teeSlotId) },
  });
  await m.orders.connect(m.carol).startOrder(orderId);
  return { ...m, orderId };
}

describe("Orders", function () {
  describe("cancelOrder", function () {
    const refunded = [
      ["Blocked", fx.deployBlockedWorkflow],
      ["New", fx.deployNewWorkflow],
      ["Suspended", deploySuspendedWorkflow],
    ] as const;
    for (const [name, fixture] of refunded) {
      it(`cancels a ${name} order at once with a full refund and releases its slots`, async function () {
        const m = await networkHelpers.loadFixture(fixture);
        const from = (await m.orders.getOrder(m.orderId)).status;
        const tx = m.orders.connect(m.alice).cancelOrder(m.orderId);
        await expect(tx)
          .to.emit(m.orders, "OrderStatusUpdated")
          .withArgs(m.orderId, from, OrderStatus.Canceled);
        await expect(tx)
          .to.emit(m.orders, "PaymentsCredited")
          .withArgs(m.orderId, [m.alice.address], [DEPOSIT]);
        expect(await m.orders.balanceOf(m.alice.address), "refund").to.equal(DEPOSIT);
        expect((await m.registry.getSlot(m.teeSlotId)).openOrders, "TEE slot open orders").to.equal(0n);
        await m.registry.connect(m.bob).removeSlot(m.dataSlotId);
      });
    }

    it("cancels the open suborders of a Blocked order", async function () {
      const m = await networkHelpers.loadFixture(fx.deployBlockedWorkflow);
      await expect(m.orders.connect(m.alice).cancelOrder(m.orderId))
        .to.emit(m.orders, "OrderStatusUpdated")
        .withArgs(m.suborderId, OrderStatus.New, OrderStatus.Canceled);
      expect((await m.orders.getSuborder(m.suborderId)).status, "suborder").to.equal(OrderStatus.Canceled);
    });

    it("moves a Processing order of a cancelable TEE offer to Canceling", async function () {
      const m = await networkHelpers.loadFixture(fx.deployProcessingWorkflow);
      await expect(m.orders.connect(m.alice).cancelOrder(m.orderId))
        .to.emit(m.orders, "OrderStatusUpdated")
        .withArgs(m.orderId, OrderStatus.Processing, OrderStatus.Canceling);
      expect(await m.orders.balanceOf(m.alice.address), "no refund yet").to.equal(0n);
    });

    it("reverts with OrderNotCancelable for a Processing order of a non-cancelable TEE offer", async function () {
      const m = await networkHelpers.loadFixture(deployUncancelableProcessingWorkflow);
      await expect(m.orders.connect(m.alice).cancelOrder(m.orderId))
        .to.be.revertedWithCustomError(m.orders, "OrderNotCancelable")
        .withArgs(m.orderId);
    });

    it("reverts with OrderInvalidTransition for a Canceling order", async function () {
      const m = await networkHelpers.loadFixture(deployCancelingWorkflow);
      await expect(m.orders.connect(m.alice).cancelOrder(m.orderId))
        .to.be.revertedWithCustomError(m.orders, "OrderInvalidTransition")
        .withArgs(m.orderId, OrderStatus.Canceling, OrderStatus.Canceled);
    });

    const ended = [
      ["Done", OrderStatus.Done, fx.deployReportedWorkflow],
      ["Error", OrderStatus.Error, fx.deployProcessingWorkflow],
    ] as const;
    for (const [name, status, fixture] of ended) {
      it(`reverts with OrderInvalidTransition for a ${name} order`, async function () {
        const m = await networkHelpers.loadFixture(fixture);
        await fx.completeOrder(m, m.orderId, status);
        await expect(m.orders.connect(m.alice).cancelOrder(m.orderId))
          .to.be.revertedWithCustomError(m.orders, "OrderInvalidTransition")
          .withArgs(m.orderId, status, OrderStatus.Canceled);
      });
    }

    it("reverts with OrderInvalidTransition for a Canceled order", async function () {
      const m = await networkHelpers.loadFixture(fx.deployBlockedWorkflow);
      await m.orders.connect(m.alice).cancelOrder(m.orderId);
      await expect(m.orders.connect(m.alice).cancelOrder(m.orderId))
        .to.be.revertedWithCustomError(m.orders, "OrderInvalidTransition")
        .withArgs(m.orderId, OrderStatus.Canceled, OrderStatus.Canceled);
    });

    it("reverts with OrderCallerNotConsumer for anyone else and OrderNotFound for an unknown order", async function () {
      const m = await networkHelpers.loadFixture(fx.deployBlockedWorkflow);
      await expect(m.orders.connect(m.bob).cancelOrder(m.orderId))
        .to.be.revertedWithCustomError(m.orders, "OrderCallerNotConsumer")
        .withArgs(m.orderId, m.bob.address);
      await expect(m.orders.connect(m.alice).cancelOrder(77n))
        .to.be.revertedWithCustomError(m.orders, "OrderNotFound")
        .withArgs(77n);
    });
  });

  describe("expireBlockedOrder", function () {
    it("lets anyone cancel an order its data owners left Blocked past the timeout, with a full refund", async function () {
      const m = await networkHelpers.loadFixture(fx.deployBlockedWorkflow);
      const deadline = await m.orders.blockedDeadline(m.orderId);
      const { createdAt } = await m.orders.getSuborder(m.suborderId);
      expect(deadline, "deadline").to.equal(createdAt + BigInt(BLOCKED_TIMEOUT));
      for (const caller of [m.carol, m.stranger]) {
        await networkHelpers.time.setNextBlockTimestamp(deadline - 1n);
        await expect(m.orders.connect(caller).expireBlockedOrder(m.orderId))
          .to.be.revertedWithCustomError(m.orders, "OrderDeadlineNotReached")
          .withArgs(m.orderId, deadline);
      }
      await networkHelpers.time.setNextBlockTimestamp(deadline);
      const tx = m.orders.connect(m.stranger).expireBlockedOrder(m.orderId);
      await expect(tx)
        .to.emit(m.orders, "OrderStatusUpdated")
        .withArgs(m.orderId, OrderStatus.Blocked, OrderStatus.Canceled);
      await expect(tx)
        .to.emit(m.orders, "OrderStatusUpdated")
        .withArgs(m.suborderId, OrderStatus.New, OrderStatus.Canceled);
      await expect(tx)
        .to.emit(m.orders, "PaymentsCredited")
        .withArgs(m.orderId, [m.alice.address], [DEPOSIT]);
      expect((await m.registry.getSlot(m.teeSlotId)).openOrders, "TEE slot released").to.equal(0n);
      // The TEE provider can reprice its slot again.
      const slot = await m.registry.getSlot(m.teeSlotId);
      await m.registry.connect(m.carol).updateSlot(
        m.teeSlotId,
        { cpuCores: 1, gpuCores: 0, diskUsage: 0, ram: 0, vram: 0 },
        {
          price: slot.usage.price + 1n,
          priceType: slot.usage.priceType,
          minTimeMinutes: 0,
          maxTimeMinutes: 0,
        },
        { bandwidth: 0, traffic: 0, externalPort: 0 },
      );
    });

    it("reverts with OrderNotBlocked once the data owners answered, or for an ended order", async function () {
      const m = await networkHelpers.loadFixture(fx.deployNewWorkflow);
      await networkHelpers.time.increase(BLOCKED_TIMEOUT + 1);
      await expect(m.orders.connect(m.carol).expireBlockedOrder(m.orderId))
        .to.be.revertedWithCustomError(m.orders, "OrderNotBlocked")
        .withArgs(m.orderId, OrderStatus.New);
      await m.orders.connect(m.alice).cancelOrder(m.orderId);
      await expect(m.orders.connect(m.carol).expireBlockedOrder(m.orderId))
        .to.be.revertedWithCustomError(m.orders, "OrderNotBlocked")
        .withArgs(m.orderId, OrderStatus.Canceled);
      await expect(m.orders.expireBlockedOrder(99n))
        .to.be.revertedWithCustomError(m.orders, "OrderNotFound")
        .withArgs(99n);
    });

    it("gives no Blocked deadline to an order without suborders", async function () {
      const m = await networkHelpers.loadFixture(fx.deployStory);
      const { orderId } = await fx.createWorkflow(m, { inputs: [] });
      expect(await m.orders.blockedDeadline(orderId), "deadline").to.equal(0n);
      await expect(m.orders.blockedDeadline(99n))
        .to.be.revertedWithCustomError(m.orders, "OrderNotFound")
        .withArgs(99n);
    });
  });

  describe("forceRefund", function () {
    it("refunds a Processing order in full once the TEE slot's max time has passed", async function () {
      const m = await networkHelpers.loadFixture(fx.deployProcessingWorkflow);
      const deadline = await m.orders.processingDeadline(m.orderId);
      const { startedAt } = await m.orders.getOrder(m.orderId);
      expect(deadline, "deadline").to.equal(startedAt + BigInt(TEE_MAX_MINUTES * 60));
      await networkHelpers.time.setNextBlockTimestamp(deadline - 1n);
      await expect(m.orders.connect(m.alice).forceRefund(m.orderId))
        .to.be.revertedWithCustomError(m.orders, "OrderDeadlineNotReached")
        .withArgs(m.orderId, deadline);
      await networkHelpers.time.setNextBlockTimestamp(deadline);
      const tx = m.orders.connect(m.alice).forceRefund(m.orderId);
      await expect(tx)
        .to.emit(m.orders, "OrderStatusUpdated")
        .withArgs(m.orderId, OrderStatus.Processing, OrderStatus.Canceled);
      await expect(tx)
        .to.emit(m.orders, "PaymentsCredited")
        .withArgs(m.orderId, [m.alice.address], [DEPOSIT]);
      expect(await m.orders.balanceOf(m.carolReceiver.address), "nothing for the TEE").to.equal(0n);
    });

    it("refunds a Canceling order the provider never settled", async function () {
      const m = await networkHelpers.loadFixture(deployCancelingWorkflow);
      await networkHelpers.time.setNextBlockTimestamp(await m.orders.processingDeadline(m.orderId));
      await expect(m.orders.connect(m.alice).forceRefund(m.orderId))
        .to.emit(m.orders, "OrderStatusUpdated")
        .withArgs(m.orderId, OrderStatus.Canceling, OrderStatus.Canceled);
    });

    it("uses the processing timeout when the TEE slot has no max time", async function () {
      const m = await networkHelpers.loadFixture(deployUncancelableProcessingWorkflow);
      const { startedAt } = await m.orders.getOrder(m.orderId);
      expect(await m.orders.processingDeadline(m.orderId), "deadline").to.equal(
        startedAt + BigInt(PROCESSING_TIMEOUT),
      );
    });

    it("reverts with OrderInvalidTransition unless the order is Processing or Canceling", async function () {
      const m = await networkHelpers.loadFixture(fx.deployNewWorkflow);
      expect(await m.orders.processingDeadline(m.orderId), "deadline before start").to.equal(0n);
      await expect(m.orders.connect(m.alice).forceRefund(m.orderId))
        .to.be.revertedWithCustomError(m.orders, "OrderInvalidTransition")
        .withArgs(m.orderId, OrderStatus.New, OrderStatus.Canceled);
    });

    it("reverts with OrderCallerNotConsumer for the provider", async function () {
      const m = await networkHelpers.loadFixture(fx.deployProcessingWorkflow);
      await expect(m.orders.connect(m.carol).forceRefund(m.orderId))
        .to.be.revertedWithCustomError(m.orders, "OrderCallerNotConsumer")
        .withArgs(m.orderId, m.carol.address);
    });
  });

  describe("refillOrder", function () {
    const open = [
      ["Blocked", fx.deployBlockedWorkflow],
      ["New", fx.deployNewWorkflow],
      ["Suspended", deploySuspendedWorkflow],
      ["Processing", fx.deployProcessingWorkflow],
    ] as const;
    for (const [name, fixture] of open) {
      it(`adds to the deposit of a ${name} order`, async function () {
        const m = await networkHelpers.loadFixture(fixture);
        await expect(m.orders.connect(m.alice).refillOrder(m.orderId, TOKEN))
          .to.emit(m.orders, "OrderRefilled")
          .withArgs(m.orderId, TOKEN, DEPOSIT + TOKEN);
      });
    }

    const ended = [
      ["Done", OrderStatus.Done, fx.deployReportedWorkflow],
      ["Error", OrderStatus.Error, fx.deployProcessingWorkflow],
    ] as const;
    for (const [name, status, fixture] of ended) {
      it(`reverts with OrderNotRefillable for a ${name} order`, async function () {
        const m = await networkHelpers.loadFixture(fixture);
        await fx.completeOrder(m, m.orderId, status);
        await expect(m.orders.connect(m.alice).refillOrder(m.orderId, TOKEN))
          .to.be.revertedWithCustomError(m.orders, "OrderNotRefillable")
          .withArgs(m.orderId, status);
      });
    }

    it("moves the tokens of a refill into the escrow", async function () {
      const m = await networkHelpers.loadFixture(fx.deployProcessingWorkflow);
      const tx = m.orders.connect(m.alice).refillOrder(m.orderId, TOKEN);
      await expect(tx)
        .to.emit(m.orders, "OrderRefilled")
        .withArgs(m.orderId, TOKEN, DEPOSIT + TOKEN);
      await expect(tx).to.changeTokenBalances(ethers, m.token, [m.alice, m.orders], [-TOKEN, TOKEN]);
      expect((await m.orders.getOrder(m.orderId)).deposit, "deposit").to.equal(DEPOSIT + TOKEN);
    });

    it("reverts with OrderNotRefillable for Canceling and ended orders", async function () {
      const m = await networkHelpers.loadFixture(deployCancelingWorkflow);
      await expect(m.orders.connect(m.alice).refillOrder(m.orderId, TOKEN))
        .to.be.revertedWithCustomError(m.orders, "OrderNotRefillable")
        .withArgs(m.orderId, OrderStatus.Canceling);
      await fx.completeOrder(m, m.orderId, OrderStatus.Canceled, { from: m.carol });
      await expect(m.orders.connect(m.alice).refillOrder(m.orderId, TOKEN))
        .to.be.revertedWithCustomError(m.orders, "OrderNotRefillable")
        .withArgs(m.orderId, OrderStatus.Canceled);
    });

    it("reverts with OrderAmountZero and OrderCallerNotConsumer", async function () {
      const m = await networkHelpers.loadFixture(fx.deployBlockedWorkflow);
      await expect(m.orders.connect(m.alice).refillOrder(m.orderId, 0)).to.be.revertedWithCustomError(
        m.orders,
        "OrderAmountZero",
      );
      await expect(m.orders.connect(m.bob).refillOrder(m.orderId, TOKEN))
        .to.be.revertedWithCustomError(m.orders, "OrderCallerNotConsumer")
        .withArgs(m.orderId, m.bob.address);
    });
  });
});
