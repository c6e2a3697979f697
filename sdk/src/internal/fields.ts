/**
 * Helpers shared by the parsers of JSON inputs. Not exported from the package.
 */
import { InputError } from "../errors.js";

/** A JSON object, as the parsers see it before validation. */
export type JsonObject = Readonly<Record<string, unknown>>;

/** Describes a value for a message: strings quoted, `undefined` as a missing field. */
export function describe(value: unknown): string {
  if (value === undefined) return "nothing (the field is missing)";
  if (value === null) return "null";
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "number" || typeof value === "bigint" || typeof value === "boolean") {
    return String(value);
  }
  if (Array.isArray(value)) return "an array";
  if (value instanceof Uint8Array) return `${value.length} bytes`;
  return `a ${typeof value}`;
}

/** `base.key`, or `key` at the root. */
export function fieldPath(base: string, key: string | number): string {
  if (typeof key === "number") return `${base}[${key}]`;
  return base === "" ? key : `${base}.${key}`;
}

/** Whether `value` is a plain JSON object (not null, not an array). */
export function isObject(value: unknown): value is JsonObject {
  return (
    typeof value === "object" && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array)
  );
}

/**
 * `value` as a JSON object; a string is parsed as JSON text first.
 * @param what What the object is, for the message ("the offer-info.json object").
 */
export function rootObject(value: unknown, what: string): JsonObject {
  let parsed = value;
  if (typeof value === "string") {
    try {
      parsed = JSON.parse(value) as unknown;
    } catch (error) {
      throw new InputError(
        "",
        `expected ${what} as JSON text, but it is not valid JSON: ${errorText(error)}`,
        {
          cause: error,
        },
      );
    }
  }
  if (!isObject(parsed)) throw new InputError("", `expected ${what}, got ${describe(parsed)}`);
  return parsed;
}

/** The object at `field`; throws when it is missing (unless `optional`) or not an object. */
export function objectAt(
  parent: JsonObject,
  base: string,
  key: string,
  optional: true,
): JsonObject | undefined;
export function objectAt(parent: JsonObject, base: string, key: string, optional?: false): JsonObject;
export function objectAt(
  parent: JsonObject,
  base: string,
  key: string,
  optional = false,
): JsonObject | undefined {
  const value = parent[key];
  if (value === undefined && optional) return undefined;
  if (!isObject(value)) {
    throw new InputError(fieldPath(base, key), `expected an object, got ${describe(value)}`);
  }
  return value;
}

/** The array at `field`, `[]` when missing. */
export function arrayAt(parent: JsonObject, base: string, key: string): readonly unknown[] {
  const value = parent[key];
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) {
    throw new InputError(fieldPath(base, key), `expected an array, got ${describe(value)}`);
  }
  return value as readonly unknown[];
}

/** The string at `field`; throws when it is missing or not a string. */
export function stringAt(parent: JsonObject, base: string, key: string): string {
  const value = parent[key];
  if (typeof value !== "string") {
    throw new InputError(fieldPath(base, key), `expected a string, got ${describe(value)}`);
  }
  return value;
}

/** The message of an unknown thrown value. */
export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
