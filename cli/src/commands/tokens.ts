/**
 * `tee-market tokens`: balances and the payment token's approval.
 * The commands as declared (names, options, help); each runs from `../tokens.ts`, loaded only when
 * the command runs, so `--help` loads neither viem nor the SDK.
 */
import type { Command, Group } from "../command.js";

const implementation = () => import("../tokens.js");

const balance: Command = {
  name: "balance",
  summary: "Show an account's payment tokens, withdrawable balance, allowance and native tokens.",
  options: {
    account: {
      type: "string",
      value: "<address>",
      description: "whose balance (default: the key's account)",
    },
  },
  run: (ctx, input) => implementation().then((m) => m.runBalance(ctx, input)),
};

const approve: Command = {
  name: "approve",
  summary: "Let the Orders contract take this many payment tokens from the key's account.",
  args: "<amount>",
  positionals: { min: 1, max: 1 },
  details: [
    "<amount> is in payment tokens (200, 0.5); it replaces the previous allowance. workflows create",
    "and workflows replenish-deposit approve by themselves when the allowance is short.",
  ],
  run: (ctx, input) => implementation().then((m) => m.runApprove(ctx, input)),
};

/** The `tokens` group. */
export const tokensGroup: Group = {
  name: "tokens",
  summary: "Balances, and the payment token's approval for the Orders contract.",
  commands: [balance, approve],
};
