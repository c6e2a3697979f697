/**
 * `tee-market tokens`: an account's balances (the payment token, what it may withdraw from the
 * marketplace, the Orders contract's allowance, the chain's native token), and the approval a
 * consumer gives the Orders contract.
 */
import { formatUnits } from "viem";
import { getBalance } from "viem/actions";

import { addressArg, optional, positional, tokensArg } from "./args.js";
import { formatTokens } from "./amounts.js";
import type { CommandContext, CommandInput } from "./command.js";
import { type CommandResult, fields } from "./output.js";

/** `tokens balance`. */
export async function runBalance(ctx: CommandContext, input: CommandInput): Promise<CommandResult> {
  const accountValue = optional(input, "account");
  const { client, settings, token, account } =
    accountValue === undefined
      ? await ctx.writer()
      : await ctx.reader().then((c) => ({ ...c, account: addressArg(accountValue, "--account") }));
  const [tokenInfo, balances, native] = await Promise.all([
    token(),
    client.payments.balance({ account }),
    getBalance(client.context.publicClient, { address: account }),
  ]);
  const nativeSymbol = settings.chain.nativeCurrency.symbol;
  return {
    text: [
      `Balance of ${account}: ${formatUnits(balances.token, tokenInfo.decimals)} ${tokenInfo.symbol}`,
      `Balance of ${account}: ${formatUnits(native, settings.chain.nativeCurrency.decimals)} ${nativeSymbol}`,
      ...fields([
        ["withdrawable", formatTokens(balances.withdrawable, tokenInfo)],
        ["allowance", `${formatTokens(balances.allowance, tokenInfo)} for the Orders contract`],
      ]),
    ].join("\n"),
    json: {
      account,
      token: { address: tokenInfo.address, symbol: tokenInfo.symbol, balance: balances.token },
      withdrawable: balances.withdrawable,
      allowance: balances.allowance,
      native: { symbol: nativeSymbol, balance: native },
    },
  };
}

/** `tokens approve`: let the Orders contract pull this many tokens (deposits, replenishments). */
export async function runApprove(ctx: CommandContext, input: CommandInput): Promise<CommandResult> {
  const { client, account, token } = await ctx.writer();
  const tokenInfo = await token();
  const amount = tokensArg(positional(input, 0), "<amount>", tokenInfo.decimals);
  const { receipt } = await ctx.out.pending(
    `Approving ${formatTokens(amount, tokenInfo)} for the Orders contract`,
    () => client.payments.approve({ amount }),
  );
  return {
    text: [
      `The Orders contract may now take ${formatTokens(amount, tokenInfo)} from ${account}`,
      ...fields([["transaction", receipt.transactionHash]]),
    ].join("\n"),
    json: { account, amount, token: tokenInfo.address, transactionHash: receipt.transactionHash },
  };
}
