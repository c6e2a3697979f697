/**
 * Workflow orders: create, read (with suborders, in one call), list, cancel, refill, force a
 * refund, watch status changes; and the TEE side's start and complete (`IOrders`).
 */
import { type Address, type Hex, type TransactionReceipt, zeroHash } from "viem";
import { watchContractEvent } from "viem/actions";

import { offerRegistryAbi } from "../abi/offerRegistry.js";
import { ordersAbi } from "../abi/orders.js";
import {
  MAX_ENCRYPTED_ARGS_SIZE,
  MAX_ID_PAGE_SIZE,
  MAX_PAGE_SIZE,
  MAX_RESULT_POINTER_SIZE,
  MAX_RESULT_RECIPIENTS,
  MAX_SUBORDERS,
} from "../abi/protocol.js";
import type { MarketplaceCall } from "../calls.js";
import type { MarketplaceContext } from "../context.js";
import { toRecipientKey } from "../ecies.js";
import { OrderStatus, TcbStatus, enumName } from "../enums.js";
import { sealArgs } from "../envelopes.js";
import { InputError, StateError } from "../errors.js";
import {
  eventOf,
  eventsAtBlock,
  eventsOf,
  read,
  requireWallet,
  send,
  walletAddress,
} from "../internal/contract.js";
import { pageLimit, toId } from "../internal/ids.js";
import { type TeeSigner, teeSignerAccount } from "../internal/keys.js";
import { completionStatus, toOrder, toSuborder } from "../internal/orderStructs.js";
import type { Order, OrderStatusUpdate, Payment, Workflow } from "../orderTypes.js";
import { resultReceiptTypes } from "../receipts.js";
import { orderReportDomain } from "../reports.js";
import { type ContentHashInput, type ResourceFile, toContentHash, toResourceFile } from "../resourceFile.js";
import { toAddress, toBytes32, toHexBytes, toUint } from "../validate.js";
import { getActiveTcb, getTcbPublication } from "./tcb.js";

/** One input of a workflow: an offer, one of its slots and, optionally, the terms you accepted. */
export interface WorkflowInputParameters {
  /** The input offer (Solution or Data). */
  offerId: bigint | number | string;
  /** A slot of that offer. */
  slotId: bigint | number | string;
  /**
   * Hash of the slot's usage terms you accepted (`slots.get(...).termsHash`); default: the terms
   * read now. Pass what you showed the user, so a slot repriced since refuses the workflow.
   */
  termsHash?: Hex | Uint8Array;
}

/** What {@link createWorkflow} takes. */
export interface CreateWorkflowParameters {
  /** The TEE offer. */
  teeOfferId: bigint | number | string;
  /** A slot of the TEE offer. */
  teeSlotId: bigint | number | string;
  /** Hash of the TEE slot's terms you accepted; default: the terms read now. */
  teeTermsHash?: Hex | Uint8Array;
  /**
   * sha256 of the solution: 64 hex digits (with or without 0x), or its `solution.resource.json`.
   * Default: the hash of `solution`.
   */
  solutionHash?: ContentHashInput;
  /** The input offers (Solution or Data) and one slot of each; at most 16. */
  inputs: readonly WorkflowInputParameters[];
  /** Payment-token amount to escrow (base units); approve the Orders contract for it first. */
  deposit: bigint | number | string;
  /**
   * Public keys (secp256k1, 33 or 65 bytes) the result is sealed for: yours first
   * (`generateEciesKey`), then anyone else who should get it (data owners); 1 to 8.
   */
  resultRecipients: readonly (Hex | Uint8Array)[];
  /**
   * The solution's resource file (`files upload` writes it), handed to the order's enclave in the
   * arguments envelope; omit when a Solution offer of the workflow supplies the solution.
   */
  solution?: ResourceFile | Readonly<Record<string, unknown>>;
  /** Anything the solution takes (JSON), sealed in the same envelope. */
  args?: unknown;
  /** The consumer the envelope names; default the wallet's account (set it for a multisig). */
  consumer?: Address | string;
}

/** A workflow's creation as checked and prepared: the call, and the enclave it hands over to. */
interface PreparedWorkflow {
  call: MarketplaceCall<typeof ordersAbi, "createWorkflow">;
  /** The TEE offer's active TCB: the enclave the order is bound to. */
  tcbId: bigint;
}

/**
 * The `createWorkflow` call of {@link createWorkflow}, prepared but not sent (for a multisig or a
 * batcher; batch it after the payment token's `approve` for the deposit): the same checks and
 * reads (the slots' terms, the TEE offer's enclave and its public key) and the arguments sealed
 * for the enclave. Async, unlike most builders, because of those reads.
 *
 * @param ctx The marketplace context (its wallet is not needed when `consumer` is given).
 * @param params See {@link CreateWorkflowParameters}.
 * @example
 * const calls = [client.calls.approvePaymentToken({ amount: deposit }), await client.calls.createWorkflow({ ...params, consumer: safe })];
 * @throws As {@link createWorkflow}, before anything would be sent.
 */
