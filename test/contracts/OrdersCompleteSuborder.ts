import { expect } from "chai";
import { network } from "hardhat";

import {
  DATA_PRICE,
  DATASET_HASH,
  DEPOSIT,
  ENCRYPTED_RESULT,
  OrderStatus,
  PriceType,
  SOLUTION_HASH,
  WRONG_HASH,
  bytesOfLength,
  marketplaceFixtures,
} from "../helpers/marketplace.js";

const { ethers, networkHelpers } = await network.create();
const fx = marketplaceFixtures(ethers, networkHelpers);
const ZERO_HASH = ethers.ZeroHash;

/** A workflow with two manual data suborders of Bob's (two slots of his offer). */
async function deployTwoSuborders() {
  const m = await fx.deployStory();
  const secondSlotId = await fx.addSlot(m, m.bob, m.dataOfferId, {
    price: DATA_PRICE,
    priceType: PriceType.Fixed,
    minTimeMinutes: 0,
    maxTimeMinutes: 0,
  });
  const { orderId } = await fx.createWorkflow(m, {
    inputs: [
      { offerId: m.dataOfferId, slotId: m.dataSlotId },
      { offerId: m.dataOfferId, slotId: secondSlotId },
    ],
  });
  return { ...m, orderId, firstId: orderId + 1n, secondId: orderId + 2n };
}

