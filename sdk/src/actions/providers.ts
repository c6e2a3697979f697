/**
 * Providers: register, update, read (`IProviders` on the OfferRegistry).
 */
import { type Address, type Hex, type TransactionReceipt, keccak256 } from "viem";

import { offerRegistryAbi } from "../abi/offerRegistry.js";
import type { MarketplaceCall } from "../calls.js";
import type { MarketplaceContext } from "../context.js";
import { StateError } from "../errors.js";
import { parseJsonOrText } from "../internal/blob.js";
import { eventsAtBlock, read, send } from "../internal/contract.js";
import { rootObject } from "../internal/fields.js";
import { parseProviderInfo } from "../providerInfo.js";
import { toAddress } from "../validate.js";

/** A provider as stored. */
export interface Provider {
  /** The account that registered it and manages its offers. */
  authority: Address;
  /** Account allowed to make operational calls; the zero address when none. */
  actionAccount: Address;
  /** Account credited with payouts. */
  tokenReceiver: Address;
  /** keccak256 of the info blob. */
  infoHash: Hex;
  /** Block of the event that carries the info blob. */
  infoBlock: bigint;
}

/** What {@link registerProvider} and {@link updateProvider} take. */
export interface ProviderParameters {
  /**
   * Super Protocol's provider info (`{ name, description, tokenReceiver, actionAccount, metadata }`),
   * parsed or as JSON text. It goes on-chain as canonical JSON.
   */
  info: unknown;
  /** Replaces the file's `actionAccount` (in the info blob too). */
  actionAccount?: Address | string;
  /** Replaces the file's `tokenReceiver` (in the info blob too). */
  tokenReceiver?: Address | string;
}

function providerArgs(params: ProviderParameters) {
  const raw: Record<string, unknown> = { ...rootObject(params.info, "the provider info object") };
  if (params.actionAccount !== undefined)
    raw["actionAccount"] = toAddress(params.actionAccount, "actionAccount");
  if (params.tokenReceiver !== undefined)
    raw["tokenReceiver"] = toAddress(params.tokenReceiver, "tokenReceiver");
  const parsed = parseProviderInfo(raw);
  return [parsed.info, parsed.actionAccount, parsed.tokenReceiver] as const;
}

/**
 * The `registerProvider` call of {@link registerProvider}, checked but not sent (for a multisig
 * or a batcher): the sender becomes the provider's authority.
 *
 * @param ctx The marketplace context (its wallet is not needed).
 * @param params As for {@link registerProvider}.
 * @example
 * const call = registerProviderCall(ctx, { info, actionAccount, tokenReceiver });
 * @throws {InputError} naming the field when the info or an address is malformed.
 */
export function registerProviderCall(
  ctx: MarketplaceContext,
  params: ProviderParameters,
): MarketplaceCall<typeof offerRegistryAbi, "registerProvider"> {
  return {
    address: ctx.deployment.contracts.offerRegistry,
    abi: offerRegistryAbi,
    functionName: "registerProvider",
    args: providerArgs(params),
  };
}

/**
 * The `updateProvider` call of {@link updateProvider}, checked but not sent.
 *
 * @param ctx The marketplace context.
 * @param params As for {@link updateProvider}.
 * @example
 * const call = updateProviderCall(ctx, { info, tokenReceiver });
 * @throws {InputError} naming the field when the info or an address is malformed.
 */
export function updateProviderCall(
  ctx: MarketplaceContext,
  params: ProviderParameters,
): MarketplaceCall<typeof offerRegistryAbi, "updateProvider"> {
  return {
    address: ctx.deployment.contracts.offerRegistry,
    abi: offerRegistryAbi,
    functionName: "updateProvider",
    args: providerArgs(params),
  };
}

