/**
 * An order's result, the consumer's side: the enclave's signed receipt (from `OrderCompleted` at
 * the order's `resultBlock`), the recipients the workflow named, opening one's own result pointer,
 * and checking the receipt (docs/design.md §4). Moving the result's bytes is the Node entry's
 * `downloadResult`.
 */
import { type Address, type Hex, isAddressEqual } from "viem";

import { ordersAbi } from "../abi/orders.js";
import type { MarketplaceContext } from "../context.js";
import { teePublicKeyFromPrivateKey, uncompressedPublicKey } from "../ecies.js";
import { OrderStatus, enumName } from "../enums.js";
import { openResultPointer } from "../envelopes.js";
import { InputError, StateError } from "../errors.js";
import { eventsAtBlock } from "../internal/contract.js";
import { errorText } from "../internal/fields.js";
import { toId } from "../internal/ids.js";
import { recoverResultReceiptSigner } from "../receipts.js";
import { orderReportDomain } from "../reports.js";
import { getWorkflowParams, readOrder } from "./orders.js";

/** An order's completion: the receipt the enclave signed, and whom the workflow named. */
export interface OrderResult {
  orderId: bigint;
  /** Done, Error or Canceled. */
  status: OrderStatus;
  /** sha256 of the result (Done) or of the logs (Error), as the receipt names it. */
  resultHash: Hex;
  /** One pointer per recipient for Done (at most one each for Error), in the workflow's order. */
  pointers: Hex[];
  /** The enclave's EIP-712 signature of the receipt (checked on-chain for Done). */
  signature: Hex;
  /** The order's enclave. */
  teeKey: Address;
  /** The public keys the workflow named, the consumer's first. */
  resultRecipients: Hex[];
  blockNumber: bigint;
  transactionHash: Hex;
}

/**
 * An order's result receipt and recipients: the order, then `OrderCompleted` at its `resultBlock`
 * and `WorkflowCreated` at its `argsBlock` together (three round trips with a batching transport).
 *
 * @param ctx The marketplace context.
 * @param params `orderId`.
 * @example
 * const { status, resultHash, pointers } = await client.orders.getResult({ orderId });
 * @throws {InputError} naming `orderId`.
 * @throws {ContractError} `OrderNotFound`.
 * @throws {StateError} when the order is not completed yet, its event is missing (a pruning RPC), or
 * the event's status is not the order's (an RPC endpoint that altered one).
 */
export async function getOrderResult(
  ctx: MarketplaceContext,
  params: { orderId: bigint | number | string },
): Promise<OrderResult> {
  const orderId = toId(params.orderId, "orderId", "an order");
  const order = await readOrder(ctx, orderId);
  if (order.resultBlock === 0n) {
    throw new StateError(
      `Order ${orderId} has no result: it is ${enumName(OrderStatus, order.status)}` +
        (order.status === OrderStatus.Canceled ? " (canceled before its enclave completed it)" : "") +
        ".",
    );
  }
  const [[event], created] = await Promise.all([
    eventsAtBlock(ctx, {
      address: ctx.deployment.contracts.orders,
      abi: ordersAbi,
      eventName: "OrderCompleted",
      args: { orderId },
      block: order.resultBlock,
    }),
    getWorkflowParams(ctx, { orderId }),
  ]);
  if (event === undefined) {
    throw new StateError(
      `No OrderCompleted event of order ${orderId} at block ${order.resultBlock}; the RPC may have pruned its logs.`,
    );
  }
  // A completed order keeps its status, so they agree unless the endpoint altered one: an event
  // turned from Done to Error would pass an unsigned receipt off as the enclave's logs.
  if (event.args.status !== order.status) {
    throw new StateError(
      `Order ${orderId} is ${enumName(OrderStatus, order.status)}, but the OrderCompleted event the RPC ` +
        `endpoint returned says ${statusText(event.args.status)}: the endpoint altered its ` +
        `answer. Read the order through another RPC endpoint.`,
    );
  }
  return {
    orderId,
    status: event.args.status as OrderStatus,
    resultHash: event.args.resultHash,
    pointers: [...event.args.pointers],
    signature: event.args.signature,
    teeKey: order.teeKey,
    resultRecipients: created.resultRecipients,
    blockNumber: event.blockNumber,
    transactionHash: event.transactionHash,
  };
}

/**
 * Opens your result pointer: finds the recipient whose public key is your key's, and opens the
 * pointer at that position, checking that it names this chain, contract, order and the receipt's
 * result hash.
 *
 * @param ctx The marketplace context.
 * @param params `privateKey`: your result key (the pair of the public key you named); `result`:
 * from {@link getOrderResult}.
 * @returns The result's resource file (where it is stored, its key, its hash) and your position.
 * @example
 * const result = await client.orders.getResult({ orderId });
 * const { resource } = client.results.open({ result, privateKey: resultKey.privateKey });
 * @throws {InputError} naming `privateKey` when it is malformed or its public key is not a recipient.
 * @throws {StateError} when there is no pointer for you (an Error order without logs for you).
 * @throws {DecryptionError} when your pointer does not open with the key.
 * @throws {EnvelopeMismatchError} when your pointer was sealed for another order or result.
 */
