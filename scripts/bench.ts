/**
 * Gas benchmark: deploys the marketplace with its Ignition module on the in-process network,
 * runs every operation of the workflow and writes the gas used to benchmarks/gas.json.
 * Exits non-zero when an operation is over its budget.
 *
 * Usage: npm run bench
 */
import { readFile, writeFile, mkdir } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";

import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import { AbiCoder, ZeroHash, concat, hexlify, keccak256, toUtf8Bytes } from "ethers";
import { network } from "hardhat";

import { TestMarketplaceModule } from "../ignition/modules/Marketplace.js";
import { attestationTypes, orderReportTypes } from "../sdk/src/index.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const fixtures = path.join(root, "test/fixtures/superprotocol");
const outputFile = path.join(root, "benchmarks/gas.json");

/** Budgets from the issues; a workflow's extra suborders are checked per suborder. */
const BUDGETS: Record<string, number> = {
  registerProvider: 120_000,
  createOffer: 200_000,
  addSlot: 120_000,
  "createWorkflow.1": 260_000,
  createWorkflowAfter1000Orders: 260_000,
  completeSuborder: 90_000,
  startOrder: 45_000,
  completeOrder: 120_000,
  withdraw: 60_000,
  publishTcb: 300_000,
  publishOrderReport: 95_000,
  workflowTotal: 600_000,
};
const EXTRA_SUBORDER_BUDGET = 75_000;
const SUBORDER_COUNTS = [1, 2, 4, 8, 16];
const EARLIER_WORKFLOWS = 1000;

const { ethers, ignition, networkHelpers } = await network.create();
const [, alice, bob, carol, carolAction, teeKey, attestor] = await ethers.getSigners();
const deployed = await ignition.deploy(TestMarketplaceModule, {
  parameters: { TestMarketplace: { attestationSigner: attestor.address } },
  displayUi: false,
});
const paymentToken = await ethers.getContractAt("TestPaymentToken", await deployed.paymentToken.getAddress());
const offerRegistry = await ethers.getContractAt("OfferRegistry", await deployed.offerRegistry.getAddress());
const verifier = await ethers.getContractAt(
  "Eip712AttestationVerifier",
  await deployed.verifier.getAddress(),
);
const tcbRegistry = await ethers.getContractAt("TcbRegistry", await deployed.tcbRegistry.getAddress());
const orders = await ethers.getContractAt("Orders", await deployed.orders.getAddress());

const gas: Record<string, number> = {};
async function measure(name: string, send: () => Promise<{ wait(): Promise<{ gasUsed: bigint } | null> }>) {
  const receipt = await (await send()).wait();
  gas[name] = Number(receipt!.gasUsed);
  return gas[name];
}
async function readFixture(name: string) {
  return readFile(path.join(fixtures, name), "utf8");
}
const utf8 = (text: string) => hexlify(toUtf8Bytes(text));

/** The SDK's EIP-712 types (readonly) in the mutable shape ethers' signTypedData takes. */
function mutableTypes(types: Record<string, readonly { name: string; type: string }[]>) {
  return Object.fromEntries(Object.entries(types).map(([name, fields]) => [name, [...fields]]));
}

/**
 * `length` bytes that look random (like ciphertext or a quote) but are the same on every run, so
 * calldata costs, and the committed numbers, do not change from run to run.
 */
function pseudoRandomBytes(length: number, label: string): string {
  const blocks: string[] = [];
  for (let i = 0; blocks.length * 32 < length; i++) blocks.push(keccak256(toUtf8Bytes(`${label}/${i}`)));
  return hexlify(concat(blocks)).slice(0, 2 + 2 * length);
}

// Inputs shaped like real ones: Super Protocol's info files, an ECIES ciphertext of a resource
// file (65-byte ephemeral key + 16-byte nonce + 16-byte tag + the JSON), a 5,000-byte quote.
const providerInfo = utf8(await readFixture("ctl.providerInfo.example.json"));
const offerInfo = utf8(await readFixture("offer-info.json"));
const slotInfo = JSON.parse(await readFixture("slot-info.json"));
const resourceCiphertext = pseudoRandomBytes(
  97 + (await readFixture("dataset.resource.json")).length,
  "resource",
);
const encryptedArgs = pseudoRandomBytes(256, "args");
const resultPointer = pseudoRandomBytes(256, "result");
const solutionHash = "0x" + JSON.parse(await readFixture("solution.resource.json")).hash.hash;
const datasetHash = "0x" + JSON.parse(await readFixture("dataset.resource.json")).hash.hash;
const measurement = keccak256(toUtf8Bytes("benchmark enclave"));
const slot = {
  info: slotInfo.info,
  usage: { ...slotInfo.usage, maxTimeMinutes: 0, minTimeMinutes: 0, price: 10n ** 18n, priceType: 1 },
  option: slotInfo.option,
};

