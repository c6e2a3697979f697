/**
 * `tee-market providers`: register the key's account as a provider from Super Protocol's provider
 * info file (spctl's `providerInfo.example.json`), and read a provider.
 */
import path from "node:path";

import { parseProviderInfo } from "@tee-marketplace/sdk";
import type { CommandContext, CommandInput } from "./command.js";
import { addressArg, inFile, optional, readJsonFile, required } from "./args.js";
import { fields, type CommandResult } from "./output.js";

/** `providers register`. */
export async function runRegister(ctx: CommandContext, input: CommandInput): Promise<CommandResult> {
  const file = path.resolve(ctx.io.cwd, required(input, "info", "<provider-info.json>"));
  const raw = await readJsonFile(file);
  const actionAccount = optional(input, "action-account");
  const tokenReceiver = optional(input, "token-receiver");
  const overrides = {
    ...(actionAccount === undefined ? {} : { actionAccount: addressArg(actionAccount, "--action-account") }),
    ...(tokenReceiver === undefined ? {} : { tokenReceiver: addressArg(tokenReceiver, "--token-receiver") }),
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
}

/** `providers get`. */
export async function runGet(ctx: CommandContext, input: CommandInput): Promise<CommandResult> {
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
}
