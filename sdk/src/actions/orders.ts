/**
 * Workflow orders: create, read (with suborders, in one call), list, cancel, refill, force a
 * refund, watch status changes; and the TEE side's start and complete (`IOrders`).
 */
import { type Address, type Hex, type TransactionReceipt, zeroHash } from "viem";
import { watchContractEvent } from "viem/actions";

import { ordersAbi } from "../abi/orders.js";
import type { MarketplaceCall } from "../calls.js";
import { MAX_ENCRYPTED_ARGS_SIZE, MAX_ENCRYPTED_RESULT_SIZE, MAX_SUBORDERS } from "../abi/protocol.js";
import type { MarketplaceContext } from "../context.js";
import { OrderStatus } from "../enums.js";
import { InputError } from "../errors.js";
import { eventOf, eventsOf, read, send, walletAddress } from "../internal/contract.js";
import { pageLimit, toId } from "../internal/ids.js";
import { completionStatus, toOrder, toSuborder } from "../internal/orderStructs.js";
import type { OrderStatusUpdate, Payment, Workflow } from "../orderTypes.js";
import { type ContentHashInput, toContentHash } from "../resourceFile.js";
import { toAddress, toBytes32, toHexBytes, toUint } from "../validate.js";

/** What {@link createWorkflow} takes. */
export interface CreateWorkflowParameters {
  /** The TEE offer. */
  teeOfferId: bigint | number | string;
  /** A slot of the TEE offer. */
  teeSlotId: bigint | number | string;
  /** sha256 of the solution: 64 hex digits (with or without 0x), or its `solution.resource.json`. */
  solutionHash: ContentHashInput;
  /** The input offers (Solution or Data) and one slot of each; at most 16. */
  inputs: readonly { offerId: bigint | number | string; slotId: bigint | number | string }[];
  /** Payment-token amount to escrow (base units); approve the Orders contract for it first. */
  deposit: bigint | number | string;
  /** Arguments for the TEE, encrypted (`0x` hex or bytes); default none. */
  encryptedArgs?: Hex | Uint8Array;
}

/**
 * The `createWorkflow` call of {@link createWorkflow}, checked but not sent (for a multisig or a
 * batcher; batch it after the payment token's `approve` for the deposit).
 *
 * @param ctx The marketplace context.
 * @param params See {@link CreateWorkflowParameters}.
 * @example
 * const calls = [client.calls.approvePaymentToken({ amount: deposit }), client.calls.createWorkflow(params)];
 * @throws {InputError} naming the parameter that is malformed.
 */
export function createWorkflowCall(
  ctx: MarketplaceContext,
  params: CreateWorkflowParameters,
): MarketplaceCall<typeof ordersAbi, "createWorkflow"> {
  const teeOfferId = toId(params.teeOfferId, "teeOfferId", "a TEE offer");
  const teeSlotId = toId(params.teeSlotId, "teeSlotId", "a slot");
  const solutionHash = toContentHash(params.solutionHash, "solutionHash");
  if (solutionHash === zeroHash)
    throw new InputError("solutionHash", "must not be zero: the order commits to it");
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
  }));
  const deposit = toUint(params.deposit, "deposit");
  const encryptedArgs = toHexBytes(params.encryptedArgs ?? "0x", "encryptedArgs", {
    maxSize: MAX_ENCRYPTED_ARGS_SIZE,
  });
  return {
    address: ctx.deployment.contracts.orders,
    abi: ordersAbi,
    functionName: "createWorkflow",
    args: [teeOfferId, teeSlotId, solutionHash, inputs, deposit, encryptedArgs],
  };
}

/**
 * Creates a workflow: the TEE parent order and one suborder per input, pulling `deposit` of the
 * payment token from the wallet's account. The SDK approves nothing: when the allowance is short
 * the simulation fails with `ERC20InsufficientAllowance` and a hint to call `payments.approve`.
 *
 * @param ctx The marketplace context.
 * @param params See {@link CreateWorkflowParameters}.
 * @returns The receipt, the parent order's id, the suborder ids (in input order) and the parent's
 * status (Blocked while a suborder waits for its owner, else New).
 * @example
 * await client.payments.approve({ amount: deposit });
 * const { orderId, suborderIds, status } = await client.orders.createWorkflow({
 *   teeOfferId, teeSlotId, solutionHash: solutionResource, inputs: [{ offerId: dataOfferId, slotId: dataSlotId }], deposit,
 * });
 * @throws {InputError} naming the parameter (`"inputs[0].slotId"`, `"solutionHash"`, ...) when it is
 * malformed, or `walletClient`.
 * @throws {ContractError} `OrderDepositTooLow`, `OfferDisabled`, `SlotNotInOffer`, `OfferNotInput`,
 * `OfferCombinationNotAllowed`, `ERC20InsufficientAllowance`, ...
 */
