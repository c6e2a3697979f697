/**
 * Dataset discovery: the `keywords` and `dataset` metadata an offer-info.json may carry, and the
 * Jaccard similarity that ranks Data offers against a keyword query. Pure functions over JSON: the
 * SDK's chain search, the indexer and its client use these same rules, so they rank alike.
 *
 * The metadata takes Super Protocol's `DatasetAttributesSchema` names where they fit (`format`,
 * `license`, `languages`, `modalities`, `size`) and adds `records` and `timeRange`:
 *
 * ```json
 * "keywords": ["feedback", "satisfaction", "support"],
 * "dataset": { "records": 50000, "timeRange": { "from": "2025-01-01", "to": "2025-12-31" },
 *              "format": "csv", "license": "cc-by-4.0", "languages": ["en"], "size": 1048576 }
 * ```
 */
import { InputError } from "./errors.js";
import { type JsonObject, describe, fieldPath, isObject } from "./internal/fields.js";
import { toUint } from "./validate.js";

/** Most keywords an offer-info.json may list. */
export const MAX_KEYWORDS = 32;
/** Longest keyword, in characters after normalization. */
export const MAX_KEYWORD_LENGTH = 64;
/**
 * Longest time range, in years, whose years count as terms of a query (a dataset of 2020–2025 is
 * "from 2025"; one of 1900–2025 is too broad to match a year).
 */
export const MAX_YEAR_SPAN = 100;

const MAX_TEXT_LENGTH = 64;
const MAX_LANGUAGES = 16;
const DATE = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/;
const YEAR = /^\d{4}$/;
// Control characters (NUL above all, which PostgreSQL text cannot hold) are refused in every text.
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/u;

/** The `dataset` object of an offer-info.json: what a data owner declares about the data. */
export interface DatasetMetadata {
  /** Number of records. */
  records?: bigint;
  /** Period the data covers: ISO dates `YYYY`, `YYYY-MM` or `YYYY-MM-DD`, `from` ≤ `to`. */
  timeRange?: { from: string; to: string };
  /** Super Protocol's `SupportedFormat`: `csv`, `json`, `parquet`, `arrow`, `text`, ... */
  format?: string;
  /** Super Protocol's `LicenseCode`: `cc-by-4.0`, `apache-2.0`, `mit`, ... */
  license?: string;
  /** Language codes (`en`, `de`). */
  languages?: string[];
  /** Super Protocol's `Modalities`: `Tabular`, `Text`, `Image`, ... */
  modalities?: string;
  /** Size of the data, in bytes. */
  size?: bigint;
}

/** What discovery reads from an offer's info: its keywords and dataset metadata. */
export interface DatasetInfo {
  /** The keywords, normalized ({@link normalizeKeyword}), without duplicates, in their order. */
  keywords: string[];
  /** The dataset metadata; fields that are missing or malformed are left out. */
  dataset: DatasetMetadata;
}

/**
 * A keyword as discovery compares it: Unicode NFKC, trimmed, inner whitespace collapsed to one
 * space, lower case. `" Customer  Feedback"` and `"customer feedback"` are the same keyword.
 *
 * @param value The keyword.
 * @returns The normalized keyword (empty when `value` has no visible characters).
 * @example
 * normalizeKeyword(" Customer  Feedback "); // "customer feedback"
 * @throws nothing.
 */
export function normalizeKeyword(value: string): string {
  return value.normalize("NFKC").trim().replace(/\s+/gu, " ").toLowerCase();
}

/**
 * Keywords given by a caller (a query, or an offer-info.json's `keywords`), normalized and
 * deduplicated. A string is split at commas (`"feedback,2025"`).
 *
 * @param value An array of strings, or one comma-separated string.
 * @param field The field named in errors.
 * @returns The normalized keywords, first occurrence first.
 * @example
 * parseKeywords("Feedback, 2025", "keywords"); // ["feedback", "2025"]
 * @throws {InputError} naming `field` (or its element) when it is not a string or an array of
 * strings, a keyword is empty or longer than {@link MAX_KEYWORD_LENGTH}, or there are more than
 * {@link MAX_KEYWORDS}.
 */
export function parseKeywords(value: unknown, field: string): string[] {
  const list = typeof value === "string" ? value.split(",") : value;
  if (!Array.isArray(list)) {
    throw new InputError(field, `expected an array of keywords, got ${describe(value)}`);
  }
  const keywords = new Set<string>();
  list.forEach((item: unknown, i) => {
    const path = typeof value === "string" ? field : fieldPath(field, i);
    if (typeof item !== "string")
      throw new InputError(path, `expected a keyword (a string), got ${describe(item)}`);
    const keyword = normalizeKeyword(item);
    if (keyword === "")
      throw new InputError(path, `a keyword must have visible characters, got ${describe(item)}`);
    if (CONTROL.test(keyword)) throw new InputError(path, "a keyword cannot hold control characters");
    if (keyword.length > MAX_KEYWORD_LENGTH) {
      throw new InputError(
        path,
        `keywords have at most ${MAX_KEYWORD_LENGTH} characters, got ${keyword.length}`,
      );
    }
    keywords.add(keyword);
  });
  if (keywords.size > MAX_KEYWORDS) {
    throw new InputError(
      field,
      `${keywords.size} keywords, more than ${MAX_KEYWORDS}; keep the ones that matter`,
    );
  }
  return [...keywords];
}

