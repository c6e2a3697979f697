/**
 * The agent tests' world on a real node: the marketplace deployed and the real attestation service
 * (sdk/test/support/marketplace.ts), the stand-in enclave's quoting endpoint for the agent
 * (mocks/standInQuotes.ts, under the service's test root), Carol's TEE offer with a fresh operator
 * account (her action account: the agent's key), two data owners (Bob and Dave) with Data offers
 * whose datasets are uploaded to an FS storage directory, Alice's solution uploaded there too, and
 * helpers to run an agent in-process and wait for its events.
 */
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { type Address, type Hex, parseEther } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { getAddresses, getContractEvents, sendTransaction, waitForTransactionReceipt } from "viem/actions";
import { createWalletClient, http } from "viem";

import {
  type Agent,
  type AgentConfig,
  type AgentEvent,
  type AgentEventType,
  parseAgentConfig,
  startAgent,
} from "../../src/index.js";
import {
  type CreateWorkflowParameters,
  type MarketplaceClient,
  type ResourceFileJson,
  generateEciesKey,
  ordersAbi,
} from "@tee-marketplace/sdk";
import { uploadFile } from "@tee-marketplace/sdk/node";

import { type StandInQuotes, startStandInQuotes } from "../../../mocks/standInQuotes.js";
import { TEST_TD_REGISTRY_MEASUREMENT } from "../../../mocks/tdxQuote.js";
import {
  DEPOSIT,
  dataOfferInfo,
  providerInfo,
  dataSlotInfo,
  teeOfferInfo,
  teeSlotInfo,
} from "../../../scripts/lib/scenario.js";
import { type Marketplace, startMarketplace } from "../../../sdk/test/support/marketplace.js";

/** The repository's root. */
export const repoRoot = path.resolve(import.meta.dirname, "..", "..", "..");
/** The tests' solution (its behaviour comes from its arguments). */
export const TEST_SOLUTION = path.join(repoRoot, "agent", "test", "fixtures", "test-solution.mjs");
/** The demo's solution: the keyword overlap of two datasets. */
export const OVERLAP_SOLUTION = path.join(repoRoot, "scripts", "lib", "solutions", "keyword-overlap.mjs");

/** A data owner with a Data offer whose dataset is in the storage. */
export interface DataOwner {
  address: Address;
  client: MarketplaceClient;
  offerId: bigint;
  slotId: bigint;
  dataset: ResourceFileJson;
  /** The owner's result key pair (the workflows name it as a recipient). */
  resultKey: { privateKey: Hex; publicKey: Hex };
}

/** What the tests share. */
export interface World {
  m: Marketplace;
  quotes: StandInQuotes;
  /** A temporary directory removed at the end. */
  dir: string;
  /** The FS storage the owners, Alice and the agent upload to. */
  storageDir: string;
  /** Carol's action account: the agent's operator key. */
  operatorKey: Hex;
  teeOfferId: bigint;
  teeSlotId: bigint;
  bob: DataOwner;
  dave: DataOwner;
  alice: { address: Address; client: MarketplaceClient; resultKey: { privateKey: Hex; publicKey: Hex } };
  /** Uploads a solution file (test-solution.mjs by default) and returns its resource file. */
  uploadSolution(file?: string): Promise<ResourceFileJson>;
  /** An agent configuration for this world (overrides laid over it). */
  config(overrides?: Record<string, unknown>): AgentConfig;
  stop(): Promise<void>;
}

/**
 * Starts the world. `stop()` stops everything; call it in `after` even when this throws.
 *
 * @param options `tcbLifetime` (seconds) of the deployment.
 */
