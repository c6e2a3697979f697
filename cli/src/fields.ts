/**
 * `--fields`: the columns a listing or a `get` shows, by spctl's names, each with its JSON key and how
 * to read it from a row. One table per kind of row; unknown names are a usage error that lists the
 * known ones.
 */
import type { CommandInput } from "./command.js";
import { UsageError } from "./output.js";

/** One column: its key in `--json` output and its value in a row. */
export interface Field<Row> {
  json: string;
  value(row: Row): string | number | bigint | boolean;
}

/** The columns of a kind of row, by the names `--fields` takes (`names`: one of ./fieldNames.ts's lists). */
export type FieldTable<Row, names extends string = string> = Readonly<Record<names, Field<Row>>>;

/**
 * The names given with `--<option>` (comma-separated), checked against `table`, or `defaults`.
 *
 * @throws {UsageError} naming the option and the known fields for an unknown name or an empty list.
 */
export function fieldsOption<Row>(
  input: CommandInput,
  table: FieldTable<Row, string>,
  defaults: readonly string[],
  option = "fields",
): string[] {
  const value = input.values[option];
  if (typeof value !== "string") return [...defaults];
  const names = value
    .split(",")
    .map((name) => name.trim())
    .filter((name) => name !== "");
  if (names.length === 0) throw new UsageError(`--${option}: name at least one field`);
  for (const name of names) {
    if (!Object.hasOwn(table, name)) {
      throw new UsageError(
        `--${option}: unknown field "${name}"; available: ${Object.keys(table).join(", ")}`,
      );
    }
  }
  return names;
}

function text(value: string | number | bigint | boolean): string {
  return typeof value === "boolean" ? (value ? "yes" : "no") : String(value);
}

/** The rows as table cells (a header of field names first) and as JSON objects. */
export function pick<Row>(
  rows: readonly Row[],
  table: FieldTable<Row, string>,
  names: readonly string[],
): { cells: string[][]; json: Record<string, unknown>[] } {
  const columns = names.map((name) => table[name] as Field<Row>);
  return {
    cells: [[...names], ...rows.map((row) => columns.map((column) => text(column.value(row))))],
    json: rows.map((row) => Object.fromEntries(columns.map((column) => [column.json, column.value(row)]))),
  };
}
