/**
 * The demo: docs/design.md §1 played step by step through @tee-marketplace/sdk, as a numbered
 * transcript naming who acts, on the data collaboration case: Bob (customer feedback) and Dave
 * (product usage) each list a dataset, Carol lists her TEE machine and runs the TEE provider's agent
 * (`@tee-marketplace/agent`, in-process) which attests its enclave, Alice places a workflow of a
 * solution that computes the keyword overlap of the two datasets (Jaccard similarity) and names
 * herself, Bob and Dave as result recipients, Bob's wrong solution hash is refused before any
 * transaction, the right ones unblock the order, the agent checks the inputs, reports, runs the
 * solution, delivers the result and completes the order, everyone is paid, and Alice downloads
 * and checks the result while Bob and Dave open the same one.
 *
 * Usage: npm run demo                         the in-process network (nothing to start)
 *        npm run demo -- --network localhost  a running node (npx hardhat node --hostname 127.0.0.1)
 *
 * On any network it deploys its own copy of the marketplace first (the TestMarketplace Ignition
 * module: the open-mint test token, the local attestation service as signer), with a throwaway
 * Ignition journal, and never reads or writes deployments/ (it needs the test token to fund Alice
 * and the admin role to allow its stand-in enclave). It refuses opBNB mainnet. The actors are
 * fresh keys funded with gas by the network's first account.
 *
 * What cannot exist here is a stand-in from mocks/: the TEE hardware's quotes (TDX quotes under a
 * test root, mocks/standInQuotes.ts) and Intel's PCS. The attestation service is the real one,
 * trusting the test root (mocks/localAttestation.ts); the agent is the real program, with the
 * process runner (no container engine is assumed). Storage is a local directory (the FS storage).
 * Everything else after the deployment goes through the SDK; the two exceptions (gas for the
 * actors and the test token's mint) are marked as set-up.
 *
 * Exit code 0 only if every check held.
 */
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { network } from "hardhat";
import { type Account, type Address, custom, createWalletClient, formatUnits, getAddress } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import {
  getContractEvents,
  getTransactionCount,
  sendTransaction,
  waitForTransactionReceipt,
} from "viem/actions";

import {
  type Agent,
  type AgentEvent,
  type AgentEventType,
  parseAgentConfig,
  startAgent,
} from "@tee-marketplace/agent";

import { localAttestation } from "../mocks/localAttestation.js";
import { type StandInQuotes, startStandInQuotes } from "../mocks/standInQuotes.js";
import { TEST_TD_REGISTRY_MEASUREMENT } from "../mocks/tdxQuote.js";
import { mintTestTokens } from "../mocks/testPaymentToken.js";
import {
  ContractError,
  type MarketplaceClient,
  OrderStatus,
  SolutionHashMismatchError,
  TcbStatus,
  createMarketplaceClient,
  enumName,
  generateEciesKey,
  ordersAbi,
  parseDeployment,
} from "../sdk/src/index.js";
import {
  downloadResource,
  readOfferInfoFile,
  readResourceFile,
  readSlotInfoFile,
  sha256File,
  uploadFile,
  writeResourceFile,
} from "../sdk/src/node/index.js";
import { DeployConfigError, deployMarketplace, repoRoot } from "./lib/deploy.js";
import {
  DATA_PRICE,
  DEPOSIT,
  TEE_MAX_MINUTES,
  TEE_MIN_MINUTES,
  TEE_PRICE_PER_HOUR,
  TOKEN_DECIMALS,
  TOKEN_SYMBOL,
  dataOfferInfo,
  dataSlotInfo,
  providerInfo,
  teeOfferInfo,
  teeSlotInfo,
} from "./lib/scenario.js";

/** Gas each actor gets: enough for its transactions at the current fee, plus a margin for L1 data fees. */
const GAS_PER_ACTOR = 5_000_000n;
const GAS_MARGIN_WEI = 10n ** 14n;
/** The solution: the keyword overlap of two datasets (Jaccard similarity), aggregates only. */
const SOLUTION_SOURCE = path.join(repoRoot, "scripts", "lib", "solutions", "keyword-overlap.mjs");

const tokens = (amount: bigint) => `${formatUnits(amount, TOKEN_DECIMALS)} ${TOKEN_SYMBOL}`;
const status = (value: number) => enumName(OrderStatus, value);

