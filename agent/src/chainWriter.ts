/**
 * The agent's transactions, one at a time from the operator's account: each is simulated (a
 * revert is a `ContractError` before any gas is spent), signed once, and broadcast again and again
 * while the RPC is down or slow until its receipt is found. Re-broadcasting the same signed bytes
 * cannot do anything twice; a transaction is signed anew only when the first cannot be mined (its
 * nonce was taken, or it was not mined within {@link MINING_TIMEOUT_MS}), after a fresh simulation,
 * and the contracts refuse a second start, report or completion of an order anyway. One at a time,
 * so two orders never race for a nonce.
 */
import {
  type Abi,
  type Chain,
  type Hex,
  type LocalAccount,
  type TransactionReceipt,
  type TransactionSerializable,
  TransactionReceiptNotFoundError,
  encodeFunctionData,
  keccak256,
} from "viem";
import {
  getTransactionReceipt,
  prepareTransactionRequest,
  sendRawTransaction,
  simulateContract,
} from "viem/actions";

import {
  type MarketplaceCall,
  type ReadClient,
  TransactionRevertedError,
  contractErrorFrom,
} from "@tee-marketplace/sdk";

import { type RetryOptions, errorText, isTransient, sleep, withRetry } from "./retry.js";

/** Longest wait for a broadcast transaction to be mined before it is signed anew. */
const MINING_TIMEOUT_MS = 120_000;

/** What the node says when it has the transaction already, or its nonce was used (maybe by it). */
const ALREADY_SENT =
  /already known|known transaction|already imported|nonce too low|nonce has already been used/i;
/** What the node says when the operator's account cannot pay the gas: worth waiting for a top-up. */
const NO_GAS = /insufficient funds/i;

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
export function createChainWriter(params: {
  publicClient: ReadClient;
  account: LocalAccount;
  chain: Chain;
  retry: Omit<RetryOptions, "what" | "retryIf">;
  pollIntervalMs: number;
}): ChainWriter {
  const { publicClient, account, chain } = params;
  let queue: Promise<unknown> = Promise.resolve();
  const retrying = (what: string) => ({
    ...params.retry,
    what,
    retryIf: (error: unknown) => isTransient(error) || NO_GAS.test(errorText(error)),
  });

  async function sendOnce(call: MarketplaceCall<Abi, string>, action: string): Promise<TransactionReceipt> {
    for (;;) {
      await withRetry(
        async () => {
          try {
            await simulateContract(publicClient, { ...call, account } as never);
          } catch (error) {
            throw contractErrorFrom(error, { action }) ?? error;
          }
        },
        retrying(`simulating ${action}`),
      );
      const prepared = await withRetry(
        () =>
          prepareTransactionRequest(publicClient, {
            account,
            chain,
            to: call.address,
            data: encodeFunctionData({
              abi: call.abi,
              functionName: call.functionName,
              args: call.args,
            } as never),
          }),
        retrying(`preparing ${action}`),
      );
      const serialized = await account.signTransaction(prepared as TransactionSerializable);
      const hash = keccak256(serialized);
      await withRetry(
        async () => {
          try {
            await sendRawTransaction(publicClient, { serializedTransaction: serialized });
          } catch (error) {
            if (!ALREADY_SENT.test(errorText(error))) throw error;
          }
        },
        retrying(`sending ${action}`),
      );
      const receipt = await waitForReceipt(hash, action);
      if (receipt === undefined) continue;
      if (receipt.status !== "success") throw new TransactionRevertedError({ hash, action });
      return receipt;
    }
  }

  async function waitForReceipt(hash: Hex, action: string): Promise<TransactionReceipt | undefined> {
    const deadline = Date.now() + MINING_TIMEOUT_MS;
    while (Date.now() < deadline) {
      const receipt = await withRetry(
        () =>
          getTransactionReceipt(publicClient, { hash }).catch((error: unknown) => {
            if (error instanceof TransactionReceiptNotFoundError) return undefined;
            throw error;
          }),
        retrying(`waiting for ${action} (${hash})`),
      );
      if (receipt !== undefined) return receipt;
      await sleep(params.pollIntervalMs, params.retry.signal);
    }
    return undefined;
  }

  return {
    address: account.address,
    send(call, action) {
      const result = queue.then(() => sendOnce(call, action));
      queue = result.catch(() => undefined);
      return result;
    },
  };
}
