import { expect } from "chai";
import { ZeroAddress, ZeroHash, hexlify, toUtf8Bytes } from "ethers";
import hre, { network } from "hardhat";

import type { OfferRegistry } from "../../types/ethers-contracts/index.js";
import {
  DATASET_HASH,
  FIXTURE_SLOT,
  OTHER_HASH,
  OfferType,
  PROVIDER_INFO,
  PriceType,
  SOLUTION_HASH,
  addSlot,
  createOffer,
  dataOffer,
  offerRegistryFixtures,
  slotTerms,
  solutionOffer,
  teeOffer,
} from "../helpers/offerRegistry.js";

const { ethers, networkHelpers } = await network.create();
const fx = offerRegistryFixtures(ethers);

type Workflow = Awaited<ReturnType<typeof fx.deployWorkflow>>;
type Input = { offerId: bigint; slotId: bigint };

/** Gas budgets of the issues' benchmark (receipt.gasUsed, base cost included). */
const BUDGET = {
  registerProvider: 120_000n,
  createOffer: 200_000n,
  addSlot: 120_000n,
  /** What a slot that opens a new word of its offer's slot id list adds (a new storage word). */
  slotListWord: 22_100n,
  /** `reserveWorkflow` with one input, as a transaction (base cost included). */
  reserveOneInput: 60_000n,
  /** What `reserveWorkflow` may add per input, cold reads included. */
  reservePerInput: 25_000n,
};

const RESULT_RESOURCE = hexlify(toUtf8Bytes('{"type":"STORJ","filepath":"public/result.tar.gz"}'));

function dataInput(w: Workflow): Input {
  return { offerId: w.dataOfferId, slotId: w.dataSlotId };
}

function solutionInput(w: Workflow): Input {
  return { offerId: w.solutionOfferId, slotId: w.solutionSlotId };
}

/** The inputs with the terms hash each slot has now (a removed slot gets a zero hash). */
async function withTerms(registry: OfferRegistry, inputs: Input[]) {
  return Promise.all(
    inputs.map(async (input) => ({
      ...input,
      termsHash: await registry.slotTermsHash(input.slotId).catch(() => ZeroHash),
    })),
  );
}

/**
 * The arguments of `reserveWorkflow` for the fixture's consumer, TEE offer and slot (or those in
 * `options`), with the terms hashes the slots have now.
 */
async function reserveArgs(
  w: Workflow,
  inputs: Input[],
  options: { solutionHash?: string; consumer?: string; teeOfferId?: bigint; teeSlotId?: bigint } = {},
) {
  const teeSlotId = options.teeSlotId ?? w.teeSlotId;
  return [
    options.consumer ?? w.consumer.address,
    options.teeOfferId ?? w.teeOfferId,
    teeSlotId,
    await w.registry.slotTermsHash(teeSlotId).catch(() => ZeroHash),
    await withTerms(w.registry, inputs),
    options.solutionHash ?? SOLUTION_HASH,
  ] as const;
}

/** `reserveWorkflow` by the bound Orders signer (see `reserveArgs`). */
async function reserve(w: Workflow, inputs: Input[], options: Parameters<typeof reserveArgs>[2] = {}) {
  return w.registry.connect(w.orders).reserveWorkflow(...(await reserveArgs(w, inputs, options)));
}

/** An offer of `provider` with one Fixed slot (price 1), as a workflow input. */
async function newInput(w: Workflow, params = dataOffer()): Promise<Input> {
  const offerId = await createOffer(w.registry, w.provider, params);
  const slotId = await addSlot(w.registry, w.provider, offerId, slotTerms({ price: 1n }));
  return { offerId, slotId };
}

async function openOrders(registry: OfferRegistry, slotIds: bigint[]): Promise<bigint[]> {
  return Promise.all(slotIds.map(async (id) => (await registry.getSlot(id)).openOrders));
}

async function gasOf(tx: Promise<{ wait(): Promise<{ gasUsed: bigint } | null> }>): Promise<bigint> {
  return (await (await tx).wait())!.gasUsed;
}

