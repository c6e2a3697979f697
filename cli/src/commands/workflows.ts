/**
 * `tee-market workflows`: place workflows.
 * The commands as declared (names, options, help); each runs from `../workflows.ts`, loaded only when
 * the command runs, so `--help` loads neither viem nor the SDK.
 */
import type { Command, Group } from "../command.js";

const implementation = () => import("../workflows.js");

const create: Command = {
  name: "create",
  summary: "Create a workflow: a TEE order with a suborder for each input offer; prints the TEE order id.",
  options: {
    solution: {
      type: "string",
      value: "<file|hash|offerId[,slotId]>",
      required: true,
      description:
        "solution.resource.json or its sha256, or a Solution offer (an input, its content hash committed)",
    },
    data: {
      type: "string",
      multiple: true,
      value: "<offerId[,slotId]>",
      description: "a Data offer and its slot (repeat for more)",
    },
    tee: {
      type: "string",
      value: "<offerId[,slotId]>",
      required: true,
      description: "the TEE offer and its slot",
    },
    deposit: {
      type: "string",
      value: "<tokens>",
      description: "deposit in payment tokens (200, 0.5); default: the slots' minimum cost",
    },
    "result-recipient": {
      type: "string",
      multiple: true,
      required: true,
      value: "<publicKey>",
      description: "a public key the result is sealed for, yours first (repeat for more, up to 8)",
    },
  },
  details: [
    "A slot left out is the offer's first slot. When the payment-token allowance of the Orders contract",
    "is below the deposit, the deposit is approved first (one more transaction). A solution given as its",
    "resource file is sealed for the TEE offer's enclave, with this chain, contract, you and its hash.",
  ],
  run: (ctx, input) => implementation().then((m) => m.runCreate(ctx, input)),
};

const replenishDeposit: Command = {
  name: "replenish-deposit",
  summary: "Add tokens to an open order's deposit (approving them first when the allowance is short).",
  args: "<orderId> <amount>",
  positionals: { min: 2, max: 2 },
  details: ["<amount> is in payment tokens (10, 0.5). Only the order's consumer may replenish it."],
  run: (ctx, input) => implementation().then((m) => m.runReplenishDeposit(ctx, input)),
};

/** The `workflows` group. */
export const workflowsGroup: Group = {
  name: "workflows",
  summary: "Place workflows (a TEE order with its input suborders) and replenish their deposits.",
  commands: [create, replenishDeposit],
};
