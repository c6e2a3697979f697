/**
 * The canonical JSON text the SDK puts on-chain for JSON blobs (offer and provider info).
 */
import { InputError } from "./errors.js";
import { describe } from "./internal/fields.js";

/**
 * The canonical JSON text of a value, as in RFC 8785 (JCS): object keys sorted by UTF-16 code
 * units, no whitespace, strings and numbers as `JSON.stringify` writes them. Two files that differ
 * only in key order or layout give the same text, so the same on-chain `infoHash`.
 *
 * `undefined` object members are left out, like `JSON.stringify` does. A bigint is written as a
 * decimal string (JSON has no big integers).
 *
 * @example
 * canonicalJson({ b: 1, a: [true, "x"] }); // '{"a":[true,"x"],"b":1}'
 * @throws {InputError} when the value holds something JSON cannot represent (a function, a
 * symbol, a non-finite number, a cycle).
 */
export function canonicalJson(value: unknown): string {
  return write(value, "", new Set());
}

function write(value: unknown, path: string, seen: Set<object>): string {
  if (value === null || typeof value === "boolean" || typeof value === "string") return JSON.stringify(value);
  if (typeof value === "number") {
    if (!Number.isFinite(value)) {
      throw new InputError(path, `JSON cannot represent ${value}; use a finite number`);
    }
    return JSON.stringify(value);
  }
  if (typeof value === "bigint") return JSON.stringify(value.toString());
  if (typeof value !== "object") {
    throw new InputError(path, `JSON cannot represent ${describe(value)}`);
  }
  if (seen.has(value)) throw new InputError(path, "JSON cannot represent a cyclic structure");
  seen.add(value);
  let text: string;
  if (Array.isArray(value)) {
    text = `[${value.map((item: unknown, i) => write(item ?? null, `${path}[${i}]`, seen)).join(",")}]`;
  } else {
    const record = value as Record<string, unknown>;
    const members = Object.keys(record)
      .filter((key) => record[key] !== undefined)
      .sort()
      .map(
        (key) => `${JSON.stringify(key)}:${write(record[key], path === "" ? key : `${path}.${key}`, seen)}`,
      );
    text = `{${members.join(",")}}`;
  }
  seen.delete(value);
  return text;
}