export async function startWorld(options: { tcbLifetime?: number } = {}): Promise<World> {
  const m = await startMarketplace(
    options.tcbLifetime === undefined ? {} : { tcbLifetime: options.tcbLifetime },
  );
  const dir = await mkdtemp(path.join(tmpdir(), "tee-market-agent-test-"));
  let quotes: StandInQuotes | undefined;
  try {
    quotes = await startStandInQuotes(m.attestation.pki);
    const storageDir = path.join(dir, "storage");
    const accounts = await getAddresses(createWalletClient({ chain: m.chain, transport: http(m.node.url) }));
    const daveAddress = accounts[9];
    if (daveAddress === undefined) throw new Error("the node has fewer than 10 accounts");

    const operatorKey = generatePrivateKey();
    const operator = privateKeyToAccount(operatorKey).address;
    const admin = createWalletClient({ account: m.cast.admin, chain: m.chain, transport: http(m.node.url) });
    const hash = await sendTransaction(admin, { to: operator, value: parseEther("100") });
    await waitForTransactionReceipt(m.publicClient, { hash });

    const carol = m.as(m.cast.carol);
    await carol.providers.register({
      info: { name: "Carol's TEE", description: "TDX machines", metadata: "" },
      actionAccount: operator,
      tokenReceiver: m.cast.carolReceiver,
    });
    const { offerId: teeOfferId } = await carol.offers.create({
      offerInfo: teeOfferInfo("Carol's TDX machine", "4 cores"),
    });
    const { slotId: teeSlotId } = await carol.slots.add({ offerId: teeOfferId, slot: teeSlotInfo() });
    await m.as(m.cast.admin).tcb.setMeasurement({ measurement: TEST_TD_REGISTRY_MEASUREMENT, allowed: true });

    const owner = async (address: Address, name: string, lines: string[]): Promise<DataOwner> => {
      const client = m.as(address);
      await client.providers.register({ info: providerInfo(name, "datasets", address) });
      const datasetDir = path.join(dir, name, "dataset");
      await mkdir(datasetDir, { recursive: true });
      await writeFile(path.join(datasetDir, "records.txt"), `${lines.join("\n")}\n`);
      const dataset = await uploadFile(datasetDir, { storage: { type: "FS", directory: storageDir } });
      const { offerId } = await client.offers.create({
        offerInfo: dataOfferInfo(`${name}'s dataset`, "records"),
        contentHash: dataset,
      });
      const { slotId } = await client.slots.add({ offerId, slot: dataSlotInfo() });
      return { address, client, offerId, slotId, dataset, resultKey: generateEciesKey() };
    };
    const bob = await owner(m.cast.bob, "bob", [
      "customer feedback: support was quick, satisfaction high",
      "customer feedback: quality of the product is great",
      "delivery late, support apologised",
    ]);
    const dave = await owner(daveAddress, "dave", [
      "usage: feature search used daily, quality good",
      "usage: sessions long, customer returns weekly",
      "usage: support page visited twice",
    ]);
    const startedQuotes = quotes;
    return {
      m,
      quotes: startedQuotes,
      dir,
      storageDir,
      operatorKey,
      teeOfferId,
      teeSlotId,
      bob,
      dave,
      alice: { address: m.cast.alice, client: m.as(m.cast.alice), resultKey: generateEciesKey() },
      uploadSolution: (file = TEST_SOLUTION) =>
        uploadFile(file, { storage: { type: "FS", directory: storageDir } }),
      config: (overrides = {}) =>
        parseAgentConfig(
          {
            rpcUrl: m.node.url,
            deployment: m.deployment,
            teeOfferId: teeOfferId.toString(),
            attestationService: m.attestation.url,
            quotes: { source: "stand-in", standInUrl: startedQuotes.url },
            deviceId: "test-tdx-host",
            storage: { type: "FS", directory: path.join(dir, "results") },
            runner: { type: "process", workDirectory: path.join(dir, "work") },
            pollIntervalMs: 100,
            refreshBeforeSeconds: 60,
            deadlineMarginSeconds: 5,
            maxConcurrentOrders: 4,
            ...overrides,
          },
          dir,
        ),
      stop: async () => {
        await startedQuotes.close();
        await m.stop();
        await rm(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await quotes?.close();
    await m.stop();
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}

/** An agent started in-process with its events collected. */
export interface RunningAgent {
  agent: Agent;
  events: AgentEvent[];
  /** The first event (from the start, or after `after`) matching, within `timeoutMs`. */
  waitFor(
    type: AgentEventType,
    match?: (event: AgentEvent) => boolean,
    timeoutMs?: number,
  ): Promise<AgentEvent>;
  /** The events of one order, by type, in order. */
  of(orderId: bigint): AgentEventType[];
}

/**
 * Starts an agent with the world's operator key.
 *
 * @param config The agent's configuration.
 * @param options `key`: the operator key (default the world's); `env`: more of the agent's
 * environment (the S3 secret).
 */
export async function runAgent(
  world: World,
  config: AgentConfig,
  options: { key?: Hex; env?: Readonly<Record<string, string>> } = {},
): Promise<RunningAgent> {
  const events: AgentEvent[] = [];
  const waiters = new Set<() => void>();
  const agent = await startAgent({
    config,
    env: { ...options.env, TEE_MARKET_AGENT_PRIVATE_KEY: options.key ?? world.operatorKey },
    onEvent: (event) => {
      if (process.env["AGENT_TEST_EVENTS"] === "1")
        process.stderr.write(`${event.type} ${event.orderId ?? ""} ${event.message}\n`);
      events.push(event);
      for (const wake of waiters) wake();
    },
  });
  return {
    agent,
    events,
    waitFor: (type, match = () => true, timeoutMs = 60_000) =>
      new Promise<AgentEvent>((resolve, reject) => {
        const check = () => {
          const found = events.find((e) => e.type === type && match(e));
          if (found === undefined) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve(found);
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(
            new Error(
              `no ${type} event within ${timeoutMs} ms; events so far:\n${events.map((e) => `${e.type} ${e.orderId ?? ""} ${e.message}`).join("\n")}`,
            ),
          );
        }, timeoutMs);
        waiters.add(check);
        check();
      }),
    of: (orderId) => events.filter((e) => e.orderId === orderId.toString()).map((e) => e.type),
  };
}

/** Waits for a matching event of an order. */
export function orderEvent(orderId: bigint, status?: string): (event: AgentEvent) => boolean {
  return (event) =>
    event.orderId === orderId.toString() && (status === undefined || event.details?.["status"] === status);
}

/**
 * Alice places a workflow on the world's TEE offer with the given data owners' offers, her solution
 * and arguments; the recipients are Alice, then the owners.
 */
export async function placeOrder(
  world: World,
  params: { solution: ResourceFileJson; owners: DataOwner[]; args?: unknown; recipients?: Hex[] },
) {
  return placeWorkflow(world, {
    solution: params.solution,
    inputs: params.owners.map((o) => ({ offerId: o.offerId, slotId: o.slotId })),
    resultRecipients: params.recipients ?? [
      world.alice.resultKey.publicKey,
      ...params.owners.map((o) => o.resultKey.publicKey),
    ],
    ...(params.args === undefined ? {} : { args: params.args }),
  });
}

/** Alice funds the deposit and places a workflow on the world's TEE offer and slot. */
export async function placeWorkflow(
  world: World,
  params: Omit<CreateWorkflowParameters, "teeOfferId" | "teeSlotId" | "deposit">,
) {
  const { m, alice } = world;
  await m.mint(alice.address, DEPOSIT);
  const { allowance } = await alice.client.payments.balance();
  await alice.client.payments.approve({ amount: allowance + DEPOSIT });
  return alice.client.orders.createWorkflow({
    ...params,
    teeOfferId: world.teeOfferId,
    teeSlotId: world.teeSlotId,
    deposit: DEPOSIT,
  });
}

/** What the Orders contract credited for an order, payee by payee (its `PaymentsCredited` events). */
export async function paymentsOf(world: World, orderId: bigint) {
  const events = await getContractEvents(world.m.publicClient, {
    address: world.m.deployment.contracts.orders,
    abi: ordersAbi,
    eventName: "PaymentsCredited",
    args: { orderId },
    fromBlock: 0n,
  });
  return events.flatMap((e) =>
    e.args.accounts!.map((account, i) => ({ account, amount: e.args.amounts![i] })),
  );
}

/** Each owner completes their suborder with their dataset, approving `solutionHash`. */
export async function handOver(
  _world: World,
  created: { suborderIds: bigint[] },
  owners: DataOwner[],
  solutionHash: Hex,
): Promise<void> {
  for (const [i, owner] of owners.entries()) {
    const suborderId = created.suborderIds[i];
    if (suborderId === undefined) throw new Error(`no suborder ${i}`);
    await owner.client.suborders.complete({
      suborderId,
      status: "Done",
      solutionHash,
      resourceFile: owner.dataset,
    });
  }
}
