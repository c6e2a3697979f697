/**
 * Ids and enums given by callers, checked before any RPC. Not exported from the package.
 */
import { MAX_PAGE_SIZE } from "../abi/protocol.js";
import { InputError } from "../errors.js";
import { toUint } from "../validate.js";

/** A positive on-chain id (order, suborder, offer, slot, TCB) as a bigint. */
export function toId(value: unknown, field: string, what: string): bigint {
  return toUint(value, field, { min: 1n, expected: `${what} id (a positive integer)` });
}

/** A page size from 1 to `max` (the contracts' `MAX_PAGE_SIZE`), default `max`. */
export function pageLimit(value: unknown, max = MAX_PAGE_SIZE): bigint {
  const limit = toUint(value ?? max, "limit", { min: 1n, expected: `a page size from 1 to ${max}` });
  if (limit > BigInt(max))
    throw new InputError("limit", `expected a page size from 1 to ${max}, got ${limit}`);
  return limit;
}
