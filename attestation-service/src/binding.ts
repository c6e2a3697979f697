/**
 * What a TEE claims its quote binds, and the report data that claim requires. The formula is the
 * SDK's `tcbReportData` (the TCB registry's `reportDataFor`), called in this one place: the service
 * never computes the binding itself, so it signs exactly what the registry will check.
 */
import type { Address, Hex } from "viem";

import { tcbReportData } from "@tee-marketplace/sdk";

/** The keys and deployment a TEE's quote claims to bind. */
export interface BindingClaim {
  chainId: bigint;
  /** The TCB registry. */
  registry: Address;
  /** The TEE offer the TCB is for. */
  teeOfferId: bigint;
  /** The TEE's signing key (the TCB's `teeKey`). */
  teeKey: Address;
  /** The TEE's ECIES public key, as published in the TCB. */
  publicKey: Hex;
}

/**
 * The 32-byte report data the registry expects for a claim; the quote must carry it followed by
 * 32 zero bytes. The whole claim goes to `tcbReportData`, so every field the registry binds is
 * bound here too.
 *
 * @param claim The claim.
 * @example
 * const expected = expectedReportData({ chainId: 5611n, registry, teeOfferId: 1n, teeKey, publicKey });
 * @throws {InputError} naming the field of the claim that is malformed.
 */
export function expectedReportData(claim: BindingClaim): Hex {
  return tcbReportData(claim);
}
