/**
 * The acceptance story's cast and set-up (docs/design.md §1), in one place for the demo
 * (scripts/demo.ts), the SDK's and the CLI's integration tests and the SDK benchmark: the terms of
 * Bob's and Carol's slots, their Super Protocol files, and the TEE's attestation through the
 * attestation service. Everything goes through the SDK; nothing here needs Hardhat.
 */
import { type Address, type Hex, parseUnits } from "viem";

import type { AttestationClaim } from "../../mocks/localAttestation.js";
import type { MockTee } from "../../mocks/tee.js";
import { type MarketplaceClient, OfferType, PriceType, TeeType } from "../../sdk/src/index.js";

/** Decimals of the test payment token (and of one whole token below). */
export const TOKEN_DECIMALS = 18;
/** One whole test token, in base units. */
export const TOKEN = 10n ** BigInt(TOKEN_DECIMALS);
/** The test payment token's symbol. */
export const TOKEN_SYMBOL = "TEST";
/** Bob's data slot: this price, Fixed. */
export const DATA_PRICE = parseUnits("5", TOKEN_DECIMALS);
/** Carol's TEE slot: this price per hour, PerHour... */
export const TEE_PRICE_PER_HOUR = parseUnits("60", TOKEN_DECIMALS);
/** ...charged for at least this many minutes... */
export const TEE_MIN_MINUTES = 10;
/** ...and at most this many. */
export const TEE_MAX_MINUTES = 120;
/** What Alice deposits for a workflow of the TEE slot and one data slot. */
export const DEPOSIT = parseUnits("200", TOKEN_DECIMALS);

/** A provider's info file (spctl's `providerInfo` shape), the provider acting and paid as itself. */
export function providerInfo(name: string, description: string, account: Address) {
  return { name, description, tokenReceiver: account, actionAccount: account, metadata: "" };
}

/** Bob's Data offer (`offer-info.json`, as Super Protocol's guide writes it). */
export function dataOfferInfo(name: string, description: string) {
  return {
    name,
    group: "0",
    offerType: String(OfferType.Data),
    cancelable: false,
    description,
    restrictions: { offers: [], types: [] },
    input: "",
    output: "",
    allowedArgs: "",
    allowedAccounts: [],
    argsPublicKey: "",
    resultResource: "",
    subType: "0",
    version: { version: 1, status: "0", info: { metadata: { groupingOffers: true } } },
  };
}

/** Carol's TEE offer (`offer-info.json` of a TDX machine, cancelable while Processing). */
export function teeOfferInfo(name: string, description: string) {
  return {
    name,
    group: "1",
    offerType: String(OfferType.TeeOffer),
    cancelable: true,
    description,
    restrictions: { offers: [], types: [] },
    input: "",
    output: "",
    allowedArgs: "",
    allowedAccounts: [],
    argsPublicKey: "",
    resultResource: "",
    subType: String(TeeType.TDX),
  };
}

/** Bob's slot (`slot-info.json`): {@link DATA_PRICE}, Fixed, 10 MiB of disk. */
export function dataSlotInfo() {
  return {
    info: { cpuCores: 0, gpuCores: 0, diskUsage: 10485760, ram: 0, vram: 0 },
    usage: {
      maxTimeMinutes: 0,
      minTimeMinutes: 0,
      price: DATA_PRICE.toString(),
      priceType: String(PriceType.Fixed),
    },
    option: { bandwidth: 0, externalPort: 0, traffic: 0 },
  };
}

/** Carol's slot (`slot-info.json`): 4 cores, 8 GiB, PerHour at {@link TEE_PRICE_PER_HOUR}, 10 to 120 minutes. */
export function teeSlotInfo() {
  return {
    info: { cpuCores: 4, gpuCores: 0, ram: 8 * 2 ** 30, diskUsage: 10 * 2 ** 30, vram: 0 },
    usage: {
      priceType: String(PriceType.PerHour),
      price: TEE_PRICE_PER_HOUR.toString(),
      minTimeMinutes: TEE_MIN_MINUTES,
      maxTimeMinutes: TEE_MAX_MINUTES,
    },
    option: { bandwidth: 0, externalPort: 0, traffic: 0 },
  };
}

/** What {@link attestTee} did. */
export interface Attested {
  tcbId: bigint;
  validUntil: number;
  /** The report data the quote binds (keys, chain, registry, TEE offer). */
  reportData: Hex;
  quote: Hex;
  proof: Hex;
}

/**
 * The TEE's attestation, step 2 of the story: the report data binding its keys to this chain,
 * registry and TEE offer, a quote from its (stand-in) hardware, the attestation service's proof
 * (the real service, which verifies the quote), and the TCB published by `client` (the TEE key,
 * the provider's authority or its action account).
 */
export async function attestTee(params: {
  client: MarketplaceClient;
  /** Asks the attestation service for its proof over the quote and the keys it binds. */
  attest: (claim: AttestationClaim) => Promise<Hex>;
  tee: MockTee;
  teeOfferId: bigint;
  /** Another quote than the stand-in hardware's (tests of what the service refuses). */
  quote?: Hex;
  benchmark?: bigint;
}): Promise<Attested> {
  const { client, tee, teeOfferId } = params;
  const reportData = client.tee.attestationReportData({
    teeOfferId,
    teeKey: tee.account.address,
    publicKey: tee.publicKey,
  });
  const quote = params.quote ?? tee.quote(reportData);
  const proof = await params.attest({
    quote,
    teeOfferId,
    teeKey: tee.account.address,
    publicKey: tee.publicKey,
  });
  const { tcbId, validUntil } = await client.tcb.upload({
    teeOfferId: params.teeOfferId,
    deviceId: tee.deviceId,
    teeKey: tee.account.address,
    publicKey: tee.publicKey,
    quote,
    benchmark: params.benchmark ?? 1000n,
    proof,
  });
  return { tcbId, validUntil, reportData, quote, proof };
}