export async function createWorkflowCall(
  ctx: MarketplaceContext,
  params: CreateWorkflowParameters,
): Promise<MarketplaceCall<typeof ordersAbi, "createWorkflow">> {
  return (await prepareWorkflow(ctx, params, false)).call;
}

/**
 * Creates a workflow: the TEE parent order and one suborder per input, pulling `deposit` of the
 * payment token from the wallet's account. Before anything is sent it:
 *
 * 1. checks every parameter (ids, at most 16 inputs, 1 to 8 result recipients on the curve);
 * 2. reads, in one round trip, the TEE offer's active TCB (it must be valid: its key becomes the
 *    order's enclave) and the terms of every slot whose terms hash you did not pass;
 * 3. when you pass `solution` or `args`, fetches the enclave's public key (checked against the
 *    stored hash) and seals them in an envelope that names this chain, contract, you, the
 *    solution hash and the enclave (docs/design.md §4);
 * 4. simulates and sends `createWorkflow`.
 *
 * The SDK approves nothing: when the allowance is short the simulation fails with
 * `ERC20InsufficientAllowance` and a hint to call `payments.approve`.
 *
 * @param ctx The marketplace context.
 * @param params See {@link CreateWorkflowParameters}.
 * @returns The receipt, the parent order's id, the suborder ids (in input order), the parent's
 * status (Blocked while a suborder waits for its owner, else New) and the enclave's TEE key.
 * @example
 * const resultKey = generateEciesKey(); // keep resultKey.privateKey to open the result
 * await client.payments.approve({ amount: deposit });
 * const { orderId, suborderIds, status } = await client.orders.createWorkflow({
 *   teeOfferId, teeSlotId, solution: solutionResource, inputs: [{ offerId: dataOfferId, slotId: dataSlotId }],
 *   deposit, resultRecipients: [resultKey.publicKey],
 * });
 * @throws {InputError} naming the parameter (`"inputs[0].slotId"`, `"resultRecipients[1]"`,
 * `"solutionHash"`, ...) when it is malformed, or `walletClient`.
 * @throws {StateError} when the TEE offer has no valid active TCB (no enclave to hand over to).
 * @throws {ContractError} `OrderDepositTooLow`, `SlotTermsChanged`, `OfferDisabled`,
 * `SlotNotInOffer`, `OfferNotInput`, `OfferCombinationNotAllowed`, `ERC20InsufficientAllowance`, ...
 */
export async function createWorkflow(
  ctx: MarketplaceContext,
  params: CreateWorkflowParameters,
): Promise<{
  receipt: TransactionReceipt;
  orderId: bigint;
  suborderIds: bigint[];
  status: OrderStatus;
  teeKey: Address;
}> {
  const { call } = await prepareWorkflow(ctx, params, true);
  const receipt = await send(ctx, call, "Cannot create the workflow");
  const created = eventOf(receipt, call.address, ordersAbi, "WorkflowCreated");
  const { orderId } = created.args;
  const suborderIds = created.args.params.inputs.map((_, i) => orderId + 1n + BigInt(i));
  return {
    receipt,
    orderId,
    suborderIds,
    status: created.args.status as OrderStatus,
    teeKey: created.args.params.teeKey,
  };
}