/**
 * Checks the discovery fields of an offer-info.json (`keywords`, `dataset`), as `parseOfferInfo`
 * and `updateOfferInfo` do before anything is sent; both are optional.
 *
 * @param info The offer-info.json object.
 * @example
 * checkDiscoveryFields({ keywords: ["feedback"], dataset: { records: 50000, format: "csv" } });
 * @throws {InputError} naming the field (`"keywords[2]"`, `"dataset.timeRange.to"`, ...) that is
 * malformed.
 */
export function checkDiscoveryFields(info: JsonObject): void {
  const keywords = info["keywords"];
  if (keywords !== undefined) {
    // A file lists its keywords: a string would be read by nobody (readDatasetInfo takes arrays).
    if (!Array.isArray(keywords)) {
      throw new InputError("keywords", `expected an array of keywords, got ${describe(keywords)}`);
    }
    parseKeywords(keywords, "keywords");
  }
  const dataset = info["dataset"];
  if (dataset === undefined) return;
  if (!isObject(dataset)) throw new InputError("dataset", `expected an object, got ${describe(dataset)}`);
  readMetadata(dataset, true);
}

/**
 * Reads the discovery fields of an offer's info as it is on-chain, leniently: whoever wrote it,
 * this never throws; a malformed field is left out, a malformed keyword skipped.
 *
 * @param info The info: a parsed offer-info.json (anything else gives nothing).
 * @returns Its keywords and dataset metadata.
 * @example
 * const { keywords, dataset } = readDatasetInfo((await client.offers.getInfo({ offerId })).info);
 * @throws nothing.
 */
export function readDatasetInfo(info: unknown): DatasetInfo {
  if (!isObject(info)) return { keywords: [], dataset: {} };
  const raw = info["keywords"];
  const keywords = new Set<string>();
  if (Array.isArray(raw)) {
    for (const item of raw as unknown[]) {
      if (typeof item !== "string") continue;
      const keyword = normalizeKeyword(item);
      const usable = keyword !== "" && keyword.length <= MAX_KEYWORD_LENGTH && !CONTROL.test(keyword);
      if (usable && keywords.size < MAX_KEYWORDS) {
        keywords.add(keyword);
      }
    }
  }
  const dataset = info["dataset"];
  return { keywords: [...keywords], dataset: isObject(dataset) ? readMetadata(dataset, false) : {} };
}

/**
 * The years a time range covers, when it covers at most {@link MAX_YEAR_SPAN} years (none otherwise).
 *
 * @param timeRange The dataset's time range.
 * @returns The years, as 4-digit strings, oldest first.
 * @example
 * coveredYears({ from: "2024-06", to: "2025-02-01" }); // ["2024", "2025"]
 * @throws nothing.
 */
export function coveredYears(timeRange: { from: string; to: string } | undefined): string[] {
  if (timeRange === undefined) return [];
  const from = Number(timeRange.from.slice(0, 4));
  const to = Number(timeRange.to.slice(0, 4));
  if (!(from <= to) || to - from + 1 > MAX_YEAR_SPAN) return [];
  return Array.from({ length: to - from + 1 }, (_, i) => String(from + i).padStart(4, "0"));
}

/**
 * The Jaccard similarity of a keyword query and a dataset: |Q ∩ T| / |Q ∪ T|, where Q is the query's
 * keywords and T the dataset's keywords plus the query's years that its time range covers (so
 * `feedback,2025` finds a dataset about feedback from 2025 without every year of its range diluting
 * the score). 0 when nothing is shared.
 *
 * @param query The query's keywords, normalized ({@link parseKeywords}).
 * @param dataset The dataset's keywords (normalized) and time range.
 * @returns The similarity, from 0 to 1.
 * @example
 * keywordSimilarity(["feedback", "2025"], {
 *   keywords: ["feedback", "satisfaction", "support"],
 *   timeRange: { from: "2025-01-01", to: "2025-12-31" },
 * }); // 2 / 4 = 0.5
 * @throws nothing.
 */
