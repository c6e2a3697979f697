/**
 * Offers (`IOffers`): creation with everything declared, info updates, enabling, new versions; the
 * discovery fields and search terms follow the info blob.
 */
import { ponder } from "ponder:registry";
import { offer, offerTerm, provider } from "ponder:schema";
import { keccak256 } from "viem";

import type { Context } from "ponder:registry";

import { type InfoColumns, infoColumns, termRows } from "./lib/offerInfo.js";

/** Replaces an offer's search terms: the old info's rows go, the new info's come. */
async function replaceTerms(
  context: Context,
  offerId: bigint,
  before: Pick<InfoColumns, "keywords" | "timeFrom" | "timeTo"> | undefined,
  after: Pick<InfoColumns, "keywords" | "timeFrom" | "timeTo">,
): Promise<void> {
  if (before !== undefined) {
    for (const row of termRows(offerId, before)) await context.db.delete(offerTerm, { id: row.id });
  }
  for (const row of termRows(offerId, after)) await context.db.insert(offerTerm).values(row);
}

ponder.on("OfferRegistry:OfferCreated", async ({ event, context }) => {
  const { offerId, provider: authority, offerType, params } = event.args;
  const columns = infoColumns(params.info);
  const typesMask = params.allowedOfferTypes.reduce((mask, type) => mask | (1 << type), 0);
  await context.db.insert(offer).values({
    id: offerId,
    provider: authority,
    offerType,
    subType: params.subType,
    enabled: true,
    cancelable: params.cancelable,
    autoComplete: params.resultResource !== "0x",
    allowedTypesMask: typesMask,
    restrictedByOfferId: params.allowedOfferIds.length > 0,
    restrictedToAccounts: params.allowedAccounts.length > 0,
    restrictions: {
      offers: params.allowedOfferIds.map(String),
      types: [...params.allowedOfferTypes],
      accounts: params.allowedAccounts.map((account) => account.toLowerCase()),
    },
    version: 1,
    infoBlock: event.block.number,
    contentHash: params.contentHash,
    infoHash: keccak256(params.info),
    resultResource: params.resultResource,
    ...columns,
    activeTcbId: null,
    createdBlock: event.block.number,
    createdAt: event.block.timestamp,
  });
  await replaceTerms(context, offerId, undefined, columns);
  await context.db.update(provider, { authority }).set((row) => ({ offerCount: row.offerCount + 1 }));
});

ponder.on("OfferRegistry:OfferInfoUpdated", async ({ event, context }) => {
  const { offerId, info } = event.args;
  const before = await context.db.find(offer, { id: offerId });
  const columns = infoColumns(info);
  await context.db
    .update(offer, { id: offerId })
    .set({ ...columns, infoHash: keccak256(info), infoBlock: event.block.number });
  await replaceTerms(context, offerId, before ?? undefined, columns);
});

ponder.on("OfferRegistry:OfferEnabledSet", async ({ event, context }) => {
  await context.db.update(offer, { id: event.args.offerId }).set({ enabled: event.args.enabled });
});

ponder.on("OfferRegistry:OfferVersionCreated", async ({ event, context }) => {
  const { offerId, version, contentHash, info } = event.args;
  const before = await context.db.find(offer, { id: offerId });
  const columns = infoColumns(info);
  await context.db
    .update(offer, { id: offerId })
    .set({ ...columns, version, contentHash, infoHash: keccak256(info), infoBlock: event.block.number });
  await replaceTerms(context, offerId, before ?? undefined, columns);
});
