/**
 * The cast and the set-up of docs/design.md §1 on a real node, driven through the SDK: Alice the
 * consumer, Bob the data owner (with an action account and a token receiver), Carol the TEE
 * provider (likewise), her TEE (mocks/tee.ts: a signing key and an ECIES key), an admin, a
 * stranger. The terms, files and attestation come from the scenario the demo plays too
 * (scripts/lib/scenario.ts). Shared by the SDK's and the CLI's integration tests and the SDK benchmark.
 */
import { readFile } from "node:fs/promises";

import {
  type Account,
  type Address,
  type Chain,
  type PublicClient,
  createPublicClient,
  createTestClient,
  createWalletClient,
  defineChain,
  http,
  parseEther,
  stringToHex,
} from "viem";
import { generatePrivateKey } from "viem/accounts";
import {
  getAddresses,
  getBlock,
  getTransactionCount,
  sendTransaction,
  waitForTransactionReceipt,
} from "viem/actions";

import {
  type Deployment,
  type MarketplaceClient,
  OfferType,
  type ResourceFile,
  createMarketplaceClient,
} from "../../src/index.js";
import { type RequestCounter, countingHttp } from "../../src/testing/index.js";
import { readOfferInfoFile, readResourceFile } from "../../src/node/index.js";
import { type MockAttestationService, mockAttestationService } from "../../../mocks/attestationService.js";
import { MOCK_MEASUREMENT, type MockTee, mockTee } from "../../../mocks/tee.js";
import { DEPOSIT, attestTee, dataSlotInfo, teeSlotInfo } from "../../../scripts/lib/scenario.js";
import { mintTestTokens } from "../../../mocks/testPaymentToken.js";
import { type LocalNode, startHardhatNode } from "./hardhatNode.js";
import { fixture } from "./paths.js";

export {
  DATA_PRICE,
  DEPOSIT,
  TEE_MAX_MINUTES,
  TEE_MIN_MINUTES,
  TEE_PRICE_PER_HOUR,
  TOKEN,
} from "../../../scripts/lib/scenario.js";
/** The enclave measurement the admin allows: the stand-in TEE's. */
export const MEASUREMENT = MOCK_MEASUREMENT;

/** Hardhat node accounts by role (unlocked JSON-RPC accounts; the admin may be a local account). */
export interface Cast {
  /** The deployer: holds the admin roles (measurement allow-list, attestation signers). */
  admin: Address | Account;
  alice: Address;
  bob: Address;
  bobAction: Address;
  bobReceiver: Address;
  carol: Address;
  carolAction: Address;
  carolReceiver: Address;
  stranger: Address;
}

/** Carol's TEE (the stand-in of mocks/tee.ts): its signing key (a funded local account) and its ECIES key. */
export type Tee = MockTee;

/** A node with the marketplace deployed, and clients for everyone. */
export interface Marketplace {
  node: LocalNode;
  deployment: Deployment;
  chain: Chain;
  publicClient: PublicClient;
  cast: Cast;
  tee: Tee;
  attestor: MockAttestationService;
  /** A client without a wallet. */
  reader: MarketplaceClient;
  /** A client that sends as `account` (a node account's address, or a local account). */
  as(account: Address | Account): MarketplaceClient;
  /**
   * A client over a counting transport (JSON-RPC batching on); with `account`, its wallet client
   * uses the same transport, so writes are counted too.
   */
  counted(
    account?: Address | Account,
    options?: { logBlockRange?: bigint },
  ): { client: MarketplaceClient; counter: RequestCounter };
  /** Moves the node's clock forward and mines a block. */
  increaseTime(seconds: number): Promise<void>;
  /** Mints test payment tokens (TestPaymentToken's open mint; not an SDK call). */
  mint(to: Address, amount: bigint): Promise<void>;
  /** Nonce and block height: what a transaction would change. */
  chainState(account: Address): Promise<{ nonce: number; block: bigint }>;
  stop(): Promise<void>;
}

/**
 * Starts a node, deploys the marketplace with the stand-in attestation signer, and funds the TEE
 * key. `stop()` stops the node; call it in `after` even when this throws halfway (it then stops
 * the node itself).
 */
