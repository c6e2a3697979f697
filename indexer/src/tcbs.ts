/**
 * TCBs and TEE keys (`ITcbRegistry`): publications with their blobs, each the active TCB of its
 * offer; revocations, which revoke the key (and so every TCB of it); the keys a provider let publish
 * themselves; and the admin's allow-list and settings.
 */
import { ponder } from "ponder:registry";
import { measurement, offer, setting, tcb, teeKey, teeKeyAuthorization } from "ponder:schema";
import { keccak256 } from "viem";

ponder.on("TcbRegistry:TcbPublished", async ({ event, context }) => {
  const { tcbId, teeOfferId, deviceId, teeKey: key, previousTcbId, measurement: measured } = event.args;
  const { validUntil, benchmark, publicKey, quote, properties } = event.args;
  await context.db.insert(tcb).values({
    id: tcbId,
    teeOfferId,
    deviceId,
    teeKey: key,
    previousTcbId,
    measurement: measured,
    validUntil: BigInt(validUntil),
    benchmark,
    publicKey,
    publicKeyHash: keccak256(publicKey),
    quote,
    properties,
    addedAt: event.block.timestamp,
    publishedBlock: event.block.number,
    transactionHash: event.transaction.hash,
  });
  await context.db
    .insert(teeKey)
    .values({
      address: key,
      teeOfferId,
      latestTcbId: tcbId,
      validUntil: BigInt(validUntil),
      revokedBlock: 0n,
      revokedBy: null,
    })
    .onConflictDoUpdate({ latestTcbId: tcbId, validUntil: BigInt(validUntil) });
  await context.db.update(offer, { id: teeOfferId }).set({ activeTcbId: tcbId });
});

ponder.on("TcbRegistry:TcbRevoked", async ({ event, context }) => {
  await context.db
    .update(teeKey, { address: event.args.teeKey })
    .set({ revokedBlock: event.block.number, revokedBy: event.args.by });
});

ponder.on("TcbRegistry:TeeKeyAuthorized", async ({ event, context }) => {
  const { teeOfferId, teeKey: key, authorized } = event.args;
  await context.db
    .insert(teeKeyAuthorization)
    .values({
      id: `${teeOfferId}:${key.toLowerCase()}`,
      teeOfferId,
      teeKey: key,
      authorized,
      blockNumber: event.block.number,
    })
    .onConflictDoUpdate({ authorized, blockNumber: event.block.number });
});

ponder.on("TcbRegistry:MeasurementSet", async ({ event, context }) => {
  const { measurement: value, allowed } = event.args;
  await context.db
    .insert(measurement)
    .values({ measurement: value, allowed, blockNumber: event.block.number })
    .onConflictDoUpdate({ allowed, blockNumber: event.block.number });
});

ponder.on("TcbRegistry:TcbLifetimeSet", async ({ event, context }) => {
  const row = { value: String(event.args.lifetime), blockNumber: event.block.number };
  await context.db
    .insert(setting)
    .values({ key: "tcbLifetime", ...row })
    .onConflictDoUpdate(row);
});

ponder.on("TcbRegistry:AttestationVerifierSet", async ({ event, context }) => {
  const row = { value: event.args.verifier.toLowerCase(), blockNumber: event.block.number };
  await context.db
    .insert(setting)
    .values({ key: "attestationVerifier", ...row })
    .onConflictDoUpdate(row);
});