async function prepareWorkflow(
  ctx: MarketplaceContext,
  params: CreateWorkflowParameters,
  needsWallet: boolean,
): Promise<PreparedWorkflow> {
  const teeOfferId = toId(params.teeOfferId, "teeOfferId", "a TEE offer");
  const teeSlotId = toId(params.teeSlotId, "teeSlotId", "a slot");
  const solution = params.solution === undefined ? undefined : toResourceFile(params.solution, "solution");
  const solutionInput = params.solutionHash ?? solution;
  if (solutionInput === undefined) {
    throw new InputError("solutionHash", "pass the solution hash (or the solution's resource file)");
  }
  const solutionHash = toContentHash(solutionInput, "solutionHash");
  if (solutionHash === zeroHash)
    throw new InputError("solutionHash", "must not be zero: the order commits to it");
  if (solution !== undefined && solution.hash !== solutionHash) {
    throw new InputError(
      "solution",
      `is the resource file of ${solution.hash}, not of the solution hash ${solutionHash} the order commits to`,
    );
  }
  if (!Array.isArray(params.inputs))
    throw new InputError("inputs", "expected an array of { offerId, slotId }");
  if (params.inputs.length > MAX_SUBORDERS) {
    throw new InputError(
      "inputs",
      `${params.inputs.length} inputs, more than the contract's cap of ${MAX_SUBORDERS}`,
    );
  }
  const inputs = params.inputs.map((input, i) => ({
    offerId: toId(input?.offerId, `inputs[${i}].offerId`, "an offer"),
    slotId: toId(input?.slotId, `inputs[${i}].slotId`, "a slot"),
    termsHash:
      input?.termsHash === undefined ? undefined : toBytes32(input.termsHash, `inputs[${i}].termsHash`),
  }));
  const teeTermsHash =
    params.teeTermsHash === undefined ? undefined : toBytes32(params.teeTermsHash, "teeTermsHash");
  const deposit = toUint(params.deposit, "deposit");
  const resultRecipients = recipientKeys(params.resultRecipients);
  const sealing = solution !== undefined || params.args !== undefined;
  const consumerInput = params.consumer ?? walletAddress(ctx);
  if (sealing && consumerInput === undefined) {
    throw new InputError(
      "consumer",
      "pass the consumer the arguments are sealed for (the context has no wallet)",
    );
  }
  const consumer = consumerInput === undefined ? undefined : toAddress(consumerInput, "consumer");
  if (needsWallet) requireWallet(ctx, "Cannot create the workflow");

  // One round trip: the enclave and the terms not given.
  const [tcb, teeTerms, inputTerms] = await Promise.all([
    getActiveTcb(ctx, { teeOfferId }),
    teeTermsHash ?? currentTermsHash(ctx, teeSlotId),
    Promise.all(inputs.map((input) => input.termsHash ?? currentTermsHash(ctx, input.slotId))),
  ]);
  if (tcb === undefined || tcb.status !== TcbStatus.Active) {
    throw new StateError(
      `TEE offer ${teeOfferId} has no valid enclave to hand the order to: ` +
        (tcb === undefined
          ? "its TEE has not published a TCB"
          : `its active TCB ${tcb.id} is ${enumName(TcbStatus, tcb.status)}`) +
        ". Wait for its TEE to publish a new TCB, or choose another TEE offer.",
    );
  }
  let encryptedArgs: Hex = "0x";
  if (sealing && consumer !== undefined) {
    const { publicKey } = await getTcbPublication(ctx, { tcb });
    encryptedArgs = sealArgs(publicKey, {
      chainId: ctx.deployment.chainId,
      orders: ctx.deployment.contracts.orders,
      consumer,
      solutionHash,
      teeKey: tcb.teeKey,
      ...(solution === undefined ? {} : { solution: solution.raw }),
      ...(params.args === undefined ? {} : { args: params.args }),
    });
    const size = (encryptedArgs.length - 2) / 2;
    if (size > MAX_ENCRYPTED_ARGS_SIZE) {
      throw new InputError(
        params.args === undefined ? "solution" : "args",
        `seal to ${size} bytes, more than the contract's cap of ${MAX_ENCRYPTED_ARGS_SIZE} bytes`,
      );
    }
  }
  return {
    call: {
      address: ctx.deployment.contracts.orders,
      abi: ordersAbi,
      functionName: "createWorkflow",
      args: [
        {
          teeOfferId,
          teeSlotId,
          teeTermsHash: teeTerms,
          teeKey: tcb.teeKey,
          solutionHash,
          inputs: inputs.map((input, i) => ({
            offerId: input.offerId,
            slotId: input.slotId,
            termsHash: inputTerms[i] ?? zeroHash,
          })),
          deposit,
          resultRecipients,
          encryptedArgs,
        },
      ],
    },
    tcbId: tcb.id,
  };
}

function recipientKeys(value: unknown): Hex[] {
  if (!Array.isArray(value) || value.length === 0) {
    throw new InputError(
      "resultRecipients",
      "expected 1 to 8 public keys, yours first (generateEciesKey makes a key pair)",
    );
  }
  if (value.length > MAX_RESULT_RECIPIENTS) {
    throw new InputError(
      "resultRecipients",
      `${value.length} recipients, more than the contract's cap of ${MAX_RESULT_RECIPIENTS}`,
    );
  }
  return value.map((key, i) => toRecipientKey(key, `resultRecipients[${i}]`));
}

/** The terms hash of a slot now (one `slotTermsHash` call). */
async function currentTermsHash(ctx: MarketplaceContext, slotId: bigint): Promise<Hex> {
  return read(
    ctx,
    {
      address: ctx.deployment.contracts.offerRegistry,
      abi: offerRegistryAbi,
      functionName: "slotTermsHash",
      args: [slotId],
    },
    `Cannot read the terms of slot ${slotId}`,
  );
}

