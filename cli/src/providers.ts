/**
 * `tee-market providers`: register the key's account as a provider (from a provider info file, or
 * just a name and a description), update it, read one, list them.
 */
import path from "node:path";

import type { Address, Hex } from "viem";

import { type MarketplaceClient, type Provider, parseProviderInfo } from "@tee-marketplace/sdk";

import { addressArg, inFile, optional, readJsonFile } from "./args.js";
import type { CommandContext, CommandInput } from "./command.js";
import { type FieldTable, fieldsOption, pick } from "./fields.js";
import { PROVIDER_FIELD_NAMES } from "./fieldNames.js";
import { type CommandResult, UsageError, fields, table } from "./output.js";
import { saveOrShow } from "./saveTo.js";

/** A provider as stored, what its info says, and how many offers it has (for listings). */
interface ProviderRow {
  provider: Provider;
  info: Record<string, unknown>;
  offers: number;
}

function infoText(info: Record<string, unknown>, key: string): string {
  const value = info[key];
  return typeof value === "string" ? value : "";
}

/** The columns of `providers list` and `providers get`, by spctl's names. */
const PROVIDER_FIELDS: FieldTable<ProviderRow, (typeof PROVIDER_FIELD_NAMES)[number]> = {
  address: { json: "address", value: (p) => p.provider.authority },
  name: { json: "name", value: (p) => infoText(p.info, "name") },
  description: { json: "description", value: (p) => infoText(p.info, "description") },
  authority_account: { json: "authorityAccount", value: (p) => p.provider.authority },
  action_account: { json: "actionAccount", value: (p) => p.provider.actionAccount },
  token_receiver: { json: "tokenReceiver", value: (p) => p.provider.tokenReceiver },
  info_hash: { json: "infoHash", value: (p) => p.provider.infoHash },
  offers: { json: "offers", value: (p) => p.offers },
};

/**
 * The provider info to send: the file's (or `base`, the info on-chain for an update), then the
 * flags; action account and token receiver default to `account`.
 */
async function providerInfoInput(
  ctx: CommandContext,
  input: CommandInput,
  account: Address,
  base: Record<string, unknown> | undefined,
): Promise<Record<string, unknown>> {
  const infoFile = optional(input, "info");
  let info: Record<string, unknown> = { ...(base ?? {}) };
  let file: string | undefined;
  if (infoFile !== undefined) {
    file = path.resolve(ctx.io.cwd, infoFile);
    const raw = await readJsonFile(file);
    if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
      throw new UsageError(`${infoFile}: expected a provider info object { name, description, ... }`);
    }
    info = { ...info, ...(raw as Record<string, unknown>) };
  }
  for (const key of ["name", "description", "metadata"] as const) {
    const value = optional(input, key);
    if (value !== undefined) info[key] = value;
  }
  if (base === undefined && typeof info["name"] !== "string") {
    throw new UsageError("name the provider: --name <name> (and --description <text>), or --info <file>");
  }
  const actionAccount = optional(input, "action-account");
  const tokenReceiver = optional(input, "token-receiver");
  info["actionAccount"] =
    actionAccount === undefined
      ? (info["actionAccount"] ?? account)
      : addressArg(actionAccount, "--action-account");
  info["tokenReceiver"] =
    tokenReceiver === undefined
      ? (info["tokenReceiver"] ?? account)
      : addressArg(tokenReceiver, "--token-receiver");
  info["description"] ??= "";
  info["metadata"] ??= "";
  if (file !== undefined) inFile(file, () => parseProviderInfo(info));
  else parseProviderInfo(info);
  return info;
}

async function row(client: MarketplaceClient, authority: Address, offers = 0): Promise<ProviderRow> {
  const [provider, { info }] = await Promise.all([
    client.providers.get({ authority }),
    client.providers.getInfo({ authority }),
  ]);
  const object = typeof info === "object" && info !== null && !Array.isArray(info) ? info : {};
  return { provider, info: object as Record<string, unknown>, offers };
}