export function openOrderResult(
  ctx: MarketplaceContext,
  params: { result: OrderResult; privateKey: Hex | Uint8Array },
): { resource: unknown; recipientIndex: number } {
  const { result } = params;
  const mine = teePublicKeyFromPrivateKey(params.privateKey);
  const recipientIndex = result.resultRecipients.findIndex((key) => sameKey(key, mine));
  if (recipientIndex < 0) {
    throw new InputError(
      "privateKey",
      `its public key is none of order ${result.orderId}'s ${result.resultRecipients.length} result recipients`,
    );
  }
  const pointer = result.pointers[recipientIndex];
  if (pointer === undefined) {
    throw new StateError(
      `Order ${result.orderId} (${enumName(OrderStatus, result.status)}) has no result pointer for recipient ${recipientIndex}.`,
    );
  }
  const { resource } = openResultPointer(params.privateKey, pointer, {
    chainId: ctx.deployment.chainId,
    orders: ctx.deployment.contracts.orders,
    orderId: result.orderId,
    resultHash: result.resultHash,
  });
  return { resource, recipientIndex };
}

/** A status's name, or its number when it is none (as an altered event may carry). */
function statusText(value: number): string {
  return Object.values(OrderStatus).some((v) => v === value) ? enumName(OrderStatus, value) : String(value);
}

/** Whether a recipient key is `point`; the contract checks only a key's length, so a consumer may have named a key off the curve. */
function sameKey(key: Hex, point: Hex): boolean {
  try {
    return uncompressedPublicKey(key) === point;
  } catch {
    return false;
  }
}

/** One check of a result receipt. */
export interface ResultCheck {
  name: "receiptSigned" | "pointerPerRecipient" | "pointerOpens";
  ok: boolean;
  /** What was compared, in words. */
  detail: string;
}

/**
 * Checks an order's result receipt: `receiptSigned` (the signature recovers to the order's
 * enclave), `pointerPerRecipient` (Done: one pointer per recipient, so every recipient got the same
 * result hash in one signed receipt) and, with your key, `pointerOpens` (your pointer opens and
 * names this order and that result hash). Pure over `result`.
 *
 * @param ctx The marketplace context.
 * @param params `result`: from {@link getOrderResult}; `privateKey`: optionally, your result key.
 * @returns `ok` when every check passed, and the checks.
 * @example
 * const { ok, checks } = await client.results.verify({ result: await client.orders.getResult({ orderId }), privateKey });
 * @throws nothing for a result read with getOrderResult: a bad signature or pointer is a failed check.
 */
export async function verifyOrderResult(
  ctx: MarketplaceContext,
  params: { result: OrderResult; privateKey?: Hex | Uint8Array },
): Promise<{ ok: boolean; checks: ResultCheck[] }> {
  const { result } = params;
  const checks: ResultCheck[] = [];
  const domain = orderReportDomain(ctx.deployment.chainId, ctx.deployment.contracts.orders);
  try {
    const signer = await recoverResultReceiptSigner(domain, result, result.signature);
    const ok = isAddressEqual(signer, result.teeKey);
    checks.push({
      name: "receiptSigned",
      ok,
      detail: ok
        ? `signed by the order's enclave ${result.teeKey}`
        : `signed by ${signer}, the order's enclave is ${result.teeKey}`,
    });
  } catch (error) {
    checks.push({
      name: "receiptSigned",
      ok: false,
      detail: `the signature does not recover: ${errorText(error)}`,
    });
  }
  const recipients = result.resultRecipients.length;
  const count = result.pointers.length;
  const countOk = result.status === OrderStatus.Done ? count === recipients : count <= recipients;
  checks.push({
    name: "pointerPerRecipient",
    ok: countOk,
    detail: `${count} pointer${count === 1 ? "" : "s"} for ${recipients} recipient${recipients === 1 ? "" : "s"}, all under result hash ${result.resultHash}`,
  });
  if (params.privateKey !== undefined) {
    try {
      const { recipientIndex } = openOrderResult(ctx, { result, privateKey: params.privateKey });
      checks.push({
        name: "pointerOpens",
        ok: true,
        detail: `your pointer (recipient ${recipientIndex}) opens and names order ${result.orderId} and result hash ${result.resultHash}`,
      });
    } catch (error) {
      checks.push({ name: "pointerOpens", ok: false, detail: errorText(error) });
    }
  }
  return { ok: checks.every((c) => c.ok), checks };
}
