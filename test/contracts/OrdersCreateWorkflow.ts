import { anyValue } from "@nomicfoundation/hardhat-ethers-chai-matchers/withArgs";
import { expect } from "chai";
import { network } from "hardhat";

import type { ISlots } from "../../types/ethers-contracts/offers/OfferRegistry.js";
import type { IOrders } from "../../types/ethers-contracts/orders/Orders.js";
import {
  DATASET_HASH,
  DEPOSIT,
  MIN_COST,
  RESULT_KEY,
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

/** A slot's terms, as `updateSlot` takes them. */
async function slotTerms(m: { registry: { getSlot(id: bigint): Promise<IOffersSlot> } }, slotId: bigint) {
  const { info, usage, option } = await m.registry.getSlot(slotId);
  return {
    info: {
      cpuCores: info.cpuCores,
      gpuCores: info.gpuCores,
      diskUsage: info.diskUsage,
      ram: info.ram,
      vram: info.vram,
    },
    usage: {
      price: usage.price,
      priceType: usage.priceType,
      minTimeMinutes: usage.minTimeMinutes,
      maxTimeMinutes: usage.maxTimeMinutes,
    },
    option: { bandwidth: option.bandwidth, traffic: option.traffic, externalPort: option.externalPort },
  };
}
type IOffersSlot = ISlots.SlotStructOutput;

/** Whether an emitted WorkflowParams tuple carries what was sent. */
function sameParams(emitted: unknown[], sent: IOrders.WorkflowParamsStruct): boolean {
  const json = (value: unknown) =>
    JSON.stringify(value, (_key, v: unknown) => (typeof v === "bigint" ? v.toString() : v));
  const [teeOfferId, teeSlotId, teeTermsHash, teeKey, solutionHash, inputs, deposit, recipients, args] =
    emitted as [bigint, bigint, string, string, string, unknown[][], bigint, string[], string];
  return (
    json([teeOfferId, teeSlotId, teeTermsHash, teeKey, solutionHash, deposit, [...recipients], args]) ===
      json([
        sent.teeOfferId,
        sent.teeSlotId,
        sent.teeTermsHash,
        sent.teeKey,
        sent.solutionHash,
        sent.deposit,
        sent.resultRecipients,
        sent.encryptedArgs,
      ]) &&
    json(inputs.map((input) => [...input])) ===
      json(
        (sent.inputs as { offerId: bigint; slotId: bigint; termsHash: string }[]).map((i) => [
          i.offerId,
          i.slotId,
          i.termsHash,
        ]),
      )
  );
}

describe("Orders", function () {
  describe("createWorkflow", function () {
    it("creates a Blocked parent and a New suborder for a manual data offer, pulling the deposit", async function () {
      const m = await networkHelpers.loadFixture(fx.deployStory);
      const orderId = (await m.orders.orderCount()) + 1n;
      const params = await fx.workflowParams(m);
      const tx = m.orders.connect(m.alice).createWorkflow(params);
      await expect(tx)
        .to.emit(m.orders, "WorkflowCreated")
        .withArgs(orderId, m.alice.address, m.teeOfferId, OrderStatus.Blocked, 0n, (emitted: unknown[]) =>
          sameParams(emitted, params),
        );
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
      expect(order.recipientCount, "result recipients").to.equal(1n);
      expect(order.cancelable, "cancelable from the TEE offer").to.equal(true);
      expect(order.teeKey, "the order's enclave: the active key").to.equal(m.teeKey.address);
      expect(order.teeOfferId, "TEE offer").to.equal(m.teeOfferId);
      expect(order.teeSlotId, "TEE slot").to.equal(m.teeSlotId);
      expect(order.deposit, "deposit").to.equal(DEPOSIT);
      expect(order.solutionHash, "solution hash").to.equal(SOLUTION_HASH);
      expect(order.argsBlock, "args block").to.equal(BigInt((await (await tx).wait())!.blockNumber));
      const suborder = await m.orders.getSuborder(orderId + 1n);
      expect(
        [suborder.parentId, suborder.offerId, suborder.slotId, suborder.status],
        "suborder",
      ).to.deep.equal([orderId, m.dataOfferId, m.dataSlotId, OrderStatus.New]);
      expect(suborder.createdAt, "created at the block's time").to.equal(
        BigInt((await ethers.provider.getBlock((await (await tx).wait())!.blockNumber))!.timestamp),
      );
      expect(await m.orders.orderCount(), "ids handed out").to.equal(orderId + 1n);
      expect((await m.registry.getSlot(m.dataSlotId)).openOrders, "data slot open orders").to.equal(1n);
    });

    it("emits the parameters the contract decoded, however the call encodes them", async function () {
      // WorkflowCreated carries the call's own encoding of the parameters: a consumer who encodes
      // the call oddly (the tuple further on, a word in between, bytes after the end) still emits
      // what the contract checked and stored.
      const m = await networkHelpers.loadFixture(fx.deployStory);
      const orderId = (await m.orders.orderCount()) + 1n;
      const params = await fx.workflowParams(m);
      const canonical = m.orders.interface.encodeFunctionData("createWorkflow", [params]);
      const selector = canonical.slice(0, 10);
      const tuple = canonical.slice(10 + 64);
      const offset = (64).toString(16).padStart(64, "0");
      const data = `${selector}${offset}${"ff".repeat(32)}${tuple}${"ee".repeat(7)}`;
      const receipt = await (await m.alice.sendTransaction({ to: await m.orders.getAddress(), data })).wait();
      const [log] = receipt!.logs
        .map((l) => m.orders.interface.parseLog(l))
        .filter((l) => l?.name === "WorkflowCreated");
      expect(
        [
          log!.args.orderId,
          log!.args.consumer,
          log!.args.teeOfferId,
          log!.args.status,
          log!.args.doneSuborders,
        ],
        "indexed fields, status and done mask",
      ).to.deep.equal([orderId, m.alice.address, m.teeOfferId, BigInt(OrderStatus.Blocked), 0n]);
      const emitted = m.orders.interface.encodeFunctionData("createWorkflow", [log!.args.params]);
      expect(emitted, "emitted params, encoded canonically").to.equal(canonical);
      const order = await m.orders.getOrder(orderId);
      expect([order.teeKey, order.deposit, order.solutionHash], "stored").to.deep.equal([
        params.teeKey,
        params.deposit,
        params.solutionHash,
      ]);

      // An address with dirty high bits never reaches the event: the call reverts.
      const teeKeyAt = 10 + 64 + 3 * 64;
      const dirty = `${canonical.slice(0, teeKeyAt)}ff${canonical.slice(teeKeyAt + 2)}`;
      await expect(
        m.alice.sendTransaction({ to: await m.orders.getAddress(), data: dirty }),
        "dirty address",
      ).to.revert(ethers);
    });

    it("creates a New parent when every input completes automatically, with Done suborders", async function () {
      const m = await networkHelpers.loadFixture(fx.deployStory);
      const { offerId: publicOfferId, slotId: publicSlotId } = await fx.createFreeOffer(m, m.bob, {
        offerType: OfferType.Data,
        contentHash: DATASET_HASH,
        resultResource: "0x" + Buffer.from('{"type":"public"}').toString("hex"),
      });
      const inputs = [
        { offerId: m.dataOfferId, slotId: m.dataSlotId },
        { offerId: publicOfferId, slotId: publicSlotId },
      ];
      const params = await fx.workflowParams(m, { inputs });
      const orderId = (await m.orders.orderCount()) + 1n;
      await expect(m.orders.connect(m.alice).createWorkflow(params))
        .to.emit(m.orders, "WorkflowCreated")
        .withArgs(orderId, m.alice.address, m.teeOfferId, OrderStatus.Blocked, 0b10n, anyValue);
      const { orderId: autoOrderId, suborderId } = await fx.createWorkflow(m, {
        inputs: [{ offerId: publicOfferId, slotId: publicSlotId }],
      });
      expect((await m.orders.getOrder(autoOrderId)).status, "parent").to.equal(OrderStatus.New);
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

    it("reverts with InputTooLarge when the encrypted arguments exceed 8192 bytes, accepts 8192", async function () {
      const m = await networkHelpers.loadFixture(fx.deployStory);
      await expect(fx.createWorkflow(m, { overrides: { encryptedArgs: bytesOfLength(8193) } }))
        .to.be.revertedWithCustomError(m.orders, "InputTooLarge")
        .withArgs("encryptedArgs", 8193, 8192);
      await fx.createWorkflow(m, { overrides: { encryptedArgs: bytesOfLength(8192) } });
    });

    describe("result recipients", function () {
      it("accepts 1 to 8 keys of 33 or 65 bytes, the consumer's first", async function () {
        const m = await networkHelpers.loadFixture(fx.deployStory);
        const keys = Array.from({ length: 8 }, (_, i) =>
          i % 2 === 0 ? RESULT_KEY : "0x04" + "33".repeat(64),
        );
        const { orderId } = await fx.createWorkflow(m, { overrides: { resultRecipients: keys } });
        expect((await m.orders.getOrder(orderId)).recipientCount, "recipients").to.equal(8n);
      });

      it("reverts with OrderResultRecipientCount for none or more than 8", async function () {
        const m = await networkHelpers.loadFixture(fx.deployStory);
        for (const count of [0, 9]) {
          await expect(
            fx.createWorkflow(m, { overrides: { resultRecipients: Array(count).fill(RESULT_KEY) } }),
            `${count} recipients`,
          )
            .to.be.revertedWithCustomError(m.orders, "OrderResultRecipientCount")
            .withArgs(count, 8);
        }
      });

      it("reverts with OrderResultKeyInvalid for a key that is neither 33 nor 65 bytes", async function () {
        const m = await networkHelpers.loadFixture(fx.deployStory);
        for (const length of [0, 32, 34, 64, 66]) {
          await expect(
            fx.createWorkflow(m, { overrides: { resultRecipients: [RESULT_KEY, bytesOfLength(length)] } }),
            `${length} bytes`,
          )
            .to.be.revertedWithCustomError(m.orders, "OrderResultKeyInvalid")
            .withArgs(1, length);
        }
      });
    });

    describe("the enclave", function () {
      it("reverts with OrderTeeKeyNotActive for a key that is not the offer's active one", async function () {
        const m = await networkHelpers.loadFixture(fx.deployStory);
        await expect(fx.createWorkflow(m, { overrides: { teeKey: m.stranger.address } }))
          .to.be.revertedWithCustomError(m.orders, "OrderTeeKeyNotActive")
          .withArgs(m.teeOfferId, m.stranger.address, m.teeKey.address);
      });

      it("refuses a superseded enclave, valid or not, and takes the new one", async function () {
        const m = await networkHelpers.loadFixture(fx.deployStory);
        await fx.publishTcb(m, m.teeOfferId, { teeKey: m.stranger.address });
        await expect(fx.createWorkflow(m, { overrides: { teeKey: m.teeKey.address } }))
          .to.be.revertedWithCustomError(m.orders, "OrderTeeKeyNotActive")
          .withArgs(m.teeOfferId, m.teeKey.address, m.stranger.address);
        const { orderId } = await fx.createWorkflow(m);
        expect((await m.orders.getOrder(orderId)).teeKey, "the new enclave").to.equal(m.stranger.address);
      });

      it("reverts with OrderTeeKeyNotActive when the active TCB expired or was revoked", async function () {
        const m = await networkHelpers.loadFixture(fx.deployStory);
        const { validUntil } = await m.tcbRegistry.getTcb(m.tcbId);
        const params = await fx.workflowParams(m);
        await networkHelpers.time.setNextBlockTimestamp(validUntil - 1n);
        await m.orders.connect(m.alice).createWorkflow(params);
        await networkHelpers.time.setNextBlockTimestamp(validUntil);
        await expect(m.orders.connect(m.alice).createWorkflow(params))
          .to.be.revertedWithCustomError(m.orders, "OrderTeeKeyNotActive")
          .withArgs(m.teeOfferId, m.teeKey.address, ethers.ZeroAddress);
        const fresh = await networkHelpers.loadFixture(fx.deployStory);
        await fresh.tcbRegistry.connect(fresh.carol).revokeTcb(fresh.tcbId);
        await expect(fx.createWorkflow(fresh, { overrides: { teeKey: fresh.teeKey.address } }))
          .to.be.revertedWithCustomError(fresh.orders, "OrderTeeKeyNotActive")
          .withArgs(fresh.teeOfferId, fresh.teeKey.address, ethers.ZeroAddress);
      });

      it("reverts with OrderTeeKeyNotActive for a zero key when the offer has no TCB", async function () {
        const m = await networkHelpers.loadFixture(fx.deployStory);
        const { offerId, slotId } = await fx.createFreeOffer(m, m.carol, { offerType: OfferType.TeeOffer });
        await expect(
          fx.createWorkflow(m, {
            overrides: {
              teeOfferId: offerId,
              teeSlotId: slotId,
              teeTermsHash: await m.registry.slotTermsHash(slotId),
              teeKey: ethers.ZeroAddress,
            },
          }),
        )
          .to.be.revertedWithCustomError(m.orders, "OrderTeeKeyNotActive")
          .withArgs(offerId, ethers.ZeroAddress, ethers.ZeroAddress);
      });
    });

    describe("the terms the consumer saw (hole 5)", function () {
      it("reverts with SlotTermsChanged when the TEE provider reprices its idle slot before the workflow lands", async function () {
        const m = await networkHelpers.loadFixture(fx.deployStory);
        // Alice reads the terms and signs her workflow; Carol front-runs it with a higher price.
        const params = await fx.workflowParams(m);
        const { info, usage, option } = await slotTerms(m, m.teeSlotId);
        await m.registry
          .connect(m.carol)
          .updateSlot(m.teeSlotId, info, { ...usage, price: usage.price * 100n }, option);
        await expect(m.orders.connect(m.alice).createWorkflow(params))
          .to.be.revertedWithCustomError(m.registry, "SlotTermsChanged")
          .withArgs(m.teeSlotId, params.teeTermsHash, await m.registry.slotTermsHash(m.teeSlotId));
        expect(await m.token.balanceOf(await m.orders.getAddress()), "nothing escrowed").to.equal(0n);
      });

      it("reverts with SlotTermsChanged when a data owner reprices an input slot", async function () {
        const m = await networkHelpers.loadFixture(fx.deployStory);
        const params = await fx.workflowParams(m);
        const { info, usage, option } = await slotTerms(m, m.dataSlotId);
        await m.registry.connect(m.bob).updateSlot(m.dataSlotId, info, { ...usage, price: DEPOSIT }, option);
        const inputs = params.inputs as { termsHash: string }[];
        await expect(m.orders.connect(m.alice).createWorkflow(params))
          .to.be.revertedWithCustomError(m.registry, "SlotTermsChanged")
          .withArgs(m.dataSlotId, inputs[0]!.termsHash, await m.registry.slotTermsHash(m.dataSlotId));
      });
    });

    it("reverts with EscrowTransferShortfall when the payment token takes a fee on transfer", async function () {
      const m = await networkHelpers.loadFixture(fx.deployStory);
      const token = await ethers.deployContract("FeeOnTransferToken");
      const fee = await fx.deployOnToken(m, token, DEPOSIT);
      await expect(fee.orders.connect(m.alice).createWorkflow(fee.params))
        .to.be.revertedWithCustomError(fee.orders, "EscrowTransferShortfall")
        .withArgs(DEPOSIT, DEPOSIT - DEPOSIT / 100n);
      expect(await token.balanceOf(m.alice.address), "nothing taken").to.equal(DEPOSIT);
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
        fx.createWorkflow(m, {
          inputs: [],
          overrides: {
            teeOfferId: m.dataOfferId,
            teeSlotId: m.dataSlotId,
            teeTermsHash: await m.registry.slotTermsHash(m.dataSlotId),
          },
        }),
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
