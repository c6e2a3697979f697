/**
 * `tee-market workflows`: place workflows, replenish their deposits, make result keys.
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
    "result-key": {
      type: "string",
      value: "<file>",
      description:
        "your result key (workflows generate-key): its public key is the first recipient (default: tee-market.result-key.json beside the config, generated when missing)",
    },
    "result-recipient": {
      type: "string",
      multiple: true,
      value: "<publicKey>",
      description:
        "another public key the result is sealed for (repeat, 8 recipients in all); alone, without --result-key: the recipients, yours first",
    },
  },
  details: [
    "A slot left out is the offer's first slot. When the payment-token allowance of the Orders contract",
    "is below the deposit, the deposit is approved first (one more transaction). A solution given as its",
    "resource file is sealed for the TEE offer's enclave, with this chain, contract, you and its hash.",
    "The enclave seals the result's pointer for every recipient; tee-market orders download-result opens",
    "yours with your result key. A generated key is written beside the config file and named on stderr.",
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

const generateKey: Command = {
  name: "generate-key",
  summary: "Make a result key: the key pair your orders' results are sealed for (a file, mode 0600).",
  options: {
    output: {
      type: "string",
      value: "<file>",
      description:
        "where to write it (default: the config's resultKey, else tee-market.result-key.json beside it)",
    },
  },
  details: [
    'The file: { "type": "tee-marketplace/result-key", "version": 1, "publicKey": "0x02…" (33 bytes),',
    '"privateKey": "0x…" (32 bytes), "created": "<ISO time>" }. An existing file is never overwritten.',
    "workflows create names its public key first; orders download-result opens results with it.",
  ],
  run: (ctx, input) => implementation().then((m) => m.runGenerateKey(ctx, input)),
};

/** The `workflows` group. */
export const workflowsGroup: Group = {
  name: "workflows",
  summary: "Place workflows (a TEE order with its input suborders), replenish deposits, make result keys.",
  commands: [create, replenishDeposit, generateKey],
};
