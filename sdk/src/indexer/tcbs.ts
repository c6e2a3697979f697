/**
 * TCBs from the index: every TCB a TEE offer ever published, with its status now (or at a given
 * time), which the chain alone can list only by scanning `TcbPublished` logs.
 */
import { toUint } from "../validate.js";
import type { Tcb } from "../actions/tcb.js";
import { type IndexerContext, indexerSql } from "./context.js";
import { tcbFromRow } from "./rows.js";

/**
 * The TCBs of a TEE offer, oldest first, each with its status as the registry's `tcbStatus` gives it
 * at time `at`: Revoked (its key was revoked), Expired, Superseded (not the offer's newest) or Active.
 *
 * @param ctx The indexer context.
 * @param params `teeOfferId`; `at`: unix seconds the statuses are for (default now).
 * @returns The TCBs.
 * @example
 * const active = (await indexer.tcbs.list({ teeOfferId: 2n })).filter((t) => t.status === TcbStatus.Active);
 * @throws {InputError} naming `teeOfferId` or `at`.
 * @throws {IndexerError} when the indexer cannot answer.
 */
export async function listIndexedTcbs(
  ctx: IndexerContext,
  params: { teeOfferId: bigint | number | string; at?: number },
): Promise<Tcb[]> {
  const teeOfferId = toUint(params.teeOfferId, "teeOfferId", { min: 1n, expected: "an offer id" }).toString();
  const at =
    params.at === undefined ? Math.floor(Date.now() / 1000) : Number(toUint(params.at, "at", { bits: 40 }));
  const rows = await indexerSql(
    ctx,
    "SELECT t.*, k.revoked_block, o.active_tcb_id FROM tcbs t " +
      "JOIN tee_keys k ON k.address = t.tee_key JOIN offers o ON o.id = t.tee_offer_id " +
      "WHERE t.tee_offer_id = $1 ORDER BY t.id",
    [teeOfferId],
  );
  return rows.map((row) => tcbFromRow(ctx.url, row, at));
}
