/**
 * Shared fixtures for the OfferRegistry tests (providers, offers, slots and the workflow hooks).
 * The registry is deployed alone, by a plain signer that stands for the Orders contract (the
 * registry's creator is the only caller of its hooks), so that tests can call `reserveWorkflow`,
 * `settleSlots` and `releaseSlots` directly; `deployer` is the TCB admin.
 */
import { readFileSync } from "node:fs";

import type { HardhatEthers, HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import { ZeroHash, hexlify } from "ethers";

import type { OfferRegistry } from "../../types/ethers-contracts/index.js";
import type { IOffers, ISlots } from "../../types/ethers-contracts/offers/OfferRegistry.js";

/** The enums and caps, as the compiler's output has them (generated into the SDK, not retyped). */
import {
  MAX_ALLOWED_ACCOUNTS,
  MAX_ID_PAGE_SIZE,
  MAX_OFFER_INFO_SIZE,
  MAX_PAGE_SIZE,
  MAX_PROVIDER_INFO_SIZE,
  MAX_RESTRICTED_OFFERS,
  MAX_RESULT_RESOURCE_SIZE,
  MAX_SLOT_MINUTES,
  OfferType,
  PriceType,
} from "../../sdk/src/abi/protocol.js";

export {
  MAX_ALLOWED_ACCOUNTS,
  MAX_ID_PAGE_SIZE,
  MAX_OFFER_INFO_SIZE,
  MAX_PAGE_SIZE,
  MAX_PROVIDER_INFO_SIZE,
  MAX_RESTRICTED_OFFERS,
  MAX_RESULT_RESOURCE_SIZE,
  MAX_SLOT_MINUTES,
  OfferType,
  PriceType,
};

/** sha256 of the solution and dataset of the Super Protocol fixtures (their resource files). */
export const SOLUTION_HASH = "0xb9de3d23d309364f3b8bbe7a76fcd9037fb12d6c984e5bd33e26fa3a66e21895";
export const DATASET_HASH = "0x8598805cd2136a4beff17559a7228854f6a8cc0b027856ea5c196fb8d0602501";
export const OTHER_HASH = "0x" + "ee".repeat(32);
/** Lifetime of the TCBs the registry records, in seconds (a week). */
export const TCB_LIFETIME = 7 * 24 * 3600;

/** Super Protocol's example files, in the repository. */
const fixtures = new URL("../fixtures/superprotocol/", import.meta.url);

/** Bytes of Super Protocol's provider info example (`ctl.providerInfo.example.json`), verbatim. */
export const PROVIDER_INFO = hexlify(readFileSync(new URL("ctl.providerInfo.example.json", fixtures)));
/** Bytes of the Data offer info of the collaboration guide (`offer-info.json`), verbatim. */
export const OFFER_INFO = hexlify(readFileSync(new URL("offer-info.json", fixtures)));

interface SlotInfoFile {
  info: { cpuCores: number; gpuCores: number; diskUsage: number; ram: number; vram: number };
  usage: { maxTimeMinutes: number; minTimeMinutes: number; price: string; priceType: string };
  option: { bandwidth: number; externalPort: number; traffic: number };
}

export interface SlotTerms {
  info: ISlots.SlotInfoStruct;
  usage: ISlots.SlotUsageStruct;
  option: ISlots.OptionInfoStruct;
}

/** The slot of the collaboration guide (`slot-info.json`), as contract arguments. */
export const FIXTURE_SLOT: SlotTerms = (() => {
  const file = JSON.parse(readFileSync(new URL("slot-info.json", fixtures), "utf8")) as SlotInfoFile;
  return {
    info: file.info,
    usage: {
      price: BigInt(file.usage.price),
      priceType: Number(file.usage.priceType),
      minTimeMinutes: file.usage.minTimeMinutes,
      maxTimeMinutes: file.usage.maxTimeMinutes,
    },
    option: file.option,
  };
})();

/** A Data offer with no restrictions, the fixture info and the dataset hash; `overrides` win. */
export function dataOffer(overrides: Partial<IOffers.OfferParamsStruct> = {}): IOffers.OfferParamsStruct {
  return {
    offerType: OfferType.Data,
    subType: 0,
    cancelable: false,
    contentHash: DATASET_HASH,
    allowedOfferIds: [],
    allowedOfferTypes: [],
    allowedAccounts: [],
    resultResource: "0x",
    info: OFFER_INFO,
    ...overrides,
  };
}

/** A Solution offer whose content is the fixture solution. */
export function solutionOffer(overrides: Partial<IOffers.OfferParamsStruct> = {}): IOffers.OfferParamsStruct {
  return dataOffer({ offerType: OfferType.Solution, contentHash: SOLUTION_HASH, ...overrides });
}

/** A cancelable TEE offer (subtype TDX) without a content hash. */
export function teeOffer(overrides: Partial<IOffers.OfferParamsStruct> = {}): IOffers.OfferParamsStruct {
  return dataOffer({
    offerType: OfferType.TeeOffer,
    subType: 2,
    cancelable: true,
    contentHash: ZeroHash,
    ...overrides,
  });
}

/** Slot terms: 4 cores, 8 GiB, 1 Gbit/s; price and time from `usage`. */
export function slotTerms(usage: Partial<ISlots.SlotUsageStruct> = {}): SlotTerms {
  return {
    info: { cpuCores: 4, gpuCores: 1, diskUsage: 10n << 30n, ram: 8n << 30n, vram: 2n << 30n },
    usage: { price: 600n, priceType: PriceType.Fixed, minTimeMinutes: 10, maxTimeMinutes: 120, ...usage },
    option: { bandwidth: 1_000_000_000n, traffic: 5n << 30n, externalPort: 2 },
  };
}

/** Creates an offer as `provider` and returns its id. */
export async function createOffer(
  registry: OfferRegistry,
  provider: HardhatEthersSigner,
  params: IOffers.OfferParamsStruct,
): Promise<bigint> {
  const offerId = await registry.connect(provider).createOffer.staticCall(params);
  await registry.connect(provider).createOffer(params);
  return offerId;
}

/** Adds a slot as `provider` and returns its id. */
export async function addSlot(
  registry: OfferRegistry,
  provider: HardhatEthersSigner,
  offerId: bigint,
  terms: SlotTerms = slotTerms(),
): Promise<bigint> {
  const slotId = await registry
    .connect(provider)
    .addSlot.staticCall(offerId, terms.info, terms.usage, terms.option);
  await registry.connect(provider).addSlot(offerId, terms.info, terms.usage, terms.option);
  return slotId;
}

/**
 * Fixture functions bound to one network connection. `loadFixture` needs the same function object
 * on every call, so create these once per test file.
 */
export function offerRegistryFixtures(ethers: HardhatEthers) {
  /** The registry, deployed by `deployer`; nothing registered, no Orders bound. */
  async function deployRegistry() {
    const [deployer, provider, actionAccount, tokenReceiver, orders, consumer, other, stranger] =
      await ethers.getSigners();
    const verifier = await ethers.deployContract("Eip712AttestationVerifier", [deployer.address]);
    const registry = await ethers.deployContract(
      "OfferRegistry",
      [deployer.address, await verifier.getAddress(), TCB_LIFETIME],
      orders,
    );
    return { registry, deployer, provider, actionAccount, tokenReceiver, orders, consumer, other, stranger };
  }

  /** `provider` registered (with its action account and token receiver); `other` registered too. */
  async function deployWithProviders() {
    const f = await deployRegistry();
    await f.registry
      .connect(f.provider)
      .registerProvider(PROVIDER_INFO, f.actionAccount.address, f.tokenReceiver.address);
    await f.registry.connect(f.other).registerProvider("0x", ethers.ZeroAddress, f.other.address);
    return f;
  }

  /** A Data offer of `provider` (id 1) with one slot (id 1). */
  async function deployWithOffer() {
    const f = await deployWithProviders();
    const offerId = await createOffer(f.registry, f.provider, dataOffer());
    const slotId = await addSlot(f.registry, f.provider, offerId);
    return { ...f, offerId, slotId };
  }

  /**
   * A TEE offer (PerHour slot: 120 per hour, 10 to 120 minutes), a Data offer (Fixed slot: 600), a
   * Solution offer (Fixed slot: 50), all of `provider`, none restricted.
   */
  async function deployWorkflow() {
    const f = await deployWithProviders();
    const teeOfferId = await createOffer(f.registry, f.provider, teeOffer());
    const teeSlotId = await addSlot(
      f.registry,
      f.provider,
      teeOfferId,
      slotTerms({ price: 120n, priceType: PriceType.PerHour, minTimeMinutes: 10, maxTimeMinutes: 120 }),
    );
    const dataOfferId = await createOffer(f.registry, f.provider, dataOffer());
    const dataSlotId = await addSlot(f.registry, f.provider, dataOfferId, slotTerms({ price: 600n }));
    const solutionOfferId = await createOffer(f.registry, f.provider, solutionOffer());
    const solutionSlotId = await addSlot(f.registry, f.provider, solutionOfferId, slotTerms({ price: 50n }));
    return { ...f, teeOfferId, teeSlotId, dataOfferId, dataSlotId, solutionOfferId, solutionSlotId };
  }

  return { deployRegistry, deployWithProviders, deployWithOffer, deployWorkflow };
}
