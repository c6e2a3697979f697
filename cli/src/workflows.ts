/**
 * `tee-market workflows create`: place a workflow (the TEE order and one suborder per input offer)
 * as Super Protocol's `spctl workflows create` does, approving the deposit when the allowance is short.
 */
import path from "node:path";

import type { Hex } from "viem";

import { type MarketplaceClient, OrderStatus, StateError, enumName } from "@tee-marketplace/sdk";
import { readResourceFile } from "@tee-marketplace/sdk/node";
import type { CommandContext, CommandInput } from "./command.js";
import { bytes32Arg, isHash, list, offerSlotArg, required, tokensArg } from "./args.js";
import { fields, type CommandResult } from "./output.js";
import { formatTokens } from "./amounts.js";

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

/** `workflows create`. */
export async function runCreate(ctx: CommandContext, input: CommandInput): Promise<CommandResult> {
  const tee = offerSlotArg(required(input, "tee", "<offerId[,slotId]>"), "--tee");
  const data = list(input, "data").map((value) => offerSlotArg(value, "--data"));
  const solutionValue = required(input, "solution", "<solution.resource.json>");
  const solutionOffer = /^\s*\d+\s*(,\s*\d+\s*)?$/.test(solutionValue)
    ? offerSlotArg(solutionValue, "--solution")
    : undefined;
  let solutionHash: Hex | undefined;
  if (solutionOffer === undefined) {
    solutionHash = isHash(solutionValue)
      ? bytes32Arg(solutionValue, "--solution")
      : (await readResourceFile(path.resolve(ctx.io.cwd, solutionValue))).hash;
  }
  const depositValue = required(input, "deposit", "<tokens>");

  const { client, account, token } = await ctx.writer();
  const tokenInfo = await token();
  const deposit = tokensArg(depositValue, "--deposit", tokenInfo.decimals);
  const inputs = [...(solutionOffer === undefined ? [] : [solutionOffer]), ...data];
  const [teeSlotId, inputSlots, solutionOfferHash, balances] = await Promise.all([
    slotOf(client, tee.offerId, tee.slotId),
    Promise.all(inputs.map((i) => slotOf(client, i.offerId, i.slotId))),
    solutionOffer === undefined
      ? Promise.resolve(undefined)
      : client.offers.get({ offerId: solutionOffer.offerId }).then((o) => o.contentHash),
    client.payments.balance(),
  ]);
  solutionHash ??= solutionOfferHash as Hex;
  if (balances.token < deposit) {
    throw new StateError(
      `${account} holds ${formatTokens(balances.token, tokenInfo)}, less than the deposit of ` +
        `${formatTokens(deposit, tokenInfo)}: get more of the payment token ${tokenInfo.address} first`,
    );
  }
  let approvalTransactionHash: Hex | undefined;
  if (balances.allowance < deposit) {
    const { receipt } = await ctx.out.pending(
      `Approving ${formatTokens(deposit, tokenInfo)} for the Orders contract`,
      () => client.payments.approve({ amount: deposit }),
    );
    approvalTransactionHash = receipt.transactionHash;
  }
  const workflowInputs = inputs.map((i, n) => ({ offerId: i.offerId, slotId: inputSlots[n] ?? 0n }));
  const created = await ctx.out.pending("Creating the workflow", () =>
    client.orders.createWorkflow({
      teeOfferId: tee.offerId,
      teeSlotId,
      solutionHash: solutionHash as Hex,
      inputs: workflowInputs,
      deposit,
    }),
  );
  const suborders = created.suborderIds.map((id, n) => ({ id, ...workflowInputs[n] }));
  const status = enumName(OrderStatus, created.status);
  return {
    text: [
      `Workflow has been created: TEE order ${created.orderId} (${status})`,
      ...fields([
        ["TEE offer", `${tee.offerId}, slot ${teeSlotId}`],
        ["solution hash", solutionHash as Hex],
        ["deposit", formatTokens(deposit, tokenInfo)],
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
      suborders,
      transactionHash: created.receipt.transactionHash,
      ...(approvalTransactionHash === undefined ? {} : { approvalTransactionHash }),
    },
  };
}
