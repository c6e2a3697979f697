/**
 * The cast and the set-up of docs/design.md §1 on a real node, driven through the SDK: Alice the
 * consumer, Bob the data owner (with an action account and a token receiver), Carol the TEE
 * provider (likewise), her TEE (mocks/tee.ts: a signing key, an ECIES key and TDX quotes under a
 * test root), the attestation service (the real one, trusting that root: mocks/localAttestation.ts),
 * an admin, a stranger. The terms, files and attestation come from the scenario the demo plays too
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
} from "viem";
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
  generateEciesKey,
} from "../../src/index.js";
import { type RequestCounter, countingHttp } from "../../src/testing/index.js";
import { readOfferInfoFile, readResourceFile } from "../../src/node/index.js";
import { type LocalAttestation, localAttestation } from "../../../mocks/localAttestation.js";
import { type MockTee, mockTee } from "../../../mocks/tee.js";
import { TEST_TD_REGISTRY_MEASUREMENT } from "../../../mocks/tdxQuote.js";
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
/** Alice's result key pair: the workflows she places name its public key first. */
export const ALICE_RESULT_KEY = generateEciesKey();

/** The enclave measurement the admin allows: the stand-in TEE's. */
export const MEASUREMENT = TEST_TD_REGISTRY_MEASUREMENT;

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
  /** Carol's current enclave. */
  readonly tee: Tee;
  /**
   * Replaces Carol's enclave with a new one (fresh keys, funded): what a provider does after a
   * revocation, which ends a key for good. Its TCB is published with {@link publishTcb}.
   */
  newEnclave(): Promise<Tee>;
  /** The attestation service (started for this deployment) and its test PKI. */
  attestation: LocalAttestation;
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
  /** Moves the node's clock (and the attestation service's) forward and mines a block. */
  increaseTime(seconds: number): Promise<void>;
  /** Mints test payment tokens (TestPaymentToken's open mint; not an SDK call). */
  mint(to: Address, amount: bigint): Promise<void>;
  /** Nonce and block height: what a transaction would change. */
  chainState(account: Address): Promise<{ nonce: number; block: bigint }>;
  stop(): Promise<void>;
}

/**
 * Starts a node, deploys the marketplace with the attestation service's signer, starts the service
 * and funds the TEE key. `stop()` stops the node and the service; call it in `after` even when this
 * throws halfway (it then stops them itself).
 */
export async function startMarketplace(
  options: { chainId?: number; tcbLifetime?: number } = {},
): Promise<Marketplace> {
  const node = await startHardhatNode(options.chainId === undefined ? {} : { chainId: options.chainId });
  const attestation = localAttestation();
  try {
    const deployment = await node.deploy({
      attestationSigner: attestation.signer,
      ...(options.tcbLifetime === undefined ? {} : { tcbLifetime: options.tcbLifetime }),
    });
    await attestation.start(deployment);
    return await marketplaceOn({ node, deployment, attestation });
  } catch (error) {
    await attestation.close();
    await node.stop();
    throw error;
  }
}

/**
 * The cast, clients and helpers on a node where the marketplace is deployed already, with its
 * attestation service started. `admin` is the deployer (default: the node's first account); it funds
 * the TEE key. `stop()` stops the node and the service.
 */
export async function marketplaceOn(params: {
  node: LocalNode;
  deployment: Deployment;
  attestation: LocalAttestation;
  admin?: Account;
}): Promise<Marketplace> {
  const { node, deployment, attestation } = params;
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
  const wallet = (account: Address | Account) =>
    createWalletClient({ account, chain, transport, pollingInterval: 50 });
  const fundedEnclave = async (): Promise<Tee> => {
    const enclave = mockTee({ pki: attestation.pki });
    const hash = await sendTransaction(wallet(cast.admin), {
      to: enclave.account.address,
      value: parseEther("10"),
    });
    await waitForTransactionReceipt(publicClient, { hash });
    return enclave;
  };
  let tee = await fundedEnclave();

  const market: Marketplace = {
    node,
    deployment,
    chain,
    publicClient,
    cast,
    get tee() {
      return tee;
    },
    newEnclave: async () => {
      tee = await fundedEnclave();
      return tee;
    },
    attestation,
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
      attestation.advanceClock(seconds);
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
    stop: async () => {
      await attestation.close();
      await node.stop();
    },
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
 * measurement; Carol's action account publishes the TEE's TCB with the service's attestation.
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

/**
 * Carol's action account publishes a TCB for the TEE's keys, attested by the attestation service
 * (the scenario's attestation). Each call moves the service's clock a second on, so that each
 * attestation of the key expires later than the last (the registry refuses a reused one).
 */
export async function publishTcb(m: Marketplace, teeOfferId: bigint): Promise<bigint> {
  m.attestation.advanceClock(1);
  const { tcbId } = await attestTee({
    client: m.as(m.cast.carolAction),
    attest: (claim) => m.attestation.attest(claim),
    tee: m.tee,
    teeOfferId,
  });
  return tcbId;
}

/**
 * Alice funds, approves and places a workflow with `inputs` (default: Bob's data offer once),
 * handing the solution's resource file to the enclave and naming her result key.
 */
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
    solution: listing.solution,
    inputs,
    deposit,
    resultRecipients: [ALICE_RESULT_KEY.publicKey],
    args: { threshold: 0.5 },
  });
}

/** The stand-in result the TEE side of the tests uploads (a resource file of an empty archive). */
export const RESULT_RESOURCE = {
  hash: {
    algo: "sha256",
    hash: "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    encoding: "hex",
  },
  resource: {
    type: "STORAGE_PROVIDER",
    storageType: "FS",
    filepath: "results/result.tar.gz",
    credentials: {},
  },
} as const;

/**
 * The TEE completes a Processing order with Done, as its enclave: a pointer to {@link RESULT_RESOURCE}
 * sealed for each recipient the workflow named, the receipt signed with the TEE key.
 */
export async function completeDone(m: Marketplace, orderId: bigint) {
  const tee = m.as(m.tee.account);
  const { resultRecipients } = await tee.orders.getParams({ orderId });
  const resultHash = `0x${RESULT_RESOURCE.hash.hash}` as const;
  const pointers = resultRecipients.map((publicKey) =>
    tee.tee.sealResultPointer({ publicKey, orderId, resultHash, resource: RESULT_RESOURCE }),
  );
  return tee.orders.complete({ orderId, status: "Done", resultHash, pointers, signer: m.tee.privateKey });
}