export async function createWorkflow(
  ctx: MarketplaceContext,
  params: CreateWorkflowParameters,
): Promise<{ receipt: TransactionReceipt; orderId: bigint; suborderIds: bigint[]; status: OrderStatus }> {
  const call = createWorkflowCall(ctx, params);
  const address = call.address;
  const receipt = await send(ctx, call, "Cannot create the workflow");
  const created = eventOf(receipt, address, ordersAbi, "WorkflowCreated");
  const suborderIds = eventsOf(receipt, address, ordersAbi, "SuborderCreated").map((e) => e.args.suborderId);
  return { receipt, orderId: created.args.orderId, suborderIds, status: created.args.status as OrderStatus };
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
 * page (omit for the newest); `limit` (default and maximum 100).
 * @returns The order ids and `nextCursor` (`undefined` after the last page).
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
  const limit = pageLimit(params.limit);
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
function orderCall<functionName extends "cancelOrder" | "forceRefund" | "startOrder">(
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

async function consumerWrite(
  ctx: MarketplaceContext,
  call: MarketplaceCall<typeof ordersAbi, "cancelOrder" | "forceRefund">,
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
  /** Default zero. */
  resultHash?: Hex | Uint8Array;
  /** The encrypted result pointer; default none. */
  encryptedResult?: Hex | Uint8Array;
}

/**
 * The `completeOrder` call of {@link completeOrder}, checked but not sent.
 *
 * @param ctx The marketplace context.
 * @param params See {@link CompleteOrderParameters}.
 * @example
 * const call = completeOrderCall(ctx, { orderId, status: "Done", encryptedResult });
 * @throws {InputError} naming the parameter that is malformed.
 */
export function completeOrderCall(
  ctx: MarketplaceContext,
  params: CompleteOrderParameters,
): MarketplaceCall<typeof ordersAbi, "completeOrder"> {
  const orderId = toId(params.orderId, "orderId", "an order");
  const status = completionStatus(params.status, "status");
  const resultHash = params.resultHash === undefined ? zeroHash : toBytes32(params.resultHash, "resultHash");
  const encryptedResult = toHexBytes(params.encryptedResult ?? "0x", "encryptedResult", {
    maxSize: MAX_ENCRYPTED_RESULT_SIZE,
  });
  return {
    address: ctx.deployment.contracts.orders,
    abi: ordersAbi,
    functionName: "completeOrder",
    args: [orderId, status, resultHash, encryptedResult],
  };
}

/**
 * Completes an order and settles it. TEE side (operators as for {@link startOrder}). Processing →
 * Done (needs a published report) or Error; Canceling → Canceled.
 *
 * @param ctx The marketplace context.
 * @param params `orderId`; `status`: Done, Error or Canceled (value or name); `encryptedResult`:
 * the encrypted result pointer (default none); `resultHash`: default zero.
 * @returns The receipt and the credits of the settlement (providers' token receivers, then the consumer).
 * @example
 * const { payments } = await teeClient.orders.complete({ orderId, status: "Done", encryptedResult });
 * @throws {InputError} naming the parameter, or `walletClient`.
 * @throws {ContractError} `OrderReportMissing`, `OrderInvalidTransition`, `OrderCallerNotTeeOperator`, `InputTooLarge`.
 */
export async function completeOrder(
  ctx: MarketplaceContext,
  params: CompleteOrderParameters,
): Promise<{ receipt: TransactionReceipt; payments: Payment[] }> {
  const call = completeOrderCall(ctx, params);
  const address = call.address;
  const receipt = await send(ctx, call, `Cannot complete order ${call.args[0]}`);
  const payments = eventsOf(receipt, address, ordersAbi, "PaymentCredited").map((e) => ({
    account: e.args.account,
    amount: e.args.amount,
  }));
  return { receipt, payments };
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
