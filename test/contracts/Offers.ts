import { expect } from "chai";
import { ZeroAddress, ZeroHash, hexlify, keccak256, randomBytes, toUtf8Bytes } from "ethers";
import { network } from "hardhat";

import type { IOffers } from "../../types/ethers-contracts/offers/OfferRegistry.js";
import {
  DATASET_HASH,
  MAX_ALLOWED_ACCOUNTS,
  MAX_OFFER_INFO_SIZE,
  MAX_PAGE_SIZE,
  MAX_RESTRICTED_OFFERS,
  MAX_RESULT_RESOURCE_SIZE,
  OFFER_INFO,
  OTHER_HASH,
  OfferType,
  createOffer,
  dataOffer,
  offerRegistryFixtures,
  solutionOffer,
  teeOffer,
} from "../helpers/offerRegistry.js";

const { ethers, networkHelpers } = await network.create();
const fx = offerRegistryFixtures(ethers);

/** The offer params as the ABI returns them (a tuple), for `withArgs`. */
function paramsTuple(p: IOffers.OfferParamsStruct) {
  return [
    p.offerType,
    p.subType,
    p.cancelable,
    p.contentHash,
    p.allowedOfferIds,
    p.allowedOfferTypes,
    p.allowedAccounts,
    p.resultResource,
    p.info,
  ];
}

/** `n` distinct addresses. */
function addresses(n: number): string[] {
  return Array.from({ length: n }, (_, i) =>
    ethers.getAddress("0x" + (i + 1).toString(16).padStart(40, "0")),
  );
}

/** Three offers of `provider` (TEE, Data, Solution: ids 1, 2, 3) to restrict against. */
async function deployWithThreeOffers() {
  const f = await fx.deployWithProviders();
  const teeOfferId = await createOffer(f.registry, f.provider, teeOffer());
  const dataOfferId = await createOffer(f.registry, f.provider, dataOffer());
  const solutionOfferId = await createOffer(f.registry, f.provider, solutionOffer());
  return { ...f, teeOfferId, dataOfferId, solutionOfferId };
}