export function keywordSimilarity(
  query: readonly string[],
  dataset: { keywords: readonly string[]; timeRange?: { from: string; to: string } | undefined },
): number {
  const queryTerms = new Set(query);
  const keywords = new Set(dataset.keywords);
  const years = new Set(coveredYears(dataset.timeRange));
  let sharedKeywords = 0;
  let sharedYears = 0;
  for (const term of queryTerms) {
    if (keywords.has(term)) sharedKeywords += 1;
    else if (YEAR.test(term) && years.has(term)) sharedYears += 1;
  }
  return similarityOf({
    queryTerms: queryTerms.size,
    keywords: keywords.size,
    sharedKeywords,
    sharedYears,
  });
}

/**
 * The similarity from its counts (what an index that stores keywords and years as rows can count):
 * (sharedKeywords + sharedYears) / (queryTerms + keywords − sharedKeywords). A year the dataset
 * lists as a keyword counts once, as a keyword.
 *
 * @param counts The query's term count, the dataset's keyword count, and what they share.
 * @returns The similarity, from 0 to 1 (0 when nothing is shared).
 * @example
 * similarityOf({ queryTerms: 2, keywords: 3, sharedKeywords: 1, sharedYears: 1 }); // 0.5
 * @throws nothing.
 */
export function similarityOf(counts: {
  queryTerms: number;
  keywords: number;
  sharedKeywords: number;
  sharedYears: number;
}): number {
  const shared = counts.sharedKeywords + counts.sharedYears;
  if (shared === 0) return 0;
  return shared / (counts.queryTerms + counts.keywords - counts.sharedKeywords);
}

function readMetadata(raw: JsonObject, strict: boolean): DatasetMetadata {
  const metadata: DatasetMetadata = {};
  const read = <T>(key: string, parse: () => T, assign: (value: T) => void): void => {
    if (raw[key] === undefined || raw[key] === null) return;
    try {
      assign(parse());
    } catch (error) {
      if (strict) throw error;
    }
  };
  read(
    "records",
    () => toUint(raw["records"], "dataset.records", { bits: 64, expected: "a number of records" }),
    (v) => {
      metadata.records = v;
    },
  );
  read(
    "size",
    () => toUint(raw["size"], "dataset.size", { bits: 64, expected: "a size in bytes" }),
    (v) => {
      metadata.size = v;
    },
  );
  read(
    "timeRange",
    () => parseTimeRange(raw["timeRange"]),
    (v) => {
      metadata.timeRange = v;
    },
  );
  for (const key of ["format", "license", "modalities"] as const) {
    read(
      key,
      () => shortText(raw[key], `dataset.${key}`),
      (v) => {
        metadata[key] = v;
      },
    );
  }
  read(
    "languages",
    () => parseLanguages(raw["languages"]),
    (v) => {
      metadata.languages = v;
    },
  );
  return metadata;
}

function shortText(value: unknown, field: string): string {
  if (typeof value !== "string" || value.trim() === "") {
    throw new InputError(field, `expected a non-empty string, got ${describe(value)}`);
  }
  if (value.length > MAX_TEXT_LENGTH) {
    throw new InputError(field, `at most ${MAX_TEXT_LENGTH} characters, got ${value.length}`);
  }
  if (CONTROL.test(value)) throw new InputError(field, "cannot hold control characters");
  return value.trim();
}

function parseLanguages(value: unknown): string[] {
  if (!Array.isArray(value)) {
    throw new InputError("dataset.languages", `expected an array of language codes, got ${describe(value)}`);
  }
  if (value.length > MAX_LANGUAGES) {
    throw new InputError("dataset.languages", `at most ${MAX_LANGUAGES} languages, got ${value.length}`);
  }
  return (value as unknown[]).map((item, i) => shortText(item, fieldPath("dataset.languages", i)));
}

function parseTimeRange(value: unknown): { from: string; to: string } {
  if (!isObject(value)) {
    throw new InputError("dataset.timeRange", `expected { from, to } (ISO dates), got ${describe(value)}`);
  }
  const from = parseDate(value["from"], "dataset.timeRange.from");
  const to = parseDate(value["to"], "dataset.timeRange.to");
  if (from.key > to.key) {
    throw new InputError(
      "dataset.timeRange.to",
      `${to.text} is before ${from.text}; put the earlier date in from`,
    );
  }
  return { from: from.text, to: to.text };
}

/** An ISO date `YYYY`, `YYYY-MM` or `YYYY-MM-DD`, with a sort key (missing parts read as the first). */
function parseDate(value: unknown, field: string): { text: string; key: string } {
  const match = typeof value === "string" ? DATE.exec(value) : null;
  if (match === null) {
    throw new InputError(field, `expected an ISO date (YYYY, YYYY-MM or YYYY-MM-DD), got ${describe(value)}`);
  }
  const [, year = "", month = "01", day = "01"] = match;
  const date = new Date(`${year}-${month}-${day}T00:00:00Z`);
  if (Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== `${year}-${month}-${day}`) {
    throw new InputError(field, `${JSON.stringify(value)} is not a date of the calendar`);
  }
  return { text: value as string, key: `${year}-${month}-${day}` };
}