describe("Orders", function () {
  describe("completeSuborder", function () {
    it("moves the suborder to Done, stores the data hash and unblocks the parent", async function () {
      const m = await networkHelpers.loadFixture(fx.deployBlockedWorkflow);
      const tx = m.orders
        .connect(m.bob)
        .completeSuborder(
          m.suborderId,
          OrderStatus.Done,
          SOLUTION_HASH,
          DATASET_HASH,
          m.teeKey.address,
          ENCRYPTED_RESULT,
        );
      await expect(tx)
        .to.emit(m.orders, "SuborderCompleted")
        .withArgs(
          m.suborderId,
          m.bob.address,
          OrderStatus.Done,
          m.teeKey.address,
          DATASET_HASH,
          ENCRYPTED_RESULT,
        );
      await expect(tx)
        .to.emit(m.orders, "OrderStatusUpdated")
        .withArgs(m.suborderId, OrderStatus.New, OrderStatus.Done);
      await expect(tx)
        .to.emit(m.orders, "OrderStatusUpdated")
        .withArgs(m.orderId, OrderStatus.Blocked, OrderStatus.New);
      const suborder = await m.orders.getSuborder(m.suborderId);
      expect(suborder.status, "suborder status").to.equal(OrderStatus.Done);
      expect(suborder.dataHash, "pinned data hash").to.equal(DATASET_HASH);
      expect(suborder.resultBlock, "result block").to.equal(BigInt((await (await tx).wait())!.blockNumber));
      const order = await m.orders.getOrder(m.orderId);
      expect(order.status, "parent status").to.equal(OrderStatus.New);
      expect(order.blockingSuborders, "blocking suborders").to.equal(0n);
    });

    it("reverts with SuborderTeeKeyMismatch when the owner names another enclave than the order's, and changes nothing", async function () {
      const m = await networkHelpers.loadFixture(fx.deployBlockedWorkflow);
      const before = await m.orders.getWorkflow(m.orderId);
      // Another valid enclave of the same offer: a new TCB made it the active one after the workflow.
      await fx.publishTcb(m, m.teeOfferId, { teeKey: m.stranger.address });
      for (const named of [m.stranger.address, ZERO_HASH.slice(0, 42)]) {
        await expect(
          m.orders
            .connect(m.bob)
            .completeSuborder(
              m.suborderId,
              OrderStatus.Done,
              SOLUTION_HASH,
              DATASET_HASH,
              named,
              ENCRYPTED_RESULT,
            ),
        )
          .to.be.revertedWithCustomError(m.orders, "SuborderTeeKeyMismatch")
          .withArgs(m.suborderId, m.teeKey.address, named);
      }
      expect(await m.orders.getWorkflow(m.orderId), "workflow after refusals").to.deep.equal(before);
    });

    it("does not compare the enclave when the owner declines", async function () {
      const m = await networkHelpers.loadFixture(fx.deployBlockedWorkflow);
      await m.orders
        .connect(m.bob)
        .completeSuborder(m.suborderId, OrderStatus.Error, ZERO_HASH, ZERO_HASH, m.stranger.address, "0x");
      expect((await m.orders.getOrder(m.orderId)).status, "parent").to.equal(OrderStatus.Canceled);
    });

    it("accepts the action account and leaves an unpinned data hash zero", async function () {
      const m = await networkHelpers.loadFixture(fx.deployBlockedWorkflow);
      await m.orders
        .connect(m.bobAction)
        .completeSuborder(
          m.suborderId,
          OrderStatus.Done,
          SOLUTION_HASH,
          ZERO_HASH,
          m.teeKey.address,
          ENCRYPTED_RESULT,
        );
      expect((await m.orders.getSuborder(m.suborderId)).dataHash, "data hash").to.equal(ZERO_HASH);
    });

    it("reverts with SolutionHashMismatch on a wrong hash and changes nothing", async function () {
      const m = await networkHelpers.loadFixture(fx.deployBlockedWorkflow);
      const before = await m.orders.getWorkflow(m.orderId);
      await expect(
        m.orders
          .connect(m.bob)
          .completeSuborder(
            m.suborderId,
            OrderStatus.Done,
            WRONG_HASH,
            DATASET_HASH,
            m.teeKey.address,
            ENCRYPTED_RESULT,
          ),
      )
        .to.be.revertedWithCustomError(m.orders, "SolutionHashMismatch")
        .withArgs(m.suborderId, SOLUTION_HASH, WRONG_HASH);
      await expect(
        m.orders
          .connect(m.bob)
          .completeSuborder(
            m.suborderId,
            OrderStatus.Done,
            ZERO_HASH,
            DATASET_HASH,
            m.teeKey.address,
            ENCRYPTED_RESULT,
          ),
      )
        .to.be.revertedWithCustomError(m.orders, "SolutionHashMismatch")
        .withArgs(m.suborderId, SOLUTION_HASH, ZERO_HASH);
      expect(await m.orders.getWorkflow(m.orderId), "workflow after refusals").to.deep.equal(before);
    });

    it("reverts with SuborderCallerNotOperator for anyone but the offer's authority or action account", async function () {
      const m = await networkHelpers.loadFixture(fx.deployBlockedWorkflow);
      for (const caller of [m.stranger, m.carol, m.alice, m.bobReceiver]) {
        await expect(
          m.orders
            .connect(caller)
            .completeSuborder(
              m.suborderId,
              OrderStatus.Done,
              SOLUTION_HASH,
              DATASET_HASH,
              m.teeKey.address,
              ENCRYPTED_RESULT,
            ),
        )
          .to.be.revertedWithCustomError(m.orders, "SuborderCallerNotOperator")
          .withArgs(m.suborderId, caller.address);
      }
    });

    it("reverts with OrderInvalidTransition on a second completion", async function () {
      const m = await networkHelpers.loadFixture(fx.deployNewWorkflow);
      await expect(
        m.orders
          .connect(m.bob)
          .completeSuborder(
            m.suborderId,
            OrderStatus.Done,
            SOLUTION_HASH,
            DATASET_HASH,
            m.teeKey.address,
            ENCRYPTED_RESULT,
          ),
      )
        .to.be.revertedWithCustomError(m.orders, "OrderInvalidTransition")
        .withArgs(m.suborderId, OrderStatus.Done, OrderStatus.Done);
      await expect(
        m.orders
          .connect(m.bob)
          .completeSuborder(
            m.suborderId,
            OrderStatus.Error,
            ZERO_HASH,
            ZERO_HASH,
            m.teeKey.address,
            ENCRYPTED_RESULT,
          ),
      )
        .to.be.revertedWithCustomError(m.orders, "OrderInvalidTransition")
        .withArgs(m.suborderId, OrderStatus.Done, OrderStatus.Error);
    });

    it("reverts with OrderInvalidCompletionStatus unless the status is Done, Error or Canceled", async function () {
      const m = await networkHelpers.loadFixture(fx.deployBlockedWorkflow);
      for (const status of [
        OrderStatus.New,
        OrderStatus.Processing,
        OrderStatus.Canceling,
        OrderStatus.Blocked,
        OrderStatus.Suspended,
      ]) {
        await expect(
          m.orders
            .connect(m.bob)
            .completeSuborder(m.suborderId, status, SOLUTION_HASH, ZERO_HASH, m.teeKey.address, "0x"),
        )
          .to.be.revertedWithCustomError(m.orders, "OrderInvalidCompletionStatus")
          .withArgs(m.suborderId, status);
      }
    });

    it("reverts with SuborderNotFound for an unknown id or a parent id", async function () {
      const m = await networkHelpers.loadFixture(fx.deployBlockedWorkflow);
      for (const id of [m.orderId, 99n]) {
        await expect(
          m.orders
            .connect(m.bob)
            .completeSuborder(id, OrderStatus.Done, SOLUTION_HASH, ZERO_HASH, m.teeKey.address, "0x"),
        )
          .to.be.revertedWithCustomError(m.orders, "SuborderNotFound")
          .withArgs(id);
      }
    });

    it("reverts with InputTooLarge when the encrypted result exceeds 4096 bytes", async function () {
      const m = await networkHelpers.loadFixture(fx.deployBlockedWorkflow);
      await expect(
        m.orders
          .connect(m.bob)
          .completeSuborder(
            m.suborderId,
            OrderStatus.Done,
            SOLUTION_HASH,
            ZERO_HASH,
            m.teeKey.address,
            bytesOfLength(4097),
          ),
      )
        .to.be.revertedWithCustomError(m.orders, "InputTooLarge")
        .withArgs("encryptedResult", 4097, 4096);
    });

    it("keeps the parent Blocked until its last blocking suborder is Done", async function () {
      const m = await networkHelpers.loadFixture(deployTwoSuborders);
      await m.orders
        .connect(m.bob)
        .completeSuborder(
          m.firstId,
          OrderStatus.Done,
          SOLUTION_HASH,
          ZERO_HASH,
          m.teeKey.address,
          ENCRYPTED_RESULT,
        );
      let order = await m.orders.getOrder(m.orderId);
      expect(order.status, "parent after the first").to.equal(OrderStatus.Blocked);
      expect(order.blockingSuborders, "blocking after the first").to.equal(1n);
      await m.orders
        .connect(m.bob)
        .completeSuborder(
          m.secondId,
          OrderStatus.Done,
          SOLUTION_HASH,
          ZERO_HASH,
          m.teeKey.address,
          ENCRYPTED_RESULT,
        );
      order = await m.orders.getOrder(m.orderId);
      expect(order.status, "parent after the second").to.equal(OrderStatus.New);
    });

    for (const declined of [OrderStatus.Error, OrderStatus.Canceled]) {
      it(`cancels the workflow and refunds the whole deposit when the owner declines with ${declined === OrderStatus.Error ? "Error" : "Canceled"}`, async function () {
        const m = await networkHelpers.loadFixture(deployTwoSuborders);
        await m.orders
          .connect(m.bob)
          .completeSuborder(
            m.firstId,
            OrderStatus.Done,
            SOLUTION_HASH,
            ZERO_HASH,
            m.teeKey.address,
            ENCRYPTED_RESULT,
          );
        const tx = m.orders
          .connect(m.bob)
          .completeSuborder(m.secondId, declined, ZERO_HASH, ZERO_HASH, m.teeKey.address, "0x");
        await expect(tx)
          .to.emit(m.orders, "OrderStatusUpdated")
          .withArgs(m.orderId, OrderStatus.Blocked, OrderStatus.Canceled);
        await expect(tx)
          .to.emit(m.orders, "PaymentsCredited")
          .withArgs(m.orderId, [m.alice.address], [DEPOSIT]);
        const [order, suborders] = await m.orders.getWorkflow(m.orderId);
        expect(order.status, "parent").to.equal(OrderStatus.Canceled);
        expect(
          suborders.map((s) => s.status),
          "suborders",
        ).to.deep.equal([OrderStatus.Done, declined]);
        expect(await m.orders.balanceOf(m.alice.address), "refund").to.equal(DEPOSIT);
        expect((await m.registry.getSlot(m.dataSlotId)).openOrders, "slot released").to.equal(0n);
      });
    }

    it("cancels the other open suborders when one owner declines", async function () {
      const m = await networkHelpers.loadFixture(deployTwoSuborders);
      await expect(
        m.orders
          .connect(m.bob)
          .completeSuborder(m.firstId, OrderStatus.Error, ZERO_HASH, ZERO_HASH, m.teeKey.address, "0x"),
      )
        .to.emit(m.orders, "OrderStatusUpdated")
        .withArgs(m.secondId, OrderStatus.New, OrderStatus.Canceled);
      const [, suborders] = await m.orders.getWorkflow(m.orderId);
      expect(
        suborders.map((s) => s.status),
        "suborders",
      ).to.deep.equal([OrderStatus.Error, OrderStatus.Canceled]);
    });
  });
});