export async function startMarketplace(
  options: { chainId?: number; tcbLifetime?: number } = {},
): Promise<Marketplace> {
  const node = await startHardhatNode(options.chainId === undefined ? {} : { chainId: options.chainId });
  try {
    const attestor = mockAttestationService(generatePrivateKey());
    const deployment = await node.deploy({
      attestationSigner: attestor.address,
      ...(options.tcbLifetime === undefined ? {} : { tcbLifetime: options.tcbLifetime }),
    });
    return await marketplaceOn({ node, deployment, attestor });
  } catch (error) {
    await node.stop();
    throw error;
  }
}

/**
 * The cast, clients and helpers on a node where the marketplace is deployed already. `admin` is the
 * deployer (default: the node's first account); it funds the TEE key. `stop()` stops the node.
 */
export async function marketplaceOn(params: {
  node: LocalNode;
  deployment: Deployment;
  attestor: MockAttestationService;
  admin?: Account;
}): Promise<Marketplace> {
  const { node, deployment, attestor } = params;
  const chain = defineChain({
    id: node.chainId,
    name: `Hardhat node ${node.chainId}`,
    nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
    rpcUrls: { default: { http: [node.url] } },
  });
  const transport = http(node.url, { batch: true });
  const publicClient = createPublicClient({ chain, transport, pollingInterval: 50 });
  const accounts = await getAddresses(createWalletClient({ chain, transport }));
  const role = (i: number): Address => {
    const address = accounts[i];
    if (address === undefined) throw new Error(`The node has fewer than ${i + 1} accounts`);
    return address;
  };
  const cast: Cast = {
    admin: params.admin ?? role(0),
    alice: role(1),
    bob: role(2),
    bobAction: role(3),
    bobReceiver: role(4),
    carol: role(5),
    carolAction: role(6),
    carolReceiver: role(7),
    stranger: role(8),
  };
  const tee: Tee = mockTee();
  const wallet = (account: Address | Account) =>
    createWalletClient({ account, chain, transport, pollingInterval: 50 });
  const hash = await sendTransaction(wallet(cast.admin), {
    to: tee.account.address,
    value: parseEther("10"),
  });
  await waitForTransactionReceipt(publicClient, { hash });

  const market: Marketplace = {
    node,
    deployment,
    chain,
    publicClient,
    cast,
    tee,
    attestor,
    reader: createMarketplaceClient({ publicClient, deployment }),
    as: (account) => createMarketplaceClient({ publicClient, walletClient: wallet(account), deployment }),
    counted: (account, options = {}) => {
      const { transport: countingTransport, counter } = countingHttp(node.url, { batch: true });
      const client = createMarketplaceClient({
        publicClient: createPublicClient({ chain, transport: countingTransport, pollingInterval: 50 }),
        walletClient:
          account === undefined
            ? undefined
            : createWalletClient({ account, chain, transport: countingTransport, pollingInterval: 50 }),
        deployment,
        ...options,
      });
      return { client, counter };
    },
    increaseTime: async (seconds) => {
      const testClient = createTestClient({ mode: "hardhat", chain, transport });
      await testClient.increaseTime({ seconds });
      await testClient.mine({ blocks: 1 });
    },
    mint: (to, amount) =>
      mintTestTokens({
        wallet: wallet(cast.admin),
        publicClient,
        token: deployment.contracts.paymentToken,
        to,
        amount,
      }),
    chainState: async (account) => ({
      nonce: await getTransactionCount(publicClient, { address: account }),
      block: (await getBlock(publicClient)).number,
    }),
    stop: () => node.stop(),
  };
  return market;
}

/** What {@link setUpProviders} created. */
export interface Listing {
  dataOfferId: bigint;
  dataSlotId: bigint;
  teeOfferId: bigint;
  teeSlotId: bigint;
  tcbId: bigint;
  /** solution.resource.json of the fixtures. */
  solution: ResourceFile;
  /** dataset.resource.json of the fixtures. */
  dataset: ResourceFile;
}

