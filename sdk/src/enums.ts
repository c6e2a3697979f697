/**
 * The protocol's enums. Numeric values are part of the contracts' ABI and match Super Protocol's
 * (docs/design.md §2), so JSON files written by Super Protocol's tools map onto them unchanged. The
 * contracts' enums (`OfferType`, `OrderStatus`, `PriceType`, `RuntimeType`, `TcbStatus`) are
 * generated from the compiler's output into `abi/protocol.ts`; the two the contracts do not
 * declare (the derived offer group, the TEE subtype) are here.
 */
import { OfferType, OrderStatus, PriceType, RuntimeType, TcbStatus } from "./abi/protocol.js";
import { InputError } from "./errors.js";

export { OfferType, OrderStatus, PriceType, RuntimeType, TcbStatus };

/** Group of an offer, derived from its type: inputs, processing (TEE), output (storage). */
export const OfferGroup = { Input: 0, Processing: 1, Output: 2 } as const;
export type OfferGroup = (typeof OfferGroup)[keyof typeof OfferGroup];

/** Subtype of a TEE offer (Super Protocol's `teeType`; the contract stores it as a plain uint8). */
export const TeeType = { Default: 0, SGX: 1, TDX: 2, SEV: 3, ARM: 4 } as const;
export type TeeType = (typeof TeeType)[keyof typeof TeeType];

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
