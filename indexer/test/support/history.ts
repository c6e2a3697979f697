/**
 * A seeded history on a real node, played through the SDK, that touches every event the indexer
 * handles: providers registered and updated; Data offers with keywords and dataset metadata (one
 * auto-complete, one disabled, one whose info changes, one with a new version), slots added,
 * updated and removed; workflows of two consumers that end every way a workflow can (Done with a
 * report, a signed receipt and payments; Error; canceled by the consumer; declined by a data owner;
 * expired while Blocked) or stay open (Blocked, New, Processing, refilled); withdrawals; a key
 * authorized; a TCB refreshed, then revoked.
 */
import { readFile } from "node:fs/promises";

import { type Hex, keccak256, stringToHex, zeroHash } from "viem";

import { type MarketplaceClient, RuntimeType } from "@tee-marketplace/sdk";

import {
  ALICE_RESULT_KEY,
  DEPOSIT,
  type Listing,
  type Marketplace,
  publishTcb,
  setUpProviders,
} from "../../../sdk/test/support/marketplace.js";
import { fixture } from "../../../sdk/test/support/paths.js";
import { dataOfferInfo, dataSlotInfo } from "../../../scripts/lib/scenario.js";

/** A Data offer of the history and its slot. */
export interface SeededOffer {
  offerId: bigint;
  slotId: bigint;
}

/** What {@link seedHistory} made. */
export interface SeededHistory {
  listing: Listing;
  /** The discovery offers, by label. */
  offers: Record<"feedback" | "clicks" | "reviews" | "quality" | "weather" | "retired", SeededOffer>;
  /** The workflows, by how they end. */
  orders: Record<
    "done" | "canceled" | "processing" | "declined" | "open" | "carols" | "failed" | "expired",
    bigint
  >;
}

/** A Data offer-info.json with discovery fields. */
export function discoveryOfferInfo(
  name: string,
  keywords: string[],
  dataset: Record<string, unknown>,
  extra: Record<string, unknown> = {},
) {
  return { ...dataOfferInfo(name, `${name}: ${keywords.join(", ")}`), keywords, dataset, ...extra };
}

async function dataOffer(
  client: MarketplaceClient,
  info: Record<string, unknown>,
  salt: string,
): Promise<SeededOffer> {
  const { offerId } = await client.offers.create({
    offerInfo: info,
    contentHash: keccak256(stringToHex(salt)),
  });
  const { slotId } = await client.slots.add({ offerId, slot: dataSlotInfo() });
  return { offerId, slotId };
}

/**
 * Places a workflow of `consumer` with `inputs`, funding and approving its deposit first.
 *
 * @returns The parent order's id and its suborders'.
 */
export async function placeOrder(
  m: Marketplace,
  listing: Listing,
  consumer: `0x${string}`,
  inputs: readonly SeededOffer[],
  deposit = DEPOSIT,
): Promise<{ orderId: bigint; suborderIds: bigint[] }> {
  const client = m.as(consumer);
  await m.mint(consumer, deposit);
  const { allowance } = await client.payments.balance();
  await client.payments.approve({ amount: allowance + deposit });
  const { orderId, suborderIds } = await client.orders.createWorkflow({
    teeOfferId: listing.teeOfferId,
    teeSlotId: listing.teeSlotId,
    solution: listing.solution,
    inputs: inputs.map(({ offerId, slotId }) => ({ offerId, slotId })),
    deposit,
    resultRecipients: [ALICE_RESULT_KEY.publicKey],
    args: { threshold: 0.5 },
  });
  return { orderId, suborderIds };
}

/** Completes a suborder as its data owner (Done, with the fixture dataset). */
async function handOver(owner: MarketplaceClient, listing: Listing, suborderId: bigint): Promise<void> {
  await owner.suborders.complete({
    suborderId,
    status: "Done",
    solutionHash: listing.solution,
    resourceFile: listing.dataset,
  });
}

