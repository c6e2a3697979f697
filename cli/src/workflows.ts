/**
 * `tee-market workflows`: place a workflow (the TEE order and one suborder per input offer) as
 * Super Protocol's `spctl workflows create` does, and replenish an order's deposit; both approve the
 * payment token when the allowance is short.
 */
import path from "node:path";

import type { Address, Hex } from "viem";

import {
  type MarketplaceClient,
  OrderStatus,
  type ResourceFile,
  StateError,
  enumName,
} from "@tee-marketplace/sdk";
import { readResourceFile } from "@tee-marketplace/sdk/node";
import type { CommandContext, CommandInput } from "./command.js";
import {
  bytes32Arg,
  hexArg,
  idArg,
  isHash,
  list,
  offerSlotArg,
  optional,
  positional,
  required,
  tokensArg,
} from "./args.js";
import { type CommandResult, UsageError, fields } from "./output.js";
import { type TokenInfo, formatTokens } from "./amounts.js";
import { loadConfig } from "./configFile.js";
import { type ResultKey, exists, readResultKey, resultKeyPath, writeNewResultKey } from "./resultKey.js";

/** The slot given, or the offer's first slot. */
async function slotOf(
  client: MarketplaceClient,
  offerId: bigint,
  slotId: bigint | undefined,
): Promise<bigint> {
  if (slotId !== undefined) return slotId;
  const { slots } = await client.slots.list({ offerId, limit: 1 });
  const first = slots[0];
  if (first === undefined) {
    throw new StateError(
      `Offer ${offerId} has no slots: its provider must add one (tee-market offers add-slot)`,
    );
  }
  return first.id;
}

/**
 * Checks that the key's account holds `amount` of the payment token, and approves the Orders
 * contract for it when the allowance is short (one more transaction, whose hash is returned).
 *
 * @throws {StateError} when the account holds less than `amount`.
 */
async function ensureFunds(
  ctx: CommandContext,
  client: MarketplaceClient,
  account: Address,
  tokenInfo: TokenInfo,
  amount: bigint,
  what: string,
): Promise<Hex | undefined> {
  const balances = await client.payments.balance();
  if (balances.token < amount) {
    throw new StateError(
      `${account} holds ${formatTokens(balances.token, tokenInfo)}, less than ${what} of ` +
        `${formatTokens(amount, tokenInfo)}: get more of the payment token ${tokenInfo.address} first`,
    );
  }
  if (balances.allowance >= amount) return undefined;
  const { receipt } = await ctx.out.pending(
    `Approving ${formatTokens(amount, tokenInfo)} for the Orders contract`,
    () => client.payments.approve({ amount }),
  );
  return receipt.transactionHash;
}

/** `workflows create`. */
export async function runCreate(ctx: CommandContext, input: CommandInput): Promise<CommandResult> {
  const tee = offerSlotArg(required(input, "tee", "<offerId[,slotId]>"), "--tee");
  const data = list(input, "data").map((value) => offerSlotArg(value, "--data"));
  const solutionValue = required(input, "solution", "<solution.resource.json>");
  const solutionOffer = /^\s*\d+\s*(,\s*\d+\s*)?$/.test(solutionValue)
    ? offerSlotArg(solutionValue, "--solution")
    : undefined;
  let solutionHash: Hex | undefined;
  let solution: ResourceFile | undefined;
  if (solutionOffer === undefined) {
    if (isHash(solutionValue)) solutionHash = bytes32Arg(solutionValue, "--solution");
    else {
      solution = await readResourceFile(path.resolve(ctx.io.cwd, solutionValue));
      solutionHash = solution.hash;
    }
  }
  const { resultRecipients, resultKey } = await recipientsOf(ctx, input);
  const depositValue = optional(input, "deposit");

  const { client, account, token } = await ctx.writer();
  const tokenInfo = await token();
  const given =
    depositValue === undefined ? undefined : tokensArg(depositValue, "--deposit", tokenInfo.decimals);
  const inputs = [...(solutionOffer === undefined ? [] : [solutionOffer]), ...data];
  const [teeSlotId, inputSlots, solutionOfferHash] = await Promise.all([
    slotOf(client, tee.offerId, tee.slotId),
    Promise.all(inputs.map((i) => slotOf(client, i.offerId, i.slotId))),
    solutionOffer === undefined
      ? Promise.resolve(undefined)
      : client.offers.get({ offerId: solutionOffer.offerId }).then((o) => o.contentHash),
  ]);
  solutionHash ??= solutionOfferHash as Hex;
  // spctl's default: the least the slots cost, which is what the contract requires.
  const minimum = (
    await Promise.all([teeSlotId, ...inputSlots].map((slotId) => client.slots.minCost({ slotId })))
  ).reduce((sum, cost) => sum + cost, 0n);
  const deposit = given ?? minimum;
  const approvalTransactionHash = await ensureFunds(ctx, client, account, tokenInfo, deposit, "the deposit");
  const workflowInputs = inputs.map((i, n) => ({ offerId: i.offerId, slotId: inputSlots[n] ?? 0n }));
  const created = await ctx.out.pending("Creating the workflow", () =>
    client.orders.createWorkflow({
      teeOfferId: tee.offerId,
      teeSlotId,
      solutionHash: solutionHash as Hex,
      inputs: workflowInputs,
      deposit,
      resultRecipients,
      ...(solution === undefined ? {} : { solution }),
    }),
  );
  const suborders = created.suborderIds.map((id, n) => ({ id, ...workflowInputs[n] }));
  const status = enumName(OrderStatus, created.status);
  return {
    text: [
      `Workflow was created, TEE order id: ${JSON.stringify([String(created.orderId)])}`,
      ...fields([
        ["status", status],
        ["TEE offer", `${tee.offerId}, slot ${teeSlotId}`],
        ["solution hash", solutionHash as Hex],
        ["result recipients", resultRecipients.join(", ")],
        [
          "deposit",
          `${formatTokens(deposit, tokenInfo)}${given === undefined ? ", the slots' minimum (--deposit to give more)" : ""}`,
        ],
        ...suborders.map((s) => [`suborder ${s.id}`, `offer ${s.offerId}, slot ${s.slotId}`] as const),
        ["transaction", created.receipt.transactionHash],
      ]),
      ...(created.status === OrderStatus.Blocked
        ? [`TEE order ${created.orderId} waits until the data owners complete their suborders.`]
        : []),
    ].join("\n"),
    json: {
      orderId: created.orderId,
      status,
      teeOfferId: tee.offerId,
      teeSlotId,
      solutionHash,
      deposit,
      minimumDeposit: minimum,
      suborders,
      transactionHash: created.receipt.transactionHash,
      resultRecipients,
      ...(resultKey === undefined ? {} : { resultKeyFile: resultKey.file }),
      ...(approvalTransactionHash === undefined ? {} : { approvalTransactionHash }),
    },
  };
}