/** What `register` and `update` print: the headline, the provider's accounts, the transaction. */
async function written(
  client: MarketplaceClient,
  account: Address,
  headline: string,
  transactionHash: Hex,
  info?: Record<string, unknown>,
): Promise<CommandResult> {
  const provider = await client.providers.get({ authority: account });
  return {
    text: [
      headline,
      ...fields([
        ["action account", provider.actionAccount],
        ["token receiver", provider.tokenReceiver],
        ["transaction", transactionHash],
      ]),
    ].join("\n"),
    json: {
      authority: account,
      actionAccount: provider.actionAccount,
      tokenReceiver: provider.tokenReceiver,
      ...(info === undefined ? {} : { info }),
      transactionHash,
    },
  };
}

/** `providers register` (`providers create`). */
export async function runRegister(ctx: CommandContext, input: CommandInput): Promise<CommandResult> {
  const { client, account } = await ctx.writer();
  const info = await providerInfoInput(ctx, input, account, undefined);
  const { receipt } = await ctx.out.pending(`Registering provider ${account}`, () =>
    client.providers.register({ info }),
  );
  return written(
    client,
    account,
    `Provider with wallet address ${account} is registered`,
    receipt.transactionHash,
  );
}

/** `providers update`. */
export async function runUpdate(ctx: CommandContext, input: CommandInput): Promise<CommandResult> {
  const { client, account } = await ctx.writer();
  const current = await client.providers.getInfo({ authority: account });
  const base =
    typeof current.info === "object" && current.info !== null && !Array.isArray(current.info)
      ? (current.info as Record<string, unknown>)
      : {};
  const info = await providerInfoInput(ctx, input, account, base);
  const { receipt } = await ctx.out.pending(`Updating provider ${account}`, () =>
    client.providers.update({ info }),
  );
  return written(
    client,
    account,
    `Provider with wallet address ${account} was updated`,
    receipt.transactionHash,
    info,
  );
}

/** `providers get`. */
export async function runGet(ctx: CommandContext, input: CommandInput): Promise<CommandResult> {
  const names = fieldsOption(input, PROVIDER_FIELDS, [
    "address",
    "name",
    "description",
    "action_account",
    "token_receiver",
  ]);
  const given = input.positionals[0];
  const { client, authority } =
    given === undefined
      ? await ctx.writer().then((c) => ({ client: c.client, authority: c.account }))
      : await ctx.reader().then((c) => ({ client: c.client, authority: addressArg(given, "<address>") }));
  const found = await row(client, authority);
  const { cells, json } = pick([found], PROVIDER_FIELDS, names);
  const [header = [], values = []] = cells;
  return saveOrShow(ctx.io.cwd, input, {
    text: [
      `Provider ${authority}`,
      ...fields(header.map((name, i) => [name, values[i] ?? ""] as const)),
    ].join("\n"),
    json: { provider: input.values["fields"] === undefined ? found.provider : json[0], info: found.info },
  });
}

/** `providers list`: the providers of the marketplace's offers. */
export async function runList(ctx: CommandContext, input: CommandInput): Promise<CommandResult> {
  const names = fieldsOption(input, PROVIDER_FIELDS, ["address", "name", "offers"]);
  const { client } = await ctx.reader();
  const counts = new Map<Address, number>();
  for (let next: bigint | undefined = 1n; next !== undefined;) {
    const page = await client.offers.list({ firstOfferId: next });
    for (const offer of page.offers) counts.set(offer.provider, (counts.get(offer.provider) ?? 0) + 1);
    next = page.nextOfferId;
  }
  const rows = await Promise.all([...counts].map(([authority, offers]) => row(client, authority, offers)));
  const { cells, json } = pick(rows, PROVIDER_FIELDS, names);
  return saveOrShow(ctx.io.cwd, input, {
    text: rows.length === 0 ? "No providers with offers" : table(cells).join("\n"),
    json: { providers: json },
  });
}
