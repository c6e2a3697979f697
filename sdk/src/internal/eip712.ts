/**
 * EIP-712 helpers shared by order reports and attestations. Not exported from the package.
 */
import type { Address } from "viem";

import { toAddress, toUint } from "../validate.js";

/** An EIP-712 domain with the four fields the contracts use. */
export interface Domain<Name extends string> {
  readonly name: Name;
  readonly version: "1";
  readonly chainId: number;
  readonly verifyingContract: Address;
}

/** Builds a domain, validating the chain id and the contract address. */
export function makeDomain<Name extends string>(
  name: Name,
  chainId: number | bigint,
  verifyingContract: Address,
  contractField: string,
): Domain<Name> {
  const id = toUint(chainId, "chainId", { min: 1n, bits: 53, expected: "a chain id (a positive integer)" });
  return {
    name,
    version: "1",
    chainId: Number(id),
    verifyingContract: toAddress(verifyingContract, contractField),
  };
}
