import { expect } from "chai";
import { ZeroAddress, ZeroHash, hexlify, keccak256, randomBytes } from "ethers";
import { network } from "hardhat";

import { MAX_PROVIDER_INFO_SIZE, PROVIDER_INFO, offerRegistryFixtures } from "../helpers/offerRegistry.js";

const { ethers, networkHelpers } = await network.create();
const fx = offerRegistryFixtures(ethers);

describe("Providers", function () {
  describe("registerProvider", function () {
    it("stores the provider with the info hash and block, and emits ProviderRegistered", async function () {
      const { registry, provider, actionAccount, tokenReceiver } = await networkHelpers.loadFixture(
        fx.deployRegistry,
      );
      const tx = registry
        .connect(provider)
        .registerProvider(PROVIDER_INFO, actionAccount.address, tokenReceiver.address);
      await expect(tx)
        .to.emit(registry, "ProviderRegistered")
        .withArgs(provider.address, actionAccount.address, tokenReceiver.address, PROVIDER_INFO);
      const receipt = await (await tx).wait();

      const stored = await registry.getProvider(provider.address);
      expect(stored.actionAccount, "actionAccount").to.equal(actionAccount.address);
      expect(stored.tokenReceiver, "tokenReceiver").to.equal(tokenReceiver.address);
      expect(stored.infoHash, "infoHash").to.equal(keccak256(PROVIDER_INFO));
      expect(stored.infoBlock, "infoBlock").to.equal(BigInt(receipt!.blockNumber));
    });

    it("accepts no action account and an info blob of exactly the cap", async function () {
      const { registry, provider, tokenReceiver } = await networkHelpers.loadFixture(fx.deployRegistry);
      const info = hexlify(randomBytes(MAX_PROVIDER_INFO_SIZE));
      await registry.connect(provider).registerProvider(info, ZeroAddress, tokenReceiver.address);
      const stored = await registry.getProvider(provider.address);
      expect(stored.actionAccount, "actionAccount").to.equal(ZeroAddress);
      expect(stored.infoHash, "infoHash").to.equal(keccak256(info));
    });

    it("reverts with ProviderAlreadyRegistered when the caller is already registered", async function () {
      const { registry, provider, tokenReceiver } = await networkHelpers.loadFixture(fx.deployWithProviders);
      await expect(registry.connect(provider).registerProvider("0x", ZeroAddress, tokenReceiver.address))
        .to.be.revertedWithCustomError(registry, "ProviderAlreadyRegistered")
        .withArgs(provider.address);
    });

    it("reverts with ProviderTokenReceiverZero when the token receiver is zero", async function () {
      const { registry, provider, actionAccount } = await networkHelpers.loadFixture(fx.deployRegistry);
      await expect(
        registry.connect(provider).registerProvider(PROVIDER_INFO, actionAccount.address, ZeroAddress),
      ).to.be.revertedWithCustomError(registry, "ProviderTokenReceiverZero");
    });

    it("reverts with InputTooLarge when the info blob is over the cap", async function () {
      const { registry, provider, tokenReceiver } = await networkHelpers.loadFixture(fx.deployRegistry);
      const info = hexlify(randomBytes(MAX_PROVIDER_INFO_SIZE + 1));
      await expect(registry.connect(provider).registerProvider(info, ZeroAddress, tokenReceiver.address))
        .to.be.revertedWithCustomError(registry, "InputTooLarge")
        .withArgs("info", MAX_PROVIDER_INFO_SIZE + 1, MAX_PROVIDER_INFO_SIZE);
    });
  });

  describe("updateProvider", function () {
    it("replaces the info, action account and token receiver, and emits ProviderUpdated", async function () {
      const { registry, provider, stranger, other } = await networkHelpers.loadFixture(
        fx.deployWithProviders,
      );
      const info = hexlify(randomBytes(64));
      const tx = registry.connect(provider).updateProvider(info, stranger.address, other.address);
      await expect(tx)
        .to.emit(registry, "ProviderUpdated")
        .withArgs(provider.address, stranger.address, other.address, info);
      const receipt = await (await tx).wait();

      const stored = await registry.getProvider(provider.address);
      expect(stored.actionAccount, "actionAccount").to.equal(stranger.address);
      expect(stored.tokenReceiver, "tokenReceiver").to.equal(other.address);
      expect(stored.infoHash, "infoHash").to.equal(keccak256(info));
      expect(stored.infoBlock, "infoBlock").to.equal(BigInt(receipt!.blockNumber));
    });

    it("reverts with ProviderNotRegistered when the caller is not a provider", async function () {
      const { registry, stranger } = await networkHelpers.loadFixture(fx.deployWithProviders);
      await expect(registry.connect(stranger).updateProvider("0x", ZeroAddress, stranger.address))
        .to.be.revertedWithCustomError(registry, "ProviderNotRegistered")
        .withArgs(stranger.address);
    });

    it("reverts with ProviderTokenReceiverZero when the token receiver is zero", async function () {
      const { registry, provider } = await networkHelpers.loadFixture(fx.deployWithProviders);
      await expect(
        registry.connect(provider).updateProvider("0x", ZeroAddress, ZeroAddress),
      ).to.be.revertedWithCustomError(registry, "ProviderTokenReceiverZero");
    });

    it("reverts with InputTooLarge when the info blob is over the cap", async function () {
      const { registry, provider, tokenReceiver } = await networkHelpers.loadFixture(fx.deployWithProviders);
      const info = hexlify(randomBytes(MAX_PROVIDER_INFO_SIZE + 1));
      await expect(registry.connect(provider).updateProvider(info, ZeroAddress, tokenReceiver.address))
        .to.be.revertedWithCustomError(registry, "InputTooLarge")
        .withArgs("info", MAX_PROVIDER_INFO_SIZE + 1, MAX_PROVIDER_INFO_SIZE);
    });
  });

  describe("getProvider", function () {
    it("reverts with ProviderNotRegistered for an account that never registered", async function () {
      const { registry, stranger } = await networkHelpers.loadFixture(fx.deployWithProviders);
      await expect(registry.getProvider(stranger.address))
        .to.be.revertedWithCustomError(registry, "ProviderNotRegistered")
        .withArgs(stranger.address);
    });

    it("returns a provider registered without info", async function () {
      const { registry, other } = await networkHelpers.loadFixture(fx.deployWithProviders);
      const stored = await registry.getProvider(other.address);
      expect(stored.tokenReceiver, "tokenReceiver").to.equal(other.address);
      expect(stored.infoHash, "infoHash of empty info").to.equal(keccak256("0x"));
      expect(stored.infoHash, "infoHash is set").to.not.equal(ZeroHash);
    });
  });

  describe("isProviderOperator", function () {
    it("is true for the authority and its action account, false for anyone else", async function () {
      const { registry, provider, actionAccount, tokenReceiver, stranger } = await networkHelpers.loadFixture(
        fx.deployWithProviders,
      );
      expect(await registry.isProviderOperator(provider.address, provider.address), "authority").to.equal(
        true,
      );
      expect(
        await registry.isProviderOperator(provider.address, actionAccount.address),
        "action account",
      ).to.equal(true);
      expect(
        await registry.isProviderOperator(provider.address, tokenReceiver.address),
        "token receiver",
      ).to.equal(false);
      expect(await registry.isProviderOperator(provider.address, stranger.address), "stranger").to.equal(
        false,
      );
    });

    it("is false for an account that is not a provider, even for itself", async function () {
      const { registry, stranger } = await networkHelpers.loadFixture(fx.deployWithProviders);
      expect(await registry.isProviderOperator(stranger.address, stranger.address), "unregistered").to.equal(
        false,
      );
    });

    it("is false for the zero account when the provider has no action account", async function () {
      const { registry, other } = await networkHelpers.loadFixture(fx.deployWithProviders);
      expect(await registry.isProviderOperator(other.address, ZeroAddress), "zero account").to.equal(false);
    });

    it("follows a change of action account", async function () {
      const { registry, provider, actionAccount, tokenReceiver, stranger } = await networkHelpers.loadFixture(
        fx.deployWithProviders,
      );
      await registry.connect(provider).updateProvider("0x", stranger.address, tokenReceiver.address);
      expect(
        await registry.isProviderOperator(provider.address, actionAccount.address),
        "old action account",
      ).to.equal(false);
      expect(
        await registry.isProviderOperator(provider.address, stranger.address),
        "new action account",
      ).to.equal(true);
    });
  });
});