/** The TEE starts a New order, reports, and completes it Done with a signed receipt. */
export async function runToDone(m: Marketplace, listing: Listing, orderId: bigint): Promise<void> {
  const tee = m.as(m.tee.account);
  await tee.orders.start({ orderId });
  const { suborders } = await tee.orders.get({ orderId });
  const pinned = suborders.map((s) => s.dataHash).filter((hash) => hash !== zeroHash);
  await tee.reports.publish({
    orderId,
    signer: m.tee.privateKey,
    runtimeInfo: [
      { runtimeType: RuntimeType.Image, size: 1024n, hash: listing.solution.hash },
      ...pinned.map((hash) => ({ runtimeType: RuntimeType.Data, size: 46n, hash })),
    ],
  });
  const resultHash: Hex = keccak256(stringToHex(`result of ${orderId}`));
  const pointer = tee.tee.sealResultPointer({
    publicKey: ALICE_RESULT_KEY.publicKey,
    orderId,
    resultHash,
    resource: { url: `https://results.example/${orderId}` },
  });
  await tee.orders.complete({
    orderId,
    status: "Done",
    resultHash,
    pointers: [pointer],
    signer: m.tee.privateKey,
  });
}

/**
 * Plays the history on a marketplace that has nothing yet.
 *
 * @param m The marketplace (a fresh node, deployed).
 * @returns The offers and orders made.
 */
