/**
 * The demo: docs/design.md §1 played step by step through @tee-marketplace/sdk, as a numbered
 * transcript naming who acts. Bob lists his dataset, Carol her TEE machine, the TEE publishes its
 * attestation, Alice places a workflow, Bob's wrong solution hash is refused before any
 * transaction, the right one unblocks the order, the TEE runs it, reports and is paid, and Alice
 * and Bob verify the report against their own files.
 *
 * Usage: npm run demo                         the in-process network (nothing to start)
 *        npm run demo -- --network localhost  a running node (npx hardhat node --hostname 127.0.0.1)
 *
 * On any network it deploys its own copy of the marketplace first (the TestMarketplace Ignition
 * module: the open-mint test token, the stand-in attestation service as signer), with a throwaway
 * Ignition journal, and never reads or writes deployments/ (it needs the test token to fund Alice
 * and the admin role to allow its stand-in enclave). It refuses opBNB mainnet. The actors are
 * fresh keys funded with gas by the network's first account.
 *
 * Hardware and services that cannot exist here are stand-ins from mocks/: the TEE (its keys and
 * quote, mocks/tee.ts) and the attestation service (mocks/attestationService.ts). Everything
 * else after the deployment goes through the SDK; the two exceptions (gas for the actors and the
 * test token's mint) are marked as set-up.
 *
 * Exit code 0 only if every check held.
 */
import { randomBytes } from "node:crypto";
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { network } from "hardhat";
import {
  type Account,
  type Address,
  type Hex,
  custom,
  createWalletClient,
  formatUnits,
  getAddress,
  stringToHex,
} from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { getTransactionCount, sendTransaction, waitForTransactionReceipt } from "viem/actions";

import { localAttestation } from "../mocks/localAttestation.js";
import { mockTee } from "../mocks/tee.js";
import { mintTestTokens } from "../mocks/testPaymentToken.js";
import {
  ContractError,
  type MarketplaceClient,
  OrderStatus,
  RuntimeType,
  SolutionHashMismatchError,
  TcbStatus,
  canonicalJson,
  createMarketplaceClient,
  enumName,
  generateEciesKey,
  parseDeployment,
} from "../sdk/src/index.js";
import {
  readOfferInfoFile,
  readResourceFile,
  readSlotInfoFile,
  sha256Directory,
  sha256File,
} from "../sdk/src/node/index.js";
import { DeployConfigError, deployMarketplace } from "./lib/deploy.js";
import {
  DATA_PRICE,
  DEPOSIT,
  TEE_MAX_MINUTES,
  TEE_MIN_MINUTES,
  TEE_PRICE_PER_HOUR,
  TOKEN_DECIMALS,
  TOKEN_SYMBOL,
  attestTee,
  dataOfferInfo,
  dataSlotInfo,
  providerInfo,
  teeOfferInfo,
  teeSlotInfo,
} from "./lib/scenario.js";

/** Gas each actor gets: enough for its transactions at the current fee, plus a margin for L1 data fees. */
const GAS_PER_ACTOR = 5_000_000n;
const GAS_MARGIN_WEI = 10n ** 14n;

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

/* FILES: what each actor has on disk, in Super Protocol's formats */

function resourceJson(hash: Hex, filepath: string) {
  return {
    hash: { algo: "sha256", encoding: "hex", hash: hash.slice(2) },
    encryption: {
      algo: "AES",
      cipher: "AES-256-GCM",
      key: randomBytes(32).toString("base64"),
      encoding: "base64",
    },
    resource: { type: "STORAGE_PROVIDER", storageType: "FS", filepath },
  };
}

async function writeJson(file: string, value: unknown): Promise<string> {
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, JSON.stringify(value, null, 2) + "\n");
  return file;
}

/* MAIN */

const connection = await network.create();
const { networkName, networkConfig, viem } = connection;
const inProcess = networkConfig.type === "edr-simulated";
const work = await mkdtemp(path.join(tmpdir(), "tee-marketplace-demo-"));
let stopAttestation: () => Promise<void> = async () => undefined;
const inWork = (...parts: string[]) => path.join(work, ...parts);
const shown = (file: string) => path.relative(work, file);