describe("OfferRegistry", function () {
  describe("its Orders contract", function () {
    it("is its creator, from the first block: no binding step", async function () {
      const { registry, orders } = await networkHelpers.loadFixture(fx.deployRegistry);
      expect(await registry.orders(), "orders").to.equal(orders.address);
    });
  });

  describe("reserveWorkflow", function () {
    it("returns the min costs and flags and counts an open order on every slot", async function () {
      const w = await networkHelpers.loadFixture(fx.deployWorkflow);
      const autoSolution = await createOffer(
        w.registry,
        w.provider,
        solutionOffer({ resultResource: RESULT_RESOURCE }),
      );
      const autoSlot = await addSlot(w.registry, w.provider, autoSolution, slotTerms({ price: 50n }));
      const inputs = [dataInput(w), { offerId: autoSolution, slotId: autoSlot }];

      const result = await w.registry
        .connect(w.orders)
        .reserveWorkflow.staticCall(...(await reserveArgs(w, inputs)));
      // TEE: 120 per hour for 10 minutes = 20; Data: 600 fixed; Solution: 50 fixed.
      expect(result.minCost, "minCost").to.equal(670n);
      expect(result.teeCancelable, "teeCancelable").to.equal(true);
      expect(result.autoCompleteMask, "autoCompleteMask: the second input").to.equal(0b10n);

      await reserve(w, inputs);
      expect(
        await openOrders(w.registry, [w.teeSlotId, w.dataSlotId, autoSlot]),
        "open orders",
      ).to.deep.equal([1n, 1n, 1n]);
      expect(await openOrders(w.registry, [w.solutionSlotId]), "open orders of an unused slot").to.deep.equal(
        [0n],
      );
    });

    it("reserves a workflow without inputs: the TEE slot alone", async function () {
      const w = await networkHelpers.loadFixture(fx.deployWorkflow);
      const result = await w.registry
        .connect(w.orders)
        .reserveWorkflow.staticCall(...(await reserveArgs(w, [])));
      expect(result.minCost, "minCost").to.equal(20n);
      expect(result.autoCompleteMask, "autoCompleteMask").to.equal(0n);
    });

    it("reports a TEE offer that is not cancelable", async function () {
      const w = await networkHelpers.loadFixture(fx.deployWorkflow);
      const teeOfferId = await createOffer(w.registry, w.provider, teeOffer({ cancelable: false }));
      const teeSlotId = await addSlot(w.registry, w.provider, teeOfferId);
      const result = await w.registry
        .connect(w.orders)
        .reserveWorkflow.staticCall(...(await reserveArgs(w, [dataInput(w)], { teeOfferId, teeSlotId })));
      expect(result.teeCancelable, "teeCancelable").to.equal(false);
    });

    it("counts a slot named twice twice", async function () {
      const w = await networkHelpers.loadFixture(fx.deployWorkflow);
      const before = await w.registry.getSlot(w.dataSlotId);
      await reserve(w, [dataInput(w), dataInput(w)]);
      await reserve(w, [dataInput(w)]);
      expect(await openOrders(w.registry, [w.teeSlotId, w.dataSlotId]), "open orders").to.deep.equal([
        2n,
        3n,
      ]);
      // The count is written into the slot's word as read: its offer and terms stay as they were.
      const after = await w.registry.getSlot(w.dataSlotId);
      expect([after.offerId, [...after.usage]], "offer and terms").to.deep.equal([
        before.offerId,
        [...before.usage],
      ]);
    });

    it("reverts with OfferRegistryCallerNotOrders for any caller but its creator, the TCB admin included", async function () {
      const w = await networkHelpers.loadFixture(fx.deployWorkflow);
      for (const caller of [w.deployer, w.stranger, w.provider]) {
        await expect(
          w.registry.connect(caller).reserveWorkflow(...(await reserveArgs(w, []))),
          caller.address,
        )
          .to.be.revertedWithCustomError(w.registry, "OfferRegistryCallerNotOrders")
          .withArgs(caller.address);
      }
    });

    it("reverts with OfferNotFound when the TEE offer or an input offer does not exist", async function () {
      const w = await networkHelpers.loadFixture(fx.deployWorkflow);
      await expect(reserve(w, [], { teeOfferId: 99n }))
        .to.be.revertedWithCustomError(w.registry, "OfferNotFound")
        .withArgs(99n);
      await expect(reserve(w, [dataInput(w), { offerId: 0n, slotId: w.dataSlotId }]))
        .to.be.revertedWithCustomError(w.registry, "OfferNotFound")
        .withArgs(0n);
    });

    it("reverts with OfferDisabled when the TEE offer or an input offer is disabled", async function () {
      const w = await networkHelpers.loadFixture(fx.deployWorkflow);
      await w.registry.connect(w.provider).setOfferEnabled(w.dataOfferId, false);
      await expect(reserve(w, [dataInput(w)]))
        .to.be.revertedWithCustomError(w.registry, "OfferDisabled")
        .withArgs(w.dataOfferId);
      await w.registry.connect(w.provider).setOfferEnabled(w.teeOfferId, false);
      await expect(reserve(w, [solutionInput(w)]))
        .to.be.revertedWithCustomError(w.registry, "OfferDisabled")
        .withArgs(w.teeOfferId);
      await w.registry.connect(w.provider).setOfferEnabled(w.teeOfferId, true);
      await reserve(w, [solutionInput(w)]);
    });

    it("reverts with OfferNotTee when the TEE offer is not a TEE offer", async function () {
      const w = await networkHelpers.loadFixture(fx.deployWorkflow);
      await expect(reserve(w, [], { teeOfferId: w.dataOfferId, teeSlotId: w.dataSlotId }))
        .to.be.revertedWithCustomError(w.registry, "OfferNotTee")
        .withArgs(w.dataOfferId, OfferType.Data);
    });

    it("reverts with OfferNotInput when an input is a TEE or storage offer", async function () {
      const w = await networkHelpers.loadFixture(fx.deployWorkflow);
      await expect(reserve(w, [{ offerId: w.teeOfferId, slotId: w.teeSlotId }]))
        .to.be.revertedWithCustomError(w.registry, "OfferNotInput")
        .withArgs(w.teeOfferId, OfferType.TeeOffer);
      const storage = await newInput(w, teeOffer({ offerType: OfferType.Storage }));
      await expect(reserve(w, [dataInput(w), storage]))
        .to.be.revertedWithCustomError(w.registry, "OfferNotInput")
        .withArgs(storage.offerId, OfferType.Storage);
    });

    it("reverts with SlotNotFound when a slot does not exist", async function () {
      const w = await networkHelpers.loadFixture(fx.deployWorkflow);
      await expect(reserve(w, [], { teeSlotId: 0n }))
        .to.be.revertedWithCustomError(w.registry, "SlotNotFound")
        .withArgs(0n);
      await w.registry.connect(w.provider).removeSlot(w.dataSlotId);
      await expect(reserve(w, [dataInput(w)]))
        .to.be.revertedWithCustomError(w.registry, "SlotNotFound")
        .withArgs(w.dataSlotId);
    });

    it("reverts with SlotNotInOffer when a slot belongs to another offer", async function () {
      const w = await networkHelpers.loadFixture(fx.deployWorkflow);
      await expect(reserve(w, [], { teeSlotId: w.dataSlotId }))
        .to.be.revertedWithCustomError(w.registry, "SlotNotInOffer")
        .withArgs(w.dataSlotId, w.teeOfferId);
      await expect(reserve(w, [{ offerId: w.dataOfferId, slotId: w.solutionSlotId }]))
        .to.be.revertedWithCustomError(w.registry, "SlotNotInOffer")
        .withArgs(w.solutionSlotId, w.dataOfferId);
    });

    it("reverts with OfferSolutionHashMismatch when a Solution input's content is not the committed solution", async function () {
      const w = await networkHelpers.loadFixture(fx.deployWorkflow);
      await expect(reserve(w, [dataInput(w), solutionInput(w)], { solutionHash: OTHER_HASH }))
        .to.be.revertedWithCustomError(w.registry, "OfferSolutionHashMismatch")
        .withArgs(w.solutionOfferId, SOLUTION_HASH, OTHER_HASH);
    });

    it("compares the committed solution with the current version of a Solution offer", async function () {
      const w = await networkHelpers.loadFixture(fx.deployWorkflow);
      await w.registry.connect(w.provider).newOfferVersion(w.solutionOfferId, OTHER_HASH, "0x");
      await expect(reserve(w, [solutionInput(w)]))
        .to.be.revertedWithCustomError(w.registry, "OfferSolutionHashMismatch")
        .withArgs(w.solutionOfferId, OTHER_HASH, SOLUTION_HASH);
      await reserve(w, [solutionInput(w)], { solutionHash: OTHER_HASH });
    });

    it("does not compare a Data input's content hash with the solution hash", async function () {
      const w = await networkHelpers.loadFixture(fx.deployWorkflow);
      expect(DATASET_HASH, "the dataset is not the solution").to.not.equal(SOLUTION_HASH);
      await reserve(w, [dataInput(w)]);
      expect(await openOrders(w.registry, [w.dataSlotId]), "open orders").to.deep.equal([1n]);
    });

    describe("terms", function () {
      it("reverts with SlotTermsChanged when the provider repriced the TEE slot after the consumer read it", async function () {
        const w = await networkHelpers.loadFixture(fx.deployWorkflow);
        // The consumer reads the terms; the provider front-runs the workflow with a new price.
        const seen = await reserveArgs(w, [dataInput(w)]);
        const terms = slotTerms({
          price: 999n,
          priceType: PriceType.PerHour,
          minTimeMinutes: 10,
          maxTimeMinutes: 120,
        });
        await w.registry.connect(w.provider).updateSlot(w.teeSlotId, terms.info, terms.usage, terms.option);
        await expect(w.registry.connect(w.orders).reserveWorkflow(...seen))
          .to.be.revertedWithCustomError(w.registry, "SlotTermsChanged")
          .withArgs(w.teeSlotId, seen[3], await w.registry.slotTermsHash(w.teeSlotId));
      });

      it("reverts with SlotTermsChanged when an input slot's price, price type or times changed", async function () {
        const w = await networkHelpers.loadFixture(fx.deployWorkflow);
        const changes = [
          { price: 601n },
          { priceType: PriceType.PerHour },
          { minTimeMinutes: 11 },
          { maxTimeMinutes: 121 },
        ];
        for (const change of changes) {
          const seen = await reserveArgs(w, [dataInput(w)]);
          const terms = slotTerms({ price: 600n, ...change });
          await w.registry
            .connect(w.provider)
            .updateSlot(w.dataSlotId, terms.info, terms.usage, terms.option);
          await expect(
            w.registry.connect(w.orders).reserveWorkflow(...seen),
            `after ${JSON.stringify(change, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v))}`,
          )
            .to.be.revertedWithCustomError(w.registry, "SlotTermsChanged")
            .withArgs(w.dataSlotId, seen[4][0]!.termsHash, await w.registry.slotTermsHash(w.dataSlotId));
          const back = slotTerms({ price: 600n });
          await w.registry.connect(w.provider).updateSlot(w.dataSlotId, back.info, back.usage, back.option);
        }
        await reserve(w, [dataInput(w)]);
      });

      it("reserves when only the slot's resources changed, and when the terms were restored", async function () {
        const w = await networkHelpers.loadFixture(fx.deployWorkflow);
        const seen = await reserveArgs(w, [dataInput(w)]);
        const terms = slotTerms({ price: 600n });
        terms.info = { ...terms.info, cpuCores: 64 };
        await w.registry.connect(w.provider).updateSlot(w.dataSlotId, terms.info, terms.usage, terms.option);
        await w.registry.connect(w.orders).reserveWorkflow(...seen);
        expect(await openOrders(w.registry, [w.dataSlotId]), "open orders").to.deep.equal([1n]);
      });

      it("gives a hash of the usage terms that another slot with the same terms shares", async function () {
        const w = await networkHelpers.loadFixture(fx.deployWorkflow);
        const twin = await addSlot(w.registry, w.provider, w.dataOfferId, slotTerms({ price: 600n }));
        expect(await w.registry.slotTermsHash(twin), "twin's hash").to.equal(
          await w.registry.slotTermsHash(w.dataSlotId),
        );
        expect(await w.registry.slotTermsHash(w.solutionSlotId), "another price's hash").to.not.equal(
          await w.registry.slotTermsHash(w.dataSlotId),
        );
        await expect(w.registry.slotTermsHash(99n))
          .to.be.revertedWithCustomError(w.registry, "SlotNotFound")
          .withArgs(99n);
      });
    });

    describe("allowed accounts", function () {
      it("reverts with OfferAccountNotAllowed when the TEE offer does not list the consumer", async function () {
        const w = await networkHelpers.loadFixture(fx.deployWorkflow);
        const teeOfferId = await createOffer(
          w.registry,
          w.provider,
          teeOffer({ allowedAccounts: [w.other.address] }),
        );
        const teeSlotId = await addSlot(w.registry, w.provider, teeOfferId);
        await expect(reserve(w, [], { teeOfferId, teeSlotId }))
          .to.be.revertedWithCustomError(w.registry, "OfferAccountNotAllowed")
          .withArgs(teeOfferId, w.consumer.address);
        await reserve(w, [], { teeOfferId, teeSlotId, consumer: w.other.address });
      });

      it("reverts with OfferAccountNotAllowed when an input offer does not list the consumer", async function () {
        const w = await networkHelpers.loadFixture(fx.deployWorkflow);
        const listed = await newInput(
          w,
          dataOffer({ allowedAccounts: [w.other.address, w.consumer.address] }),
        );
        const unlisted = await newInput(w, dataOffer({ allowedAccounts: [w.other.address] }));
        await reserve(w, [listed]);
        await expect(reserve(w, [listed, unlisted]))
          .to.be.revertedWithCustomError(w.registry, "OfferAccountNotAllowed")
          .withArgs(unlisted.offerId, w.consumer.address);
      });
    });

    describe("restrictions", function () {
      it("reverts with OfferCombinationNotAllowed when the TEE offer's type mask excludes an input's type", async function () {
        const w = await networkHelpers.loadFixture(fx.deployWorkflow);
        const teeOfferId = await createOffer(
          w.registry,
          w.provider,
          teeOffer({ allowedOfferTypes: [OfferType.Solution] }),
        );
        const teeSlotId = await addSlot(w.registry, w.provider, teeOfferId);
        const reserveOn = (inputs: Input[]) => reserve(w, inputs, { teeOfferId, teeSlotId });
        await reserveOn([solutionInput(w)]);
        await expect(reserveOn([solutionInput(w), dataInput(w)]))
          .to.be.revertedWithCustomError(w.registry, "OfferCombinationNotAllowed")
          .withArgs(teeOfferId, w.dataOfferId);
      });

      it("reverts with OfferCombinationNotAllowed when an input's restrictions exclude the TEE offer", async function () {
        const w = await networkHelpers.loadFixture(fx.deployWorkflow);
        const input = await newInput(w, dataOffer({ allowedOfferTypes: [OfferType.Solution] }));
        await expect(reserve(w, [input, solutionInput(w)]))
          .to.be.revertedWithCustomError(w.registry, "OfferCombinationNotAllowed")
          .withArgs(input.offerId, w.teeOfferId);
      });

      it("allows an input restricted by id only with the listed offers", async function () {
        const w = await networkHelpers.loadFixture(fx.deployWorkflow);
        const input = await newInput(w, dataOffer({ allowedOfferIds: [w.teeOfferId] }));
        await reserve(w, [input]);
        await expect(reserve(w, [input, solutionInput(w)]))
          .to.be.revertedWithCustomError(w.registry, "OfferCombinationNotAllowed")
          .withArgs(input.offerId, w.solutionOfferId);
      });

      it("allows what either the type mask or the allowed ids allow", async function () {
        const w = await networkHelpers.loadFixture(fx.deployWorkflow);
        const input = await newInput(
          w,
          dataOffer({ allowedOfferTypes: [OfferType.TeeOffer], allowedOfferIds: [w.solutionOfferId] }),
        );
        await reserve(w, [input, solutionInput(w)]);
        await expect(reserve(w, [input, dataInput(w)]))
          .to.be.revertedWithCustomError(w.registry, "OfferCombinationNotAllowed")
          .withArgs(input.offerId, w.dataOfferId);
      });

      it("checks an input's restrictions against the inputs listed before it", async function () {
        const w = await networkHelpers.loadFixture(fx.deployWorkflow);
        const input = await newInput(w, solutionOffer({ allowedOfferTypes: [OfferType.TeeOffer] }));
        await expect(reserve(w, [dataInput(w), input]))
          .to.be.revertedWithCustomError(w.registry, "OfferCombinationNotAllowed")
          .withArgs(input.offerId, w.dataOfferId);
      });

      it("does not check an offer named twice against itself", async function () {
        const w = await networkHelpers.loadFixture(fx.deployWorkflow);
        const input = await newInput(w, dataOffer({ allowedOfferTypes: [OfferType.TeeOffer] }));
        await reserve(w, [input, input]);
        expect(await openOrders(w.registry, [input.slotId]), "open orders").to.deep.equal([2n]);
      });

      it("leaves every slot count unchanged when a reservation is refused", async function () {
        const w = await networkHelpers.loadFixture(fx.deployWorkflow);
        const input = await newInput(w, dataOffer({ allowedOfferIds: [w.teeOfferId] }));
        await expect(reserve(w, [dataInput(w), input, solutionInput(w)])).to.be.revertedWithCustomError(
          w.registry,
          "OfferCombinationNotAllowed",
        );
        expect(
          await openOrders(w.registry, [w.teeSlotId, w.dataSlotId, input.slotId, w.solutionSlotId]),
          "open orders",
        ).to.deep.equal([0n, 0n, 0n, 0n]);
      });
    });
  });

  describe("releaseSlots", function () {
    it("ends the open order on each slot", async function () {
      const w = await networkHelpers.loadFixture(fx.deployWorkflow);
      await reserve(w, [dataInput(w)]);
      const slotIds = [w.teeSlotId, w.dataSlotId];
      expect(await openOrders(w.registry, slotIds), "open orders before").to.deep.equal([1n, 1n]);
      await w.registry.connect(w.orders).releaseSlots(slotIds);
      expect(await openOrders(w.registry, slotIds), "open orders after").to.deep.equal([0n, 0n]);
    });

    it("reverts with OfferRegistryCallerNotOrders when the caller is not its Orders contract", async function () {
      const w = await networkHelpers.loadFixture(fx.deployWorkflow);
      await reserve(w, [dataInput(w)]);
      await expect(w.registry.connect(w.provider).releaseSlots([w.teeSlotId]))
        .to.be.revertedWithCustomError(w.registry, "OfferRegistryCallerNotOrders")
        .withArgs(w.provider.address);
    });

    it("reverts with SlotNotFound for an unknown slot", async function () {
      const w = await networkHelpers.loadFixture(fx.deployWorkflow);
      await expect(w.registry.connect(w.orders).releaseSlots([99n]))
        .to.be.revertedWithCustomError(w.registry, "SlotNotFound")
        .withArgs(99n);
    });

    it("reverts (arithmetic underflow) when a slot has no open order to release", async function () {
      const w = await networkHelpers.loadFixture(fx.deployWorkflow);
      await reserve(w, [dataInput(w)]);
      await expect(
        w.registry.connect(w.orders).releaseSlots([w.dataSlotId, w.dataSlotId]),
      ).to.be.revertedWithPanic(0x11);
    });
  });

  describe("settleSlots", function () {
    /** A workflow on a PerHour TEE slot (90 an hour, at least 5 minutes, max `maxTimeMinutes`) of
     * another provider and the fixture's Fixed data slot (600, min cost 600). */
    async function reservedOnPerHourTee(maxTimeMinutes: number) {
      const w = await networkHelpers.loadFixture(fx.deployWorkflow);
      const teeOfferId = await createOffer(w.registry, w.other, teeOffer());
      const teeSlotId = await addSlot(
        w.registry,
        w.other,
        teeOfferId,
        slotTerms({ price: 90n, priceType: PriceType.PerHour, minTimeMinutes: 5, maxTimeMinutes }),
      );
      await reserve(w, [dataInput(w)], { teeOfferId, teeSlotId });
      return { ...w, slotIds: [teeSlotId, w.dataSlotId] };
    }
    /** The payout word: receiver in the high 160 bits, amount in the low 96. */
    const payout = (receiver: string, amount: bigint) => (BigInt(receiver) << 96n) | amount;

    it("pays each slot's current receiver its cost for the started minutes and refunds the rest", async function () {
      const w = await reservedOnPerHourTee(0);
      // A receiver changed after the reservation is the one paid.
      await w.registry.connect(w.provider).updateProvider("0x", ZeroAddress, w.stranger.address);
      const startedAt = BigInt(await networkHelpers.time.latest());
      // 10 minutes and a second or two: 11 started minutes at 90 an hour = 16 (rounded down).
      await networkHelpers.time.increaseTo(startedAt + 601n);
      const [payouts, refund] = await w.registry
        .connect(w.orders)
        .settleSlots.staticCall(w.slotIds, 1_000n, startedAt, 3600n);
      expect(payouts, "payouts").to.deep.equal([
        payout(w.other.address, 16n),
        payout(w.stranger.address, 600n),
      ]);
      expect(refund, "refund").to.equal(1_000n - 16n - 600n);
      await w.registry.connect(w.orders).settleSlots(w.slotIds, 1_000n, startedAt, 3600n);
      expect(await openOrders(w.registry, w.slotIds), "open orders").to.deep.equal([0n, 0n]);
    });

    it("charges no time past the deadline: the TEE slot's max time, else the fallback timeout", async function () {
      for (const [maxTimeMinutes, fallback, charged] of [
        [20, 3600n, 30n], // max 20 minutes: 90 × 20 / 60
        [0, 600n, 15n], // no max: the 10-minute fallback, 90 × 10 / 60
      ] as const) {
        const w = await reservedOnPerHourTee(maxTimeMinutes);
        const startedAt = BigInt(await networkHelpers.time.latest());
        await networkHelpers.time.increase(7200);
        const [payouts] = await w.registry
          .connect(w.orders)
          .settleSlots.staticCall(w.slotIds, 10_000n, startedAt, fallback);
        expect(payouts[0], `TEE payout, max ${maxTimeMinutes}`).to.equal(payout(w.other.address, charged));
      }
    });

    it("pays every min cost first, then the extra time in slot order from what is left", async function () {
      const w = await reservedOnPerHourTee(0);
      const startedAt = BigInt(await networkHelpers.time.latest());
      await networkHelpers.time.increase(3600);
      // Min costs: TEE 7 (5 minutes at 90 an hour), data 600; the deposit leaves 3 for the TEE's
      // extra time (it owes about 84 more): it gets 3, nothing is refunded.
      const [payouts, refund] = await w.registry
        .connect(w.orders)
        .settleSlots.staticCall(w.slotIds, 610n, startedAt, 7200n);
      expect(payouts, "payouts").to.deep.equal([
        payout(w.other.address, 10n),
        payout(w.tokenReceiver.address, 600n),
      ]);
      expect(refund, "refund").to.equal(0n);
    });

    it("reverts with OfferRegistryCallerNotOrders when the caller is not its Orders contract", async function () {
      const w = await reservedOnPerHourTee(0);
      await expect(w.registry.connect(w.provider).settleSlots(w.slotIds, 1_000n, 0n, 3600n))
        .to.be.revertedWithCustomError(w.registry, "OfferRegistryCallerNotOrders")
        .withArgs(w.provider.address);
    });

    it("reverts (arithmetic underflow) when a slot has no open order to settle", async function () {
      const w = await reservedOnPerHourTee(0);
      const startedAt = BigInt(await networkHelpers.time.latest());
      await expect(
        w.registry.connect(w.orders).settleSlots([...w.slotIds, w.dataSlotId], 1_000n, startedAt, 3600n),
      ).to.be.revertedWithPanic(0x11);
    });
  });

  describe("isOfferOperator", function () {
    it("is true for the provider's authority and action account only", async function () {
      const { registry, offerId, provider, actionAccount, tokenReceiver, stranger } =
        await networkHelpers.loadFixture(fx.deployWithOffer);
      expect(await registry.isOfferOperator(offerId, provider.address), "authority").to.equal(true);
      expect(await registry.isOfferOperator(offerId, actionAccount.address), "action account").to.equal(true);
      expect(await registry.isOfferOperator(offerId, tokenReceiver.address), "token receiver").to.equal(
        false,
      );
      expect(await registry.isOfferOperator(offerId, stranger.address), "stranger").to.equal(false);
    });

    it("is false for an unknown offer", async function () {
      const { registry, provider } = await networkHelpers.loadFixture(fx.deployWithOffer);
      expect(await registry.isOfferOperator(2n, provider.address), "unknown offer").to.equal(false);
      expect(await registry.isOfferOperator(2n, ZeroAddress), "unknown offer, zero account").to.equal(false);
    });
  });

  describe("offerTypeAndOperator", function () {
    it("answers an offer's type and whether the account operates it, in one call", async function () {
      const w = await networkHelpers.loadFixture(fx.deployWorkflow);
      const answer = async (offerId: bigint, account: string) => [
        ...(await w.registry.offerTypeAndOperator(offerId, account)),
      ];
      expect(await answer(w.teeOfferId, w.provider.address), "authority").to.deep.equal([
        BigInt(OfferType.TeeOffer),
        true,
      ]);
      expect(await answer(w.dataOfferId, w.actionAccount.address), "action account").to.deep.equal([
        BigInt(OfferType.Data),
        true,
      ]);
      expect(await answer(w.teeOfferId, w.stranger.address), "stranger").to.deep.equal([
        BigInt(OfferType.TeeOffer),
        false,
      ]);
      await expect(w.registry.offerTypeAndOperator(99n, w.provider.address))
        .to.be.revertedWithCustomError(w.registry, "OfferNotFound")
        .withArgs(99n);
    });
  });

  describe("gas", function () {
    // Coverage instrumentation adds gas to every statement: the budgets hold for the real bytecode.
    before(function () {
      if (hre.globalOptions.coverage) this.skip();
    });

    it("stays within the budgets of registerProvider, createOffer and addSlot", async function () {
      const { registry, provider, actionAccount, tokenReceiver } = await networkHelpers.loadFixture(
        fx.deployRegistry,
      );
      const register = await gasOf(
        registry
          .connect(provider)
          .registerProvider(PROVIDER_INFO, actionAccount.address, tokenReceiver.address),
      );
      expect(register, "registerProvider gas").to.be.at.most(BUDGET.registerProvider);

      // The first offer of a deployment is the dearest: the word of the id counters starts at zero.
      const create = await gasOf(registry.connect(provider).createOffer(dataOffer()));
      expect(create, "createOffer gas (offer-info.json, first offer)").to.be.at.most(BUDGET.createOffer);

      // Slots 1 to 5 of an offer are listed in a word the offer owns; slots 6, 12, 18... open a new
      // word of the offer's slot id list (one more 22,100-gas allocation); the others fill it.
      const { info, usage, option } = FIXTURE_SLOT;
      for (let nth = 1; nth <= 13; nth++) {
        const add = await gasOf(registry.connect(provider).addSlot(1n, info, usage, option));
        const opensListWord = nth % 6 === 0;
        const budget = opensListWord ? BUDGET.addSlot + BUDGET.slotListWord : BUDGET.addSlot;
        expect(add, `addSlot gas (slot-info.json, slot ${nth} of the offer)`).to.be.at.most(budget);
      }
    });

    it(`adds at most ${BUDGET.reservePerInput} gas per input to reserveWorkflow`, async function () {
      const w = await networkHelpers.loadFixture(fx.deployWorkflow);
      const inputs: Input[] = [];
      for (let i = 0; i < 17; i++) inputs.push(await newInput(w));
      // Fresh offers and slots for each measure, so every read is cold in both.
      const one = await gasOf(reserve(w, inputs.slice(0, 1)));
      const sixteen = await gasOf(reserve(w, inputs.slice(1, 17)));
      expect(one, "reserveWorkflow gas, one input").to.be.at.most(BUDGET.reserveOneInput);
      expect((sixteen - one) / 15n, "reserveWorkflow gas per extra input").to.be.at.most(
        BUDGET.reservePerInput,
      );
    });
  });
});
