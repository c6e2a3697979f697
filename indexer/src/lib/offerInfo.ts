/**
 * What the index keeps of an offer's info blob: its name and the discovery fields (keywords and
 * dataset metadata), read with the SDK's lenient reader so any blob, however written, indexes; and
 * the search terms (`offer_terms` rows) they give.
 */
import { type Hex, hexToString } from "viem";

import { coveredYears, readDatasetInfo } from "@tee-marketplace/sdk";

/** The `offers` columns that come from the info blob. */
export interface InfoColumns {
  info: Hex;
  name: string;
  keywords: string[];
  keywordCount: number;
  records: bigint | null;
  timeFrom: string | null;
  timeTo: string | null;
  format: string | null;
  license: string | null;
  languages: string[] | null;
  modalities: string | null;
  size: bigint | null;
}

/** One row of `offer_terms`. */
export interface TermRow {
  id: string;
  offerId: bigint;
  term: string;
  keyword: boolean;
}

/**
 * Reads an info blob: UTF-8 JSON when it is, else nothing but the bytes.
 *
 * @param info The blob as emitted.
 * @returns The columns.
 * @example
 * await context.db.update(offer, { id }).set(infoColumns(event.args.info));
 * @throws nothing: a blob that is not an offer-info.json gives empty discovery fields.
 */
export function infoColumns(info: Hex): InfoColumns {
  let parsed: unknown;
  try {
    parsed = JSON.parse(hexToString(info));
  } catch {
    parsed = undefined;
  }
  const { keywords, dataset } = readDatasetInfo(parsed);
  const rawName =
    typeof parsed === "object" && parsed !== null ? (parsed as Record<string, unknown>)["name"] : undefined;
  return {
    info,
    // Postgres text cannot hold NUL characters.
    name: typeof rawName === "string" ? rawName.replaceAll("\u0000", "") : "",
    keywords,
    keywordCount: keywords.length,
    records: dataset.records ?? null,
    timeFrom: dataset.timeRange?.from ?? null,
    timeTo: dataset.timeRange?.to ?? null,
    format: dataset.format ?? null,
    license: dataset.license ?? null,
    languages: dataset.languages ?? null,
    modalities: dataset.modalities ?? null,
    size: dataset.size ?? null,
  };
}

/**
 * The search terms of an offer: a row per keyword, and per year its time range covers.
 *
 * @param offerId The offer.
 * @param columns Its keywords and time range (as stored).
 * @returns The rows.
 * @example
 * for (const row of termRows(id, columns)) await context.db.insert(offerTerm).values(row);
 * @throws nothing.
 */
export function termRows(
  offerId: bigint,
  columns: Pick<InfoColumns, "keywords" | "timeFrom" | "timeTo">,
): TermRow[] {
  const range =
    columns.timeFrom === null || columns.timeTo === null
      ? undefined
      : { from: columns.timeFrom, to: columns.timeTo };
  return [
    ...columns.keywords.map((term) => ({ id: `${offerId}:k:${term}`, offerId, term, keyword: true })),
    ...coveredYears(range).map((term) => ({ id: `${offerId}:y:${term}`, offerId, term, keyword: false })),
  ];
}
