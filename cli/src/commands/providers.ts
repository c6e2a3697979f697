/**
 * `tee-market providers`: register as a provider and read providers.
 * The commands as declared (names, options, help); each runs from `../providers.ts`, loaded only when
 * the command runs, so `--help` loads neither viem nor the SDK.
 */
import type { Command, Group } from "../command.js";

const implementation = () => import("../providers.js");

const register: Command = {
  name: "register",
  summary: "Register the key's account as a provider (it becomes the provider's authority).",
  options: {
    info: {
      type: "string",
      value: "<file>",
      required: true,
      description: "provider info: { name, description, tokenReceiver, actionAccount, metadata }",
    },
    "action-account": {
      type: "string",
      value: "<address>",
      description: "replaces the file's actionAccount (may complete suborders, publish TCBs)",
    },
    "token-receiver": {
      type: "string",
      value: "<address>",
      description: "replaces the file's tokenReceiver (gets the payouts)",
    },
  },
  details: ["The whole file goes on-chain as canonical JSON (sorted keys, no whitespace)."],
  run: (ctx, input) => implementation().then((m) => m.runRegister(ctx, input)),
};

const get: Command = {
  name: "get",
  summary: "Show a provider (default: the key's account) and its info.",
  args: "[<address>]",
  positionals: { min: 0, max: 1 },
  run: (ctx, input) => implementation().then((m) => m.runGet(ctx, input)),
};

/** The `providers` group. */
export const providersGroup: Group = {
  name: "providers",
  summary: "Register as a provider (data owner, solution author, TEE provider) and read providers.",
  commands: [register, get],
};