/* TRANSCRIPT */

let stepNumber = 0;
const failures: string[] = [];

function step(actor: string, text: string): void {
  stepNumber += 1;
  console.log(`\n${String(stepNumber).padStart(2)}. [${actor}] ${text}`);
}

function note(text: string): void {
  for (const line of text.split("\n")) console.log(`      ${line}`);
}

function check(what: string, ok: boolean, detail?: string): boolean {
  console.log(`      ${ok ? "✓" : "✗"} ${what}${detail === undefined ? "" : ` (${detail})`}`);
  if (!ok) failures.push(`step ${stepNumber}: ${what}${detail === undefined ? "" : ` (${detail})`}`);
  return ok;
}

function checkStatus(what: string, actual: number, expected: number, why = ""): boolean {
  return check(
    `${what} is ${status(expected)}${why}`,
    actual === expected,
    actual === expected ? undefined : `it is ${status(actual)}`,
  );
}

async function writeJson(file: string, value: unknown): Promise<string> {
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, JSON.stringify(value, null, 2) + "\n");
  return file;
}

/* THE AGENT'S EVENTS: collected as they come, shown as steps when the story reaches them */

const agentEvents: AgentEvent[] = [];
let agentWaiters: (() => void)[] = [];

function onAgentEvent(event: AgentEvent): void {
  agentEvents.push(event);
  const waiters = agentWaiters;
  agentWaiters = [];
  for (const wake of waiters) wake();
}

/** The first event of `type` (for `orderId` when given), waiting for it at most `timeoutMs`. */
async function agentEvent(type: AgentEventType, orderId?: bigint, timeoutMs = 120_000): Promise<AgentEvent> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = agentEvents.find(
      (e) => e.type === type && (orderId === undefined || e.orderId === orderId.toString()),
    );
    if (found !== undefined) return found;
    if (Date.now() > deadline) {
      throw new Error(
        `the agent said no ${type} within ${timeoutMs / 1000} s; it said:\n${agentEvents.map((e) => `  ${e.type} ${e.message}`).join("\n")}`,
      );
    }
    await new Promise<void>((resolve) => {
      agentWaiters.push(resolve);
      setTimeout(resolve, 500);
    });
  }
}

/* MAIN */

const connection = await network.create();
const { networkName, networkConfig, viem } = connection;
const inProcess = networkConfig.type === "edr-simulated";
const work = await mkdtemp(path.join(tmpdir(), "tee-marketplace-demo-"));
let stopAttestation: () => Promise<void> = async () => undefined;
let quotes: StandInQuotes | undefined;
let agent: Agent | undefined;
const inWork = (...parts: string[]) => path.join(work, ...parts);
const shown = (file: string) => path.relative(work, file);