/** Bob's data offer from the fixture files, with the scenario's data slot. */
export async function createDataOffer(bob: MarketplaceClient): Promise<{ offerId: bigint; slotId: bigint }> {
  const params = await readOfferInfoFile(fixture("offer-info.json"), {
    contentHash: await readResourceFile(fixture("dataset.resource.json")),
  });
  const { offerId } = await bob.offers.create({ params });
  const { slotId } = await bob.slots.add({ offerId, slot: dataSlotInfo() });
  return { offerId, slotId };
}

/**
 * docs/design.md §1 steps 1–2 through the SDK: Bob and Carol register; Bob's Data offer and slot from
 * offer-info.json, dataset.resource.json and slot-info.json; Carol's TEE offer (offer-info.json as
 * a TEE offer) with a PerHour slot from spctl's TEE slot example; the admin allows the enclave
 * measurement; Carol's action account publishes the TEE's TCB with the stand-in attestation.
 */
export async function setUpProviders(m: Marketplace): Promise<Listing> {
  const { cast } = m;
  const providerInfo = await readFile(fixture("ctl.providerInfo.example.json"), "utf8");
  const bob = m.as(cast.bob);
  const carol = m.as(cast.carol);
  await bob.providers.register({
    info: providerInfo,
    actionAccount: cast.bobAction,
    tokenReceiver: cast.bobReceiver,
  });
  await carol.providers.register({
    info: { ...JSON.parse(providerInfo), name: "Carol's TEE" },
    actionAccount: cast.carolAction,
    tokenReceiver: cast.carolReceiver,
  });

  const { offerId: dataOfferId, slotId: dataSlotId } = await createDataOffer(bob);

  const offerInfo = JSON.parse(await readFile(fixture("offer-info.json"), "utf8")) as Record<string, unknown>;
  const { offerId: teeOfferId } = await carol.offers.create({
    offerInfo: {
      ...offerInfo,
      name: "Carol's TDX machine",
      offerType: String(OfferType.TeeOffer),
      group: "1",
      subType: "2",
      cancelable: true,
    },
  });
  const { slotId: teeSlotId } = await carol.slots.add({ offerId: teeOfferId, slot: teeSlotInfo() });

  await m.as(cast.admin).tcb.setMeasurement({ measurement: MEASUREMENT, allowed: true });
  const tcbId = await publishTcb(m, teeOfferId);
  return {
    dataOfferId,
    dataSlotId,
    teeOfferId,
    teeSlotId,
    tcbId,
    solution: await readResourceFile(fixture("solution.resource.json")),
    dataset: await readResourceFile(fixture("dataset.resource.json")),
  };
}

let quotes = 0;

/**
 * Carol's action account publishes a TCB for the TEE's keys, attested by the stand-in service (the
 * scenario's attestation); each call with a quote of its own.
 */
export async function publishTcb(m: Marketplace, teeOfferId: bigint): Promise<bigint> {
  quotes += 1;
  const { tcbId } = await attestTee({
    client: m.as(m.cast.carolAction),
    attestor: m.attestor,
    tee: m.tee,
    teeOfferId,
    quote: stringToHex(`stand-in TDX quote ${quotes}`),
  });
  return tcbId;
}

/** Alice funds, approves and places a workflow with `inputs` (default: Bob's data offer once). */
export async function placeWorkflow(
  m: Marketplace,
  listing: Listing,
  inputs: { offerId: bigint; slotId: bigint }[] = [
    { offerId: listing.dataOfferId, slotId: listing.dataSlotId },
  ],
  deposit = DEPOSIT,
) {
  const alice = m.as(m.cast.alice);
  await m.mint(m.cast.alice, deposit);
  const { allowance } = await alice.payments.balance();
  await alice.payments.approve({ amount: allowance + deposit });
  return alice.orders.createWorkflow({
    teeOfferId: listing.teeOfferId,
    teeSlotId: listing.teeSlotId,
    solutionHash: listing.solution,
    inputs,
    deposit,
    encryptedArgs: stringToHex('{"ciphertext":"arguments for the TEE"}'),
  });
}
