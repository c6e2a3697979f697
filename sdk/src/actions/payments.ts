/**
 * Payments: withdrawable balances (pull payments), withdrawals, and the payment-token approval a
 * consumer gives the Orders contract before creating or refilling a workflow.
 */
import {
  type Address,
  BaseError,
  ContractFunctionZeroDataError,
  type TransactionReceipt,
  erc20Abi,
} from "viem";

import { ordersAbi } from "../abi/orders.js";
import type { MarketplaceCall } from "../calls.js";
import type { MarketplaceContext } from "../context.js";
import { ContractError, InputError } from "../errors.js";
import { eventOf, read, send, walletAddress } from "../internal/contract.js";
import { toAddress, toUint } from "../validate.js";

/** An account's money in the marketplace, in payment-token base units. */
export interface Balances {
  account: Address;
  /** Credited by settlements and refunds, withdrawable with {@link withdrawPayments}. */
  withdrawable: bigint;
  /** The account's payment-token balance. */
  token: bigint;
  /** What the Orders contract may pull from the account (deposits, refills). */
  allowance: bigint;
}

/**
 * An account's withdrawable balance, token balance and allowance for the Orders contract (three
 * calls, one round trip with a batching transport).
 *
 * @param ctx The marketplace context.
 * @param params `account` (default: the wallet's account).
 * @example
 * const { withdrawable } = await client.payments.balance({ account: bobReceiver });
 * @throws {InputError} naming `account` when it is malformed, or missing without a wallet.
 */
export async function getBalances(
  ctx: MarketplaceContext,
  params: { account?: Address | string } = {},
): Promise<Balances> {
  const input = params.account ?? walletAddress(ctx);
  if (input === undefined)
    throw new InputError("account", "pass the account (the context has no wallet to default to)");
  const account = toAddress(input, "account");
  const { orders, paymentToken } = ctx.deployment.contracts;
  const [withdrawable, token, allowance] = await Promise.all([
    read(
      ctx,
      { address: orders, abi: ordersAbi, functionName: "balanceOf", args: [account] },
      `Cannot read the balance of ${account}`,
    ),
    read(
      ctx,
      { address: paymentToken, abi: erc20Abi, functionName: "balanceOf", args: [account] },
      `Cannot read the token balance of ${account}`,
    ),
    read(
      ctx,
      { address: paymentToken, abi: erc20Abi, functionName: "allowance", args: [account, orders] },
      `Cannot read the allowance of ${account}`,
    ),
  ]);
  return { account, withdrawable, token, allowance };
}

/**
 * The `withdraw` call of {@link withdrawPayments}, not sent: the sender withdraws its own balance.
 *
 * @param ctx The marketplace context.
 * @example
 * const call = withdrawPaymentsCall(ctx);
 * @throws nothing for a context built by createMarketplaceContext.
 */
export function withdrawPaymentsCall(ctx: MarketplaceContext): MarketplaceCall<typeof ordersAbi, "withdraw"> {
  return { address: ctx.deployment.contracts.orders, abi: ordersAbi, functionName: "withdraw", args: [] };
}

/**
 * Transfers the wallet account's whole withdrawable balance to it.
 *
 * @param ctx The marketplace context.
 * @returns The receipt and the amount withdrawn.
 * @example
 * const { amount } = await receiverClient.payments.withdraw();
 * @throws {InputError} naming `walletClient` when the context has none.
 * @throws {ContractError} `EscrowNothingToWithdraw`.
 */
export async function withdrawPayments(
  ctx: MarketplaceContext,
): Promise<{ receipt: TransactionReceipt; amount: bigint }> {
  const call = withdrawPaymentsCall(ctx);
  const receipt = await send(ctx, call, "Cannot withdraw");
  return { receipt, amount: eventOf(receipt, call.address, ordersAbi, "Withdrawn").args.amount };
}

/**
 * The payment token's `approve(orders, amount)` call of {@link approvePaymentToken}, checked but not
 * sent (viem's `erc20Abi`).
 *
 * @param ctx The marketplace context.
 * @param params `amount` in payment-token base units.
 * @example
 * const call = approvePaymentTokenCall(ctx, { amount: deposit });
 * @throws {InputError} naming `amount`.
 */
export function approvePaymentTokenCall(
  ctx: MarketplaceContext,
  params: { amount: bigint | number | string },
): MarketplaceCall<typeof erc20Abi, "approve"> {
  const { orders, paymentToken } = ctx.deployment.contracts;
  return {
    address: paymentToken,
    abi: erc20Abi,
    functionName: "approve",
    args: [orders, toUint(params.amount, "amount")],
  };
}

/**
 * Approves the Orders contract to pull `amount` of the payment token from the wallet's account
 * (replacing any previous allowance). The SDK never approves implicitly: call this before
 * `orders.createWorkflow` and `orders.refill`.
 *
 * @param ctx The marketplace context.
 * @param params `amount` in payment-token base units.
 * @example
 * await client.payments.approve({ amount: deposit });
 * @throws {InputError} naming `amount` or `walletClient`.
 * @throws {ContractError} from the token, for example `ERC20InvalidSpender`.
 */
export async function approvePaymentToken(
  ctx: MarketplaceContext,
  params: { amount: bigint | number | string },
): Promise<{ receipt: TransactionReceipt }> {
  const receipt = await send(ctx, approvePaymentTokenCall(ctx, params), "Cannot approve the payment token");
  return { receipt };
}

/** The payment token: its address and what it says about itself. */
export interface PaymentToken {
  address: Address;
  /** Digits after the decimal point of one whole token (18 for most tokens). */
  decimals: number;
  /** The token's symbol, or `undefined` when it has none (`symbol()` is optional in ERC-20). */
  symbol: string | undefined;
}

/**
 * The deployment's payment token: its address, decimals and symbol (two calls, one round trip with a
 * batching transport). Use it to show amounts in whole tokens (viem's `formatUnits(amount, decimals)`).
 *
 * @param ctx The marketplace context.
 * @example
 * const { decimals, symbol } = await client.payments.token();
 * console.log(`${formatUnits(deposit, decimals)} ${symbol ?? "tokens"}`);
 * @throws {ContractError} when the token's `decimals()` reverts (not an ERC-20 with decimals).
 */
export async function getPaymentToken(ctx: MarketplaceContext): Promise<PaymentToken> {
  const address = ctx.deployment.contracts.paymentToken;
  const [decimals, symbol] = await Promise.all([
    read(
      ctx,
      { address, abi: erc20Abi, functionName: "decimals", args: [] },
      `Cannot read the decimals of the payment token ${address}`,
    ),
    read(
      ctx,
      { address, abi: erc20Abi, functionName: "symbol", args: [] },
      `Cannot read the symbol of the payment token ${address}`,
    ).catch((error: unknown) => {
      // symbol() is optional in ERC-20: a revert or an empty answer means the token has none.
      const missing =
        error instanceof ContractError ||
        (error instanceof BaseError &&
          error.walk((e) => e instanceof ContractFunctionZeroDataError) !== null);
      if (missing) return undefined;
      throw error;
    }),
  ]);
  return { address, decimals, symbol };
}
