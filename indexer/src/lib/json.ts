/**
 * Event arguments as JSON for the `args` columns: quantities become decimal strings (JSON numbers
 * would lose precision), bytes and addresses lower-case hex strings (as every hex column of the
 * index).
 */

/** A JSON value. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/**
 * `value` with every bigint as a decimal string and every hex string in lower case.
 *
 * @param value Decoded event arguments (viem's shapes: bigints, hex strings, arrays, structs).
 * @returns The JSON value.
 * @example
 * toJsonValue({ orderId: 3n, consumer: "0xAb.." }); // { orderId: "3", consumer: "0xab.." }
 * @throws nothing.
 */
export function toJsonValue(value: unknown): JsonValue {
  if (typeof value === "bigint") return value.toString();
  if (typeof value === "string") return /^0x[0-9a-f]*$/i.test(value) ? value.toLowerCase() : value;
  if (typeof value === "number" || typeof value === "boolean") return value;
  if (Array.isArray(value)) return value.map(toJsonValue);
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, toJsonValue(item)]));
  }
  return null;
}
