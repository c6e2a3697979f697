/**
 * The agent's transactions, one at a time from the operator's account: each is simulated (a
 * revert is a `ContractError` before any gas is spent), signed once, and broadcast again and again
 * while the RPC is down or slow until its receipt is found. Re-broadcasting the same signed bytes
 * cannot do anything twice; a transaction is signed anew only when the first cannot be mined (its
 * nonce was taken, or it was not mined within {@link MINING_TIMEOUT_MS}), after a fresh simulation,
 * and the contracts refuse a second start, report or completion of an order anyway. One at a time,
 * so two orders never race for a nonce.
 */
import { type Abi, type Chain, type LocalAccount, type TransactionReceipt } from "viem";
import { type MarketplaceCall, type ReadClient } from "@tee-marketplace/sdk";
import { type RetryOptions } from "./retry.js";
/** Sends the agent's transactions. */
export interface ChainWriter {
  /** The operator's address: the sender of every transaction. */
  readonly address: `0x${string}`;
  /**
   * Simulates, signs once and sends `call`, then waits for its receipt.
   *
   * @throws {ContractError} when the simulation reverts; {@link TransactionRevertedError} when the
   * mined transaction reverted; the stop signal's reason when the agent stops.
   */
  send(call: MarketplaceCall<Abi, string>, action: string): Promise<TransactionReceipt>;
}
/**
 * A writer for the operator's account.
 *
 * @param params The client reads and broadcasts go through, the operator's account, the chain, how
 * to report retries and the stop signal, and how often to poll for receipts.
 * @example
 * const writer = createChainWriter({ publicClient, account, chain, retry: { onRetry, signal }, pollIntervalMs: 1000 });
 * await writer.send(startOrderCall(ctx, { orderId }), `starting order ${orderId}`);
 * @throws nothing here.
 */
export declare function createChainWriter(params: {
  publicClient: ReadClient;
  account: LocalAccount;
  chain: Chain;
  retry: Omit<RetryOptions, "what" | "retryIf">;
  pollIntervalMs: number;
}): ChainWriter;
