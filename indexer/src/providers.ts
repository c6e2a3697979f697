/**
 * Providers: registration and updates (`IProviders`). The offer count grows with `OfferCreated`
 * (`offers.ts`).
 */
import { ponder } from "ponder:registry";
import { provider } from "ponder:schema";
import { type Hex, hexToString, keccak256 } from "viem";

function providerName(info: Hex): string {
  try {
    const parsed: unknown = JSON.parse(hexToString(info));
    const name =
      typeof parsed === "object" && parsed !== null ? (parsed as Record<string, unknown>)["name"] : "";
    // Postgres text cannot hold NUL characters.
    return typeof name === "string" ? name.replaceAll("\u0000", "") : "";
  } catch {
    return "";
  }
}

ponder.on("OfferRegistry:ProviderRegistered", async ({ event, context }) => {
  const { authority, actionAccount, tokenReceiver, info } = event.args;
  await context.db.insert(provider).values({
    authority,
    actionAccount,
    tokenReceiver,
    infoHash: keccak256(info),
    infoBlock: event.block.number,
    info,
    name: providerName(info),
    offerCount: 0,
    registeredBlock: event.block.number,
  });
});

ponder.on("OfferRegistry:ProviderUpdated", async ({ event, context }) => {
  const { authority, actionAccount, tokenReceiver, info } = event.args;
  await context.db.update(provider, { authority }).set({
    actionAccount,
    tokenReceiver,
    infoHash: keccak256(info),
    infoBlock: event.block.number,
    info,
    name: providerName(info),
  });
});
