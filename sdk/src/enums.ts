/**
 * The protocol's enums. Numeric values are part of the contracts' ABI and match Super Protocol's
 * (docs/design.md §2), so JSON files written by Super Protocol's tools map onto them unchanged.
 */
import { InputError } from "./errors.js";

/** Kind of an offer. */
export const OfferType = { TeeOffer: 0, Storage: 1, Solution: 2, Data: 3 } as const;
export type OfferType = (typeof OfferType)[keyof typeof OfferType];

/** Group of an offer, derived from its type: inputs, processing (TEE), output (storage). */
export const OfferGroup = { Input: 0, Processing: 1, Output: 2 } as const;
export type OfferGroup = (typeof OfferGroup)[keyof typeof OfferGroup];

/** How a slot's price is charged. */
export const PriceType = { PerHour: 0, Fixed: 1 } as const;
export type PriceType = (typeof PriceType)[keyof typeof PriceType];

/** Status of an order or suborder. */
export const OrderStatus = {
  New: 0,
  Processing: 1,
  Canceling: 2,
  Canceled: 3,
  Done: 4,
  Error: 5,
  Blocked: 6,
  Suspended: 7,
} as const;
export type OrderStatus = (typeof OrderStatus)[keyof typeof OrderStatus];

/** Kind of an entry in an order report's runtime info. */
export const RuntimeType = { Image: 0, Solution: 1, Data: 2 } as const;
export type RuntimeType = (typeof RuntimeType)[keyof typeof RuntimeType];

/** Subtype of a TEE offer. */
export const TeeType = { Default: 0, SGX: 1, TDX: 2, SEV: 3, ARM: 4 } as const;
export type TeeType = (typeof TeeType)[keyof typeof TeeType];

/** What a TCB is now, as the TCB registry reports it (`TcbStatus` in ITcbRegistry.sol). */
export const TcbStatus = { Active: 0, Superseded: 1, Expired: 2, Revoked: 3 } as const;
export type TcbStatus = (typeof TcbStatus)[keyof typeof TcbStatus];

/**
 * The group an offer type belongs to.
 *
 * @example
 * offerGroupOf(OfferType.Data); // OfferGroup.Input
 */
export function offerGroupOf(type: OfferType): OfferGroup {
  if (type === OfferType.TeeOffer) return OfferGroup.Processing;
  if (type === OfferType.Storage) return OfferGroup.Output;
  return OfferGroup.Input;
}

/**
 * The name of an enum value, for messages and JSON output.
 *
 * @example
 * enumName(OrderStatus, 6); // "Blocked"
 * @throws {RangeError} when `value` is not one of the enum's values.
 */
export function enumName<E extends Record<string, number>>(enumObject: E, value: number): keyof E & string {
  const entry = Object.entries(enumObject).find(([, v]) => v === value);
  if (!entry) {
    throw new RangeError(`${value} is not one of ${describeEnum(enumObject)}.`);
  }
  return entry[0];
}

/**
 * Reads an enum value the way Super Protocol's JSON files write it: a number, a numeric string
 * ("3") or the value's name ("Data").
 *
 * @example
 * parseEnum(OfferType, "3", "offerType"); // 3
 * parseEnum(PriceType, "Fixed", "usage.priceType"); // 1
 * @throws {InputError} naming `field` when the value is not one of the enum's; the message lists
 * the allowed names and values.
 */
export function parseEnum<E extends Record<string, number>>(
  enumObject: E,
  raw: unknown,
  field: string,
): E[keyof E] {
  const values = Object.values(enumObject);
  let value: number | undefined;
  if (typeof raw === "number") value = raw;
  else if (typeof raw === "string" && /^\d+$/.test(raw.trim())) value = Number(raw.trim());
  else if (typeof raw === "string" && Object.hasOwn(enumObject, raw)) value = enumObject[raw];
  if (value === undefined || !values.includes(value)) {
    throw new InputError(
      field,
      `${JSON.stringify(raw) ?? "nothing"} is not one of ${describeEnum(enumObject)}.`,
    );
  }
  return value as E[keyof E];
}

function describeEnum(enumObject: Record<string, number>): string {
  return Object.entries(enumObject)
    .map(([name, v]) => `${name}=${v}`)
    .join(", ");
}
