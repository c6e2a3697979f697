import { expect } from "chai";
import { keccak256 } from "ethers";
import { network } from "hardhat";

import {
  DATASET_HASH,
  DEPOSIT,
  ENCRYPTED_ARGS,
  MIN_COST,
  OfferType,
  OrderStatus,
  SOLUTION_HASH,
  WRONG_HASH,
  bytesOfLength,
  marketplaceFixtures,
} from "../helpers/marketplace.js";

const { ethers, networkHelpers } = await network.create();
const fx = marketplaceFixtures(ethers, networkHelpers);
const ZERO_HASH = ethers.ZeroHash;

describe("Orders", function () {
  describe("createWorkflow", function () {
    it("creates a Blocked parent and a New suborder for a manual data offer, pulling the deposit", async function () {
      const m = await networkHelpers.loadFixture(fx.deployStory);
      const orderId = (await m.orders.orderCount()) + 1n;
      const tx = m.orders
        .connect(m.alice)
        .createWorkflow(
          m.teeOfferId,
          m.teeSlotId,
          SOLUTION_HASH,
          [{ offerId: m.dataOfferId, slotId: m.dataSlotId }],
          DEPOSIT,
          ENCRYPTED_ARGS,
        );
      await expect(tx)
        .to.emit(m.orders, "WorkflowCreated")
        .withArgs(
          orderId,
          m.alice.address,
          m.teeOfferId,
          m.teeSlotId,
          OrderStatus.Blocked,
          SOLUTION_HASH,
          DEPOSIT,
          ENCRYPTED_ARGS,
        );
      await expect(tx)
        .to.emit(m.orders, "SuborderCreated")
        .withArgs(orderId + 1n, orderId, m.dataOfferId, m.dataSlotId, OrderStatus.New);
      await expect(tx).to.changeTokenBalances(
        ethers,
        m.token,
        [m.alice, await m.orders.getAddress()],
        [-DEPOSIT, DEPOSIT],
      );
      const order = await m.orders.getOrder(orderId);
      expect(order.consumer, "consumer").to.equal(m.alice.address);
      expect(order.status, "status").to.equal(OrderStatus.Blocked);
      expect(order.suborderCount, "suborder count").to.equal(1n);
      expect(order.blockingSuborders, "blocking suborders").to.equal(1n);
      expect(order.cancelable, "cancelable from the TEE offer").to.equal(true);
      expect(order.deposit, "deposit").to.equal(DEPOSIT);
      expect(order.argsHash, "args hash").to.equal(keccak256(ENCRYPTED_ARGS));
      expect(order.argsBlock, "args block").to.equal(BigInt((await (await tx).wait())!.blockNumber));
      expect(await m.orders.orderCount(), "ids handed out").to.equal(orderId + 1n);
      expect((await m.registry.getSlot(m.dataSlotId)).openOrders, "data slot open orders").to.equal(1n);
    });

    it("creates a New parent when every input completes automatically, with Done suborders", async function () {
      const m = await networkHelpers.loadFixture(fx.deployStory);
      const { offerId: publicOfferId, slotId: publicSlotId } = await fx.createFreeOffer(m, m.bob, {
        offerType: OfferType.Data,
        contentHash: DATASET_HASH,
        resultResource: "0x" + Buffer.from('{"type":"public"}').toString("hex"),
      });
      const { orderId, suborderId } = await fx.createWorkflow(m, {
        inputs: [{ offerId: publicOfferId, slotId: publicSlotId }],
      });
      expect((await m.orders.getOrder(orderId)).status, "parent").to.equal(OrderStatus.New);
      expect((await m.orders.getSuborder(suborderId)).status, "suborder").to.equal(OrderStatus.Done);
    });

    it("creates a New parent with no inputs", async function () {
      const m = await networkHelpers.loadFixture(fx.deployStory);
      const { orderId } = await fx.createWorkflow(m, { inputs: [] });
      const [order, suborders] = await m.orders.getWorkflow(orderId);
      expect(order.status, "parent").to.equal(OrderStatus.New);
      expect(suborders, "suborders").to.have.length(0);
    });

    it("accepts a Solution input whose content hash is the committed solution hash", async function () {
      const m = await networkHelpers.loadFixture(fx.deployStory);
      const { offerId: solutionOfferId, slotId: solutionSlotId } = await fx.createFreeOffer(m, m.bob, {
        offerType: OfferType.Solution,
        contentHash: SOLUTION_HASH,
      });
      const { orderId } = await fx.createWorkflow(m, {
        inputs: [{ offerId: solutionOfferId, slotId: solutionSlotId }],
      });
      expect((await m.orders.getOrder(orderId)).suborderCount, "suborders").to.equal(1n);
    });

    it("reverts with OfferSolutionHashMismatch when a Solution input has another content hash", async function () {
      const m = await networkHelpers.loadFixture(fx.deployStory);
      const { offerId: solutionOfferId, slotId: solutionSlotId } = await fx.createFreeOffer(m, m.bob, {
        offerType: OfferType.Solution,
        contentHash: WRONG_HASH,
      });
      await expect(fx.createWorkflow(m, { inputs: [{ offerId: solutionOfferId, slotId: solutionSlotId }] }))
        .to.be.revertedWithCustomError(m.registry, "OfferSolutionHashMismatch")
        .withArgs(solutionOfferId, WRONG_HASH, SOLUTION_HASH);
    });

    it("reverts with OrderSolutionHashZero when no solution hash is committed", async function () {
      const m = await networkHelpers.loadFixture(fx.deployStory);
      await expect(fx.createWorkflow(m, { solutionHash: ZERO_HASH })).to.be.revertedWithCustomError(
        m.orders,
        "OrderSolutionHashZero",
      );
    });

    it("reverts with OrderTooManySuborders when there are more than 16 inputs", async function () {
      const m = await networkHelpers.loadFixture(fx.deployStory);
      const inputs = Array.from({ length: 17 }, () => ({ offerId: m.dataOfferId, slotId: m.dataSlotId }));
      await expect(fx.createWorkflow(m, { inputs }))
        .to.be.revertedWithCustomError(m.orders, "OrderTooManySuborders")
        .withArgs(17, 16);
    });

    it("reverts with InputTooLarge when the encrypted arguments exceed 4096 bytes", async function () {
      const m = await networkHelpers.loadFixture(fx.deployStory);
      await expect(
        m.orders
          .connect(m.alice)
          .createWorkflow(m.teeOfferId, m.teeSlotId, SOLUTION_HASH, [], DEPOSIT, bytesOfLength(4097)),
      )
        .to.be.revertedWithCustomError(m.orders, "InputTooLarge")
        .withArgs("encryptedArgs", 4097, 4096);
    });

    it("reverts with OrderDepositTooLow when the deposit does not cover the min costs", async function () {
      const m = await networkHelpers.loadFixture(fx.deployStory);
      await expect(fx.createWorkflow(m, { deposit: MIN_COST - 1n }))
        .to.be.revertedWithCustomError(m.orders, "OrderDepositTooLow")
        .withArgs(MIN_COST - 1n, MIN_COST);
      await fx.createWorkflow(m, { deposit: MIN_COST });
    });

    it("reverts with SafeCastOverflowedUintDowncast when the deposit does not fit 96 bits", async function () {
      const m = await networkHelpers.loadFixture(fx.deployStory);
      await expect(fx.createWorkflow(m, { deposit: 2n ** 96n }))
        .to.be.revertedWithCustomError(m.orders, "SafeCastOverflowedUintDowncast")
        .withArgs(96, 2n ** 96n);
    });

    it("reverts when the allowance or the balance does not cover the deposit", async function () {
      const m = await networkHelpers.loadFixture(fx.deployStory);
      const ordersAddress = await m.orders.getAddress();
      await m.token.connect(m.alice).approve(ordersAddress, DEPOSIT - 1n);
      await expect(fx.createWorkflow(m))
        .to.be.revertedWithCustomError(m.token, "ERC20InsufficientAllowance")
        .withArgs(ordersAddress, DEPOSIT - 1n, DEPOSIT);
      await m.token.connect(m.stranger).approve(ordersAddress, DEPOSIT);
      await expect(fx.createWorkflow(m, { from: m.stranger }))
        .to.be.revertedWithCustomError(m.token, "ERC20InsufficientBalance")
        .withArgs(m.stranger.address, 0, DEPOSIT);
    });

    it("reverts with OfferDisabled when an offer is disabled", async function () {
      const m = await networkHelpers.loadFixture(fx.deployStory);
      await m.registry.connect(m.bob).setOfferEnabled(m.dataOfferId, false);
      await expect(fx.createWorkflow(m))
        .to.be.revertedWithCustomError(m.registry, "OfferDisabled")
        .withArgs(m.dataOfferId);
    });

    it("reverts with OfferCombinationNotAllowed when an input's restrictions exclude the TEE offer", async function () {
      const m = await networkHelpers.loadFixture(fx.deployStory);
      const { offerId: restrictedOfferId, slotId: restrictedSlotId } = await fx.createFreeOffer(m, m.bob, {
        offerType: OfferType.Data,
        contentHash: DATASET_HASH,
        allowedOfferTypes: [OfferType.Solution],
      });
      await expect(
        fx.createWorkflow(m, { inputs: [{ offerId: restrictedOfferId, slotId: restrictedSlotId }] }),
      )
        .to.be.revertedWithCustomError(m.registry, "OfferCombinationNotAllowed")
        .withArgs(restrictedOfferId, m.teeOfferId);
    });

    it("reverts with OfferAccountNotAllowed when the consumer is not among an offer's accounts", async function () {
      const m = await networkHelpers.loadFixture(fx.deployStory);
      const { offerId: privateOfferId, slotId: privateSlotId } = await fx.createFreeOffer(m, m.bob, {
        offerType: OfferType.Data,
        contentHash: DATASET_HASH,
        allowedAccounts: [m.stranger.address],
      });
      await expect(fx.createWorkflow(m, { inputs: [{ offerId: privateOfferId, slotId: privateSlotId }] }))
        .to.be.revertedWithCustomError(m.registry, "OfferAccountNotAllowed")
        .withArgs(privateOfferId, m.alice.address);
    });

    it("reverts with OfferNotTee and OfferNotInput when offer types do not fit", async function () {
      const m = await networkHelpers.loadFixture(fx.deployStory);
      await expect(
        m.orders
          .connect(m.alice)
          .createWorkflow(m.dataOfferId, m.dataSlotId, SOLUTION_HASH, [], DEPOSIT, ENCRYPTED_ARGS),
      )
        .to.be.revertedWithCustomError(m.registry, "OfferNotTee")
        .withArgs(m.dataOfferId, OfferType.Data);
      await expect(fx.createWorkflow(m, { inputs: [{ offerId: m.teeOfferId, slotId: m.teeSlotId }] }))
        .to.be.revertedWithCustomError(m.registry, "OfferNotInput")
        .withArgs(m.teeOfferId, OfferType.TeeOffer);
    });

    it("reverts with SlotNotInOffer when a slot belongs to another offer", async function () {
      const m = await networkHelpers.loadFixture(fx.deployStory);
      await expect(fx.createWorkflow(m, { inputs: [{ offerId: m.dataOfferId, slotId: m.teeSlotId }] }))
        .to.be.revertedWithCustomError(m.registry, "SlotNotInOffer")
        .withArgs(m.teeSlotId, m.dataOfferId);
    });
  });
});
