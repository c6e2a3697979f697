/**
 * The shapes of orders as the SDK returns them: a workflow's parent (TEE) order and its suborders,
 * the credits of a settlement, a status change. Types only; the actions in `actions/orders.ts` and
 * `actions/suborders.ts` read them, `internal/orderStructs.ts` maps the contract's structs to them.
 */
import type { Address, Hex } from "viem";

import type { OrderStatus } from "./enums.js";

/** A parent (TEE) order, with its id. */
export interface Order {
  id: bigint;
  consumer: Address;
  status: OrderStatus;
  /** Number of suborders (ids `id + 1` .. `id + suborderCount`). */
  suborderCount: number;
  /** Manual suborders not yet Done. */
  blockingSuborders: number;
  /** Number of result recipients (the consumer's key first). */
  recipientCount: number;
  /** Whether the consumer may cancel while Processing. */
  cancelable: boolean;
  /** Unix seconds of `startOrder`, 0 before. */
  startedAt: number;
  teeOfferId: bigint;
  teeSlotId: bigint;
  /** The order's enclave: the TEE key its inputs are handed to, and the only key that may report and complete it. */
  teeKey: Address;
  /** Block of `WorkflowCreated` (the encrypted arguments and the result recipients). */
  argsBlock: bigint;
  deposit: bigint;
  /** Block of `OrderReportPublished`, 0 before. */
  reportBlock: bigint;
  /** Block of `OrderCompleted`, 0 before. */
  resultBlock: bigint;
  /** The committed solution hash (sha256). */
  solutionHash: Hex;
}

/** A suborder, with its id. */
export interface Suborder {
  id: bigint;
  parentId: bigint;
  offerId: bigint;
  slotId: bigint;
  status: OrderStatus;
  /** Unix seconds of the workflow's creation. */
  createdAt: number;
  /** Block of `SuborderCompleted`, 0 before (and for auto-complete suborders). */
  resultBlock: bigint;
  /** Data hash pinned by the owner (zero = not pinned). */
  dataHash: Hex;
}

/** A workflow: the parent order and its suborders. */
export interface Workflow {
  order: Order;
  suborders: Suborder[];
}

/** One credit of a settlement. */
export interface Payment {
  account: Address;
  amount: bigint;
}

/** A status change of an order or suborder, as {@link watchOrders} reports it. */
export interface OrderStatusUpdate {
  orderId: bigint;
  from: OrderStatus;
  to: OrderStatus;
  blockNumber: bigint;
  transactionHash: Hex;
}