/** What a workflow was created with (its `WorkflowCreated` event): the terms, the enclave, the recipients, the arguments. */
export interface WorkflowParams {
  orderId: bigint;
  consumer: Address;
  teeOfferId: bigint;
  teeSlotId: bigint;
  teeTermsHash: Hex;
  /** The order's enclave. */
  teeKey: Address;
  solutionHash: Hex;
  inputs: { offerId: bigint; slotId: bigint; termsHash: Hex }[];
  /** The deposit at creation. */
  deposit: bigint;
  /** Public keys the result is sealed for, the consumer's first. */
  resultRecipients: Hex[];
  /** The consumer's arguments, sealed for the enclave (`tee.openArgs` opens them). */
  encryptedArgs: Hex;
  blockNumber: bigint;
  transactionHash: Hex;
}

/**
 * What a workflow was created with: its `WorkflowCreated` event, read at the order's `argsBlock`
 * (two round trips: the order, then one `eth_getLogs` over that block).
 *
 * @param ctx The marketplace context.
 * @param params `orderId`: the parent order.
 * @example
 * const { encryptedArgs, resultRecipients } = await client.orders.getParams({ orderId });
 * @throws {InputError} naming `orderId`.
 * @throws {ContractError} `OrderNotFound`.
 * @throws {StateError} when the event is missing at the stored block (a pruning RPC).
 */
export async function getWorkflowParams(
  ctx: MarketplaceContext,
  params: { orderId: bigint | number | string },
): Promise<WorkflowParams> {
  const orderId = toId(params.orderId, "orderId", "an order");
  const order = await readOrder(ctx, orderId);
  const [event] = await eventsAtBlock(ctx, {
    address: ctx.deployment.contracts.orders,
    abi: ordersAbi,
    eventName: "WorkflowCreated",
    args: { orderId },
    block: order.argsBlock,
  });
  if (event === undefined) {
    throw new StateError(
      `No WorkflowCreated event of order ${orderId} at block ${order.argsBlock}; the RPC may have pruned its logs.`,
    );
  }
  const created = event.args.params;
  return {
    orderId,
    consumer: event.args.consumer,
    teeOfferId: created.teeOfferId,
    teeSlotId: created.teeSlotId,
    teeTermsHash: created.teeTermsHash,
    teeKey: created.teeKey,
    solutionHash: created.solutionHash,
    inputs: created.inputs.map((input) => ({ ...input })),
    deposit: created.deposit,
    resultRecipients: [...created.resultRecipients],
    encryptedArgs: created.encryptedArgs,
    blockNumber: event.blockNumber,
    transactionHash: event.transactionHash,
  };
}

/** One parent order, as the SDK shapes it (one `getOrder` call). Not exported from the package. */
export async function readOrder(ctx: MarketplaceContext, orderId: bigint): Promise<Order> {
  return toOrder(
    orderId,
    await read(
      ctx,
      { address: ctx.deployment.contracts.orders, abi: ordersAbi, functionName: "getOrder", args: [orderId] },
      `Cannot read order ${orderId}`,
    ),
  );
}

/**
 * Parent orders by id, in one `eth_call` (`getOrders`).
 *
 * @param ctx The marketplace context.
 * @param params `orderIds`: at most 100 parent order ids.
 * @example
 * const { orderIds } = await client.orders.list({ consumer: alice });
 * const orders = await client.orders.getMany({ orderIds });
 * @throws {InputError} naming `orderIds` or `orderIds[i]`.
 * @throws {ContractError} `OrderNotFound` for an id that is not a parent order.
 */
export async function getOrders(
  ctx: MarketplaceContext,
  params: { orderIds: readonly (bigint | number | string)[] },
): Promise<Order[]> {
  if (!Array.isArray(params.orderIds)) throw new InputError("orderIds", "expected an array of order ids");
  if (params.orderIds.length > MAX_PAGE_SIZE) {
    throw new InputError("orderIds", `${params.orderIds.length} ids, more than ${MAX_PAGE_SIZE} per call`);
  }
  const orderIds = params.orderIds.map((id, i) => toId(id, `orderIds[${i}]`, "an order"));
  if (orderIds.length === 0) return [];
  const orders = await read(
    ctx,
    { address: ctx.deployment.contracts.orders, abi: ordersAbi, functionName: "getOrders", args: [orderIds] },
    "Cannot read the orders",
  );
  return orders.map((order, i) => toOrder(orderIds[i] ?? 0n, order));
}

/**
 * A workflow: the parent order and all its suborders, in one `eth_call` (the contract's aggregate
 * `getWorkflow` view).
 *
 * @param ctx The marketplace context.
 * @param params `orderId`: the parent order.
 * @example
 * const { order, suborders } = await client.orders.get({ orderId });
 * console.log(enumName(OrderStatus, order.status), suborders.map((s) => s.status));
 * @throws {InputError} naming `orderId`.
 * @throws {ContractError} `OrderNotFound` (also for a suborder id).
 */