/** The result key a workflow names first, and where it came from. */
interface NamedResultKey extends ResultKey {
  file: string;
  /** Whether this command generated it. */
  generated: boolean;
}

/**
 * The workflow's result recipients: the result key's public key first (`--result-key`, else the
 * default key file, generated when missing), then each `--result-recipient`. With only
 * `--result-recipient`s, those alone (the first is the consumer's).
 */
async function recipientsOf(
  ctx: CommandContext,
  input: CommandInput,
): Promise<{ resultRecipients: Hex[]; resultKey: NamedResultKey | undefined }> {
  const others = list(input, "result-recipient").map((value) => hexArg(value, "--result-recipient"));
  const keyFlag = optional(input, "result-key");
  if (keyFlag === undefined && others.length > 0) return { resultRecipients: others, resultKey: undefined };
  const file = resultKeyPath(ctx.io.cwd, await loadConfig(ctx.io, input.values), keyFlag);
  const generated = keyFlag === undefined && !(await exists(file));
  const key = generated ? await writeNewResultKey(file) : await readResultKey(file);
  ctx.out.note(
    generated
      ? `Generated the result key ${file} (mode 0600): keep it, tee-market orders download-result opens this order's result with it`
      : `Result key: ${file}`,
  );
  return { resultRecipients: [key.publicKey, ...others], resultKey: { ...key, file, generated } };
}

/** `workflows generate-key`: a result key file (mode 0600), never over an existing one. */
export async function runGenerateKey(ctx: CommandContext, input: CommandInput): Promise<CommandResult> {
  const file = resultKeyPath(ctx.io.cwd, await loadConfig(ctx.io, input.values), optional(input, "output"));
  const key = await writeNewResultKey(file);
  return {
    text: [
      `Result key was saved to ${path.relative(ctx.io.cwd, file) || file}`,
      ...fields([
        ["public key", key.publicKey],
        ["file", `${file} (mode 0600: it opens your results; back it up, share it with no one)`],
      ]),
    ].join("\n"),
    json: { file, publicKey: key.publicKey },
  };
}

/** `workflows replenish-deposit`: add to an open order's deposit (spctl's refill). */
export async function runReplenishDeposit(ctx: CommandContext, input: CommandInput): Promise<CommandResult> {
  const orderId = idArg(positional(input, 0), "<orderId>", "an order");
  const amountValue = positional(input, 1);
  const { client, account, token } = await ctx.writer();
  const tokenInfo = await token();
  const amount = tokensArg(amountValue, "<amount>", tokenInfo.decimals);
  if (amount === 0n) throw new UsageError("<amount>: replenish with more than 0 tokens");
  const approvalTransactionHash = await ensureFunds(ctx, client, account, tokenInfo, amount, "the amount");
  const { deposit, receipt } = await ctx.out.pending(`Replenishing the deposit of order ${orderId}`, () =>
    client.orders.refill({ orderId, amount }),
  );
  return {
    text: [
      `Deposit for order ${orderId} was replenished with ${formatTokens(amount, tokenInfo)}`,
      ...fields([
        ["deposit", formatTokens(deposit, tokenInfo)],
        ["transaction", receipt.transactionHash],
      ]),
    ].join("\n"),
    json: {
      orderId,
      amount,
      deposit,
      transactionHash: receipt.transactionHash,
      ...(approvalTransactionHash === undefined ? {} : { approvalTransactionHash }),
    },
  };
}
