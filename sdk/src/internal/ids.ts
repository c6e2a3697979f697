/**
 * Ids and enums given by callers, checked before any RPC. Not exported from the package.
 */
import { toUint } from "../validate.js";

/** A positive on-chain id (order, suborder, offer, slot, TCB) as a bigint. */
export function toId(value: unknown, field: string, what: string): bigint {
  return toUint(value, field, { min: 1n, expected: `${what} id (a positive integer)` });
}
