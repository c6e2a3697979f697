/**
 * `tee-market suborders list`: the suborders a data owner has to answer (or has answered), newest
 * first: those of a provider's offers, or of one offer, by status. From the indexer when one is
 * named (one query per 1000), else from the chain (the SDK's `suborders.list`, which reads the
 * provider's offers and their suborder pages).
 */
import type { Address } from "viem";

import {
  type MarketplaceClient,
  type OrderStatus,
  type Suborder,
  enumName,
  OrderStatus as Statuses,
} from "@tee-marketplace/sdk";

import { addressArg, idArg, optional, orderStatusesArg, uintArg } from "./args.js";
import type { CommandContext, CommandInput } from "./command.js";
import type { IndexerClient } from "./indexer.js";
import { type CommandResult, UsageError, table } from "./output.js";

interface SubordersQuery {
  provider: Address | undefined;
  offerId: bigint | undefined;
  statuses: OrderStatus[] | undefined;
  limit: bigint;
}

async function subordersFromIndex(indexer: IndexerClient, query: SubordersQuery): Promise<Suborder[]> {
  const rows: Suborder[] = [];
  for (let cursor: bigint | undefined = 0n; cursor !== undefined && BigInt(rows.length) < query.limit;) {
    const left = query.limit - BigInt(rows.length);
    const page: { suborders: Suborder[]; nextCursor: bigint | undefined } = await indexer.suborders.list({
      limit: left < 1000n ? left : 1000n,
      ...(query.provider === undefined ? {} : { provider: query.provider }),
      ...(query.offerId === undefined ? {} : { offerId: query.offerId }),
      ...(query.statuses === undefined ? {} : { status: query.statuses }),
      ...(cursor === 0n ? {} : { cursor }),
    });
    rows.push(...page.suborders);
    cursor = page.nextCursor;
  }
  return rows;
}

async function subordersFromChain(client: MarketplaceClient, query: SubordersQuery): Promise<Suborder[]> {
  const status = query.statuses === undefined ? {} : { status: query.statuses };
  if (query.offerId === undefined) {
    const { suborders } = await client.suborders.list({ provider: query.provider as Address, ...status });
    return suborders.slice(0, Number(query.limit));
  }
  const rows: Suborder[] = [];
  for (let cursor: bigint | undefined = 0n; cursor !== undefined && BigInt(rows.length) < query.limit;) {
    const page: { suborders: Suborder[]; nextCursor?: bigint | undefined } = await client.suborders.list({
      offerId: query.offerId,
      ...status,
      ...(cursor === 0n ? {} : { cursor }),
    });
    rows.push(...page.suborders);
    cursor = page.nextCursor;
  }
  // An offer's suborders, of this provider only when both are named (what the index answers).
  if (query.provider !== undefined) {
    const offer = await client.offers.get({ offerId: query.offerId });
    if (offer.provider !== query.provider) return [];
  }
  return rows.slice(0, Number(query.limit));
}

/** `suborders list`. */
export async function runList(ctx: CommandContext, input: CommandInput): Promise<CommandResult> {
  const offerValue = optional(input, "offer");
  const offerId = offerValue === undefined ? undefined : idArg(offerValue, "--offer", "an offer");
  const providerValue = optional(input, "provider");
  const statusValue = optional(input, "status");
  const statuses = statusValue === undefined ? undefined : [...orderStatusesArg(statusValue, "--status")];
  const limitValue = optional(input, "limit");
  const limit = limitValue === undefined ? 100n : uintArg(limitValue, "--limit");
  if (limit < 1n) throw new UsageError(`--limit: expected a positive number, got ${limitValue}`);
  const { connection, provider } =
    providerValue !== undefined
      ? await ctx.reader().then((c) => ({ connection: c, provider: addressArg(providerValue, "--provider") }))
      : offerId !== undefined
        ? await ctx.reader().then((c) => ({ connection: c, provider: undefined }))
        : await ctx.writer().then((c) => ({ connection: c, provider: c.account }));
  const indexer = await connection.indexer();
  const query = { provider, offerId, statuses, limit };
  const suborders =
    indexer === undefined
      ? await subordersFromChain(connection.client, query)
      : await subordersFromIndex(indexer, query);
  const whose = offerId !== undefined ? `offer ${offerId}` : `provider ${provider}`;
  return {
    text:
      suborders.length === 0
        ? `No suborders of ${whose}`
        : table([
            ["id", "parent", "offer", "slot", "status", "created"],
            ...suborders.map((s) => [
              String(s.id),
              String(s.parentId),
              String(s.offerId),
              String(s.slotId),
              enumName(Statuses, s.status),
              new Date(s.createdAt * 1000).toISOString(),
            ]),
          ]).join("\n"),
    json: {
      ...(provider === undefined ? {} : { provider }),
      ...(offerId === undefined ? {} : { offerId }),
      suborders: suborders.map((s) => ({ ...s, status: enumName(Statuses, s.status) })),
    },
  };
}
