/**
 * Two marketplaces on two chains in one process: a Hardhat node on chain 31337 and one on 5611 (an
 * opBNB-testnet stand-in). Clients share nothing: each reads and writes its own deployment, and a
 * client whose chain is not its deployment's is refused.
 */
import { expect } from "chai";
import { createPublicClient, createWalletClient, http } from "viem";

import { ContractError, InputError, createMarketplaceClient } from "../../src/index.js";
import { type Marketplace, createDataOffer, startMarketplace } from "../support/marketplace.js";

const PROVIDER_INFO = { name: "Bob", description: "", tokenReceiver: "", actionAccount: "", metadata: "" };

describe("integration: two clients on two chains", function () {
  this.timeout(120_000);

  let a: Marketplace | undefined;
  let b: Marketplace | undefined;

  before(async function () {
    this.timeout(300_000);
    a = await startMarketplace();
    b = await startMarketplace({ chainId: 5611 });
  });

  after(async function () {
    await Promise.all([a?.stop(), b?.stop()]);
  });

  it("each client acts on its own chain and deployment", async function () {
    const [chainA, chainB] = [a!, b!];
    expect([chainA.deployment.chainId, chainB.deployment.chainId], "chain ids").to.deep.equal([31337, 5611]);
    const bobA = chainA.as(chainA.cast.bob);
    const bobB = chainB.as(chainB.cast.bob);
    const info = { ...PROVIDER_INFO, tokenReceiver: chainA.cast.bob, actionAccount: chainA.cast.bob };
    await bobA.providers.register({ info });
    const [onA, onB] = await Promise.all([
      chainA.reader.providers.get({ authority: chainA.cast.bob }),
      chainB.reader.providers.get({ authority: chainB.cast.bob }).catch((e: unknown) => e),
    ]);
    expect(onA.tokenReceiver, "Bob on chain A").to.equal(chainA.cast.bob);
    expect(onB, "Bob on chain B").to.be.instanceOf(ContractError);
    expect((onB as ContractError).errorName, "errorName on chain B").to.equal("ProviderNotRegistered");

    await bobB.providers.register({ info });
    const [offerA, offerB] = await Promise.all([createDataOffer(bobA), createDataOffer(bobB)]);
    expect([offerA.offerId, offerB.offerId], "first offer on each chain").to.deep.equal([1n, 1n]);
    const [countA, countB] = await Promise.all([
      chainA.reader.offers.list().then((page) => page.offerCount),
      chainB.reader.offers.list().then((page) => page.offerCount),
    ]);
    expect([countA, countB], "offers per chain").to.deep.equal([1n, 1n]);
  });

  it("a client whose chain is not its deployment's is refused when created", function () {
    const error = (() => {
      try {
        createMarketplaceClient({ publicClient: a!.publicClient, deployment: b!.deployment });
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error, "error").to.be.instanceOf(InputError);
    expect((error as InputError).field, "field").to.equal("publicClient");
  });

  it("a wallet on another chain is refused before it sends", async function () {
    const [chainA, chainB] = [a!, b!];
    // No chain on the clients: the SDK makes viem check the wallet's chain against the deployment's.
    const client = createMarketplaceClient({
      publicClient: createPublicClient({ transport: http(chainA.node.url) }),
      walletClient: createWalletClient({ account: chainB.cast.carol, transport: http(chainB.node.url) }),
      deployment: chainA.deployment,
    });
    const before = [await chainA.chainState(chainA.cast.carol), await chainB.chainState(chainB.cast.carol)];
    const error = await client.providers
      .register({
        info: { ...PROVIDER_INFO, tokenReceiver: chainA.cast.carol, actionAccount: chainA.cast.carol },
      })
      .catch((e: unknown) => e);
    expect(error, "error").to.be.instanceOf(Error);
    expect(String((error as Error).message), "message")
      .to.match(/chain/i)
      .and.include("5611");
    const after = [await chainA.chainState(chainA.cast.carol), await chainB.chainState(chainB.cast.carol)];
    expect(after, "Carol's nonces and the blocks on both chains").to.deep.equal(before);
  });
});