/**
 * Registers the wallet's account as a provider (it becomes the provider's authority).
 *
 * @param ctx The marketplace context.
 * @param params The provider info file, and optionally other action account and token receiver.
 * @returns The receipt and the provider's authority.
 * @example
 * await client.providers.register({ info: await readFile("provider-info.json", "utf8"), actionAccount: bobAction });
 * @throws {InputError} naming the field when the info or an address is malformed, or `walletClient`
 * when the context has no wallet.
 * @throws {ContractError} `ProviderAlreadyRegistered`, `ProviderTokenReceiverZero`, `InputTooLarge`.
 */
export async function registerProvider(
  ctx: MarketplaceContext,
  params: ProviderParameters,
): Promise<{ receipt: TransactionReceipt; authority: Address }> {
  const receipt = await send(ctx, registerProviderCall(ctx, params), "Cannot register the provider");
  return { receipt, authority: receipt.from };
}

/**
 * Replaces the wallet account's provider info, action account and token receiver.
 *
 * @param ctx The marketplace context.
 * @param params As for {@link registerProvider}.
 * @returns The receipt.
 * @example
 * await client.providers.update({ info, tokenReceiver: newReceiver });
 * @throws {InputError} naming the field when the info or an address is malformed, or `walletClient`.
 * @throws {ContractError} `ProviderNotRegistered`, `ProviderTokenReceiverZero`, `InputTooLarge`.
 */
export async function updateProvider(
  ctx: MarketplaceContext,
  params: ProviderParameters,
): Promise<{ receipt: TransactionReceipt }> {
  const receipt = await send(ctx, updateProviderCall(ctx, params), "Cannot update the provider");
  return { receipt };
}

/**
 * A provider, by its authority.
 *
 * @param ctx The marketplace context.
 * @param params `authority`: the account that registered the provider.
 * @example
 * const { tokenReceiver } = await client.providers.get({ authority: bob });
 * @throws {InputError} naming `authority` when it is not an address.
 * @throws {ContractError} `ProviderNotRegistered`.
 */
export async function getProvider(
  ctx: MarketplaceContext,
  params: { authority: Address | string },
): Promise<Provider> {
  const authority = toAddress(params.authority, "authority");
  const provider = await read(
    ctx,
    {
      address: ctx.deployment.contracts.offerRegistry,
      abi: offerRegistryAbi,
      functionName: "getProvider",
      args: [authority],
    },
    `Cannot read provider ${authority}`,
  );
  return { authority, ...provider };
}

/**
 * A provider's info, as registered: fetched from the event at the provider's `infoBlock` (one
 * `eth_getLogs` over that block) and checked against the stored `infoHash`.
 *
 * @param ctx The marketplace context.
 * @param params `authority`: the provider.
 * @returns The info parsed as JSON (or the text when it is not JSON) and its bytes.
 * @example
 * const { info } = await client.providers.getInfo({ authority: bob }); // { name: "Bob's data", ... }
 * @throws {InputError} naming `authority` when it is not an address.
 * @throws {ContractError} `ProviderNotRegistered`.
 * @throws {StateError} when no event carries the info, or its hash is not the stored one.
 */
export async function getProviderInfo(
  ctx: MarketplaceContext,
  params: { authority: Address | string },
): Promise<{ info: unknown; infoBytes: Hex }> {
  const provider = await getProvider(ctx, params);
  const address = ctx.deployment.contracts.offerRegistry;
  const common = {
    address,
    abi: offerRegistryAbi,
    args: { authority: provider.authority },
    block: provider.infoBlock,
  };
  const [registered, updated] = await Promise.all([
    eventsAtBlock(ctx, { ...common, eventName: "ProviderRegistered" }),
    eventsAtBlock(ctx, { ...common, eventName: "ProviderUpdated" }),
  ]);
  const infoBytes = [...registered, ...updated]
    .sort((a, b) => a.logIndex - b.logIndex)
    .map((event) => event.args.info)
    .findLast((info) => keccak256(info) === provider.infoHash);
  if (infoBytes === undefined) {
    throw new StateError(
      `No provider event of ${provider.authority} at block ${provider.infoBlock} carries info with the stored hash ${provider.infoHash}; ` +
        `the RPC may have pruned its logs.`,
    );
  }
  return { info: parseJsonOrText(infoBytes), infoBytes };
}
