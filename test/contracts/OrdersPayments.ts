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
  return { ...m, token, ...(await fx.deployOnToken(m, token, 10n * DEPOSIT)) };
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
      const reenter = m.orders.interface.encodeFunctionData("createWorkflow", [m.params]);
      await m.token.arm(await m.orders.getAddress(), reenter);
      const guardError = m.orders.interface.encodeErrorResult("ReentrancyGuardReentrantCall");
      await expect(m.orders.connect(m.alice).createWorkflow(m.params))
        .to.be.revertedWithCustomError(m.token, "ReentrantCallFailed")
        .withArgs(guardError);
    });

    it("stops a token that re-enters withdraw during the payout transfer", async function () {
      const m = await networkHelpers.loadFixture(deployWithReentrantToken);
      await m.orders.connect(m.alice).createWorkflow(m.params);
      await m.orders.connect(m.alice).cancelOrder(1n);
      await m.token.arm(await m.orders.getAddress(), m.orders.interface.encodeFunctionData("withdraw"));
      await expect(m.orders.connect(m.alice).withdraw())
        .to.be.revertedWithCustomError(m.token, "ReentrantCallFailed")
        .withArgs(m.orders.interface.encodeErrorResult("ReentrancyGuardReentrantCall"));
      expect(await m.orders.balanceOf(m.alice.address), "balance kept").to.equal(DEPOSIT);
    });
  });
});
