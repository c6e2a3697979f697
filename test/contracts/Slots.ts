import { expect } from "chai";
import { network } from "hardhat";

import type { OfferRegistry } from "../../types/ethers-contracts/index.js";
import {
  FIXTURE_SLOT,
  MAX_PAGE_SIZE,
  MAX_SLOT_MINUTES,
  PriceType,
  SOLUTION_HASH,
  type SlotTerms,
  addSlot,
  createOffer,
  dataOffer,
  offerRegistryFixtures,
  slotTerms,
} from "../helpers/offerRegistry.js";

const { ethers, networkHelpers } = await network.create();
const fx = offerRegistryFixtures(ethers);

/** Slot terms as the ABI returns them (tuples), for `withArgs` and deep equality. */
function termsTuples(t: SlotTerms) {
  const info = [t.info.cpuCores, t.info.gpuCores, t.info.diskUsage, t.info.ram, t.info.vram].map(BigInt);
  const usage = [t.usage.price, t.usage.priceType, t.usage.minTimeMinutes, t.usage.maxTimeMinutes].map(
    BigInt,
  );
  const option = [t.option.bandwidth, t.option.traffic, t.option.externalPort].map(BigInt);
  return [info, usage, option] as const;
}

/** A slot as returned by `getSlot`, as plain arrays. */
async function storedSlot(registry: OfferRegistry, slotId: bigint) {
  const s = await registry.getSlot(slotId);
  return {
    offerId: s.offerId,
    openOrders: s.openOrders,
    terms: [[...s.info], [...s.usage], [...s.option]],
  };
}

async function slotIdsOf(registry: OfferRegistry, offerId: bigint): Promise<bigint[]> {
  return [...(await registry.getOfferSlotIds(offerId, 0n, BigInt(MAX_PAGE_SIZE)))];
}

/** The fixture's Data offer with its slot, plus a second Data offer of `other` without slots. */
async function deployTwoOffers() {
  const f = await fx.deployWithOffer();
  const otherOfferId = await createOffer(f.registry, f.other, dataOffer());
  return { ...f, otherOfferId };
}

/** The workflow fixture with the Data slot used by one open order. */
async function deployWithOpenOrder() {
  const f = await fx.deployWorkflow();
  await f.registry.connect(f.orders).reserveWorkflow(
    f.consumer.address,
    f.teeOfferId,
    f.teeSlotId,
    await f.registry.slotTermsHash(f.teeSlotId),
    [
      {
        offerId: f.dataOfferId,
        slotId: f.dataSlotId,
        termsHash: await f.registry.slotTermsHash(f.dataSlotId),
      },
    ],
    SOLUTION_HASH,
  );
  return f;
}

