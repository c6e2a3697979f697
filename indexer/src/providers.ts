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

/** What ProviderRegistered and ProviderUpdated both set: the accounts and the info blob. */
function providerFields(event: {
  args: { actionAccount: Hex; tokenReceiver: Hex; info: Hex };
  block: { number: bigint };
}) {
  const { actionAccount, tokenReceiver, info } = event.args;
  return {
    actionAccount,
    tokenReceiver,
    infoHash: keccak256(info),
    infoBlock: event.block.number,
    info,
    name: providerName(info),
  };
}

ponder.on("OfferRegistry:ProviderRegistered", async ({ event, context }) => {
  await context.db.insert(provider).values({
    authority: event.args.authority,
    ...providerFields(event),
    offerCount: 0,
    registeredBlock: event.block.number,
  });
});

ponder.on("OfferRegistry:ProviderUpdated", async ({ event, context }) => {
  await context.db.update(provider, { authority: event.args.authority }).set(providerFields(event));
});
