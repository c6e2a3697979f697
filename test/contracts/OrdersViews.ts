import { expect } from "chai";
import { network } from "hardhat";

import {
  BLOCKED_TIMEOUT,
  OrderStatus,
  PROCESSING_TIMEOUT,
  SOLUTION_HASH,
  TCB_LIFETIME,
  marketplaceFixtures,
} from "../helpers/marketplace.js";

const { ethers, networkHelpers } = await network.create();
const fx = marketplaceFixtures(ethers, networkHelpers);

/** Five workflows by Alice and one by a stranger, each with Bob's data suborder. */
async function deployManyWorkflows() {
  const m = await fx.deployStory();
  await m.token.mint(m.stranger.address, 10n ** 21n);
  await m.token.connect(m.stranger).approve(await m.orders.getAddress(), 10n ** 21n);
  const aliceOrders: bigint[] = [];
  for (let i = 0; i < 5; i++) {
    aliceOrders.push((await fx.createWorkflow(m)).orderId);
    if (i === 2) await fx.createWorkflow(m, { from: m.stranger });
  }
  return { ...m, aliceOrders };
}

describe("Orders", function () {
  describe("views", function () {
    it("pages a consumer's orders newest first with cursors", async function () {
      const m = await networkHelpers.loadFixture(deployManyWorkflows);
      const newestFirst = [...m.aliceOrders].reverse();
      const [first, cursor] = await m.orders.ordersOfConsumer(m.alice.address, 0, 2);
      expect(first, "first page").to.deep.equal(newestFirst.slice(0, 2));
      expect(cursor, "cursor").to.equal(newestFirst[2]);
      const [second, cursor2] = await m.orders.ordersOfConsumer(m.alice.address, cursor, 2);
      expect(second, "second page").to.deep.equal(newestFirst.slice(2, 4));
      const [last, end] = await m.orders.ordersOfConsumer(m.alice.address, cursor2, 2);
      expect(last, "last page").to.deep.equal(newestFirst.slice(4));
      expect(end, "end cursor").to.equal(0n);
      const [none] = await m.orders.ordersOfConsumer(m.bob.address, 0, 10);
      expect(none, "no orders").to.deep.equal([]);
    });

    it("pages an offer's suborders newest first and caps the page size", async function () {
      const m = await networkHelpers.loadFixture(deployManyWorkflows);
      const [all, end] = await m.orders.subordersOfOffer(m.dataOfferId, 0, 1000);
      expect(all, "suborders").to.have.length(6);
      expect(all[0], "newest").to.equal(m.aliceOrders[4] + 1n);
      expect(end, "end cursor").to.equal(0n);
      const [page, cursor] = await m.orders.subordersOfOffer(m.dataOfferId, all[1], 3);
      expect(page, "page from a cursor").to.deep.equal(all.slice(1, 4));
      expect(cursor, "next cursor").to.equal(all[4]);
    });

    it("reverts with OrderCursorInvalid for a cursor outside the list", async function () {
      const m = await networkHelpers.loadFixture(deployManyWorkflows);
      const [strangerOrders] = await m.orders.ordersOfConsumer(m.stranger.address, 0, 1);
      await expect(m.orders.ordersOfConsumer(m.alice.address, strangerOrders[0], 1))
        .to.be.revertedWithCustomError(m.orders, "OrderCursorInvalid")
        .withArgs(strangerOrders[0]);
      await expect(m.orders.subordersOfOffer(m.teeOfferId, m.aliceOrders[0] + 1n, 1))
        .to.be.revertedWithCustomError(m.orders, "OrderCursorInvalid")
        .withArgs(m.aliceOrders[0] + 1n);
      await expect(m.orders.subordersOfOffer(0, 99n, 1))
        .to.be.revertedWithCustomError(m.orders, "OrderCursorInvalid")
        .withArgs(99n);
    });

    it("returns a workflow with its suborders and reverts for unknown ids", async function () {
      const m = await networkHelpers.loadFixture(fx.deployBlockedWorkflow);
      const [order, suborders] = await m.orders.getWorkflow(m.orderId);
      expect(order.teeOfferId, "TEE offer").to.equal(m.teeOfferId);
      expect(order.teeSlotId, "TEE slot").to.equal(m.teeSlotId);
      expect(
        suborders.map((s) => [s.parentId, s.offerId, s.slotId, s.status]),
        "suborders",
      ).to.deep.equal([[m.orderId, m.dataOfferId, m.dataSlotId, OrderStatus.New]]);
      await expect(m.orders.getWorkflow(99n))
        .to.be.revertedWithCustomError(m.orders, "OrderNotFound")
        .withArgs(99n);
      await expect(m.orders.getSuborder(m.orderId))
        .to.be.revertedWithCustomError(m.orders, "SuborderNotFound")
        .withArgs(m.orderId);
    });

    it("refuses a suborder or an unknown id as a consumer's cursor, the zero address included", async function () {
      const m = await networkHelpers.loadFixture(deployManyWorkflows);
      for (const consumer of [ethers.ZeroAddress, m.alice.address]) {
        for (const cursor of [m.aliceOrders[0] + 1n, 999n]) {
          await expect(m.orders.ordersOfConsumer(consumer, cursor, 5), `${consumer}, cursor ${cursor}`)
            .to.be.revertedWithCustomError(m.orders, "OrderCursorInvalid")
            .withArgs(cursor);
        }
      }
    });

    it("returns orders by id in one call, at most MAX_PAGE_SIZE of them", async function () {
      const m = await networkHelpers.loadFixture(deployManyWorkflows);
      const orders = await m.orders.getOrders(m.aliceOrders);
      expect(
        orders.map((o) => o.consumer),
        "consumers",
      ).to.deep.equal(m.aliceOrders.map(() => m.alice.address));
      expect((await m.orders.getOrders(Array(100).fill(m.aliceOrders[0]))).length, "a full page").to.equal(
        100,
      );
      await expect(m.orders.getOrders(Array(101).fill(m.aliceOrders[0])))
        .to.be.revertedWithCustomError(m.orders, "OrderPageTooLarge")
        .withArgs(101, 100);
      await expect(m.orders.getOrders([m.aliceOrders[0] + 1n]))
        .to.be.revertedWithCustomError(m.orders, "OrderNotFound")
        .withArgs(m.aliceOrders[0] + 1n);
    });

    it("gives a data owner the suborder, its parent and the enclave's key and newest TCB in one call", async function () {
      const m = await networkHelpers.loadFixture(fx.deployBlockedWorkflow);
      const [suborder, parent, key, tcb] = await m.orders.getSuborderContext(m.suborderId);
      expect(suborder.parentId, "suborder's parent").to.equal(m.orderId);
      expect([parent.solutionHash, parent.teeKey], "parent").to.deep.equal([SOLUTION_HASH, m.teeKey.address]);
      expect([key.teeOfferId, key.latestTcbId], "key").to.deep.equal([m.teeOfferId, m.tcbId]);
      expect(tcb.publicKeyHash, "the TCB whose public key the hand-over is for").to.equal(
        (await m.tcbRegistry.getTcb(m.tcbId)).publicKeyHash,
      );
      await expect(m.orders.getSuborderContext(m.orderId))
        .to.be.revertedWithCustomError(m.orders, "SuborderNotFound")
        .withArgs(m.orderId);
    });

    it("caps an id page at MAX_ID_PAGE_SIZE", async function () {
      const m = await networkHelpers.loadFixture(deployManyWorkflows);
      const [ids] = await m.orders.ordersOfConsumer(m.alice.address, 0, 2n ** 256n - 1n);
      expect(ids, "all five with a huge limit").to.have.length(5);
    });

    it("exposes its wiring and the transition table", async function () {
      const m = await networkHelpers.loadFixture(fx.deployMarketplace);
      expect(await m.orders.paymentToken(), "payment token").to.equal(await m.token.getAddress());
      expect(await m.orders.offerRegistry(), "offer registry").to.equal(await m.registry.getAddress());
      expect(await m.orders.tcbRegistry(), "TCB registry: the offer registry").to.equal(
        await m.registry.getAddress(),
      );
      expect(await m.registry.orders(), "the registry's Orders contract: its creator").to.equal(
        await m.orders.getAddress(),
      );
      expect(
        await m.registry.hasRole(await m.registry.TCB_ADMIN_ROLE(), m.admin.address),
        "TCB admin",
      ).to.equal(true);
      expect(await m.registry.attestationVerifier(), "verifier").to.equal(await m.verifier.getAddress());
      expect(await m.registry.tcbLifetime(), "TCB lifetime").to.equal(BigInt(TCB_LIFETIME));
      expect(await m.orders.processingTimeout(), "timeout").to.equal(BigInt(PROCESSING_TIMEOUT));
      expect(await m.orders.blockedTimeout(), "blocked timeout").to.equal(BigInt(BLOCKED_TIMEOUT));
      expect(await m.orders.canTransition(OrderStatus.Blocked, OrderStatus.New), "Blocked → New").to.equal(
        true,
      );
      expect(await m.orders.canTransition(OrderStatus.Done, OrderStatus.New), "Done → New").to.equal(false);
      expect(await m.orders.orderCount(), "order count").to.equal(0n);
    });

    describe("constructor", function () {
      it("reverts with OrderTimeoutInvalid for a zero timeout or one over MAX_TIMEOUT (a year), and takes a year", async function () {
        const m = await networkHelpers.loadFixture(fx.deployMarketplace);
        const YEAR = 365 * 24 * 3600;
        const deploy = (processing: number, blocked: number) =>
          ethers.deployContract("Orders", [
            m.token,
            m.admin.address,
            m.verifier,
            TCB_LIFETIME,
            processing,
            blocked,
          ]);
        const factory = await ethers.getContractFactory("Orders");
        for (const [processing, blocked, bad] of [
          [0, 1, 0],
          [1, 0, 0],
          [YEAR + 1, 1, YEAR + 1],
          [1, YEAR + 1, YEAR + 1],
        ]) {
          await expect(deploy(processing, blocked), `timeouts ${processing}, ${blocked}`)
            .to.be.revertedWithCustomError(factory, "OrderTimeoutInvalid")
            .withArgs(bad);
        }
        const orders = await deploy(YEAR, YEAR);
        expect(
          [await orders.processingTimeout(), await orders.blockedTimeout()],
          "a year each",
        ).to.deep.equal([BigInt(YEAR), BigInt(YEAR)]);
      });
    });
  });
});
