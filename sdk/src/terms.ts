/**
 * The usage terms a workflow pins (docs/design.md §3): a slot's price, price type and time limits,
 * hashed as the contract's `SlotPricing.termsHash` does. A consumer names, for every slot of a
 * workflow, the hash of the terms they saw; a slot repriced in between refuses the workflow
 * (`SlotTermsChanged`), so a provider cannot front-run an order with a higher price.
 */
import { type Hex, encodeAbiParameters, keccak256 } from "viem";

import type { SlotUsage } from "./slotInfo.js";
import { toUint } from "./validate.js";

/**
 * The hash of a slot's usage terms: keccak256(abi.encode(uint96 price, uint8 priceType, uint32
 * minTimeMinutes, uint32 maxTimeMinutes)), the contract's `slotTermsHash`.
 *
 * @param usage The slot's usage, as `slots.get` returns it.
 * @example
 * const { usage } = await client.slots.get({ slotId });
 * const termsHash = slotTermsHash(usage); // pass it in createWorkflow's inputs
 * @throws {InputError} naming the field that is out of its range.
 */
export function slotTermsHash(usage: SlotUsage): Hex {
  return keccak256(
    encodeAbiParameters(
      [{ type: "uint96" }, { type: "uint8" }, { type: "uint32" }, { type: "uint32" }],
      [
        toUint(usage.price, "price", { bits: 96 }),
        Number(toUint(usage.priceType, "priceType", { bits: 8 })),
        Number(toUint(usage.minTimeMinutes, "minTimeMinutes", { bits: 32 })),
        Number(toUint(usage.maxTimeMinutes, "maxTimeMinutes", { bits: 32 })),
      ],
    ),
  );
}
