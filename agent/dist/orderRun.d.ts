import { type MarketplaceContext } from "@tee-marketplace/sdk";
import type { Storage } from "@tee-marketplace/sdk/node";
import type { ChainWriter } from "./chainWriter.js";
import type { EnclaveKeys } from "./enclaveKeys.js";
import type { Emit } from "./events.js";
import type { Runner } from "./runners/runner.js";
/** Why an order's run was stopped (the abort reason of its signal). */
export declare class OrderStop {
  /** `canceled`: the consumer canceled; `deadline`: past the slot's max time; `stopping`: the agent stops. */
  readonly kind: "canceled" | "deadline" | "stopping";
  readonly message: string;
  constructor(
    /** `canceled`: the consumer canceled; `deadline`: past the slot's max time; `stopping`: the agent stops. */
    kind: "canceled" | "deadline" | "stopping",
    message: string,
  );
}
/** What serving an order needs. */
export interface OrderDeps {
  readonly ctx: MarketplaceContext;
  readonly writer: ChainWriter;
  readonly keys: EnclaveKeys;
  readonly runner: Runner;
  readonly storage: Storage;
  /** Credentials result pointers carry instead of the storage's own. */
  readonly resourceCredentials?: Readonly<Record<string, unknown>>;
  readonly workDirectory: string;
  /** The enclave's current TCB (reports name it). */
  readonly tcbId: () => bigint;
  /** Reads with retries. */
  readonly read: <T>(what: string, attempt: () => Promise<T>) => Promise<T>;
  readonly emit: Emit;
  /** Aborts when the agent halts (ends retries of transactions). */
  readonly halt: AbortSignal;
}
/**
 * Serves one order of this enclave until it ends (or is left to the next poll when it is no longer
 * New or Processing).
 *
 * @param d See {@link OrderDeps}.
 * @param orderId The order.
 * @param signal Aborted with an {@link OrderStop} when the consumer cancels, the deadline nears or the agent stops.
 * @example
 * await serveOrder(deps, 7n, controller.signal);
 * @throws what a write throws that the order cannot recover from (the caller settles the order).
 */
export declare function serveOrder(d: OrderDeps, orderId: bigint, signal: AbortSignal): Promise<void>;
/**
 * Ends an order this agent cannot run: Canceled when the consumer asked (Canceling), else Error with
 * `reason` as its logs, delivered to the recipients, the receipt unsigned when the order's enclave
 * is not this one (the contract takes an Error receipt on the operator's word).
 *
 * @param d See {@link OrderDeps}.
 * @param orderId The order (Processing or Canceling).
 * @param reason Why it ends, for its logs.
 * @example
 * await settleOrder(deps, 7n, "the enclave that ran it restarted with new keys");
 * @throws what the completion throws (a ContractError when the order changed meanwhile).
 */
export declare function settleOrder(d: OrderDeps, orderId: bigint, reason: string): Promise<void>;
