import { expect } from "chai";
import { network } from "hardhat";

import {
  DEPOSIT,
  OfferType,
  PROCESSING_TIMEOUT,
  PriceType,
  SOLUTION_HASH,
  TOKEN,
  infoBytes,
  marketplaceFixtures,
} from "../helpers/marketplace.js";

const { ethers, networkHelpers } = await network.create();
const fx = marketplaceFixtures(ethers, networkHelpers);

/** Orders deployed with a payment token that re-enters on transfer. */
async function deployWithReentrantToken() {
  const m = await fx.deployMarketplace();
  const token = await ethers.deployContract("ReentrantToken");
  const registry = await ethers.deployContract("OfferRegistry");
  const orders = await ethers.deployContract("Orders", [
    await token.getAddress(),
    await registry.getAddress(),
    await m.tcbRegistry.getAddress(),
    PROCESSING_TIMEOUT,
  ]);
  await registry.bindOrders(await orders.getAddress());
  await registry
    .connect(m.carol)
    .registerProvider(infoBytes("Carol"), m.carolAction.address, m.carolReceiver.address);
  await registry.connect(m.carol).createOffer({
    offerType: OfferType.TeeOffer,
    subType: 0,
    cancelable: true,
    contentHash: ethers.ZeroHash,
    allowedOfferIds: [],
    allowedOfferTypes: [],
    allowedAccounts: [],
    resultResource: "0x",
    info: infoBytes("TEE"),
  });
  await registry
    .connect(m.carol)
    .addSlot(
      1n,
      { cpuCores: 1, gpuCores: 0, diskUsage: 0, ram: 0, vram: 0 },
      { price: TOKEN, priceType: PriceType.Fixed, minTimeMinutes: 0, maxTimeMinutes: 0 },
      { bandwidth: 0, traffic: 0, externalPort: 0 },
    );
  await token.mint(m.alice.address, 10n * DEPOSIT);
  await token.connect(m.alice).approve(await orders.getAddress(), 10n * DEPOSIT);
  return { ...m, token, registry, orders };
}

describe("Orders", function () {
  describe("withdraw", function () {
    it("transfers the whole balance to the caller and zeroes it", async function () {
      const m = await networkHelpers.loadFixture(fx.deployBlockedWorkflow);
      await m.orders.connect(m.alice).cancelOrder(m.orderId);
      const tx = m.orders.connect(m.alice).withdraw();
      await expect(tx).to.emit(m.orders, "Withdrawn").withArgs(m.alice.address, DEPOSIT);
      await expect(tx).to.changeTokenBalances(ethers, m.token, [m.alice, m.orders], [DEPOSIT, -DEPOSIT]);
      expect(await m.orders.balanceOf(m.alice.address), "balance after").to.equal(0n);
    });

    it("reverts with EscrowNothingToWithdraw when the balance is zero", async function () {
      const m = await networkHelpers.loadFixture(fx.deployBlockedWorkflow);
      await expect(m.orders.connect(m.bob).withdraw())
        .to.be.revertedWithCustomError(m.orders, "EscrowNothingToWithdraw")
        .withArgs(m.bob.address);
    });
  });

  describe("reentrancy", function () {
    it("stops a token that re-enters createWorkflow during the deposit transfer", async function () {
      const m = await networkHelpers.loadFixture(deployWithReentrantToken);
      const reenter = m.orders.interface.encodeFunctionData("createWorkflow", [
        1n,
        1n,
        SOLUTION_HASH,
        [],
        TOKEN,
        "0x",
      ]);
      await m.token.arm(await m.orders.getAddress(), reenter);
      const guardError = m.orders.interface.encodeErrorResult("ReentrancyGuardReentrantCall");
      await expect(m.orders.connect(m.alice).createWorkflow(1n, 1n, SOLUTION_HASH, [], DEPOSIT, "0x"))
        .to.be.revertedWithCustomError(m.token, "ReentrantCallFailed")
        .withArgs(guardError);
    });

    it("stops a token that re-enters withdraw during the payout transfer", async function () {
      const m = await networkHelpers.loadFixture(deployWithReentrantToken);
      await m.orders.connect(m.alice).createWorkflow(1n, 1n, SOLUTION_HASH, [], DEPOSIT, "0x");
      await m.orders.connect(m.alice).cancelOrder(1n);
      await m.token.arm(await m.orders.getAddress(), m.orders.interface.encodeFunctionData("withdraw"));
      await expect(m.orders.connect(m.alice).withdraw())
        .to.be.revertedWithCustomError(m.token, "ReentrantCallFailed")
        .withArgs(m.orders.interface.encodeErrorResult("ReentrancyGuardReentrantCall"));
      expect(await m.orders.balanceOf(m.alice.address), "balance kept").to.equal(DEPOSIT);
    });
  });
});
