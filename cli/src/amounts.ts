/**
 * Token amounts as the CLI shows them: whole tokens with the symbol, and the base units.
 */
import { type Address, formatUnits } from "viem";

/** The payment token as the CLI shows amounts of it. */
export interface TokenInfo {
  address: Address;
  decimals: number;
  symbol: string;
}

/** `200 TEST (200000000000000000000 base units)`. */
export function formatTokens(amount: bigint, token: { decimals: number; symbol: string }): string {
  return `${formatUnits(amount, token.decimals)} ${token.symbol} (${amount} base units)`;
}