export async function getWorkflow(
  ctx: MarketplaceContext,
  params: { orderId: bigint | number | string },
): Promise<Workflow> {
  const orderId = toId(params.orderId, "orderId", "an order");
  const [order, suborders] = await read(
    ctx,
    {
      address: ctx.deployment.contracts.orders,
      abi: ordersAbi,
      functionName: "getWorkflow",
      args: [orderId],
    },
    `Cannot read order ${orderId}`,
  );
  return {
    order: toOrder(orderId, order),
    suborders: suborders.map((suborder, i) => toSuborder(orderId + 1n + BigInt(i), suborder)),
  };
}

/**
 * A page of a consumer's orders, newest first, by cursor.
 *
 * @param ctx The marketplace context.
 * @param params `consumer` (default: the wallet's account); `cursor`: `nextCursor` of the previous
 * page (omit for the newest); `limit` (default 100, at most 1000).
 * @returns The order ids and `nextCursor` (`undefined` after the last page); `orders.getMany`
 * reads up to 100 of them in one call.
 * @example
 * let page = await client.orders.list({ consumer: alice });
 * while (page.nextCursor !== undefined) page = await client.orders.list({ consumer: alice, cursor: page.nextCursor });
 * @throws {InputError} naming `consumer` (missing without a wallet, or malformed), `cursor` or `limit`.
 * @throws {ContractError} `OrderCursorInvalid` when the cursor is not an order of the consumer.
 */
export async function listOrders(
  ctx: MarketplaceContext,
  params: { consumer?: Address | string; cursor?: bigint | number | string; limit?: bigint | number } = {},
): Promise<{ orderIds: bigint[]; nextCursor: bigint | undefined }> {
  const consumerInput = params.consumer ?? walletAddress(ctx);
  if (consumerInput === undefined) {
    throw new InputError("consumer", "pass the consumer's address (the context has no wallet to default to)");
  }
  const consumer = toAddress(consumerInput, "consumer");
  const cursor = params.cursor === undefined ? 0n : toId(params.cursor, "cursor", "an order");
  const limit = pageLimit(params.limit ?? MAX_PAGE_SIZE, MAX_ID_PAGE_SIZE);
  const [orderIds, next] = await read(
    ctx,
    {
      address: ctx.deployment.contracts.orders,
      abi: ordersAbi,
      functionName: "ordersOfConsumer",
      args: [consumer, cursor, limit],
    },
    `Cannot list the orders of ${consumer}`,
  );
  return { orderIds: [...orderIds], nextCursor: next === 0n ? undefined : next };
}

/** A call of the Orders contract that takes one order id. */
function orderCall<functionName extends "cancelOrder" | "expireBlockedOrder" | "forceRefund" | "startOrder">(
  ctx: MarketplaceContext,
  functionName: functionName,
  orderIdInput: unknown,
): MarketplaceCall<typeof ordersAbi, functionName> {
  return {
    address: ctx.deployment.contracts.orders,
    abi: ordersAbi,
    functionName,
    args: [toId(orderIdInput, "orderId", "an order")],
  } as MarketplaceCall<typeof ordersAbi, functionName>;
}

/**
 * The `cancelOrder` call of {@link cancelOrder}, checked but not sent.
 *
 * @param ctx The marketplace context.
 * @param params `orderId`.
 * @example
 * const call = cancelOrderCall(ctx, { orderId });
 * @throws {InputError} naming `orderId`.
 */
export function cancelOrderCall(
  ctx: MarketplaceContext,
  params: { orderId: bigint | number | string },
): MarketplaceCall<typeof ordersAbi, "cancelOrder"> {
  return orderCall(ctx, "cancelOrder", params.orderId);
}

/**
 * The `forceRefund` call of {@link forceRefund}, checked but not sent.
 *
 * @param ctx The marketplace context.
 * @param params `orderId`.
 * @example
 * const call = forceRefundCall(ctx, { orderId });
 * @throws {InputError} naming `orderId`.
 */
export function forceRefundCall(
  ctx: MarketplaceContext,
  params: { orderId: bigint | number | string },
): MarketplaceCall<typeof ordersAbi, "forceRefund"> {
  return orderCall(ctx, "forceRefund", params.orderId);
}

/**
 * The `startOrder` call of {@link startOrder}, checked but not sent.
 *
 * @param ctx The marketplace context.
 * @param params `orderId`.
 * @example
 * const call = startOrderCall(ctx, { orderId });
 * @throws {InputError} naming `orderId`.
 */
export function startOrderCall(
  ctx: MarketplaceContext,
  params: { orderId: bigint | number | string },
): MarketplaceCall<typeof ordersAbi, "startOrder"> {
  return orderCall(ctx, "startOrder", params.orderId);
}

/**
 * The `expireBlockedOrder` call of {@link expireBlockedOrder}, checked but not sent.
 *
 * @param ctx The marketplace context.
 * @param params `orderId`.
 * @example
 * const call = expireBlockedOrderCall(ctx, { orderId });
 * @throws {InputError} naming `orderId`.
 */
