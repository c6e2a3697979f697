/**
 * `tee-market tcb list --tee-offer <offerId>`: every TCB a TEE offer's enclaves published, oldest
 * first, with its status now. From the indexer when one is named (one query), else from the chain
 * (the registry's `TcbPublished` events of the offer in block ranges, then each TCB); the same lines.
 */
import { type MarketplaceClient, type Tcb, TcbStatus, enumName, tcbRegistryAbi } from "@tee-marketplace/sdk";

import { idArg, required } from "./args.js";
import { chainEvents } from "./chainEvents.js";
import type { CommandContext, CommandInput } from "./command.js";
import type { IndexerClient } from "./indexer.js";
import { type CommandResult, table } from "./output.js";

async function tcbsFromChain(client: MarketplaceClient, teeOfferId: bigint): Promise<Tcb[]> {
  const published = await chainEvents(client, {
    address: client.context.deployment.contracts.tcbRegistry,
    abi: tcbRegistryAbi,
    eventName: "TcbPublished",
    args: { teeOfferId },
  });
  const ids = [...new Set(published.map((log) => log.args.tcbId))].sort((a, b) => (a < b ? -1 : 1));
  return Promise.all(ids.map((tcbId) => client.tcb.get({ tcbId })));
}

async function tcbsFromIndex(indexer: IndexerClient, teeOfferId: bigint): Promise<Tcb[]> {
  return indexer.tcbs.list({ teeOfferId });
}

/** `tcb list`. */
export async function runList(ctx: CommandContext, input: CommandInput): Promise<CommandResult> {
  const teeOfferId = idArg(required(input, "tee-offer", "<offerId>"), "--tee-offer", "a TEE offer");
  const connection = await ctx.reader();
  const indexer = await connection.indexer();
  const tcbs =
    indexer === undefined
      ? await tcbsFromChain(connection.client, teeOfferId)
      : await tcbsFromIndex(indexer, teeOfferId);
  const iso = (seconds: number) => new Date(seconds * 1000).toISOString();
  return {
    text:
      tcbs.length === 0
        ? `TEE offer ${teeOfferId} has no TCB yet`
        : table([
            ["id", "status", "TEE key", "added", "valid until"],
            ...tcbs.map((tcb) => [
              String(tcb.id),
              enumName(TcbStatus, tcb.status),
              tcb.teeKey,
              iso(tcb.addedAt),
              iso(tcb.validUntil),
            ]),
          ]).join("\n"),
    json: { teeOfferId, tcbs: tcbs.map((tcb) => ({ ...tcb, status: enumName(TcbStatus, tcb.status) })) },
  };
}