try {
  if (networkName === "opbnb" || networkConfig.chainId === 204) {
    throw new DeployConfigError("The demo deploys the open-mint test token: it never runs on opBNB mainnet.");
  }
  const publicClient = await viem.getPublicClient();
  const chain = publicClient.chain;
  console.log("tee-marketplace demo: docs/design.md §1 through @tee-marketplace/sdk");
  console.log(`network: ${networkName} (${inProcess ? "in-process" : "JSON-RPC"}), chain ${chain.id}`);

  /* SET-UP: deployment, stand-ins, actors, files */

  console.log("\nSet-up (not part of the story)");
  const attestation = localAttestation();
  stopAttestation = () => attestation.close();
  const tee = mockTee({ pki: attestation.pki, device: "carol-tdx-host-1" });
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
  console.log(
    `  contracts: Orders ${deployment.contracts.orders}, OfferRegistry ${deployment.contracts.offerRegistry},\n` +
      `             TcbRegistry ${deployment.contracts.tcbRegistry}, verifier ${deployment.contracts.attestationVerifier},\n` +
      `             test token ${deployment.contracts.paymentToken} (${TOKEN_SYMBOL}, open mint)`,
  );
  console.log(
    `  stand-ins (mocks/): the TEE (key ${tee.account.address}, TDX quotes under a test root), Intel's PCS;\n` +
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
  const carol = privateKeyToAccount(generatePrivateKey());
  const names = new Map<string, string>([
    [alice.address, "Alice"],
    [bob.address, "Bob"],
    [carol.address, "Carol"],
    [tee.account.address, "Carol's TEE"],
  ]);
  const who = (address: Address) => names.get(address) ?? address;
  const { maxFeePerGas } = await publicClient.estimateFeesPerGas();
  const gas = maxFeePerGas * GAS_PER_ACTOR + GAS_MARGIN_WEI;
  for (const address of names.keys()) {
    const hash = await sendTransaction(adminWallet, { to: address as Address, value: gas, chain });
    await waitForTransactionReceipt(publicClient, { hash });
  }
  console.log(
    `  actors (fresh keys, ${formatUnits(gas, 18)} ${chain.nativeCurrency.symbol} of gas each from ${getAddress(adminWallet.account.address)}):\n` +
      `    Alice ${alice.address} (consumer, author of the solution)\n` +
      `    Bob   ${bob.address} (data owner)\n` +
      `    Carol ${carol.address} (TEE provider); her TEE signs with ${tee.account.address}`,
  );
  console.log(`  files: ${work} (removed at the end)`);

  const admin = createMarketplaceClient({ publicClient, walletClient: adminWallet, deployment });
  const aliceClient = clientFor(alice);
  const bobClient = clientFor(bob);
  const carolClient = clientFor(carol);
  const teeClient = clientFor(tee.account);
  const reader = createMarketplaceClient({ publicClient, deployment });

  console.log("\nThe story");

  /* 1. The files */

  const solutionFile = inWork("alice", "solution.py");
  await mkdir(path.dirname(solutionFile), { recursive: true });
  await writeFile(
    solutionFile,
    [
      "# Counts the rows of every CSV file in /data and writes the totals to /result.",
      "import csv, glob, json",
      'totals = {f: sum(1 for _ in csv.reader(open(f))) for f in glob.glob("/data/**/*.csv", recursive=True)}',
      'json.dump(totals, open("/result/totals.json", "w"))',
      "",
    ].join("\n"),
  );
  const reviewedEarlier = inWork("alice", "solution-v0.py");
  await writeFile(reviewedEarlier, "# An earlier version, which Bob reviewed last week.\nprint('rows')\n");
  const solutionHash = await sha256File(solutionFile);
  const solutionResourceFile = await writeJson(
    inWork("alice", "solution.resource.json"),
    resourceJson(solutionHash, "solution.py.encrypted"),
  );
  step("Alice", `writes her solution (${shown(solutionFile)}) and hashes it (sha256File)`);
  note(`sha256 ${solutionHash}\nwritten to ${shown(solutionResourceFile)} (spctl's *.resource.json shape)`);

  const datasetDir = inWork("bob", "dataset");
  await mkdir(datasetDir, { recursive: true });
  await writeFile(
    path.join(datasetDir, "temperatures-2024.csv"),
    "city,month,celsius\nOslo,1,-4.3\nOslo,7,17.0\n",
  );
  await writeFile(path.join(datasetDir, "rainfall-2024.csv"), "city,month,mm\nOslo,1,49\nOslo,7,81\n");
  const datasetHash = await sha256Directory(datasetDir);
  const datasetResourceFile = await writeJson(
    inWork("bob", "dataset.resource.json"),
    resourceJson(datasetHash, "dataset.tar.gz.encrypted"),
  );
  step("Bob", `hashes his dataset directory (${shown(datasetDir)}, 2 files) (sha256Directory)`);
  note(`sha256 ${datasetHash}\nwritten to ${shown(datasetResourceFile)}`);

  /* 2. Bob lists his dataset */

  const bobProviderFile = await writeJson(
    inWork("bob", "provider-info.json"),
    providerInfo("Bob's weather data", "Curated city weather datasets", bob.address),
  );
  await bobClient.providers.register({ info: await readFile(bobProviderFile, "utf8") });
  step("Bob", `registers as a provider from ${shown(bobProviderFile)} (providers.register)`);
  const bobProvider = await reader.providers.get({ authority: bob.address });
  check("Bob is a provider; he receives his own payouts", bobProvider.tokenReceiver === bob.address);

  const bobOfferFile = await writeJson(
    inWork("bob", "offer-info.json"),
    dataOfferInfo("City weather 2024", "Monthly temperatures and rainfall, 2024"),
  );
  const { offerId: dataOfferId } = await bobClient.offers.create({
    params: await readOfferInfoFile(bobOfferFile, {
      contentHash: await readResourceFile(datasetResourceFile),
    }),
  });
  step(
    "Bob",
    `creates a Data offer from ${shown(bobOfferFile)}, content hash from ${shown(datasetResourceFile)} (offers.create)`,
  );
  const dataOffer = await reader.offers.get({ offerId: dataOfferId });
  note(`offer ${dataOfferId}`);
  check("the offer's content hash is the dataset's sha256", dataOffer.contentHash === datasetHash);
  check("the offer needs manual completion (no public result resource)", !dataOffer.autoComplete);

  const bobSlotFile = await writeJson(inWork("bob", "slot-info.json"), dataSlotInfo());
  const { slotId: dataSlotId } = await bobClient.slots.add({
    offerId: dataOfferId,
    slot: await readSlotInfoFile(bobSlotFile),
  });
  step("Bob", `adds a slot from ${shown(bobSlotFile)} (slots.add)`);
  note(`slot ${dataSlotId}: ${tokens(DATA_PRICE)}, Fixed, disk 10 MiB`);

  /* 3. Carol lists her TEE machine; her TEE publishes its attestation */

  const carolProviderFile = await writeJson(
    inWork("carol", "provider-info.json"),
    providerInfo("Carol's confidential compute", "Intel TDX machines", carol.address),
  );
  await carolClient.providers.register({ info: await readFile(carolProviderFile, "utf8") });
  step("Carol", `registers as a provider from ${shown(carolProviderFile)} (providers.register)`);

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
    `creates a TEE offer (TDX) from ${shown(carolOfferFile)} and a slot from ${shown(carolSlotFile)} (offers.create, slots.add)`,
  );
  note(
    `offer ${teeOfferId}, slot ${teeSlotId}: ${tokens(TEE_PRICE_PER_HOUR)} per hour, ${TEE_MIN_MINUTES} to ${TEE_MAX_MINUTES} minutes`,
  );

  await admin.tcb.setMeasurement({ measurement: tee.measurement, allowed: true });
  step("Admin (deployer)", `allows the stand-in enclave's measurement (tcb.setMeasurement)`);
  check(
    `measurement ${tee.measurement} is allowed`,
    await reader.tcb.isMeasurementAllowed({ measurement: tee.measurement }),
  );

  await carolClient.tcb.authorizeTeeKey({ teeOfferId, teeKey: tee.account.address, authorized: true });
  step(
    "Carol",
    `lets her TEE's key publish its own first TCB for offer ${teeOfferId} (tcb.authorizeTeeKey); later it refreshes its own`,
  );
  check(
    "the key is authorized, once",
    await reader.tcb.isTeeKeyAuthorized({ teeOfferId, teeKey: tee.account.address }),
  );

  const { tcbId, validUntil, reportData, quote, proof } = await attestTee({
    client: teeClient,
    attest: (claim) => attestation.attest(claim),
    tee,
    teeOfferId,
  });
  step(
    "Carol's TEE",
    "binds its keys to this chain, registry and offer (tee.attestationReportData), gets a TDX quote from its hardware " +
      "(stand-in), and the attestation service verifies the quote and signs the attestation",
  );
  note(`report data ${reportData}\nquote ${quote.length / 2 - 1} bytes, proof ${proof.length / 2 - 1} bytes`);
  step("Carol's TEE", "publishes its TCB: device id, TEE key, ECIES public key, quote, proof (tcb.upload)");
  const activeTcb = await reader.tcb.active({ teeOfferId });
  note(`TCB ${tcbId}, valid until ${new Date(validUntil * 1000).toISOString()}`);
  check(
    `TCB ${tcbId} is the active, valid TCB of offer ${teeOfferId}`,
    activeTcb?.id === tcbId && activeTcb.status === TcbStatus.Active,
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

  const aliceResultKey = generateEciesKey();
  const created = await aliceClient.orders.createWorkflow({
    teeOfferId,
    teeSlotId,
    solution: await readResourceFile(solutionResourceFile),
    inputs: [{ offerId: dataOfferId, slotId: dataSlotId }],
    deposit: DEPOSIT,
    resultRecipients: [aliceResultKey.publicKey],
  });
  const orderId = created.orderId;
  const suborderId = created.suborderIds[0];
  step(
    "Alice",
    `places the workflow: TEE offer ${teeOfferId} slot ${teeSlotId} (its enclave ${created.teeKey}), her ` +
      `${shown(solutionResourceFile)} sealed for that enclave, Bob's offer ${dataOfferId} slot ${dataSlotId}, ` +
      `her result key, deposit ${tokens(DEPOSIT)} (generateEciesKey, orders.createWorkflow)`,
  );
  if (suborderId === undefined) throw new Error("createWorkflow returned no suborder");
  let workflow = await reader.orders.get({ orderId });
  note(`order ${orderId}, data suborder ${suborderId}`);
  checkStatus(`order ${orderId}`, workflow.order.status, OrderStatus.Blocked);
  check(
    `suborder ${suborderId} for Bob's offer is New`,
    workflow.suborders[0]?.offerId === dataOfferId && workflow.suborders[0]?.status === OrderStatus.New,
  );
  check(`the order committed to Alice's solution hash`, workflow.order.solutionHash === solutionHash);

  /* 5. Bob completes his suborder: first with a wrong hash, then with the right one */

  const { suborders: waiting } = await bobClient.suborders.list({ provider: bob.address, status: "New" });
  step("Bob", "looks for suborders waiting for him (suborders.list)");
  check(
    `suborder ${suborderId} is waiting`,
    waiting.some((s) => s.id === suborderId),
  );

  const staleHash = await sha256File(reviewedEarlier);
  const nonceBefore = await getTransactionCount(publicClient, { address: bob.address, blockTag: "pending" });
  step(
    "Bob",
    `tries to complete it with the hash of the version he reviewed last week (${shown(reviewedEarlier)}: ${staleHash}) (suborders.complete)`,
  );
  const refusal = await bobClient.suborders
    .complete({
      suborderId,
      status: "Done",
      solutionHash: staleHash,
      resourceFile: await readResourceFile(datasetResourceFile),
    })
    .then(
      () => undefined,
      (error: unknown) => error,
    );
  if (refusal instanceof ContractError) note(`refused: ${refusal.message.split("\n")[0]}`);
  check(
    "refused with SolutionHashMismatch(suborderId, expected, provided)",
    refusal instanceof SolutionHashMismatchError &&
      refusal.errorName === "SolutionHashMismatch" &&
      refusal.args[0] === suborderId &&
      refusal.args[1] === solutionHash &&
      refusal.args[2] === staleHash,
    refusal instanceof ContractError ? `${refusal.errorName}(${refusal.args.join(", ")})` : String(refusal),
  );
  const nonceAfter = await getTransactionCount(publicClient, { address: bob.address, blockTag: "pending" });
  check("no transaction was sent", nonceAfter === nonceBefore, `Bob's nonce ${nonceBefore} → ${nonceAfter}`);
  workflow = await reader.orders.get({ orderId });
  check(
    "nothing changed: suborder New, order Blocked",
    workflow.suborders[0]?.status === OrderStatus.New && workflow.order.status === OrderStatus.Blocked,
  );

  const reviewedHash = await sha256File(solutionFile);
  const completed = await bobClient.suborders.complete({
    suborderId,
    status: "Done",
    solutionHash: reviewedHash,
    resourceFile: await readResourceFile(datasetResourceFile),
  });
  step(
    "Bob",
    `reviews the current solution (sha256File(${shown(solutionFile)}) = ${reviewedHash}) and completes with Done, ` +
      `his ${shown(datasetResourceFile)} sealed for the order's enclave, bound to this suborder (suborders.complete)`,
  );
  note(
    `sealed for enclave ${completed.teeKey} (TCB ${completed.tcbId}): ${completed.encryptedResult.length / 2 - 1} bytes of ECIES ciphertext`,
  );
  workflow = await reader.orders.get({ orderId });
  check(`suborder ${suborderId} is Done`, workflow.suborders[0]?.status === OrderStatus.Done);
  checkStatus(`order ${orderId}`, workflow.order.status, OrderStatus.New, " (no blocking suborder left)");
  check("Bob pinned his dataset hash", workflow.suborders[0]?.dataHash === datasetHash);

  /* 6. The TEE runs the order */

  const input = await teeClient.suborders.getResult({ suborderId });
  const { resource: handedOver } = teeClient.tee.openHandOver({
    privateKey: tee.eciesKey,
    ciphertext: input.encryptedResult,
    suborderId,
    parentId: orderId,
    solutionHash: workflow.order.solutionHash,
    teeKey: workflow.order.teeKey,
  });
  const params = await teeClient.orders.getParams({ orderId });
  const { solution: solutionHandedOver } = teeClient.tee.openArgs({
    privateKey: tee.eciesKey,
    ciphertext: params.encryptedArgs,
    consumer: params.consumer,
    solutionHash: params.solutionHash,
    teeKey: params.teeKey,
  });
  step(
    "Carol's TEE",
    "opens Bob's hand-over and Alice's arguments with its ECIES key, each checked to name this order, suborder, " +
      "solution and enclave (suborders.getResult, orders.getParams, tee.openHandOver, tee.openArgs)",
  );
  check(
    `the hand-over is Bob's ${shown(datasetResourceFile)}`,
    canonicalJson(handedOver) === canonicalJson(JSON.parse(await readFile(datasetResourceFile, "utf8"))),
  );
  check(
    `the arguments carry Alice's ${shown(solutionResourceFile)}`,
    canonicalJson(solutionHandedOver) ===
      canonicalJson(JSON.parse(await readFile(solutionResourceFile, "utf8"))),
  );

  await teeClient.orders.start({ orderId });
  step("Carol's TEE", `starts order ${orderId} (orders.start)`);
  workflow = await reader.orders.get({ orderId });
  checkStatus(`order ${orderId}`, workflow.order.status, OrderStatus.Processing);

  const ranSolution = await sha256File(solutionFile);
  const ranDataset = await sha256Directory(datasetDir);
  const solutionSize = BigInt((await stat(solutionFile)).size);
  let datasetSize = 0n;
  for (const name of ["temperatures-2024.csv", "rainfall-2024.csv"]) {
    datasetSize += BigInt((await stat(path.join(datasetDir, name))).size);
  }
  const published = await teeClient.reports.publish({
    orderId,
    signer: tee.privateKey,
    runtimeInfo: [
      { runtimeType: RuntimeType.Image, size: solutionSize, hash: ranSolution },
      { runtimeType: RuntimeType.Data, size: datasetSize, hash: ranDataset },
    ],
  });
  step(
    "Carol's TEE",
    "runs the solution on the dataset, hashes what ran and publishes the order report signed with its TCB key (reports.publish)",
  );
  note(`Image ${ranSolution} (${solutionSize} bytes)\nData  ${ranDataset} (${datasetSize} bytes)`);
  check(
    "the report is stored on the order",
    (await reader.orders.get({ orderId })).order.reportHash === published.reportHash,
  );

  const resultResource = {
    hash: {
      algo: "sha256",
      hash: "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
      encoding: "hex",
    },
    resource: {
      type: "STORAGE_PROVIDER",
      storageType: "FS",
      filepath: "results/order-result.tar.gz",
      credentials: {},
    },
  };
  const resultHash: Hex = `0x${resultResource.hash.hash}`;
  const pointers = params.resultRecipients.map((publicKey) =>
    teeClient.tee.sealResultPointer({ publicKey, orderId, resultHash, resource: resultResource }),
  );
  const { payments } = await teeClient.orders.complete({
    orderId,
    status: "Done",
    resultHash,
    pointers,
    signer: tee.privateKey,
  });
  step(
    "Carol's TEE",
    `completes order ${orderId} with Done and its receipt: the result hash and a pointer sealed for each recipient, ` +
      `signed with the enclave key (tee.sealResultPointer, orders.complete)`,
  );
  workflow = await reader.orders.get({ orderId });
  checkStatus(`order ${orderId}`, workflow.order.status, OrderStatus.Done);
  note(`payouts: ${payments.map((p) => `${who(p.account)} ${tokens(p.amount)}`).join(", ")}`);
  const paid = (address: Address) =>
    payments.filter((p) => p.account === address).reduce((sum, p) => sum + p.amount, 0n);
  const teeMinCost = (TEE_PRICE_PER_HOUR * BigInt(TEE_MIN_MINUTES)) / 60n;
  check(`Bob is paid his slot's price`, paid(bob.address) === DATA_PRICE, tokens(paid(bob.address)));
  check(
    `Carol is paid her slot's time, at least its ${TEE_MIN_MINUTES}-minute minimum`,
    paid(carol.address) >= teeMinCost,
    tokens(paid(carol.address)),
  );
  check(
    "Alice gets the rest back; the payouts add up to the deposit",
    paid(alice.address) === DEPOSIT - paid(bob.address) - paid(carol.address),
    tokens(paid(alice.address)),
  );

  const withdrawn: string[] = [];
  let allWithdrawn = true;
  for (const [name, client, address] of [
    ["Bob", bobClient, bob.address],
    ["Carol", carolClient, carol.address],
    ["Alice", aliceClient, alice.address],
  ] as const) {
    const { amount } = await client.payments.withdraw();
    const after = await client.payments.balance();
    withdrawn.push(`${name} ${tokens(amount)}`);
    allWithdrawn &&= amount === paid(address) && after.withdrawable === 0n;
  }
  step("Bob, Carol, Alice", "withdraw their balances (payments.withdraw)");
  note(withdrawn.join(", "));
  check("each withdrew exactly what was credited, nothing is left to withdraw", allWithdrawn);

  /* 7. Alice and Bob verify the report */

  const report = await aliceClient.reports.get({ orderId });
  const reportJson = aliceClient.reports.toJson(report);
  const reportFile = await writeJson(inWork("alice", "report.json"), reportJson);
  step(
    "Alice",
    `reads the report and writes it in Super Protocol's JSON shape to ${shown(reportFile)} (reports.get, reports.toJson)`,
  );
  note(JSON.stringify(reportJson, null, 2));

  const result = await aliceClient.orders.getResult({ orderId });
  const { resource: aliceResult } = aliceClient.results.open({
    result,
    privateKey: aliceResultKey.privateKey,
  });
  const resultChecks = await aliceClient.results.verify({ result, privateKey: aliceResultKey.privateKey });
  step(
    "Alice",
    "reads the enclave's receipt and opens her result pointer with her result key (orders.getResult, results.open, results.verify)",
  );
  for (const c of resultChecks.checks) check(c.name, c.ok, c.detail);
  check(
    "her pointer names the result the enclave uploaded",
    canonicalJson(aliceResult) === canonicalJson(resultResource),
  );

  const verification = await aliceClient.reports.verify(orderId, {
    solutionHash: await readResourceFile(solutionResourceFile),
    dataHashes: [await readResourceFile(datasetResourceFile)],
  });
  step(
    "Alice",
    `verifies it: signature against the order's enclave, its TCB against the registry, the hashes (reports.verify)`,
  );
  for (const c of verification.checks) check(c.name, c.ok, c.detail);

  const entries = reportJson.workloadInfo.runtimeInfo;
  const imageHash = entries.find((e) => e.type === "Image")?.hash.hash;
  const dataHash = entries.find((e) => e.type === "Data")?.hash.hash;
  step("Alice, Bob", "compare the report's hashes with their resource files and the files themselves");
  check(
    `Image = ${shown(solutionResourceFile)} hash = sha256File(${shown(solutionFile)})`,
    `0x${imageHash}` === (await readResourceFile(solutionResourceFile)).hash &&
      `0x${imageHash}` === (await sha256File(solutionFile)),
  );
  check(
    `Data = ${shown(datasetResourceFile)} hash = sha256Directory(${shown(datasetDir)})`,
    `0x${dataHash}` === (await readResourceFile(datasetResourceFile)).hash &&
      `0x${dataHash}` === (await sha256Directory(datasetDir)),
  );
} catch (error) {
  const message = error instanceof Error ? error.message : String(error);
  failures.push(`the demo stopped${stepNumber > 0 ? ` after step ${stepNumber}` : ""}: ${message}`);
  if (!(error instanceof DeployConfigError) && error instanceof Error && error.stack !== undefined) {
    console.error(`\n${error.stack}`);
  }
} finally {
  await stopAttestation();
  await rm(work, { recursive: true, force: true });
}

if (failures.length === 0) {
  console.log(`\nEvery check held (${stepNumber} steps).`);
} else {
  console.error(`\nThe demo FAILED:\n- ${failures.join("\n- ")}`);
  process.exitCode = 1;
}
