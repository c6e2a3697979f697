/**
 * Token amounts as the CLI shows them: whole tokens with the symbol, and the base units.
 */
import { formatUnits } from "viem";

/** `200 TEST (200000000000000000000 base units)`. */
export function formatTokens(amount: bigint, token: { decimals: number; symbol: string }): string {
  return `${formatUnits(amount, token.decimals)} ${token.symbol} (${amount} base units)`;
}