try {
  if (networkName === "opbnb" || networkConfig.chainId === 204) {
    throw new DeployConfigError("The demo deploys the open-mint test token: it never runs on opBNB mainnet.");
  }
  const publicClient = await viem.getPublicClient();
  const chain = publicClient.chain;
  console.log(
    "tee-marketplace demo: docs/design.md §1 through @tee-marketplace/sdk and the TEE provider's agent",
  );
  console.log(`network: ${networkName} (${inProcess ? "in-process" : "JSON-RPC"}), chain ${chain.id}`);

  /* SET-UP: deployment, stand-ins, actors, storage */

  console.log("\nSet-up (not part of the story)");
  const attestation = localAttestation();
  stopAttestation = () => attestation.close();
  const { record } = await deployMarketplace(connection, {
    moduleId: "TestMarketplace",
    parameters: { attestationSigner: attestation.signer },
    ephemeral: true,
    log: (line) => {
      if (!line.startsWith("    ")) console.log(`  ${line.trim()}`);
    },
  });
  const deployment = parseDeployment(record);
  await attestation.start(deployment);
  quotes = await startStandInQuotes(attestation.pki);
  console.log(
    `  contracts: Orders ${deployment.contracts.orders}, OfferRegistry ${deployment.contracts.offerRegistry},\n` +
      `             TcbRegistry ${deployment.contracts.tcbRegistry}, verifier ${deployment.contracts.attestationVerifier},\n` +
      `             test token ${deployment.contracts.paymentToken} (${TOKEN_SYMBOL}, open mint)`,
  );
  console.log(
    `  stand-ins (mocks/): the TEE hardware's quotes (TDX quotes under a test root, ${quotes.url}), Intel's PCS;\n` +
      `  the attestation service itself is real: ${attestation.url}, signer ${attestation.signer}`,
  );

  const [adminWallet] = await viem.getWalletClients();
  if (adminWallet === undefined)
    throw new DeployConfigError(`${networkName} has no account to fund the actors from.`);
  const walletFor = (account: Account) =>
    createWalletClient({
      account,
      chain,
      transport: custom(connection.provider),
      pollingInterval: publicClient.pollingInterval,
    });
  const clientFor = (account: Account): MarketplaceClient =>
    createMarketplaceClient({ publicClient, walletClient: walletFor(account), deployment });
  const alice = privateKeyToAccount(generatePrivateKey());
  const bob = privateKeyToAccount(generatePrivateKey());
  const dave = privateKeyToAccount(generatePrivateKey());
  const carol = privateKeyToAccount(generatePrivateKey());
  const carolAgentKey = generatePrivateKey();
  const carolAgent = privateKeyToAccount(carolAgentKey);
  const names = new Map<string, string>([
    [alice.address, "Alice"],
    [bob.address, "Bob"],
    [dave.address, "Dave"],
    [carol.address, "Carol"],
    [carolAgent.address, "Carol's agent"],
  ]);
  const who = (address: Address) => names.get(address) ?? address;
  const { maxFeePerGas } = await publicClient.estimateFeesPerGas();
  const gas = maxFeePerGas * GAS_PER_ACTOR + GAS_MARGIN_WEI;
  for (const address of names.keys()) {
    const hash = await sendTransaction(adminWallet, { to: address as Address, value: gas, chain });
    await waitForTransactionReceipt(publicClient, { hash });
  }
  const storageDir = inWork("storage");
  const storage = { type: "FS" as const, directory: storageDir };
  console.log(
    `  actors (fresh keys, ${formatUnits(gas, 18)} ${chain.nativeCurrency.symbol} of gas each from ${getAddress(adminWallet.account.address)}):\n` +
      `    Alice ${alice.address} (consumer, author of the solution)\n` +
      `    Bob   ${bob.address} (data owner: customer feedback)\n` +
      `    Dave  ${dave.address} (data owner: product usage)\n` +
      `    Carol ${carol.address} (TEE provider); her agent sends as her action account ${carolAgent.address}`,
  );
  console.log(`  files: ${work}; the storage everyone uploads to: ${shown(storageDir)} (removed at the end)`);

  const admin = createMarketplaceClient({ publicClient, walletClient: adminWallet, deployment });
  const aliceClient = clientFor(alice);
  const bobClient = clientFor(bob);
  const daveClient = clientFor(dave);
  const carolClient = clientFor(carol);
  const reader = createMarketplaceClient({ publicClient, deployment });

  console.log("\nThe story");

  /* 1. The files, uploaded encrypted to storage */

  const solutionFile = inWork("alice", "keyword-overlap.mjs");
  await mkdir(path.dirname(solutionFile), { recursive: true });
  await copyFile(SOLUTION_SOURCE, solutionFile);
  const solutionResourceFile = inWork("alice", "solution.resource.json");
  await writeResourceFile(solutionResourceFile, await uploadFile(solutionFile, { storage }));
  const solution = await readResourceFile(solutionResourceFile);
  step(
    "Alice",
    `writes her solution (${shown(solutionFile)}: the keyword overlap of two datasets, Jaccard similarity, aggregates only) ` +
      `and uploads it encrypted (uploadFile, writeResourceFile)`,
  );
  note(
    `sha256 ${solution.hash}\nresource file ${shown(solutionResourceFile)} (spctl's *.resource.json shape, key inside)`,
  );
  check(
    "the resource file's hash is the solution file's sha256",
    solution.hash === (await sha256File(solutionFile)),
  );

  const datasets = {
    bob: [
      "customer feedback: support answered within an hour, satisfaction high",
      "customer feedback: search results are slow, quality otherwise good",
      "customer feedback: export to spreadsheet is missing",
      "customer feedback: onboarding was clear, support friendly",
    ],
    dave: [
      "usage: search used in 80% of sessions, quality rated good",
      "usage: export clicked 1200 times, spreadsheet format most asked",
      "usage: onboarding finished by 64% of new customers",
      "usage: sessions last 14 minutes on average",
    ],
  };
  const uploadDataset = async (owner: "bob" | "dave", file: string) => {
    const dir = inWork(owner, "dataset");
    await mkdir(dir, { recursive: true });
    await writeFile(path.join(dir, file), `${datasets[owner].join("\n")}\n`);
    const resourceFile = inWork(owner, "dataset.resource.json");
    await writeResourceFile(resourceFile, await uploadFile(dir, { storage }));
    return { dir, resourceFile, resource: await readResourceFile(resourceFile) };
  };
  const bobData = await uploadDataset("bob", "feedback-2025.txt");
  step(
    "Bob",
    `uploads his dataset directory (${shown(bobData.dir)}, customer feedback) encrypted (uploadFile)`,
  );
  note(
    `sha256 ${bobData.resource.hash} (of the tar.gz archive)\nresource file ${shown(bobData.resourceFile)}`,
  );
  const daveData = await uploadDataset("dave", "usage-2025.txt");
  step(
    "Dave",
    `uploads his dataset directory (${shown(daveData.dir)}, product usage) encrypted (uploadFile)`,
  );
  note(`sha256 ${daveData.resource.hash}\nresource file ${shown(daveData.resourceFile)}`);

  /* 2. Bob and Dave list their datasets */

  const listDataset = async (
    client: MarketplaceClient,
    owner: "bob" | "dave",
    account: Address,
    title: string,
    resourceFile: string,
  ) => {
    const providerFile = await writeJson(
      inWork(owner, "provider-info.json"),
      providerInfo(title, "Datasets", account),
    );
    await client.providers.register({ info: await readFile(providerFile, "utf8") });
    const offerFile = await writeJson(inWork(owner, "offer-info.json"), dataOfferInfo(title, "2025 records"));
    const { offerId } = await client.offers.create({
      params: await readOfferInfoFile(offerFile, { contentHash: await readResourceFile(resourceFile) }),
    });
    const slotFile = await writeJson(inWork(owner, "slot-info.json"), dataSlotInfo());
    const { slotId } = await client.slots.add({ offerId, slot: await readSlotInfoFile(slotFile) });
    return { offerId, slotId, providerFile, offerFile, slotFile };
  };
  const bobOffer = await listDataset(
    bobClient,
    "bob",
    bob.address,
    "Bob's customer feedback",
    bobData.resourceFile,
  );
  step(
    "Bob",
    `registers as a provider and creates a Data offer with a slot from ${shown(bobOffer.providerFile)}, ` +
      `${shown(bobOffer.offerFile)} (content hash from ${shown(bobData.resourceFile)}), ${shown(bobOffer.slotFile)} ` +
      `(providers.register, offers.create, slots.add)`,
  );
  note(`offer ${bobOffer.offerId}, slot ${bobOffer.slotId}: ${tokens(DATA_PRICE)}, Fixed`);
  const bobOfferRead = await reader.offers.get({ offerId: bobOffer.offerId });
  check(
    "the offer's content hash is the dataset's sha256",
    bobOfferRead.contentHash === bobData.resource.hash,
  );
  check("the offer needs manual completion (no public result resource)", !bobOfferRead.autoComplete);
  const daveOffer = await listDataset(
    daveClient,
    "dave",
    dave.address,
    "Dave's product usage",
    daveData.resourceFile,
  );
  step("Dave", `does the same for his dataset (providers.register, offers.create, slots.add)`);
  note(`offer ${daveOffer.offerId}, slot ${daveOffer.slotId}: ${tokens(DATA_PRICE)}, Fixed`);

  /* 3. Carol lists her TEE machine and starts her agent, which attests its enclave */

  const carolProviderFile = await writeJson(inWork("carol", "provider-info.json"), {
    ...providerInfo("Carol's confidential compute", "Intel TDX machines", carol.address),
    actionAccount: carolAgent.address,
  });
  await carolClient.providers.register({ info: await readFile(carolProviderFile, "utf8") });
  const carolOfferFile = await writeJson(
    inWork("carol", "offer-info.json"),
    teeOfferInfo("TDX machine, 4 cores", "cores: 4, ram: 8 GiB, storage: 10 GiB"),
  );
  const { offerId: teeOfferId } = await carolClient.offers.create({
    params: await readOfferInfoFile(carolOfferFile),
  });
  const carolSlotFile = await writeJson(inWork("carol", "slot-info.json"), teeSlotInfo());
  const { slotId: teeSlotId } = await carolClient.slots.add({
    offerId: teeOfferId,
    slot: await readSlotInfoFile(carolSlotFile),
  });
  step(
    "Carol",
    `registers (her agent's account ${carolAgent.address} as action account) and creates a TEE offer (TDX) ` +
      `from ${shown(carolOfferFile)} with a slot from ${shown(carolSlotFile)} (providers.register, offers.create, slots.add)`,
  );
  note(
    `offer ${teeOfferId}, slot ${teeSlotId}: ${tokens(TEE_PRICE_PER_HOUR)} per hour, ${TEE_MIN_MINUTES} to ${TEE_MAX_MINUTES} minutes`,
  );

  await admin.tcb.setMeasurement({ measurement: TEST_TD_REGISTRY_MEASUREMENT, allowed: true });
  step("Admin (deployer)", `allows the measurement of the enclave image Carol runs (tcb.setMeasurement)`);
  check(
    `measurement ${TEST_TD_REGISTRY_MEASUREMENT} is allowed`,
    await reader.tcb.isMeasurementAllowed({ measurement: TEST_TD_REGISTRY_MEASUREMENT }),
  );

  const agentConfig = parseAgentConfig(
    {
      deployment,
      teeOfferId: teeOfferId.toString(),
      attestationService: attestation.url,
      quotes: { source: "stand-in", standInUrl: quotes.url },
      deviceId: "carol-tdx-host-1",
      storage: { type: "FS", directory: "results" },
      runner: { type: "process", workDirectory: "agent-work" },
      pollIntervalMs: 200,
      fromBlock: deployment.blocks.deployed.toString(),
    },
    inWork("carol"),
  );
  agent = await startAgent({
    config: agentConfig,
    transport: custom(connection.provider),
    env: { TEE_MARKET_AGENT_PRIVATE_KEY: carolAgentKey },
    onEvent: onAgentEvent,
  });
  const started = await agentEvent("agent-started");
  const attested = await agentEvent("attested");
  step("Carol", "starts her agent for the offer (tee-market-agent run; here startAgent, in-process)");
  note(started.message);
  step(
    "Carol's agent",
    "makes its enclave's keys in memory, binds them to this chain, registry and offer in a quote from the (stand-in) " +
      "TDX hardware, gets the attestation service's proof and publishes the TCB from Carol's action account",
  );
  note(attested.message);
  const activeTcb = await reader.tcb.active({ teeOfferId });
  check(
    `TCB ${activeTcb?.id} is the active, valid TCB of offer ${teeOfferId}, of the agent's enclave`,
    activeTcb?.status === TcbStatus.Active && activeTcb.teeKey === agent.teeKey,
  );

  /* 4. Alice places the workflow */

  await mintTestTokens({
    wallet: walletFor(alice),
    publicClient,
    token: deployment.contracts.paymentToken,
    to: alice.address,
    amount: DEPOSIT,
  });
  await aliceClient.payments.approve({ amount: DEPOSIT });
  step(
    "Alice",
    `takes ${tokens(DEPOSIT)} from the test token's open mint (set-up, test networks only) and approves the deposit (payments.approve)`,
  );
  const aliceFunds = await aliceClient.payments.balance();
  check(
    `Alice holds and allows ${tokens(DEPOSIT)}`,
    aliceFunds.token === DEPOSIT && aliceFunds.allowance === DEPOSIT,
  );

  const resultKeys = { alice: generateEciesKey(), bob: generateEciesKey(), dave: generateEciesKey() };
  const created = await aliceClient.orders.createWorkflow({
    teeOfferId,
    teeSlotId,
    solution,
    inputs: [
      { offerId: bobOffer.offerId, slotId: bobOffer.slotId },
      { offerId: daveOffer.offerId, slotId: daveOffer.slotId },
    ],
    deposit: DEPOSIT,
    resultRecipients: [resultKeys.alice.publicKey, resultKeys.bob.publicKey, resultKeys.dave.publicKey],
    args: { top: 10 },
  });
  const orderId = created.orderId;
  const [bobSuborder, daveSuborder] = created.suborderIds;
  if (bobSuborder === undefined || daveSuborder === undefined)
    throw new Error("createWorkflow returned no suborders");
  step(
    "Alice",
    `places the workflow: TEE offer ${teeOfferId} (its enclave ${created.teeKey}), her ${shown(solutionResourceFile)} ` +
      `sealed for that enclave, Bob's and Dave's offers, result recipients Alice, Bob and Dave, deposit ${tokens(DEPOSIT)} ` +
      `(generateEciesKey, orders.createWorkflow)`,
  );
  note(`order ${orderId}, suborders ${bobSuborder} (Bob) and ${daveSuborder} (Dave)`);
  let workflow = await reader.orders.get({ orderId });
  checkStatus(`order ${orderId}`, workflow.order.status, OrderStatus.Blocked);
  check(`the order is bound to the agent's enclave`, workflow.order.teeKey === agent.teeKey);
  check(`the order committed to Alice's solution hash`, workflow.order.solutionHash === solution.hash);

  /* 5. The data owners complete their suborders: Bob first with a wrong hash */

  const reviewedEarlier = inWork("bob", "keyword-overlap-v0.mjs");
  await writeFile(
    reviewedEarlier,
    "// An earlier version, which Bob reviewed last week.\nconsole.log('v0');\n",
  );
  const staleHash = await sha256File(reviewedEarlier);
  const nonceBefore = await getTransactionCount(publicClient, { address: bob.address, blockTag: "pending" });
  step(
    "Bob",
    `tries to complete suborder ${bobSuborder} with the hash of the version he reviewed last week (suborders.complete)`,
  );
  const refusal = await bobClient.suborders
    .complete({
      suborderId: bobSuborder,
      status: "Done",
      solutionHash: staleHash,
      resourceFile: bobData.resource,
    })
    .then(
      () => undefined,
      (error: unknown) => error,
    );
  if (refusal instanceof ContractError) note(`refused: ${refusal.message.split("\n")[0]}`);
  check(
    "refused with SolutionHashMismatch(suborderId, expected, provided)",
    refusal instanceof SolutionHashMismatchError &&
      refusal.args[0] === bobSuborder &&
      refusal.args[1] === solution.hash &&
      refusal.args[2] === staleHash,
  );
  const nonceAfter = await getTransactionCount(publicClient, { address: bob.address, blockTag: "pending" });
  check("no transaction was sent", nonceAfter === nonceBefore, `Bob's nonce ${nonceBefore} → ${nonceAfter}`);

  const bobReviewed = await sha256File(solutionFile);
  await bobClient.suborders.complete({
    suborderId: bobSuborder,
    status: "Done",
    solutionHash: bobReviewed,
    resourceFile: bobData.resource,
  });
  step(
    "Bob",
    `reviews the current solution (sha256 ${bobReviewed}) and completes with Done, his dataset's resource file sealed ` +
      `for the order's enclave and bound to this suborder (suborders.complete)`,
  );
  workflow = await reader.orders.get({ orderId });
  checkStatus(`order ${orderId}`, workflow.order.status, OrderStatus.Blocked, " (Dave has not answered yet)");
  await daveClient.suborders.complete({
    suborderId: daveSuborder,
    status: "Done",
    solutionHash: await sha256File(solutionFile),
    resourceFile: daveData.resource,
  });
  step("Dave", `reviews the solution too and completes his suborder with Done (suborders.complete)`);
  workflow = await reader.orders.get({ orderId });
  checkStatus(`order ${orderId}`, workflow.order.status, OrderStatus.New, " (no blocking suborder left)");
  check(
    "Bob and Dave pinned their datasets' hashes",
    workflow.suborders[0]?.dataHash === bobData.resource.hash &&
      workflow.suborders[1]?.dataHash === daveData.resource.hash,
  );

  /* 6. Carol's agent runs the order */

  const completedEvent = await agentEvent("order-completed", orderId);
  const orderEvents = (type: AgentEventType) =>
    agentEvents.filter((e) => e.type === type && e.orderId === orderId.toString());
  step("Carol's agent", `sees the order New and starts it (orders.start)`);
  note((await agentEvent("order-started", orderId)).message);
  step(
    "Carol's agent",
    "opens Alice's arguments and Bob's and Dave's hand-overs, each checked to name this order, suborder, solution " +
      "and enclave, downloads and decrypts each resource and checks its sha256 against the committed hashes " +
      "(tee.openArgs, tee.openHandOver, downloadResource)",
  );
  for (const e of [...orderEvents("inputs-opened"), ...orderEvents("input-checked")]) note(e.message);
  check("three inputs checked: the solution and two datasets", orderEvents("input-checked").length === 3);
  step(
    "Carol's agent",
    "publishes the order report signed by its enclave before anything runs (reports.publish)",
  );
  note((await agentEvent("report-published", orderId)).message);
  step(
    "Carol's agent",
    "runs the solution with /sp/inputs/input-0001 (Bob's), input-0002 (Dave's), /sp/output and the report in /sp/certs (process runner)",
  );
  note((await agentEvent("solution-exited", orderId)).message);
  step(
    "Carol's agent",
    "packs /sp/output, encrypts and uploads it, seals a pointer for each recipient, and completes the order Done with " +
      "the enclave's signed receipt (uploadFile, tee.sealResultPointer, orders.complete)",
  );
  note(`${(await agentEvent("result-uploaded", orderId)).message}\n${completedEvent.message}`);
  workflow = await reader.orders.get({ orderId });
  checkStatus(`order ${orderId}`, workflow.order.status, OrderStatus.Done);
  check(
    "the report was published in an earlier block than the completion",
    workflow.order.reportBlock < workflow.order.resultBlock,
  );

  /* 7. Everyone is paid */

  const credited = await getContractEvents(publicClient, {
    address: deployment.contracts.orders,
    abi: ordersAbi,
    eventName: "PaymentsCredited",
    args: { orderId },
    fromBlock: workflow.order.resultBlock,
    toBlock: workflow.order.resultBlock,
    strict: true,
  });
  const payments = credited.flatMap((e) =>
    e.args.accounts.map((account, i) => ({ account, amount: e.args.amounts[i] ?? 0n })),
  );
  const paid = (address: Address) =>
    payments.filter((p) => p.account === address).reduce((sum, p) => sum + p.amount, 0n);
  const withdrawn: string[] = [];
  let allWithdrawn = true;
  for (const [name, client, address] of [
    ["Bob", bobClient, bob.address],
    ["Dave", daveClient, dave.address],
    ["Carol", carolClient, carol.address],
    ["Alice", aliceClient, alice.address],
  ] as const) {
    const { amount } = await client.payments.withdraw();
    const after = await client.payments.balance();
    withdrawn.push(`${name} ${tokens(amount)}`);
    allWithdrawn &&= amount === paid(address) && after.withdrawable === 0n;
  }
  step("Bob, Dave, Carol, Alice", "withdraw what the settlement credited them (payments.withdraw)");
  note(`payouts: ${payments.map((p) => `${who(p.account)} ${tokens(p.amount)}`).join(", ")}`);
  note(withdrawn.join(", "));
  const teeMinCost = (TEE_PRICE_PER_HOUR * BigInt(TEE_MIN_MINUTES)) / 60n;
  check(
    "Bob and Dave are each paid their slot's price",
    paid(bob.address) === DATA_PRICE && paid(dave.address) === DATA_PRICE,
  );
  check(
    `Carol is paid at least her slot's ${TEE_MIN_MINUTES}-minute minimum`,
    paid(carol.address) >= teeMinCost,
  );
  check(
    "Alice gets the rest back; the payouts add up to the deposit",
    paid(alice.address) === DEPOSIT - 2n * DATA_PRICE - paid(carol.address),
  );
  check("each withdrew exactly what was credited, nothing is left to withdraw", allWithdrawn);

  /* 8. The result: Alice downloads and checks it; Bob and Dave open the same one */

  const result = await aliceClient.orders.getResult({ orderId });
  const { resource: aliceResult } = aliceClient.results.open({
    result,
    privateKey: resultKeys.alice.privateKey,
  });
  const downloaded = await downloadResource(
    aliceResult as Record<string, unknown>,
    inWork("alice", "result"),
    {
      unpack: true,
    },
  );
  const overlap = JSON.parse(await readFile(path.join(downloaded.path, "overlap.json"), "utf8")) as {
    jaccard_similarity: number;
    overlap_keywords: string[];
    datasets: { input: string; records: number; keywords: number }[];
  };
  step(
    "Alice",
    "reads the enclave's receipt, opens her pointer with her result key, downloads and decrypts the result and checks " +
      "its sha256 against the receipt (orders.getResult, results.open, downloadResource)",
  );
  note(`overlap.json: ${JSON.stringify(overlap)}`);
  check("the downloaded result's sha256 is the receipt's result hash", downloaded.hash === result.resultHash);
  check(
    "the result holds aggregates only: the similarity, the shared keywords, counts per dataset",
    typeof overlap.jaccard_similarity === "number" &&
      overlap.jaccard_similarity > 0 &&
      overlap.jaccard_similarity < 1 &&
      overlap.overlap_keywords.includes("search") &&
      overlap.datasets.length === 2 &&
      overlap.datasets.every((d) => d.records === 4),
    `Jaccard ${overlap.jaccard_similarity}, shared ${overlap.overlap_keywords.join(", ")}`,
  );
  const aliceChecks = await aliceClient.results.verify({ result, privateKey: resultKeys.alice.privateKey });
  for (const c of aliceChecks.checks) check(c.name, c.ok, c.detail);

  for (const [name, client, key] of [
    ["Bob", bobClient, resultKeys.bob],
    ["Dave", daveClient, resultKeys.dave],
  ] as const) {
    const theirs = await client.orders.getResult({ orderId });
    const { resource } = client.results.open({ result: theirs, privateKey: key.privateKey });
    const got = await downloadResource(
      resource as Record<string, unknown>,
      inWork(name.toLowerCase(), "result"),
      {
        unpack: true,
      },
    );
    const same =
      (await readFile(path.join(got.path, "overlap.json"), "utf8")) ===
      JSON.stringify(overlap, null, 2) + "\n";
    step(
      name,
      `opens his own pointer with his result key and downloads the same result (results.open, downloadResource)`,
    );
    check(
      `${name}'s result has the receipt's hash and the same content as Alice's`,
      got.hash === result.resultHash && same,
    );
  }

  /* 9. Alice and Bob verify the report */

  const report = await aliceClient.reports.get({ orderId });
  const reportFile = await writeJson(inWork("alice", "report.json"), aliceClient.reports.toJson(report));
  const verification = await aliceClient.reports.verify(orderId, {
    solutionHash: solution,
    dataHashes: [bobData.resource, daveData.resource],
  });
  step(
    "Alice",
    `reads the report, writes it in Super Protocol's JSON shape to ${shown(reportFile)} and verifies it: signature ` +
      `against the order's enclave, its TCB against the registry, the hashes (reports.get, reports.toJson, reports.verify)`,
  );
  for (const c of verification.checks) check(c.name, c.ok, c.detail);

  const entries = aliceClient.reports.toJson(report).workloadInfo.runtimeInfo;
  step("Alice, Bob, Dave", "compare the report's hashes with their resource files and their own files");
  check(
    `Image = ${shown(solutionResourceFile)} hash = sha256File(${shown(solutionFile)})`,
    entries.some((e) => e.type === "Image" && `0x${e.hash.hash}` === solution.hash) &&
      solution.hash === (await sha256File(solutionFile)),
  );
  check(
    `Data entries = ${shown(bobData.resourceFile)} and ${shown(daveData.resourceFile)} hashes`,
    [bobData.resource.hash, daveData.resource.hash].every((hash) =>
      entries.some((e) => e.type === "Data" && `0x${e.hash.hash}` === hash),
    ),
  );

  /* 10. Carol stops her agent */

  await agent.stop();
  agent = undefined;
  step("Carol", "stops her agent (SIGTERM; here agent.stop): no order in flight, its keys are gone with it");
  note((await agentEvent("agent-stopped")).message);
} catch (error) {
  const message = error instanceof Error ? error.message : String(error);
  failures.push(`the demo stopped${stepNumber > 0 ? ` after step ${stepNumber}` : ""}: ${message}`);
  if (!(error instanceof DeployConfigError) && error instanceof Error && error.stack !== undefined) {
    console.error(`\n${error.stack}`);
  }
} finally {
  await agent?.stop();
  await quotes?.close();
  await stopAttestation();
  await rm(work, { recursive: true, force: true });
}

if (failures.length === 0) {
  console.log(`\nEvery check held (${stepNumber} steps).`);
} else {
  console.error(`\nThe demo FAILED:\n- ${failures.join("\n- ")}`);
  process.exitCode = 1;
}