export function expireBlockedOrderCall(
  ctx: MarketplaceContext,
  params: { orderId: bigint | number | string },
): MarketplaceCall<typeof ordersAbi, "expireBlockedOrder"> {
  return orderCall(ctx, "expireBlockedOrder", params.orderId);
}

/**
 * Cancels, with a full refund to its consumer, a workflow still Blocked `blockedTimeout` after its
 * creation: a data owner never answered, and the TEE slot it holds is released. Anyone may call it
 * (the TEE provider, a keeper, the consumer).
 *
 * @param ctx The marketplace context.
 * @param params `orderId`.
 * @returns The receipt and the order's new status (Canceled).
 * @example
 * const deadline = await client.orders.blockedDeadline({ orderId });
 * if (BigInt(Math.floor(Date.now() / 1000)) >= deadline) await client.orders.expire({ orderId });
 * @throws {InputError} naming `orderId` or `walletClient`.
 * @throws {ContractError} `OrderNotBlocked`, `OrderDeadlineNotReached` (with the deadline), `OrderNotFound`.
 */
export async function expireBlockedOrder(
  ctx: MarketplaceContext,
  params: { orderId: bigint | number | string },
): Promise<{ receipt: TransactionReceipt; status: OrderStatus }> {
  return consumerWrite(ctx, expireBlockedOrderCall(ctx, params), "Cannot expire order");
}

/**
 * The time from which anyone may expire a Blocked workflow: its creation plus the deployment's
 * `blockedTimeout` (0 for an order without suborders, which is never Blocked).
 *
 * @param ctx The marketplace context.
 * @param params `orderId`.
 * @returns Unix seconds.
 * @example
 * const deadline = await client.orders.blockedDeadline({ orderId });
 * @throws {InputError} naming `orderId`.
 * @throws {ContractError} `OrderNotFound`.
 */
export async function getBlockedDeadline(
  ctx: MarketplaceContext,
  params: { orderId: bigint | number | string },
): Promise<bigint> {
  const orderId = toId(params.orderId, "orderId", "an order");
  return read(
    ctx,
    {
      address: ctx.deployment.contracts.orders,
      abi: ordersAbi,
      functionName: "blockedDeadline",
      args: [orderId],
    },
    `Cannot read the blocked deadline of order ${orderId}`,
  );
}

async function consumerWrite(
  ctx: MarketplaceContext,
  call: MarketplaceCall<typeof ordersAbi, "cancelOrder" | "expireBlockedOrder" | "forceRefund">,
  action: string,
): Promise<{ receipt: TransactionReceipt; status: OrderStatus }> {
  const [orderId] = call.args;
  const address = call.address;
  const receipt = await send(ctx, call, `${action} ${orderId}`);
  const updates = eventsOf(receipt, address, ordersAbi, "OrderStatusUpdated").filter(
    (e) => e.args.orderId === orderId,
  );
  const last = updates.at(-1);
  return { receipt, status: (last?.args.to ?? OrderStatus.Canceled) as OrderStatus };
}

/**
 * Cancels an order (its consumer only). Blocked, New or Suspended: Canceled at once, the deposit
 * credited back. Processing (cancelable TEE offers): Canceling until the provider settles or the
 * deadline passes (then {@link forceRefund}).
 *
 * @param ctx The marketplace context.
 * @param params `orderId`.
 * @returns The receipt and the order's new status (Canceled or Canceling).
 * @example
 * const { status } = await client.orders.cancel({ orderId });
 * @throws {InputError} naming `orderId` or `walletClient`.
 * @throws {ContractError} `OrderCallerNotConsumer`, `OrderNotCancelable`, `OrderInvalidTransition`.
 */
export async function cancelOrder(
  ctx: MarketplaceContext,
  params: { orderId: bigint | number | string },
): Promise<{ receipt: TransactionReceipt; status: OrderStatus }> {
  return consumerWrite(ctx, cancelOrderCall(ctx, params), "Cannot cancel order");
}

/**
 * Refunds the whole deposit of a Processing or Canceling order whose provider did not complete it
 * before its deadline (its consumer only).
 *
 * @param ctx The marketplace context.
 * @param params `orderId`.
 * @example
 * await client.orders.forceRefund({ orderId });
 * @throws {InputError} naming `orderId` or `walletClient`.
 * @throws {ContractError} `OrderDeadlineNotReached` (with the deadline), `OrderCallerNotConsumer`, `OrderInvalidTransition`.
 */
export async function forceRefund(
  ctx: MarketplaceContext,
  params: { orderId: bigint | number | string },
): Promise<{ receipt: TransactionReceipt; status: OrderStatus }> {
  return consumerWrite(ctx, forceRefundCall(ctx, params), "Cannot force the refund of order");
}