function offerParams(offerType: number, contentHash: string) {
  return {
    offerType,
    subType: 0,
    cancelable: true,
    contentHash,
    allowedOfferIds: [],
    allowedOfferTypes: [],
    allowedAccounts: [],
    resultResource: "0x",
    info: offerInfo,
  };
}

async function createOffer(provider: HardhatEthersSigner, offerType: number, contentHash: string) {
  const offerId = (await offerRegistry.offerCount()) + 1n;
  await (await offerRegistry.connect(provider).createOffer(offerParams(offerType, contentHash))).wait();
  const slotId = await addSlot(provider, offerId);
  return { offerId, slotId };
}

let slotCount = 0n;
async function addSlot(provider: HardhatEthersSigner, offerId: bigint) {
  await (await offerRegistry.connect(provider).addSlot(offerId, slot.info, slot.usage, slot.option)).wait();
  return ++slotCount;
}

console.log("Providers, offers and slots...");
await measure("registerProvider", () =>
  offerRegistry.connect(bob).registerProvider(providerInfo, bob.address, bob.address),
);
await (
  await offerRegistry.connect(carol).registerProvider(providerInfo, carolAction.address, carol.address)
).wait();
const teeOfferId = (await offerRegistry.offerCount()) + 1n;
await measure("createOffer", () => offerRegistry.connect(carol).createOffer(offerParams(0, ZeroHash)));
const teeSlotId = slotCount + 1n;
await measure("addSlot", () =>
  offerRegistry.connect(carol).addSlot(teeOfferId, slot.info, slot.usage, slot.option),
);
slotCount++;
const dataOffers: { offerId: bigint; slotId: bigint }[] = [];
for (let i = 0; i < Math.max(...SUBORDER_COUNTS); i++)
  dataOffers.push(await createOffer(bob, 3, datasetHash));

console.log("TCB...");
await (await tcbRegistry.setMeasurement(measurement, true)).wait();
const { chainId } = await ethers.provider.getNetwork();

/** Publishes a TCB with a fresh public key and a 5,000-byte quote, attested by the service signer. */
async function publishTcb() {
  const publicKey = pseudoRandomBytes(65, "public key");
  const quote = pseudoRandomBytes(5000, "quote");
  const reportData = await tcbRegistry.reportDataFor(teeKey.address, publicKey);
  // Fixed (2100-01-01) rather than from the clock, so the calldata, and the gas, are the same every run.
  const expiry = 4_102_444_800n;
  const attestation = await attestor.signTypedData(
    {
      name: "TeeMarketplaceAttestation",
      version: "1",
      chainId,
      verifyingContract: await verifier.getAddress(),
    },
    mutableTypes(attestationTypes),
    { quoteHash: keccak256(quote), reportData, measurement, expiry },
  );
  return tcbRegistry.connect(carolAction).publishTcb({
    teeOfferId,
    deviceId: keccak256(toUtf8Bytes("device")),
    teeKey: teeKey.address,
    publicKey,
    quote,
    benchmark: 1000,
    properties: "0x",
    proof: AbiCoder.defaultAbiCoder().encode(
      ["bytes32", "uint64", "bytes"],
      [measurement, expiry, attestation],
    ),
  });
}
// A TEE re-attests regularly (TCBs expire), so the measured TCB supersedes an earlier one.
await measure("publishFirstTcb", publishTcb);
await measure("publishTcb", publishTcb);
const tcbId = await tcbRegistry.activeTcbOf(teeOfferId);

await (await paymentToken.mint(alice.address, 10n ** 30n)).wait();
await (await paymentToken.connect(alice).approve(await orders.getAddress(), 2n ** 256n - 1n)).wait();

async function createWorkflow(inputCount: number, name?: string) {
  const orderId = (await orders.orderCount()) + 1n;
  const inputs = dataOffers.slice(0, inputCount);
  const send = () =>
    orders
      .connect(alice)
      .createWorkflow(teeOfferId, teeSlotId, solutionHash, inputs, 10n ** 20n, encryptedArgs);
  if (name) await measure(name, send);
  else await (await send()).wait();
  return orderId;
}