describe("Offers", function () {
  describe("createOffer", function () {
    it("stores the offer, enabled at version 1, and emits OfferCreated with everything declared", async function () {
      const { registry, provider } = await networkHelpers.loadFixture(fx.deployWithProviders);
      const params = dataOffer({ subType: 7, cancelable: true });
      const tx = registry.connect(provider).createOffer(params);
      await expect(tx)
        .to.emit(registry, "OfferCreated")
        .withArgs(1n, provider.address, OfferType.Data, paramsTuple(params));
      const receipt = await (await tx).wait();

      const offer = await registry.getOffer(1n);
      expect(offer.provider, "provider").to.equal(provider.address);
      expect(offer.offerType, "offerType").to.equal(BigInt(OfferType.Data));
      expect(offer.subType, "subType").to.equal(7n);
      expect(offer.enabled, "enabled").to.equal(true);
      expect(offer.cancelable, "cancelable").to.equal(true);
      expect(offer.autoComplete, "autoComplete").to.equal(false);
      expect(offer.allowedTypesMask, "allowedTypesMask").to.equal(0n);
      expect(offer.restrictedByOfferId, "restrictedByOfferId").to.equal(false);
      expect(offer.restrictedToAccounts, "restrictedToAccounts").to.equal(false);
      expect(offer.version, "version").to.equal(1n);
      expect(offer.infoBlock, "infoBlock").to.equal(BigInt(receipt!.blockNumber));
      expect(offer.contentHash, "contentHash").to.equal(DATASET_HASH);
      expect(offer.infoHash, "infoHash").to.equal(keccak256(OFFER_INFO));
    });

    it("emits the parameters it decoded and stored, whatever the call's encoding", async function () {
      // The event's data is the call's own encoding (see Offers._emitOfferCreated): a provider who
      // encodes the call oddly (the tuple further on, a word in between, bytes after the end)
      // still emits what the contract checked and stored.
      const { registry, provider } = await networkHelpers.loadFixture(fx.deployWithProviders);
      const params = dataOffer({ subType: 3, allowedAccounts: [provider.address] });
      const canonical = registry.interface.encodeFunctionData("createOffer", [params]);
      const selector = canonical.slice(0, 10);
      const tuple = canonical.slice(10 + 64);
      const offset = (64).toString(16).padStart(64, "0");
      const junk = "ff".repeat(32);
      const data = `${selector}${offset}${junk}${tuple}${"ee".repeat(7)}`;
      const receipt = await (
        await provider.sendTransaction({ to: await registry.getAddress(), data })
      ).wait();
      const [log] = receipt!.logs
        .map((l) => registry.interface.parseLog(l))
        .filter((l) => l?.name === "OfferCreated");
      const emitted = registry.interface.encodeFunctionData("createOffer", [log!.args.params]);
      expect(emitted, "emitted params, encoded canonically").to.equal(canonical);
      const offer = await registry.getOffer(1n);
      expect(offer.infoHash, "stored info hash").to.equal(keccak256(log!.args.params.info));
      expect(offer.subType, "stored subType").to.equal(3n);
      expect(await registry.isAccountAllowed(1n, provider.address), "allowed account").to.equal(true);

      // A field the contract refuses on the way in (a bool that is neither 0 nor 1) never reaches
      // the event: the call reverts.
      const cancelableAt = 10 + 64 + 2 * 64;
      const dirty = `${canonical.slice(0, cancelableAt)}${"2".padStart(64, "0")}${canonical.slice(cancelableAt + 64)}`;
      await expect(
        provider.sendTransaction({ to: await registry.getAddress(), data: dirty }),
        "dirty bool",
      ).to.revert(ethers);
    });

    it("numbers offers from 1 and counts them", async function () {
      const { registry, provider, other } = await networkHelpers.loadFixture(fx.deployWithProviders);
      expect(await registry.offerCount(), "offerCount before").to.equal(0n);
      expect(await createOffer(registry, provider, dataOffer()), "first id").to.equal(1n);
      expect(await createOffer(registry, other, teeOffer()), "second id").to.equal(2n);
      expect(await registry.offerCount(), "offerCount after").to.equal(2n);
      expect((await registry.getOffer(2n)).provider, "provider of offer 2").to.equal(other.address);
    });

    it("makes an offer with a result resource auto-complete", async function () {
      const { registry, provider } = await networkHelpers.loadFixture(fx.deployWithProviders);
      const resultResource = hexlify(toUtf8Bytes('{"type":"STORJ","filepath":"result.tar.gz"}'));
      const offerId = await createOffer(registry, provider, solutionOffer({ resultResource }));
      expect((await registry.getOffer(offerId)).autoComplete, "autoComplete").to.equal(true);
    });

    it("stores the restrictions: the type mask, the allowed ids and the allowed accounts", async function () {
      const { registry, provider, teeOfferId, dataOfferId, consumer } =
        await networkHelpers.loadFixture(deployWithThreeOffers);
      const offerId = await createOffer(
        registry,
        provider,
        solutionOffer({
          allowedOfferTypes: [OfferType.TeeOffer, OfferType.Data, OfferType.TeeOffer],
          allowedOfferIds: [teeOfferId, dataOfferId],
          allowedAccounts: [consumer.address],
        }),
      );
      const offer = await registry.getOffer(offerId);
      expect(offer.allowedTypesMask, "allowedTypesMask (TeeOffer | Data)").to.equal(0b1001n);
      expect(offer.restrictedByOfferId, "restrictedByOfferId").to.equal(true);
      expect(offer.restrictedToAccounts, "restrictedToAccounts").to.equal(true);
    });

    it("accepts lists of exactly their caps", async function () {
      const { registry, provider } = await networkHelpers.loadFixture(fx.deployWithProviders);
      for (let i = 0; i < MAX_RESTRICTED_OFFERS; i++) await createOffer(registry, provider, teeOffer());
      const ids = Array.from({ length: MAX_RESTRICTED_OFFERS }, (_, i) => BigInt(i + 1));
      const offerId = await createOffer(
        registry,
        provider,
        dataOffer({ allowedOfferIds: ids, allowedAccounts: addresses(MAX_ALLOWED_ACCOUNTS) }),
      );
      expect(await registry.isCombinationAllowed(offerId, BigInt(MAX_RESTRICTED_OFFERS)), "last id").to.equal(
        true,
      );
      expect(
        await registry.isAccountAllowed(offerId, addresses(MAX_ALLOWED_ACCOUNTS)[31]),
        "last account",
      ).to.equal(true);
    });

    it("accepts TEE and storage offers without a content hash", async function () {
      const { registry, provider } = await networkHelpers.loadFixture(fx.deployWithProviders);
      await createOffer(registry, provider, teeOffer({ contentHash: ZeroHash }));
      await createOffer(
        registry,
        provider,
        teeOffer({ offerType: OfferType.Storage, contentHash: ZeroHash }),
      );
      expect(await registry.offerCount(), "offerCount").to.equal(2n);
    });

    it("reverts with ProviderNotRegistered when the caller is not a provider", async function () {
      const { registry, stranger } = await networkHelpers.loadFixture(fx.deployWithProviders);
      await expect(registry.connect(stranger).createOffer(dataOffer()))
        .to.be.revertedWithCustomError(registry, "ProviderNotRegistered")
        .withArgs(stranger.address);
    });

    for (const offerType of [OfferType.Solution, OfferType.Data]) {
      it(`reverts with OfferContentHashZero when a ${offerType === OfferType.Data ? "Data" : "Solution"} offer has no content hash`, async function () {
        const { registry, provider } = await networkHelpers.loadFixture(fx.deployWithProviders);
        await expect(registry.connect(provider).createOffer(dataOffer({ offerType, contentHash: ZeroHash })))
          .to.be.revertedWithCustomError(registry, "OfferContentHashZero")
          .withArgs(offerType);
      });
    }

    it("reverts with InputTooLarge when the info blob is over the cap", async function () {
      const { registry, provider } = await networkHelpers.loadFixture(fx.deployWithProviders);
      const info = hexlify(randomBytes(MAX_OFFER_INFO_SIZE + 1));
      await expect(registry.connect(provider).createOffer(dataOffer({ info })))
        .to.be.revertedWithCustomError(registry, "InputTooLarge")
        .withArgs("info", MAX_OFFER_INFO_SIZE + 1, MAX_OFFER_INFO_SIZE);
    });

    it("reverts with InputTooLarge when the result resource is over the cap", async function () {
      const { registry, provider } = await networkHelpers.loadFixture(fx.deployWithProviders);
      const resultResource = hexlify(randomBytes(MAX_RESULT_RESOURCE_SIZE + 1));
      await expect(registry.connect(provider).createOffer(dataOffer({ resultResource })))
        .to.be.revertedWithCustomError(registry, "InputTooLarge")
        .withArgs("resultResource", MAX_RESULT_RESOURCE_SIZE + 1, MAX_RESULT_RESOURCE_SIZE);
    });

    it("reverts with OfferListTooLong when there are too many allowed offer ids", async function () {
      const { registry, provider } = await networkHelpers.loadFixture(fx.deployWithProviders);
      const ids = Array.from({ length: MAX_RESTRICTED_OFFERS + 1 }, () => 1n);
      await expect(registry.connect(provider).createOffer(dataOffer({ allowedOfferIds: ids })))
        .to.be.revertedWithCustomError(registry, "OfferListTooLong")
        .withArgs("allowedOfferIds", MAX_RESTRICTED_OFFERS + 1, MAX_RESTRICTED_OFFERS);
    });

    it("reverts with OfferListTooLong when there are too many allowed accounts", async function () {
      const { registry, provider } = await networkHelpers.loadFixture(fx.deployWithProviders);
      const accounts = addresses(MAX_ALLOWED_ACCOUNTS + 1);
      await expect(registry.connect(provider).createOffer(dataOffer({ allowedAccounts: accounts })))
        .to.be.revertedWithCustomError(registry, "OfferListTooLong")
        .withArgs("allowedAccounts", MAX_ALLOWED_ACCOUNTS + 1, MAX_ALLOWED_ACCOUNTS);
    });

    it("reverts with OfferNotFound when an allowed offer id is not an offer", async function () {
      const { registry, provider, dataOfferId } = await networkHelpers.loadFixture(deployWithThreeOffers);
      for (const missing of [0n, 4n]) {
        await expect(
          registry.connect(provider).createOffer(dataOffer({ allowedOfferIds: [dataOfferId, missing] })),
          `allowed id ${missing}`,
        )
          .to.be.revertedWithCustomError(registry, "OfferNotFound")
          .withArgs(missing);
      }
    });
  });

  describe("updateOfferInfo", function () {
    it("replaces the info hash and block and emits OfferInfoUpdated", async function () {
      const { registry, provider, offerId } = await networkHelpers.loadFixture(fx.deployWithOffer);
      const info = hexlify(toUtf8Bytes('{"name":"renamed"}'));
      const tx = registry.connect(provider).updateOfferInfo(offerId, info);
      await expect(tx).to.emit(registry, "OfferInfoUpdated").withArgs(offerId, info);
      const receipt = await (await tx).wait();
      const offer = await registry.getOffer(offerId);
      expect(offer.infoHash, "infoHash").to.equal(keccak256(info));
      expect(offer.infoBlock, "infoBlock").to.equal(BigInt(receipt!.blockNumber));
      expect(offer.version, "version is unchanged").to.equal(1n);
      expect(offer.contentHash, "contentHash is unchanged").to.equal(DATASET_HASH);
    });

    it("reverts with OfferNotFound for an unknown offer", async function () {
      const { registry, provider } = await networkHelpers.loadFixture(fx.deployWithOffer);
      await expect(registry.connect(provider).updateOfferInfo(2n, "0x"))
        .to.be.revertedWithCustomError(registry, "OfferNotFound")
        .withArgs(2n);
    });

    it("reverts with OfferCallerNotProvider for the action account and for strangers", async function () {
      const { registry, actionAccount, other, offerId } = await networkHelpers.loadFixture(
        fx.deployWithOffer,
      );
      for (const caller of [actionAccount, other]) {
        await expect(registry.connect(caller).updateOfferInfo(offerId, "0x"))
          .to.be.revertedWithCustomError(registry, "OfferCallerNotProvider")
          .withArgs(offerId, caller.address);
      }
    });

    it("reverts with InputTooLarge when the info blob is over the cap", async function () {
      const { registry, provider, offerId } = await networkHelpers.loadFixture(fx.deployWithOffer);
      const info = hexlify(randomBytes(MAX_OFFER_INFO_SIZE + 1));
      await expect(registry.connect(provider).updateOfferInfo(offerId, info))
        .to.be.revertedWithCustomError(registry, "InputTooLarge")
        .withArgs("info", MAX_OFFER_INFO_SIZE + 1, MAX_OFFER_INFO_SIZE);
    });
  });

  describe("setOfferEnabled", function () {
    it("disables and re-enables an offer, emitting OfferEnabledSet", async function () {
      const { registry, provider, offerId } = await networkHelpers.loadFixture(fx.deployWithOffer);
      await expect(registry.connect(provider).setOfferEnabled(offerId, false))
        .to.emit(registry, "OfferEnabledSet")
        .withArgs(offerId, false);
      expect((await registry.getOffer(offerId)).enabled, "enabled after disabling").to.equal(false);
      await expect(registry.connect(provider).setOfferEnabled(offerId, true))
        .to.emit(registry, "OfferEnabledSet")
        .withArgs(offerId, true);
      expect((await registry.getOffer(offerId)).enabled, "enabled after enabling").to.equal(true);
    });

    it("reverts with OfferNotFound for an unknown offer", async function () {
      const { registry, provider } = await networkHelpers.loadFixture(fx.deployWithOffer);
      await expect(registry.connect(provider).setOfferEnabled(0n, false))
        .to.be.revertedWithCustomError(registry, "OfferNotFound")
        .withArgs(0n);
    });

    it("reverts with OfferCallerNotProvider when the caller is not the provider authority", async function () {
      const { registry, actionAccount, offerId } = await networkHelpers.loadFixture(fx.deployWithOffer);
      await expect(registry.connect(actionAccount).setOfferEnabled(offerId, false))
        .to.be.revertedWithCustomError(registry, "OfferCallerNotProvider")
        .withArgs(offerId, actionAccount.address);
    });
  });

  describe("newOfferVersion", function () {
    it("stores the new content hash, info and version, and emits OfferVersionCreated", async function () {
      const { registry, provider, offerId } = await networkHelpers.loadFixture(fx.deployWithOffer);
      const info = hexlify(toUtf8Bytes('{"version":2}'));
      const tx = registry.connect(provider).newOfferVersion(offerId, OTHER_HASH, info);
      await expect(tx).to.emit(registry, "OfferVersionCreated").withArgs(offerId, 2n, OTHER_HASH, info);
      const receipt = await (await tx).wait();
      const offer = await registry.getOffer(offerId);
      expect(offer.version, "version").to.equal(2n);
      expect(offer.contentHash, "contentHash").to.equal(OTHER_HASH);
      expect(offer.infoHash, "infoHash").to.equal(keccak256(info));
      expect(offer.infoBlock, "infoBlock").to.equal(BigInt(receipt!.blockNumber));

      await expect(registry.connect(provider).newOfferVersion(offerId, DATASET_HASH, info))
        .to.emit(registry, "OfferVersionCreated")
        .withArgs(offerId, 3n, DATASET_HASH, info);
    });

    it("accepts a zero content hash for a TEE offer", async function () {
      const { registry, provider } = await networkHelpers.loadFixture(fx.deployWithProviders);
      const offerId = await createOffer(registry, provider, teeOffer());
      await registry.connect(provider).newOfferVersion(offerId, ZeroHash, "0x");
      expect((await registry.getOffer(offerId)).version, "version").to.equal(2n);
    });

    it("reverts with OfferContentHashZero when a Data offer gets no content hash", async function () {
      const { registry, provider, offerId } = await networkHelpers.loadFixture(fx.deployWithOffer);
      await expect(registry.connect(provider).newOfferVersion(offerId, ZeroHash, "0x"))
        .to.be.revertedWithCustomError(registry, "OfferContentHashZero")
        .withArgs(OfferType.Data);
    });

    it("reverts with OfferNotFound for an unknown offer", async function () {
      const { registry, provider } = await networkHelpers.loadFixture(fx.deployWithOffer);
      await expect(registry.connect(provider).newOfferVersion(9n, OTHER_HASH, "0x"))
        .to.be.revertedWithCustomError(registry, "OfferNotFound")
        .withArgs(9n);
    });

    it("reverts with OfferCallerNotProvider when the caller is not the provider authority", async function () {
      const { registry, other, offerId } = await networkHelpers.loadFixture(fx.deployWithOffer);
      await expect(registry.connect(other).newOfferVersion(offerId, OTHER_HASH, "0x"))
        .to.be.revertedWithCustomError(registry, "OfferCallerNotProvider")
        .withArgs(offerId, other.address);
    });

    it("reverts with InputTooLarge when the info blob is over the cap", async function () {
      const { registry, provider, offerId } = await networkHelpers.loadFixture(fx.deployWithOffer);
      const info = hexlify(randomBytes(MAX_OFFER_INFO_SIZE + 1));
      await expect(registry.connect(provider).newOfferVersion(offerId, OTHER_HASH, info))
        .to.be.revertedWithCustomError(registry, "InputTooLarge")
        .withArgs("info", MAX_OFFER_INFO_SIZE + 1, MAX_OFFER_INFO_SIZE);
    });
  });

  describe("getOffer", function () {
    it("reverts with OfferNotFound for id 0 and for ids past the count", async function () {
      const { registry } = await networkHelpers.loadFixture(fx.deployWithOffer);
      for (const offerId of [0n, 2n]) {
        await expect(registry.getOffer(offerId), `offer ${offerId}`)
          .to.be.revertedWithCustomError(registry, "OfferNotFound")
          .withArgs(offerId);
      }
    });
  });

  describe("getOfferType", function () {
    it("returns the offer's type and reverts with OfferNotFound for unknown ids", async function () {
      const { registry } = await networkHelpers.loadFixture(fx.deployWithOffer);
      expect(await registry.getOfferType(1n), "type of offer 1").to.equal(
        (await registry.getOffer(1n)).offerType,
      );
      await expect(registry.getOfferType(2n))
        .to.be.revertedWithCustomError(registry, "OfferNotFound")
        .withArgs(2n);
    });
  });

  describe("offersOfProvider", function () {
    it("lists each provider's offers in creation order, paged by offset, counted by the provider", async function () {
      const { registry, provider, other } = await networkHelpers.loadFixture(fx.deployWithProviders);
      const mine: bigint[] = [];
      for (let i = 0; i < 14; i++) {
        const offerId = await createOffer(registry, i % 3 === 0 ? other : provider, dataOffer());
        if (i % 3 !== 0) mine.push(offerId);
      }
      expect((await registry.getProvider(provider.address)).offerCount, "provider's offer count").to.equal(
        BigInt(mine.length),
      );
      expect([...(await registry.offersOfProvider(provider.address, 0n, 100n))], "all of them").to.deep.equal(
        mine,
      );
      // Pages cross the six-id words the list is kept in.
      expect([...(await registry.offersOfProvider(provider.address, 4n, 3n))], "ids 4..6").to.deep.equal(
        mine.slice(4, 7),
      );
      expect(
        [...(await registry.offersOfProvider(provider.address, 8n, 10n))],
        "truncated at the end",
      ).to.deep.equal(mine.slice(8));
      expect(
        (await registry.offersOfProvider(provider.address, 9n, 10n)).length,
        "offset past the end",
      ).to.equal(0);
      expect(
        [...(await registry.offersOfProvider(other.address, 0n, 100n))],
        "the other provider's",
      ).to.deep.equal([1n, 4n, 7n, 10n, 13n]);
    });

    it("is empty for an account that is not a provider, and caps a page at MAX_ID_PAGE_SIZE", async function () {
      const { registry, stranger, provider } = await networkHelpers.loadFixture(fx.deployWithProviders);
      expect((await registry.offersOfProvider(stranger.address, 0n, 10n)).length, "stranger").to.equal(0);
      await createOffer(registry, provider, dataOffer());
      expect(
        (await registry.offersOfProvider(provider.address, 0n, 2n ** 256n - 1n)).length,
        "a huge limit",
      ).to.equal(1);
    });

    it("keeps the offer count when the provider updates its fields", async function () {
      const { registry, provider, stranger } = await networkHelpers.loadFixture(fx.deployWithProviders);
      await createOffer(registry, provider, dataOffer());
      await createOffer(registry, provider, dataOffer());
      await registry.connect(provider).updateProvider("0x", stranger.address, stranger.address);
      expect((await registry.getProvider(provider.address)).offerCount, "offer count").to.equal(2n);
      expect([...(await registry.offersOfProvider(provider.address, 0n, 10n))], "offers").to.deep.equal([
        1n,
        2n,
      ]);
    });
  });

  describe("getOffers", function () {
    it("returns the existing offers of the requested id range", async function () {
      const { registry, provider, other } = await networkHelpers.loadFixture(fx.deployWithProviders);
      for (let i = 0; i < 5; i++) await createOffer(registry, i % 2 === 0 ? provider : other, dataOffer());
      const providerOf = async (first: bigint, limit: bigint) =>
        (await registry.getOffers(first, limit)).map((o) => o.provider);

      expect(await providerOf(1n, 2n), "ids 1..2").to.deep.equal([provider.address, other.address]);
      expect(await providerOf(4n, 10n), "ids 4..13, truncated at 5").to.deep.equal([
        other.address,
        provider.address,
      ]);
      // Id 0 reads as 1: a page from 0 is as long as a page from 1 (round 1 returned one offer less).
      expect(await providerOf(0n, 3n), "ids from 0, three of them").to.deep.equal(await providerOf(1n, 3n));
      expect((await registry.getOffers(6n, 10n)).length, "past the count").to.equal(0);
      expect((await registry.getOffers(2n, 0n)).length, "limit 0").to.equal(0);
      expect((await registry.getOffers(0n, 1n)).length, "one offer from id 0").to.equal(1);
      expect((await registry.getOffers(2n ** 256n - 1n, 100n)).length, "huge first id").to.equal(0);
      const [third] = await registry.getOffers(3n, 1n);
      expect(third.infoHash, "a page holds whole offers").to.equal(keccak256(OFFER_INFO));
    });

    it(`returns at most ${MAX_PAGE_SIZE} offers`, async function () {
      const { registry, provider } = await networkHelpers.loadFixture(fx.deployWithProviders);
      for (let i = 0; i < MAX_PAGE_SIZE + 1; i++) await createOffer(registry, provider, teeOffer());
      expect((await registry.getOffers(1n, 1000n)).length, "page size").to.equal(MAX_PAGE_SIZE);
      expect((await registry.getOffers(2n, 2n ** 256n - 1n)).length, "page size, huge limit").to.equal(
        MAX_PAGE_SIZE,
      );
    });
  });

  describe("isCombinationAllowed", function () {
    it("allows everything for an offer without restrictions", async function () {
      const { registry, teeOfferId, dataOfferId, solutionOfferId } =
        await networkHelpers.loadFixture(deployWithThreeOffers);
      expect(await registry.isCombinationAllowed(dataOfferId, teeOfferId), "data with TEE").to.equal(true);
      expect(
        await registry.isCombinationAllowed(dataOfferId, solutionOfferId),
        "data with solution",
      ).to.equal(true);
    });

    it("allows only the types in the mask for an offer restricted by type", async function () {
      const { registry, provider, teeOfferId, dataOfferId, solutionOfferId } =
        await networkHelpers.loadFixture(deployWithThreeOffers);
      const offerId = await createOffer(
        registry,
        provider,
        dataOffer({ allowedOfferTypes: [OfferType.TeeOffer] }),
      );
      expect(await registry.isCombinationAllowed(offerId, teeOfferId), "TEE type allowed").to.equal(true);
      expect(await registry.isCombinationAllowed(offerId, dataOfferId), "Data type refused").to.equal(false);
      expect(await registry.isCombinationAllowed(offerId, solutionOfferId), "Solution type refused").to.equal(
        false,
      );
    });

    it("allows only the listed ids for an offer restricted by id", async function () {
      const { registry, provider, teeOfferId, dataOfferId, solutionOfferId } =
        await networkHelpers.loadFixture(deployWithThreeOffers);
      const offerId = await createOffer(
        registry,
        provider,
        dataOffer({ allowedOfferIds: [solutionOfferId] }),
      );
      expect(await registry.isCombinationAllowed(offerId, solutionOfferId), "listed id").to.equal(true);
      expect(await registry.isCombinationAllowed(offerId, teeOfferId), "unlisted TEE").to.equal(false);
      expect(await registry.isCombinationAllowed(offerId, dataOfferId), "unlisted Data").to.equal(false);
    });

    it("allows the listed ids and the listed types for an offer restricted by both", async function () {
      const { registry, provider, teeOfferId, dataOfferId, solutionOfferId } =
        await networkHelpers.loadFixture(deployWithThreeOffers);
      const offerId = await createOffer(
        registry,
        provider,
        dataOffer({ allowedOfferTypes: [OfferType.TeeOffer], allowedOfferIds: [solutionOfferId] }),
      );
      expect(await registry.isCombinationAllowed(offerId, teeOfferId), "type").to.equal(true);
      expect(await registry.isCombinationAllowed(offerId, solutionOfferId), "id").to.equal(true);
      expect(await registry.isCombinationAllowed(offerId, dataOfferId), "neither").to.equal(false);
    });

    it("reverts with OfferNotFound when either offer is unknown", async function () {
      const { registry, teeOfferId } = await networkHelpers.loadFixture(deployWithThreeOffers);
      await expect(registry.isCombinationAllowed(4n, teeOfferId))
        .to.be.revertedWithCustomError(registry, "OfferNotFound")
        .withArgs(4n);
      await expect(registry.isCombinationAllowed(teeOfferId, 4n))
        .to.be.revertedWithCustomError(registry, "OfferNotFound")
        .withArgs(4n);
    });
  });

  describe("isAccountAllowed", function () {
    it("allows every account when the offer has no allowed accounts", async function () {
      const { registry, offerId, stranger } = await networkHelpers.loadFixture(fx.deployWithOffer);
      expect(await registry.isAccountAllowed(offerId, stranger.address), "stranger").to.equal(true);
    });

    it("allows only the listed accounts when the offer has some", async function () {
      const { registry, provider, consumer, stranger } = await networkHelpers.loadFixture(
        fx.deployWithProviders,
      );
      const offerId = await createOffer(
        registry,
        provider,
        dataOffer({ allowedAccounts: [consumer.address] }),
      );
      expect(await registry.isAccountAllowed(offerId, consumer.address), "listed").to.equal(true);
      expect(await registry.isAccountAllowed(offerId, stranger.address), "unlisted").to.equal(false);
      expect(await registry.isAccountAllowed(offerId, provider.address), "its own provider").to.equal(false);
      expect(await registry.isAccountAllowed(offerId, ZeroAddress), "zero").to.equal(false);
    });

    it("reverts with OfferNotFound for an unknown offer", async function () {
      const { registry, consumer } = await networkHelpers.loadFixture(fx.deployWithOffer);
      await expect(registry.isAccountAllowed(5n, consumer.address))
        .to.be.revertedWithCustomError(registry, "OfferNotFound")
        .withArgs(5n);
    });
  });
});