/**
 * The `refillOrder` call of {@link refillOrder}, checked but not sent.
 *
 * @param ctx The marketplace context.
 * @param params `orderId`, `amount`.
 * @example
 * const call = refillOrderCall(ctx, { orderId, amount });
 * @throws {InputError} naming `orderId` or `amount`.
 */
export function refillOrderCall(
  ctx: MarketplaceContext,
  params: { orderId: bigint | number | string; amount: bigint | number | string },
): MarketplaceCall<typeof ordersAbi, "refillOrder"> {
  const orderId = toId(params.orderId, "orderId", "an order");
  const amount = toUint(params.amount, "amount", { min: 1n, expected: "a positive amount" });
  return {
    address: ctx.deployment.contracts.orders,
    abi: ordersAbi,
    functionName: "refillOrder",
    args: [orderId, amount],
  };
}

/**
 * Adds to an open order's deposit (its consumer only; approve the amount first).
 *
 * @param ctx The marketplace context.
 * @param params `orderId`, `amount` (payment-token base units, positive).
 * @returns The receipt and the new deposit.
 * @example
 * const { deposit } = await client.orders.refill({ orderId, amount: 10n ** 18n });
 * @throws {InputError} naming `orderId`, `amount` or `walletClient`.
 * @throws {ContractError} `OrderNotRefillable`, `OrderCallerNotConsumer`, `ERC20InsufficientAllowance`.
 */
export async function refillOrder(
  ctx: MarketplaceContext,
  params: { orderId: bigint | number | string; amount: bigint | number | string },
): Promise<{ receipt: TransactionReceipt; deposit: bigint }> {
  const call = refillOrderCall(ctx, params);
  const receipt = await send(ctx, call, `Cannot refill order ${call.args[0]}`);
  return { receipt, deposit: eventOf(receipt, call.address, ordersAbi, "OrderRefilled").args.deposit };
}

/**
 * Starts a New order (Processing). TEE side: the TEE offer's provider authority, its action
 * account, or the active TCB's key.
 *
 * @param ctx The marketplace context.
 * @param params `orderId`.
 * @example
 * await teeClient.orders.start({ orderId });
 * @throws {InputError} naming `orderId` or `walletClient`.
 * @throws {ContractError} `OrderCallerNotTeeOperator`, `OrderInvalidTransition` (for example while Blocked).
 */
export async function startOrder(
  ctx: MarketplaceContext,
  params: { orderId: bigint | number | string },
): Promise<{ receipt: TransactionReceipt }> {
  const call = startOrderCall(ctx, params);
  const receipt = await send(ctx, call, `Cannot start order ${call.args[0]}`);
  return { receipt };
}

/** What {@link completeOrder} takes. */
export interface CompleteOrderParameters {
  orderId: bigint | number | string;
  /** Done, Error or Canceled (value or name). */
  status: OrderStatus | keyof typeof OrderStatus;
  /** sha256 of the result (Done) or of the logs (Error); default zero. */
  resultHash?: Hex | Uint8Array;
  /**
   * The result pointers, one per result recipient in the workflow's order for Done
   * (`tee.sealResultPointer`), at most one per recipient for Error; default none.
   */
  pointers?: readonly (Hex | Uint8Array)[];
  /** The enclave's signature of the receipt, made elsewhere (`tee.signReceipt`). */
  signature?: Hex | Uint8Array;
  /** Or the order's TEE key, to sign the receipt here. One of the two is required for Done. */
  signer?: TeeSigner;
}

/**
 * The `completeOrder` call of {@link completeOrder}, with the receipt signed but not sent. Async
 * because signing is.
 *
 * @param ctx The marketplace context.
 * @param params See {@link CompleteOrderParameters}.
 * @example
 * const call = await completeOrderCall(ctx, { orderId, status: "Done", resultHash, pointers, signer: teeKey });
 * @throws {InputError} naming the parameter that is malformed, or `signer` when Done has neither
 * a signature nor a signer.
 */
export async function completeOrderCall(
  ctx: MarketplaceContext,
  params: CompleteOrderParameters,
): Promise<MarketplaceCall<typeof ordersAbi, "completeOrder">> {
  const orderId = toId(params.orderId, "orderId", "an order");
  const status = completionStatus(params.status, "status");
  if (params.pointers !== undefined && !Array.isArray(params.pointers)) {
    throw new InputError("pointers", "expected an array of result pointers");
  }
  const receipt = {
    orderId,
    resultHash: params.resultHash === undefined ? zeroHash : toBytes32(params.resultHash, "resultHash"),
    pointers: (params.pointers ?? []).map((pointer, i) =>
      toHexBytes(pointer, `pointers[${i}]`, { maxSize: MAX_RESULT_POINTER_SIZE }),
    ),
  };
  if (params.signature !== undefined && params.signer !== undefined) {
    throw new InputError("signer", "pass a signature or a signer, not both");
  }
  let signature: Hex = "0x";
  if (params.signature !== undefined) signature = toHexBytes(params.signature, "signature");
  else if (params.signer !== undefined) {
    signature = await teeSignerAccount(params.signer, "signer").signTypedData({
      domain: orderReportDomain(ctx.deployment.chainId, ctx.deployment.contracts.orders),
      types: resultReceiptTypes,
      primaryType: "ResultReceipt",
      message: receipt,
    });
  } else if (status === OrderStatus.Done) {
    throw new InputError(
      "signer",
      "Done needs the enclave's receipt: pass the order's TEE key as signer, or its signature",
    );
  }
  return {
    address: ctx.deployment.contracts.orders,
    abi: ordersAbi,
    functionName: "completeOrder",
    args: [orderId, status, receipt, signature],
  };
}

