/**
 * Shared fixtures for the contract tests: the whole marketplace deployed on the in-process
 * network, with the cast of docs/design.md §1 (Alice the consumer, Bob the data owner, Carol the TEE
 * provider, her TEE's key, an attestation-service signer) and helpers for the steps they take.
 */
import type { HardhatEthers, HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import type { NetworkHelpers } from "@nomicfoundation/hardhat-network-helpers/types";
import { ZeroHash, getBytes, hexlify, keccak256, toUtf8Bytes } from "ethers";

import type { IOrders } from "../../types/ethers-contracts/orders/Orders.js";
import { attestationDomain, signAttestationProof } from "./attestation.js";
import { DATASET_HASH, OfferType, PriceType, SOLUTION_HASH, TCB_LIFETIME } from "./offerRegistry.js";

export { DATASET_HASH, OfferType, PriceType, SOLUTION_HASH, TCB_LIFETIME };
export { OTHER_HASH as WRONG_HASH } from "./offerRegistry.js";

export const OrderStatus = {
  New: 0n,
  Processing: 1n,
  Canceling: 2n,
  Canceled: 3n,
  Done: 4n,
  Error: 5n,
  Blocked: 6n,
  Suspended: 7n,
} as const;
export const RuntimeType = { Image: 0, Solution: 1, Data: 2 } as const;

export const MEASUREMENT = keccak256(toUtf8Bytes("tee-marketplace test enclave"));
export const TOKEN = 10n ** 18n;
export const PROCESSING_TIMEOUT = 24 * 3600;
export const BLOCKED_TIMEOUT = 7 * 24 * 3600;
/** TEE slot: 60 tokens per hour (1 per minute), at least 10 and at most 120 minutes. */
export const TEE_PRICE_PER_HOUR = 60n * TOKEN;
export const TEE_MIN_MINUTES = 10;
export const TEE_MAX_MINUTES = 120;
/** Data slot: 5 tokens, fixed. */
export const DATA_PRICE = 5n * TOKEN;
export const MIN_COST = (TEE_PRICE_PER_HOUR * BigInt(TEE_MIN_MINUTES)) / 60n + DATA_PRICE;
export const DEPOSIT = 200n * TOKEN;
export const ENCRYPTED_ARGS = hexlify(toUtf8Bytes('{"ciphertext":"encrypted workflow arguments"}'));
export const ENCRYPTED_RESULT = hexlify(toUtf8Bytes('{"ciphertext":"dataset resource for the TEE"}'));
/** A stand-in ECIES public key (65-byte uncompressed form); the contracts only hash it. */
export const TEE_PUBLIC_KEY = "0x04" + "11".repeat(64);
/** Alice's result key: a 33-byte compressed secp256k1 public key (the contracts check its length). */
export const RESULT_KEY = "0x02" + "22".repeat(32);
/** An encrypted result pointer for Alice. */
export const RESULT_POINTER = hexlify(toUtf8Bytes('{"ciphertext":"result pointer for Alice"}'));
export const RESULT_HASH = keccak256(toUtf8Bytes("the result"));

const slotInfo = { cpuCores: 4, gpuCores: 0, diskUsage: 10n << 30n, ram: 8n << 30n, vram: 0 };
const optionInfo = { bandwidth: 1000n, traffic: 0, externalPort: 0 };

export interface ReportEntry {
  runtimeType: number;
  size: bigint;
  hash: string;
}

export interface Report {
  orderId: bigint;
  tcbId: bigint;
  created: bigint;
  runtimeInfo: ReportEntry[];
}

export interface Receipt {
  orderId: bigint;
  resultHash: string;
  pointers: string[];
}

export const receiptTypes = {
  ResultReceipt: [
    { name: "orderId", type: "uint256" },
    { name: "resultHash", type: "bytes32" },
    { name: "pointers", type: "bytes[]" },
  ],
};

export const reportTypes = {
  OrderReport: [
    { name: "orderId", type: "uint256" },
    { name: "tcbId", type: "uint256" },
    { name: "created", type: "uint64" },
    { name: "runtimeInfo", type: "RuntimeInfo[]" },
  ],
  RuntimeInfo: [
    { name: "runtimeType", type: "uint8" },
    { name: "size", type: "uint64" },
    { name: "hash", type: "bytes32" },
  ],
};

/** What `deployOnToken` needs of a test token: an open mint and an approve. */
interface TestToken {
  mint(to: string, amount: bigint): Promise<unknown>;
  connect(signer: HardhatEthersSigner): { approve(spender: string, amount: bigint): Promise<unknown> };
}

/**
 * Fixture functions bound to one network connection. `loadFixture` needs the same function
 * object on every call, so create these once per test file.
 */
export function marketplaceFixtures(ethers: HardhatEthers, networkHelpers: NetworkHelpers) {
  /**
   * Deploys an Orders contract on `token`, which creates its offer registry; the registry holds the
   * TCBs too, returned typed as `tcbRegistry` (the same address).
   */
  async function deployOrders(
    token: { getAddress(): Promise<string> },
    tcbAdmin: string,
    verifier: { getAddress(): Promise<string> },
  ) {
    const orders = await ethers.deployContract("Orders", [
      await token.getAddress(),
      tcbAdmin,
      await verifier.getAddress(),
      TCB_LIFETIME,
      PROCESSING_TIMEOUT,
      BLOCKED_TIMEOUT,
    ]);
    const registry = await ethers.getContractAt("OfferRegistry", await orders.offerRegistry());
    const tcbRegistry = await ethers.getContractAt("TcbRegistry", await orders.tcbRegistry());
    return { registry, tcbRegistry, orders };
  }

  /** Contracts deployed and wired; no provider, offer or TCB yet. */
  async function deployMarketplace() {
    const [
      admin,
      alice,
      bob,
      bobAction,
      bobReceiver,
      carol,
      carolAction,
      carolReceiver,
      teeKey,
      attestor,
      stranger,
    ] = await ethers.getSigners();
    const token = await ethers.deployContract("TestPaymentToken");
    const verifier = await ethers.deployContract("Eip712AttestationVerifier", [admin.address]);
    const { registry, tcbRegistry, orders } = await deployOrders(token, admin.address, verifier);
    await verifier.setSigner(attestor.address, true);
    await tcbRegistry.setMeasurement(MEASUREMENT, true);
    await token.mint(alice.address, 1000n * TOKEN);
    await token.connect(alice).approve(await orders.getAddress(), 2n ** 256n - 1n);
    return {
      token,
      registry,
      verifier,
      tcbRegistry,
      orders,
      admin,
      alice,
      bob,
      bobAction,
      bobReceiver,
      carol,
      carolAction,
      carolReceiver,
      teeKey,
      attestor,
      stranger,
    };
  }

  type Deployed = Awaited<ReturnType<typeof deployMarketplace>>;

  /**
   * Signs an attestation for `teeKey` and `publicKey` and publishes it as Carol's action account.
   * Each attestation expires one second after the previous one (an hour from now at least): a key's
   * attestations must come in increasing order of expiry.
   */
  async function publishTcb(
    m: Deployed,
    teeOfferId: bigint,
    options: {
      teeKey?: string;
      publicKey?: string;
      quote?: string;
      from?: HardhatEthersSigner;
      expiry?: bigint;
    } = {},
  ) {
    const teeKey = options.teeKey ?? m.teeKey.address;
    const publicKey = options.publicKey ?? TEE_PUBLIC_KEY;
    const quote = options.quote ?? hexlify(toUtf8Bytes("stand-in TDX quote"));
    const reportData = await m.tcbRegistry.reportDataFor(teeOfferId, teeKey, publicKey);
    const expiry = options.expiry ?? nextExpiry(BigInt(await networkHelpers.time.latest()));
    const { chainId } = await ethers.provider.getNetwork();
    const proof = await signAttestationProof(
      m.attestor,
      attestationDomain(chainId, await m.verifier.getAddress()),
      { quote, reportData, measurement: MEASUREMENT, expiry },
    );
    const from = options.from ?? m.carolAction;
    const tx = await m.tcbRegistry.connect(from).publishTcb({
      teeOfferId,
      deviceId: keccak256(toUtf8Bytes("device-1")),
      teeKey,
      publicKey,
      quote,
      benchmark: 1000,
      properties: "0x",
      proof,
    });
    await tx.wait();
    return m.tcbRegistry.activeTcbOf(teeOfferId);
  }

  /**
   * A second marketplace (registries and Orders) on another payment token, sharing the first's
   * verifier and signers: Carol's TEE offer 1 with a Fixed slot 1 (1 token) and an active TCB of
   * the TEE key; Alice holds and approved `funds` of the token. `params` are the workflow
   * parameters for it (no inputs).
   */
  async function deployOnToken(
    m: Deployed,
    token: { getAddress(): Promise<string> } & TestToken,
    funds: bigint,
  ) {
    const { registry, tcbRegistry, orders } = await deployOrders(token, m.admin.address, m.verifier);
    await tcbRegistry.setMeasurement(MEASUREMENT, true);
    await registry
      .connect(m.carol)
      .registerProvider(infoBytes("Carol"), m.carolAction.address, m.carolReceiver.address);
    const teeOfferId = await createOffer({ ...m, registry }, m.carol, {
      offerType: OfferType.TeeOffer,
      cancelable: true,
    });
    const teeSlotId = await addSlot({ ...m, registry }, m.carol, teeOfferId, {
      price: TOKEN,
      priceType: PriceType.Fixed,
      minTimeMinutes: 0,
      maxTimeMinutes: 0,
    });
    await publishTcb({ ...m, registry, tcbRegistry }, teeOfferId);
    await token.mint(m.alice.address, funds);
    await token.connect(m.alice).approve(await orders.getAddress(), funds);
    const params: IOrders.WorkflowParamsStruct = {
      teeOfferId,
      teeSlotId,
      teeTermsHash: await registry.slotTermsHash(teeSlotId),
      teeKey: m.teeKey.address,
      solutionHash: SOLUTION_HASH,
      inputs: [],
      deposit: DEPOSIT,
      resultRecipients: [RESULT_KEY],
      encryptedArgs: "0x",
    };
    return { registry, tcbRegistry, orders, teeOfferId, teeSlotId, params };
  }

  /**
   * The story's starting point (docs/design.md §1 steps 1–2): Bob's Data offer with a Fixed slot,
   * Carol's cancelable TEE offer with a PerHour slot, and an active TCB for it.
   */
  async function deployStory() {
    const m = await deployMarketplace();
    await m.registry
      .connect(m.bob)
      .registerProvider(infoBytes("Bob"), m.bobAction.address, m.bobReceiver.address);
    await m.registry
      .connect(m.carol)
      .registerProvider(infoBytes("Carol"), m.carolAction.address, m.carolReceiver.address);
    const teeOfferId = await createOffer(m, m.carol, { offerType: OfferType.TeeOffer, cancelable: true });
    const teeSlotId = await addSlot(m, m.carol, teeOfferId, {
      price: TEE_PRICE_PER_HOUR,
      priceType: PriceType.PerHour,
      minTimeMinutes: TEE_MIN_MINUTES,
      maxTimeMinutes: TEE_MAX_MINUTES,
    });
    const dataOfferId = await createOffer(m, m.bob, { offerType: OfferType.Data, contentHash: DATASET_HASH });
    const dataSlotId = await addSlot(m, m.bob, dataOfferId, {
      price: DATA_PRICE,
      priceType: PriceType.Fixed,
      minTimeMinutes: 0,
      maxTimeMinutes: 0,
    });
    const tcbId = await publishTcb(m, teeOfferId);
    return { ...m, teeOfferId, teeSlotId, dataOfferId, dataSlotId, tcbId };
  }

  type Story = Awaited<ReturnType<typeof deployStory>>;

  /**
   * The workflow parameters Alice sends for the story (step 3): the slots with the terms hashes
   * read now, the offer's active enclave key, her result key; `overrides` win.
   */
  async function workflowParams(
    m: Story,
    options: {
      inputs?: { offerId: bigint; slotId: bigint }[];
      overrides?: Partial<IOrders.WorkflowParamsStruct>;
    } = {},
  ): Promise<IOrders.WorkflowParamsStruct> {
    const inputs = options.inputs ?? [{ offerId: m.dataOfferId, slotId: m.dataSlotId }];
    const teeOfferId = options.overrides?.teeOfferId ?? m.teeOfferId;
    return {
      teeOfferId: m.teeOfferId,
      teeSlotId: m.teeSlotId,
      teeTermsHash: await m.registry.slotTermsHash(m.teeSlotId),
      teeKey: await m.tcbRegistry.activeTeeKeyOf(teeOfferId),
      solutionHash: SOLUTION_HASH,
      inputs: await Promise.all(
        inputs.map(async (input) => ({ ...input, termsHash: await m.registry.slotTermsHash(input.slotId) })),
      ),
      deposit: DEPOSIT,
      resultRecipients: [RESULT_KEY],
      encryptedArgs: ENCRYPTED_ARGS,
      ...options.overrides,
    };
  }

  /** Alice places the story's workflow (step 3); returns the parent and the data suborder ids. */
  async function createWorkflow(
    m: Story,
    options: {
      inputs?: { offerId: bigint; slotId: bigint }[];
      deposit?: bigint;
      solutionHash?: string;
      from?: HardhatEthersSigner;
      overrides?: Partial<IOrders.WorkflowParamsStruct>;
    } = {},
  ) {
    const orderId = (await m.orders.orderCount()) + 1n;
    const params = await workflowParams(m, {
      ...(options.inputs === undefined ? {} : { inputs: options.inputs }),
      overrides: {
        ...(options.deposit === undefined ? {} : { deposit: options.deposit }),
        ...(options.solutionHash === undefined ? {} : { solutionHash: options.solutionHash }),
        ...options.overrides,
      },
    });
    await (await m.orders.connect(options.from ?? m.alice).createWorkflow(params)).wait();
    return { orderId, suborderId: orderId + 1n };
  }

  /** A Blocked workflow with one data suborder (after step 3). */
  async function deployBlockedWorkflow() {
    const m = await deployStory();
    return { ...m, ...(await createWorkflow(m)) };
  }

  /** Bob completed his suborder with the right hash and pinned the dataset hash: the parent is New (step 4). */
  async function deployNewWorkflow() {
    const m = await deployBlockedWorkflow();
    await m.orders
      .connect(m.bobAction)
      .completeSuborder(
        m.suborderId,
        OrderStatus.Done,
        SOLUTION_HASH,
        DATASET_HASH,
        m.teeKey.address,
        ENCRYPTED_RESULT,
      );
    return m;
  }

  /** The TEE started the order: Processing (step 5, before the report). */
  async function deployProcessingWorkflow() {
    const m = await deployNewWorkflow();
    await m.orders.connect(m.teeKey).startOrder(m.orderId);
    return m;
  }

  /** The TEE published a valid report (step 5). */
  async function deployReportedWorkflow() {
    const m = await deployProcessingWorkflow();
    const report = storyReport(m.orderId, m.tcbId);
    await m.orders.connect(m.teeKey).publishOrderReport(m.orderId, report, await signReport(m, report));
    return { ...m, report };
  }

  /** The enclave's receipt for an order (one pointer per recipient: Alice's), signed by `signer`. */
  async function signedReceipt(
    m: Deployed,
    orderId: bigint,
    options: { signer?: HardhatEthersSigner; pointers?: string[]; resultHash?: string } = {},
  ) {
    const receipt: Receipt = {
      orderId,
      resultHash: options.resultHash ?? RESULT_HASH,
      pointers: options.pointers ?? [RESULT_POINTER],
    };
    const { chainId } = await ethers.provider.getNetwork();
    const signature = await (options.signer ?? m.teeKey).signTypedData(
      { name: "TeeMarketplaceOrders", version: "1", chainId, verifyingContract: await m.orders.getAddress() },
      receiptTypes,
      receipt,
    );
    return { receipt, signature };
  }

  /** The enclave completes an order with `status` and its signed receipt. */
  async function completeOrder(
    m: Deployed,
    orderId: bigint,
    status: bigint,
    options: { from?: HardhatEthersSigner; signer?: HardhatEthersSigner; pointers?: string[] } = {},
  ) {
    const { receipt, signature } = await signedReceipt(m, orderId, options);
    return m.orders.connect(options.from ?? m.teeKey).completeOrder(orderId, status, receipt, signature);
  }

  /** Makes the next transaction happen exactly `minutes` after the order started. */
  async function runFor(m: Story, orderId: bigint, minutes: number) {
    const { startedAt } = await m.orders.getOrder(orderId);
    await networkHelpers.time.setNextBlockTimestamp(startedAt + BigInt(minutes * 60));
  }

  /** Signs a report with the TEE key (or `signer`) in the Orders contract's EIP-712 domain. */
  async function signReport(m: Deployed, report: Report, signer: HardhatEthersSigner = m.teeKey) {
    const { chainId } = await ethers.provider.getNetwork();
    return signer.signTypedData(
      { name: "TeeMarketplaceOrders", version: "1", chainId, verifyingContract: await m.orders.getAddress() },
      reportTypes,
      report,
    );
  }

  async function createOffer(
    m: Deployed,
    provider: HardhatEthersSigner,
    options: {
      offerType: number;
      contentHash?: string;
      cancelable?: boolean;
      allowedOfferIds?: bigint[];
      allowedOfferTypes?: number[];
      allowedAccounts?: string[];
      resultResource?: string;
    },
  ) {
    const offerId = (await m.registry.offerCount()) + 1n;
    await (
      await m.registry.connect(provider).createOffer({
        offerType: options.offerType,
        subType: 0,
        cancelable: options.cancelable ?? false,
        contentHash: options.contentHash ?? ZeroHash,
        allowedOfferIds: options.allowedOfferIds ?? [],
        allowedOfferTypes: options.allowedOfferTypes ?? [],
        allowedAccounts: options.allowedAccounts ?? [],
        resultResource: options.resultResource ?? "0x",
        info: infoBytes(`offer of type ${options.offerType}`),
      })
    ).wait();
    return offerId;
  }

  /** An offer of `provider` with one free Fixed slot. */
  async function createFreeOffer(
    m: Deployed,
    provider: HardhatEthersSigner,
    options: Parameters<typeof createOffer>[2],
  ) {
    const offerId = await createOffer(m, provider, options);
    const slotId = await addSlot(m, provider, offerId, {
      price: 0n,
      priceType: PriceType.Fixed,
      minTimeMinutes: 0,
      maxTimeMinutes: 0,
    });
    return { offerId, slotId };
  }

  async function addSlot(
    m: Deployed,
    provider: HardhatEthersSigner,
    offerId: bigint,
    usage: { price: bigint; priceType: number; minTimeMinutes: number; maxTimeMinutes: number },
  ) {
    const tx = await m.registry.connect(provider).addSlot(offerId, slotInfo, usage, optionInfo);
    const receipt = await tx.wait();
    const added = receipt!.logs
      .map((log) => m.registry.interface.parseLog(log))
      .find((parsed) => parsed?.name === "SlotAdded");
    return added!.args.slotId as bigint;
  }

  return {
    deployMarketplace,
    deployOnToken,
    deployStory,
    deployBlockedWorkflow,
    deployNewWorkflow,
    deployProcessingWorkflow,
    deployReportedWorkflow,
    workflowParams,
    createWorkflow,
    completeOrder,
    signedReceipt,
    createOffer,
    createFreeOffer,
    addSlot,
    publishTcb,
    signReport,
    runFor,
  };
}

/** The report a TEE makes for the story's order: the solution image and Bob's dataset. */
export function storyReport(orderId: bigint, tcbId: bigint, created = 1_700_000_000n): Report {
  return {
    orderId,
    tcbId,
    created,
    runtimeInfo: [
      { runtimeType: RuntimeType.Image, size: 4096n, hash: SOLUTION_HASH },
      { runtimeType: RuntimeType.Data, size: 46n, hash: DATASET_HASH },
    ],
  };
}

let attestations = 0n;
/**
 * An attestation expiry 400 days after `now` (beyond any TCB lifetime of the tests, so the lifetime
 * decides validity), later than every earlier one this process signed.
 */
export function nextExpiry(now: bigint): bigint {
  attestations += 1n;
  return now + 400n * 24n * 3600n + attestations;
}

export function infoBytes(name: string): string {
  return hexlify(toUtf8Bytes(JSON.stringify({ name, description: `${name} (test)` })));
}

export function bytesOfLength(length: number): string {
  return hexlify(getBytes("0x" + "ab".repeat(length)));
}
