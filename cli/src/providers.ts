/**
 * `tee-market providers`: register the key's account as a provider from Super Protocol's provider
 * info file (spctl's `providerInfo.example.json`), and read a provider.
 */
import path from "node:path";

import { parseProviderInfo } from "@tee-marketplace/sdk";
import { type Command, type Group } from "./command.js";
import { addressArg, inFile, optional, readJsonFile, required } from "./args.js";
import { fields } from "./output.js";

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
  async run(ctx, input) {
    const file = path.resolve(ctx.io.cwd, required(input, "info", "<provider-info.json>"));
    const raw = await readJsonFile(file);
    const actionAccount = optional(input, "action-account");
    const tokenReceiver = optional(input, "token-receiver");
    const overrides = {
      ...(actionAccount === undefined
        ? {}
        : { actionAccount: addressArg(actionAccount, "--action-account") }),
      ...(tokenReceiver === undefined
        ? {}
        : { tokenReceiver: addressArg(tokenReceiver, "--token-receiver") }),
    };
    const info =
      typeof raw === "object" && raw !== null && !Array.isArray(raw) ? { ...raw, ...overrides } : raw;
    inFile(file, () => parseProviderInfo(info));
    const { client, account } = await ctx.writer();
    const { receipt } = await ctx.out.pending(`Registering provider ${account}`, () =>
      client.providers.register({ info }),
    );
    const provider = await client.providers.get({ authority: account });
    return {
      text: [
        `Provider ${account} has been registered`,
        ...fields([
          ["action account", provider.actionAccount],
          ["token receiver", provider.tokenReceiver],
          ["transaction", receipt.transactionHash],
        ]),
      ].join("\n"),
      json: {
        authority: account,
        actionAccount: provider.actionAccount,
        tokenReceiver: provider.tokenReceiver,
        transactionHash: receipt.transactionHash,
      },
    };
  },
};

const get: Command = {
  name: "get",
  summary: "Show a provider (default: the key's account) and its info.",
  args: "[<address>]",
  positionals: { min: 0, max: 1 },
  async run(ctx, input) {
    const given = input.positionals[0];
    const { client, authority } =
      given === undefined
        ? await ctx.writer().then((c) => ({ client: c.client, authority: c.account }))
        : await ctx.reader().then((c) => ({ client: c.client, authority: addressArg(given, "<address>") }));
    const [provider, { info }] = await Promise.all([
      client.providers.get({ authority }),
      client.providers.getInfo({ authority }),
    ]);
    const name = typeof info === "object" && info !== null ? (info as { name?: unknown }).name : undefined;
    return {
      text: [
        `Provider ${authority}`,
        ...fields([
          ["name", typeof name === "string" ? name : "(none)"],
          ["action account", provider.actionAccount],
          ["token receiver", provider.tokenReceiver],
          ["info hash", provider.infoHash],
        ]),
      ].join("\n"),
      json: { provider, info },
    };
  },
};

/** The `providers` group. */
export const providersGroup: Group = {
  name: "providers",
  summary: "Register as a provider (data owner, solution author, TEE provider) and read providers.",
  commands: [register, get],
};