/**
 * Completes an order and settles it. TEE side (operators as for {@link startOrder}). Processing →
 * Done (needs a published report and the enclave's signed receipt with one pointer per result
 * recipient) or Error (the receipt carries the logs; not checked); Canceling → Canceled.
 *
 * @param ctx The marketplace context.
 * @param params See {@link CompleteOrderParameters}.
 * @returns The receipt and the credits of the settlement (providers' token receivers, then the consumer).
 * @example
 * const pointers = recipients.map((publicKey) => teeClient.tee.sealResultPointer({ publicKey, orderId, resultHash, resource }));
 * const { payments } = await teeClient.orders.complete({ orderId, status: "Done", resultHash, pointers, signer: teeKey });
 * @throws {InputError} naming the parameter, or `walletClient`.
 * @throws {ContractError} `OrderReportMissing`, `OrderReceiptPointerCount`, `OrderReceiptSignerMismatch`,
 * `OrderReceiptTeeNotValid`, `OrderInvalidTransition`, `OrderCallerNotTeeOperator`, `InputTooLarge`.
 */
export async function completeOrder(
  ctx: MarketplaceContext,
  params: CompleteOrderParameters,
): Promise<{ receipt: TransactionReceipt; payments: Payment[] }> {
  const call = await completeOrderCall(ctx, params);
  requireWallet(ctx, `Cannot complete order ${call.args[0]}`);
  const receipt = await send(ctx, call, `Cannot complete order ${call.args[0]}`);
  return { receipt, payments: paymentsOf(receipt, call.address) };
}

/** The credits of a settlement in a transaction (its `PaymentsCredited` events). Not exported from the package. */
export function paymentsOf(receipt: TransactionReceipt, orders: Address): Payment[] {
  return eventsOf(receipt, orders, ordersAbi, "PaymentsCredited").flatMap((e) =>
    e.args.accounts.map((account, i) => ({ account, amount: e.args.amounts[i] ?? 0n })),
  );
}

/**
 * Watches status changes (`OrderStatusUpdated`) of some orders and suborders, or of all. Uses
 * viem's `watchContractEvent` (a filter, or polling `eth_getLogs` over the new blocks).
 *
 * @param ctx The marketplace context.
 * @param params `orderIds`: the orders and suborders to watch (omit for all); `onUpdate`: called
 * with each change, in order; `onError`: called with RPC errors; `pollingInterval` in ms.
 * @returns A function that stops watching.
 * @example
 * const unwatch = client.orders.watch({
 *   orderIds: [orderId, ...suborderIds],
 *   onUpdate: ({ orderId, to }) => console.log(orderId, enumName(OrderStatus, to)),
 * });
 * // later: unwatch();
 * @throws {InputError} naming `orderIds[i]` when an id is malformed, or `onUpdate` when it is not a function.
 */
export function watchOrders(
  ctx: MarketplaceContext,
  params: {
    orderIds?: readonly (bigint | number | string)[];
    onUpdate: (update: OrderStatusUpdate) => void;
    onError?: (error: Error) => void;
    pollingInterval?: number;
  },
): () => void {
  if (typeof params.onUpdate !== "function") throw new InputError("onUpdate", "expected a function");
  const orderIds = params.orderIds?.map((id, i) => toId(id, `orderIds[${i}]`, "an order"));
  return watchContractEvent(ctx.publicClient, {
    address: ctx.deployment.contracts.orders,
    abi: ordersAbi,
    eventName: "OrderStatusUpdated",
    ...(orderIds === undefined ? {} : { args: { orderId: orderIds } }),
    strict: true,
    ...(params.pollingInterval === undefined ? {} : { pollingInterval: params.pollingInterval }),
    ...(params.onError === undefined ? {} : { onError: params.onError }),
    onLogs: (logs) => {
      for (const log of logs) {
        params.onUpdate({
          orderId: log.args.orderId,
          from: log.args.from as OrderStatus,
          to: log.args.to as OrderStatus,
          blockNumber: log.blockNumber,
          transactionHash: log.transactionHash,
        });
      }
    },
  });
}