describe("Slots", function () {
  describe("addSlot", function () {
    it("stores the slot of slot-info.json and emits SlotAdded with its terms", async function () {
      const { registry, provider } = await networkHelpers.loadFixture(fx.deployWithProviders);
      const offerId = await createOffer(registry, provider, dataOffer());
      const { info, usage, option } = FIXTURE_SLOT;
      await expect(registry.connect(provider).addSlot(offerId, info, usage, option))
        .to.emit(registry, "SlotAdded")
        .withArgs(1n, offerId, ...termsTuples(FIXTURE_SLOT));
      expect(await storedSlot(registry, 1n), "stored slot").to.deep.equal({
        offerId,
        openOrders: 0n,
        terms: termsTuples(FIXTURE_SLOT),
      });
      expect(await registry.offerSlotCount(offerId), "offerSlotCount").to.equal(1n);
      expect(await slotIdsOf(registry, offerId), "slot ids").to.deep.equal([1n]);
    });

    it("stores every field at its full width (times at their cap)", async function () {
      const { registry, provider, offerId } = await networkHelpers.loadFixture(fx.deployWithOffer);
      const max = (bits: number) => 2n ** BigInt(bits) - 1n;
      const terms: SlotTerms = {
        info: {
          cpuCores: max(32),
          gpuCores: max(32) - 1n,
          diskUsage: max(64),
          ram: max(64) - 1n,
          vram: max(64) - 2n,
        },
        usage: {
          price: max(96),
          priceType: PriceType.PerHour,
          minTimeMinutes: MAX_SLOT_MINUTES,
          maxTimeMinutes: MAX_SLOT_MINUTES,
        },
        option: { bandwidth: max(64), traffic: max(64) - 1n, externalPort: max(32) },
      };
      const slotId = await addSlot(registry, provider, offerId, terms);
      expect(await storedSlot(registry, slotId), "stored slot").to.deep.equal({
        offerId,
        openOrders: 0n,
        terms: termsTuples(terms),
      });
    });

    it("numbers slots from 1 across all offers and lists each under its offer", async function () {
      const { registry, provider, other, offerId, slotId, otherOfferId } =
        await networkHelpers.loadFixture(deployTwoOffers);
      expect(slotId, "first slot id").to.equal(1n);
      expect(await addSlot(registry, other, otherOfferId), "second slot, other offer").to.equal(2n);
      expect(await addSlot(registry, provider, offerId), "third slot, first offer").to.equal(3n);
      expect(await slotIdsOf(registry, offerId), "first offer's slots").to.deep.equal([1n, 3n]);
      expect(await slotIdsOf(registry, otherOfferId), "other offer's slots").to.deep.equal([2n]);
      expect((await registry.getSlot(2n)).offerId, "offer of slot 2").to.equal(otherOfferId);
    });

    it("accepts no maximum time (0) with any minimum, and a minimum equal to the maximum", async function () {
      const { registry, provider, offerId } = await networkHelpers.loadFixture(fx.deployWithOffer);
      await addSlot(registry, provider, offerId, slotTerms({ minTimeMinutes: 100_000, maxTimeMinutes: 0 }));
      await addSlot(registry, provider, offerId, slotTerms({ minTimeMinutes: 60, maxTimeMinutes: 60 }));
      expect(await registry.offerSlotCount(offerId), "offerSlotCount").to.equal(3n);
    });

    it("reverts with SlotInvalidTime when the minimum time exceeds a non-zero maximum", async function () {
      const { registry, provider, offerId } = await networkHelpers.loadFixture(fx.deployWithOffer);
      const t = slotTerms({ minTimeMinutes: 61, maxTimeMinutes: 60 });
      await expect(registry.connect(provider).addSlot(offerId, t.info, t.usage, t.option))
        .to.be.revertedWithCustomError(registry, "SlotInvalidTime")
        .withArgs(61, 60);
    });

    it("reverts with SlotInvalidTime when a time exceeds MAX_SLOT_MINUTES (a year), and accepts the cap", async function () {
      const { registry, provider, offerId } = await networkHelpers.loadFixture(fx.deployWithOffer);
      const over = MAX_SLOT_MINUTES + 1;
      for (const [min, max] of [
        [over, 0],
        [0, over],
        [over, over],
        [2 ** 32 - 1, 0],
      ]) {
        const t = slotTerms({ minTimeMinutes: min, maxTimeMinutes: max });
        await expect(
          registry.connect(provider).addSlot(offerId, t.info, t.usage, t.option),
          `min ${min}, max ${max}`,
        )
          .to.be.revertedWithCustomError(registry, "SlotInvalidTime")
          .withArgs(min, max);
      }
      const atCap = slotTerms({ minTimeMinutes: MAX_SLOT_MINUTES, maxTimeMinutes: MAX_SLOT_MINUTES });
      const slotId = await addSlot(registry, provider, offerId, atCap);
      expect((await registry.getSlot(slotId)).usage.maxTimeMinutes, "max time at the cap").to.equal(
        BigInt(MAX_SLOT_MINUTES),
      );
      const slot = await registry.getSlot(1n);
      const t = slotTerms({ minTimeMinutes: 0, maxTimeMinutes: MAX_SLOT_MINUTES + 1 });
      expect(slot.openOrders, "slot 1 unused").to.equal(0n);
      await expect(registry.connect(provider).updateSlot(1n, t.info, t.usage, t.option))
        .to.be.revertedWithCustomError(registry, "SlotInvalidTime")
        .withArgs(0, MAX_SLOT_MINUTES + 1);
    });

    it("reverts with OfferNotFound for an unknown offer", async function () {
      const { registry, provider } = await networkHelpers.loadFixture(fx.deployWithOffer);
      const t = slotTerms();
      await expect(registry.connect(provider).addSlot(2n, t.info, t.usage, t.option))
        .to.be.revertedWithCustomError(registry, "OfferNotFound")
        .withArgs(2n);
    });

    it("reverts with OfferCallerNotProvider for the action account and for other providers", async function () {
      const { registry, actionAccount, other, offerId } = await networkHelpers.loadFixture(
        fx.deployWithOffer,
      );
      const t = slotTerms();
      for (const caller of [actionAccount, other]) {
        await expect(registry.connect(caller).addSlot(offerId, t.info, t.usage, t.option))
          .to.be.revertedWithCustomError(registry, "OfferCallerNotProvider")
          .withArgs(offerId, caller.address);
      }
    });
  });

  describe("updateSlot", function () {
    it("replaces the terms, keeps the offer and the list position, and emits SlotUpdated", async function () {
      const { registry, provider, offerId, slotId } = await networkHelpers.loadFixture(fx.deployWithOffer);
      const secondId = await addSlot(registry, provider, offerId);
      const t = slotTerms({ price: 7n, priceType: PriceType.PerHour, minTimeMinutes: 1, maxTimeMinutes: 0 });
      t.info.cpuCores = 64;
      t.option.externalPort = 0;
      await expect(registry.connect(provider).updateSlot(slotId, t.info, t.usage, t.option))
        .to.emit(registry, "SlotUpdated")
        .withArgs(slotId, offerId, ...termsTuples(t));
      expect(await storedSlot(registry, slotId), "stored slot").to.deep.equal({
        offerId,
        openOrders: 0n,
        terms: termsTuples(t),
      });
      expect(await slotIdsOf(registry, offerId), "slot ids").to.deep.equal([slotId, secondId]);
    });

    it("reverts with SlotNotFound for an unknown or removed slot", async function () {
      const { registry, provider, slotId } = await networkHelpers.loadFixture(fx.deployWithOffer);
      const t = slotTerms();
      await registry.connect(provider).removeSlot(slotId);
      for (const id of [0n, slotId, 2n]) {
        await expect(registry.connect(provider).updateSlot(id, t.info, t.usage, t.option), `slot ${id}`)
          .to.be.revertedWithCustomError(registry, "SlotNotFound")
          .withArgs(id);
      }
    });

    it("reverts with OfferCallerNotProvider when the caller is not the offer's provider authority", async function () {
      const { registry, actionAccount, offerId, slotId } = await networkHelpers.loadFixture(
        fx.deployWithOffer,
      );
      const t = slotTerms();
      await expect(registry.connect(actionAccount).updateSlot(slotId, t.info, t.usage, t.option))
        .to.be.revertedWithCustomError(registry, "OfferCallerNotProvider")
        .withArgs(offerId, actionAccount.address);
    });

    it("reverts with SlotInvalidTime when the minimum time exceeds a non-zero maximum", async function () {
      const { registry, provider, slotId } = await networkHelpers.loadFixture(fx.deployWithOffer);
      const t = slotTerms({ minTimeMinutes: 2, maxTimeMinutes: 1 });
      await expect(registry.connect(provider).updateSlot(slotId, t.info, t.usage, t.option))
        .to.be.revertedWithCustomError(registry, "SlotInvalidTime")
        .withArgs(2, 1);
    });

    it("reverts with SlotInUse while an open order uses the slot, and works again once released", async function () {
      const { registry, provider, orders, dataSlotId } =
        await networkHelpers.loadFixture(deployWithOpenOrder);
      const t = slotTerms({ price: 1n });
      await expect(registry.connect(provider).updateSlot(dataSlotId, t.info, t.usage, t.option))
        .to.be.revertedWithCustomError(registry, "SlotInUse")
        .withArgs(dataSlotId, 1n);
      await registry.connect(orders).releaseSlots([dataSlotId]);
      await registry.connect(provider).updateSlot(dataSlotId, t.info, t.usage, t.option);
      expect((await registry.getSlot(dataSlotId)).usage.price, "price after update").to.equal(1n);
    });
  });

  describe("removeSlot", function () {
    it("removes the slot from storage and from its offer's list, and emits SlotRemoved", async function () {
      const { registry, provider, offerId, slotId } = await networkHelpers.loadFixture(fx.deployWithOffer);
      await expect(registry.connect(provider).removeSlot(slotId))
        .to.emit(registry, "SlotRemoved")
        .withArgs(slotId, offerId);
      await expect(registry.getSlot(slotId))
        .to.be.revertedWithCustomError(registry, "SlotNotFound")
        .withArgs(slotId);
      expect(await registry.offerSlotCount(offerId), "offerSlotCount").to.equal(0n);
      expect(await slotIdsOf(registry, offerId), "slot ids").to.deep.equal([]);
    });

    it("moves the last id into the freed place (swap and pop), at every position of the list", async function () {
      const { registry, provider, offerId, slotId } = await networkHelpers.loadFixture(fx.deployWithOffer);
      // The model: a plain array with the same swap-and-pop rule.
      const model = [slotId];
      for (let i = 0; i < 11; i++) model.push(await addSlot(registry, provider, offerId));
      expect(await slotIdsOf(registry, offerId), "slot ids after adding").to.deep.equal(model);

      // Positions to remove from, in order: a middle one, the first ones (stored with the offer),
      // the last one, then everything from the front.
      for (const position of [5, 0, 1, 8, 0, 3, 2, 0, 1, 0, 1, 0]) {
        const removed = model[position];
        model[position] = model[model.length - 1];
        model.pop();
        await registry.connect(provider).removeSlot(removed);
        expect(await slotIdsOf(registry, offerId), `slot ids after removing ${removed}`).to.deep.equal(model);
      }
      expect(await registry.offerSlotCount(offerId), "offerSlotCount").to.equal(0n);

      // The list grows again from the freed words.
      const again = await addSlot(registry, provider, offerId);
      expect(await slotIdsOf(registry, offerId), "slot ids after adding again").to.deep.equal([again]);
    });

    it("reverts with SlotNotFound for a slot removed already", async function () {
      const { registry, provider, slotId } = await networkHelpers.loadFixture(fx.deployWithOffer);
      await registry.connect(provider).removeSlot(slotId);
      await expect(registry.connect(provider).removeSlot(slotId))
        .to.be.revertedWithCustomError(registry, "SlotNotFound")
        .withArgs(slotId);
    });

    it("reverts with OfferCallerNotProvider when the caller is not the offer's provider authority", async function () {
      const { registry, other, offerId, slotId } = await networkHelpers.loadFixture(fx.deployWithOffer);
      await expect(registry.connect(other).removeSlot(slotId))
        .to.be.revertedWithCustomError(registry, "OfferCallerNotProvider")
        .withArgs(offerId, other.address);
    });

    it("reverts with SlotInUse while an open order uses the slot", async function () {
      const { registry, provider, teeSlotId } = await networkHelpers.loadFixture(deployWithOpenOrder);
      await expect(registry.connect(provider).removeSlot(teeSlotId))
        .to.be.revertedWithCustomError(registry, "SlotInUse")
        .withArgs(teeSlotId, 1n);
    });
  });

  describe("getSlot", function () {
    it("reverts with SlotNotFound for id 0 and for ids never used", async function () {
      const { registry } = await networkHelpers.loadFixture(fx.deployWithOffer);
      for (const id of [0n, 2n]) {
        await expect(registry.getSlot(id), `slot ${id}`)
          .to.be.revertedWithCustomError(registry, "SlotNotFound")
          .withArgs(id);
      }
    });
  });

  describe("offerSlotCount", function () {
    it("reverts with OfferNotFound for an unknown offer", async function () {
      const { registry } = await networkHelpers.loadFixture(fx.deployWithOffer);
      await expect(registry.offerSlotCount(3n))
        .to.be.revertedWithCustomError(registry, "OfferNotFound")
        .withArgs(3n);
    });
  });

  describe("getOfferSlotIds", function () {
    it("returns the page of ids from offset, truncated at the end of the list", async function () {
      const { registry, provider, offerId, slotId } = await networkHelpers.loadFixture(fx.deployWithOffer);
      const ids = [slotId];
      for (let i = 0; i < 6; i++) ids.push(await addSlot(registry, provider, offerId));
      const page = async (offset: bigint, limit: bigint) => [
        ...(await registry.getOfferSlotIds(offerId, offset, limit)),
      ];
      expect(await page(0n, 3n), "0..2").to.deep.equal(ids.slice(0, 3));
      expect(await page(3n, 3n), "3..5").to.deep.equal(ids.slice(3, 6));
      expect(await page(6n, 3n), "6..8, truncated").to.deep.equal(ids.slice(6));
      expect(await page(7n, 3n), "past the end").to.deep.equal([]);
      expect(await page(2n ** 256n - 1n, 3n), "huge offset").to.deep.equal([]);
      expect(await page(1n, 0n), "limit 0").to.deep.equal([]);
      expect(await page(5n, 2n ** 256n - 1n), "huge limit").to.deep.equal(ids.slice(5));
    });

    it(`returns at most ${MAX_PAGE_SIZE} ids`, async function () {
      const { registry, provider, offerId } = await networkHelpers.loadFixture(fx.deployWithOffer);
      for (let i = 0; i < MAX_PAGE_SIZE; i++) await addSlot(registry, provider, offerId);
      expect(await registry.offerSlotCount(offerId), "offerSlotCount").to.equal(BigInt(MAX_PAGE_SIZE + 1));
      const first = await registry.getOfferSlotIds(offerId, 0n, 1000n);
      expect(first.length, "page size").to.equal(MAX_PAGE_SIZE);
      const rest = await registry.getOfferSlotIds(offerId, BigInt(MAX_PAGE_SIZE), 1000n);
      expect(rest, "last page").to.deep.equal([BigInt(MAX_PAGE_SIZE + 1)]);
    });

    it("reverts with OfferNotFound for an unknown offer", async function () {
      const { registry } = await networkHelpers.loadFixture(fx.deployWithOffer);
      await expect(registry.getOfferSlotIds(0n, 0n, 10n))
        .to.be.revertedWithCustomError(registry, "OfferNotFound")
        .withArgs(0n);
    });
  });

  describe("slotMinCost", function () {
    it("is the price for a Fixed slot, whatever its times", async function () {
      const { registry, provider, offerId } = await networkHelpers.loadFixture(fx.deployWithOffer);
      const slotId = await addSlot(
        registry,
        provider,
        offerId,
        slotTerms({ price: 777n, priceType: PriceType.Fixed, minTimeMinutes: 90, maxTimeMinutes: 0 }),
      );
      expect(await registry.slotMinCost(slotId), "min cost").to.equal(777n);
    });

    it("is price × minTimeMinutes / 60, rounded down, for a PerHour slot", async function () {
      const { registry, provider, offerId } = await networkHelpers.loadFixture(fx.deployWithOffer);
      const cases = [
        { price: 120n, minTimeMinutes: 10, expected: 20n },
        { price: 100n, minTimeMinutes: 1, expected: 1n },
        { price: 59n, minTimeMinutes: 1, expected: 0n },
        { price: 1000n, minTimeMinutes: 0, expected: 0n },
        {
          price: 2n ** 96n - 1n,
          minTimeMinutes: MAX_SLOT_MINUTES,
          expected: ((2n ** 96n - 1n) * BigInt(MAX_SLOT_MINUTES)) / 60n,
        },
      ];
      for (const c of cases) {
        const slotId = await addSlot(
          registry,
          provider,
          offerId,
          slotTerms({
            price: c.price,
            priceType: PriceType.PerHour,
            minTimeMinutes: c.minTimeMinutes,
            maxTimeMinutes: 0,
          }),
        );
        expect(
          await registry.slotMinCost(slotId),
          `min cost of ${c.price} per hour for ${c.minTimeMinutes} min`,
        ).to.equal(c.expected);
      }
    });

    it("reverts with SlotNotFound for an unknown slot", async function () {
      const { registry } = await networkHelpers.loadFixture(fx.deployWithOffer);
      await expect(registry.slotMinCost(2n))
        .to.be.revertedWithCustomError(registry, "SlotNotFound")
        .withArgs(2n);
    });
  });
});