/** One whole workflow with one data suborder; measured when `measured` is true. */
async function runWorkflow(measured: boolean) {
  const tag = (name: string) => (measured ? name : undefined);
  const orderId = await createWorkflow(1, tag("createWorkflow.1"));
  const step = async (name: string, send: () => Promise<{ wait(): Promise<{ gasUsed: bigint } | null> }>) =>
    measured ? measure(name, send) : (await send()).wait();
  await step("completeSuborder", () =>
    orders.connect(bob).completeSuborder(orderId + 1n, 4, solutionHash, datasetHash, resourceCiphertext),
  );
  await step("startOrder", () => orders.connect(teeKey).startOrder(orderId));
  const report = {
    orderId,
    tcbId,
    created: 1_700_000_000n,
    runtimeInfo: [
      { runtimeType: 0, size: 4096n, hash: solutionHash },
      { runtimeType: 2, size: 46n, hash: datasetHash },
    ],
  };
  const signature = await teeKey.signTypedData(
    { name: "TeeMarketplaceOrders", version: "1", chainId, verifyingContract: await orders.getAddress() },
    mutableTypes(orderReportTypes),
    report,
  );
  await step("publishOrderReport", () =>
    orders.connect(teeKey).publishOrderReport(orderId, report, signature),
  );
  await networkHelpers.time.increase(600);
  await step("completeOrder", () =>
    orders.connect(teeKey).completeOrder(orderId, 4, keccak256(resultPointer), resultPointer),
  );
}

console.log("Workflow (a first run so payees already hold balances, then the measured run)...");
await runWorkflow(false);
await runWorkflow(true);
gas.workflowTotal = [
  "createWorkflow.1",
  "completeSuborder",
  "startOrder",
  "publishOrderReport",
  "completeOrder",
]
  .map((name) => gas[name])
  .reduce((a, b) => a + b, 0);
await measure("withdraw", () => orders.connect(bob).withdraw());

console.log("Workflows with 1 to 16 suborders...");
const createWorkflowBySuborders: Record<string, number> = {};
for (const count of SUBORDER_COUNTS) {
  await createWorkflow(count, `createWorkflow.${count}`);
  createWorkflowBySuborders[String(count)] = gas[`createWorkflow.${count}`];
}

console.log(`${EARLIER_WORKFLOWS} earlier workflows...`);
for (let i = 0; i < EARLIER_WORKFLOWS; i++) {
  await createWorkflow(1);
  if ((i + 1) % 250 === 0) console.log(`  ${i + 1}/${EARLIER_WORKFLOWS}`);
}
await createWorkflow(1, "createWorkflowAfter1000Orders");

const failures: string[] = [];
for (const [name, budget] of Object.entries(BUDGETS)) {
  if (gas[name] > budget) failures.push(`${name}: ${gas[name]} gas, budget ${budget}`);
}
for (let i = 1; i < SUBORDER_COUNTS.length; i++) {
  const [fewer, more] = [SUBORDER_COUNTS[i - 1], SUBORDER_COUNTS[i]];
  const perSuborder = (gas[`createWorkflow.${more}`] - gas[`createWorkflow.${fewer}`]) / (more - fewer);
  if (perSuborder > EXTRA_SUBORDER_BUDGET)
    failures.push(`createWorkflow: ${perSuborder} gas per extra suborder`);
}
if (gas.createWorkflowAfter1000Orders > gas["createWorkflow.1"]) {
  failures.push(
    `createWorkflow grew with history: ${gas["createWorkflow.1"]} → ${gas.createWorkflowAfter1000Orders}`,
  );
}

const result = {
  description:
    "Gas used per operation on the in-process network (solc 0.8.28, optimizer 200 runs, evm cancun). " +
    "Workflow steps are measured on a second workflow, when the payees already hold balances. " +
    `completeSuborder carries a ${(resourceCiphertext.length - 2) / 2}-byte encrypted resource; ` +
    "publishTcb a 5,000-byte quote, superseding the TEE offer's previous TCB (publishFirstTcb: its first).",
  budgets: { ...BUDGETS, extraSuborder: EXTRA_SUBORDER_BUDGET },
  gas: {
    registerProvider: gas.registerProvider,
    createOffer: gas.createOffer,
    addSlot: gas.addSlot,
    createWorkflow: createWorkflowBySuborders,
    createWorkflowAfter1000Orders: gas.createWorkflowAfter1000Orders,
    completeSuborder: gas.completeSuborder,
    startOrder: gas.startOrder,
    completeOrder: gas.completeOrder,
    withdraw: gas.withdraw,
    publishTcb: gas.publishTcb,
    publishFirstTcb: gas.publishFirstTcb,
    publishOrderReport: gas.publishOrderReport,
    workflowTotal: gas.workflowTotal,
  },
};
await mkdir(path.dirname(outputFile), { recursive: true });
await writeFile(outputFile, JSON.stringify(result, null, 2) + "\n");
console.log(JSON.stringify(result.gas, null, 2));
console.log(`Written to ${path.relative(root, outputFile)}`);
if (failures.length > 0) {
  console.error(`Over budget:\n- ${failures.join("\n- ")}`);
  process.exitCode = 1;
}