export async function seedHistory(m: Marketplace): Promise<SeededHistory> {
  const { cast } = m;
  const listing = await setUpProviders(m);
  const bob = m.as(cast.bob);
  const carol = m.as(cast.carol);
  const alice = m.as(cast.alice);

  const providerInfo = JSON.parse(await readFile(fixture("ctl.providerInfo.example.json"), "utf8")) as object;
  await bob.providers.update({
    info: { ...providerInfo, name: "Bob's datasets" },
    actionAccount: cast.bobAction,
    tokenReceiver: cast.bobReceiver,
  });

  const year2025 = { from: "2025-01-01", to: "2025-12-31" };
  const offers: SeededHistory["offers"] = {
    feedback: await dataOffer(
      bob,
      discoveryOfferInfo("Customer feedback", ["feedback", "satisfaction", "support"], {
        records: 50000,
        timeRange: year2025,
        format: "csv",
        license: "cc-by-4.0",
        languages: ["en", "de"],
        modalities: "Tabular",
        size: 7340032,
      }),
      "feedback",
    ),
    clicks: await dataOffer(
      bob,
      discoveryOfferInfo("Usage events", ["clicks", "sessions", "features"], {
        records: 100000,
        timeRange: year2025,
      }),
      "clicks",
    ),
    reviews: await dataOffer(
      bob,
      discoveryOfferInfo("Product reviews", ["Feedback", "Reviews"], {
        timeRange: { from: "2023-03", to: "2024" },
      }),
      "reviews",
    ),
    quality: await dataOffer(
      carol,
      discoveryOfferInfo("Quality audits", ["customer", "satisfaction", "quality", "2025"], {
        timeRange: { from: "2024-06-01", to: "2026-01-31" },
        format: "parquet",
      }),
      "quality",
    ),
    weather: await dataOffer(
      bob,
      discoveryOfferInfo(
        "Weather",
        ["weather", "temperature"],
        { timeRange: { from: "1990", to: "2025" } },
        { resultResource: { type: "URL", url: "https://data.example/weather" } },
      ),
      "weather",
    ),
    retired: await dataOffer(
      bob,
      discoveryOfferInfo("Old feedback", ["feedback"], { timeRange: year2025 }),
      "retired",
    ),
  };
  await bob.offers.setEnabled({ offerId: offers.retired.offerId, enabled: false });
  await bob.offers.updateInfo({
    offerId: offers.clicks.offerId,
    offerInfo: discoveryOfferInfo("Usage events", ["clicks", "sessions", "feedback"], {
      records: 120000,
      timeRange: year2025,
    }),
  });
  await bob.offers.newVersion({
    offerId: offers.reviews.offerId,
    contentHash: keccak256(stringToHex("reviews v2")),
    offerInfo: discoveryOfferInfo("Product reviews", ["feedback", "reviews", "ratings"], {
      timeRange: { from: "2023-03", to: "2025-06" },
    }),
  });
  const extra = await bob.slots.add({ offerId: offers.feedback.offerId, slot: dataSlotInfo() });
  const cheaper = dataSlotInfo();
  cheaper.usage.price = "1000";
  await bob.slots.update({ slotId: extra.slotId, slot: cheaper });
  const temporary = await bob.slots.add({ offerId: offers.clicks.offerId, slot: dataSlotInfo() });
  await bob.slots.remove({ slotId: temporary.slotId });

  const bobOffer = { offerId: listing.dataOfferId, slotId: listing.dataSlotId };
  const bobAction = m.as(cast.bobAction);

  const done = await placeOrder(m, listing, cast.alice, [bobOffer]);
  await handOver(bobAction, listing, done.suborderIds[0] ?? 0n);
  await m.increaseTime(5 * 60);
  await runToDone(m, listing, done.orderId);

  const canceled = await placeOrder(m, listing, cast.alice, [offers.feedback]);
  await alice.orders.cancel({ orderId: canceled.orderId });

  const processing = await placeOrder(m, listing, cast.alice, [offers.weather]);
  await m.mint(cast.alice, 10n ** 18n);
  await alice.payments.approve({ amount: 10n ** 18n });
  await alice.orders.refill({ orderId: processing.orderId, amount: 10n ** 18n });
  await m.as(m.tee.account).orders.start({ orderId: processing.orderId });

  const declined = await placeOrder(m, listing, cast.alice, [offers.reviews, offers.feedback]);
  await bobAction.suborders.complete({ suborderId: declined.suborderIds[0] ?? 0n, status: "Error" });

  const open = await placeOrder(m, listing, cast.stranger, [offers.feedback, offers.clicks]);
  await handOver(bobAction, listing, open.suborderIds[1] ?? 0n);

  const carols = await placeOrder(m, listing, cast.stranger, [offers.quality]);
  await carol.suborders.complete({
    suborderId: carols.suborderIds[0] ?? 0n,
    status: "Done",
    solutionHash: listing.solution,
    resourceFile: listing.dataset,
  });

  const failed = await placeOrder(m, listing, cast.alice, [offers.weather]);
  const tee = m.as(m.tee.account);
  await tee.orders.start({ orderId: failed.orderId });
  await tee.orders.complete({ orderId: failed.orderId, status: "Error" });

  for (const receiver of [cast.bobReceiver, cast.carolReceiver, cast.alice]) {
    await m.as(receiver).payments.withdraw();
  }

  const expired = await placeOrder(m, listing, cast.stranger, [offers.clicks]);
  await m.increaseTime(7 * 24 * 3600);
  await m.as(cast.stranger).orders.expire({ orderId: expired.orderId });

  await carol.tcb.authorizeTeeKey({
    teeOfferId: listing.teeOfferId,
    teeKey: cast.stranger,
    authorized: true,
  });
  const refreshed = await publishTcb(m, listing.teeOfferId);
  await m.as(cast.admin).tcb.revoke({ tcbId: refreshed });

  return {
    listing,
    offers,
    orders: {
      done: done.orderId,
      canceled: canceled.orderId,
      processing: processing.orderId,
      declined: declined.orderId,
      open: open.orderId,
      carols: carols.orderId,
      failed: failed.orderId,
      expired: expired.orderId,
    },
  };
}

/**
 * Adds `count` workflows of Alice on Bob's data offer: each placed (Blocked), handed over by Bob
 * (New), and every other one canceled by Alice (Canceled, refunded), the rest run to Done.
 *
 * @param m The marketplace.
 * @param listing Its providers' offers.
 * @param count How many workflows.
 * @returns Their ids.
 */
export async function growHistory(m: Marketplace, listing: Listing, count: number): Promise<bigint[]> {
  const bobOffer = { offerId: listing.dataOfferId, slotId: listing.dataSlotId };
  const ids: bigint[] = [];
  for (let i = 0; i < count; i++) {
    const { orderId, suborderIds } = await placeOrder(m, listing, m.cast.alice, [bobOffer]);
    await handOver(m.as(m.cast.bobAction), listing, suborderIds[0] ?? 0n);
    if (i % 2 === 0) await m.as(m.cast.alice).orders.cancel({ orderId });
    else await runToDone(m, listing, orderId);
    ids.push(orderId);
  }
  return ids;
}
