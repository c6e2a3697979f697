/**
 * How the indexer client talks to an indexer: Ponder's SQL over HTTP (`GET /sql/db?sql=<query>`,
 * the query and its parameters as superjson's JSON form, the rows back as JSON) and plain JSON
 * endpoints (`/status`, `/deployment`). Every call has a timeout; every failure is an
 * {@link IndexerError} that names the indexer and what to check.
 */
import { IndexerError, InputError } from "../errors.js";

/** A value a query parameter may hold (bigints are sent as decimal strings). */
export type SqlParameter = string | number | boolean | null | readonly (string | number)[];

/** A row as the indexer returns it: snake_case columns; numerics as strings, integers as numbers. */
export type SqlRow = Readonly<Record<string, unknown>>;

/** Where the client's requests go. Plain data: no caches. */
export interface IndexerContext {
  /** The indexer's base URL, without a trailing slash. */
  readonly url: string;
  readonly fetch: typeof globalThis.fetch;
  /** Milliseconds before a request is abandoned. */
  readonly timeoutMs: number;
}

/** What {@link createIndexerContext} and `createIndexerClient` take. */
export interface IndexerContextParameters {
  /** The indexer's base URL (`http://127.0.0.1:42069`). */
  url: string;
  /** A fetch implementation (default: the global one). */
  fetch?: typeof globalThis.fetch;
  /** Milliseconds before a request is abandoned (default 10,000). */
  timeoutMs?: number;
}

/**
 * Checks the parameters and builds an {@link IndexerContext}, without any request.
 *
 * @param params The URL, and optionally `fetch` and `timeoutMs`.
 * @returns The context.
 * @example
 * const ctx = createIndexerContext({ url: "http://127.0.0.1:42069" });
 * @throws {InputError} naming `url` when it is not an http(s) URL, or `timeoutMs` when it is not a
 * positive number.
 */
export function createIndexerContext(params: IndexerContextParameters): IndexerContext {
  let url: URL;
  try {
    url = new URL(params.url);
  } catch {
    throw new InputError("url", `expected the indexer's http(s) URL, got ${JSON.stringify(params.url)}`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new InputError("url", `expected an http or https URL, got ${JSON.stringify(params.url)}`);
  }
  const timeoutMs = params.timeoutMs ?? 10_000;
  if (typeof timeoutMs !== "number" || !(timeoutMs > 0)) {
    throw new InputError("timeoutMs", `expected a positive number of milliseconds, got ${String(timeoutMs)}`);
  }
  const fetchFn = params.fetch ?? globalThis.fetch;
  return { url: url.href.replace(/\/+$/, ""), fetch: fetchFn, timeoutMs };
}

/** GETs `path` and returns the response, or throws an {@link IndexerError} that says what to check. */
async function get(ctx: IndexerContext, path: string, what: string): Promise<Response> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), ctx.timeoutMs);
  try {
    return await ctx.fetch(`${ctx.url}${path}`, { signal: controller.signal });
  } catch (error) {
    const timedOut = controller.signal.aborted;
    throw new IndexerError({
      url: ctx.url,
      message: timedOut
        ? `The indexer at ${ctx.url} did not answer ${what} within ${ctx.timeoutMs} ms; check that it is running and not overloaded.`
        : `Cannot reach the indexer at ${ctx.url} (${what}): check the URL and that the indexer runs (npm run indexer).`,
      cause: error,
    });
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Runs a read-only SQL query on the index (Ponder's `/sql/db`) and returns its rows.
 *
 * @param ctx The indexer context.
 * @param sql One SELECT over the index's tables (Ponder refuses anything else), `$1`.. for parameters.
 * @param params The parameters.
 * @returns The rows.
 * @example
 * const rows = await indexerSql(ctx, "SELECT id, status FROM orders WHERE consumer = $1", [alice.toLowerCase()]);
 * @throws {IndexerError} when the indexer is unreachable, times out, or refuses the query (its
 * message says why).
 */
export async function indexerSql(
  ctx: IndexerContext,
  sql: string,
  params: readonly SqlParameter[] = [],
): Promise<SqlRow[]> {
  const query = encodeURIComponent(JSON.stringify({ json: { sql, params } }));
  const response = await get(ctx, `/sql/db?sql=${query}`, "a query");
  const text = await response.text();
  if (!response.ok) {
    throw new IndexerError({
      url: ctx.url,
      status: response.status,
      message: `The indexer at ${ctx.url} refused a query (HTTP ${response.status}: ${text.slice(0, 300)}); is it an indexer of this version of the marketplace?`,
    });
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (error) {
    throw new IndexerError({
      url: ctx.url,
      status: response.status,
      message: `The indexer at ${ctx.url} answered a query with something that is not JSON; is the URL an indexer's?`,
      cause: error,
    });
  }
  const rows = (body as { rows?: unknown } | null)?.rows;
  if (!Array.isArray(rows)) {
    throw new IndexerError({
      url: ctx.url,
      status: response.status,
      message: `The indexer at ${ctx.url} answered a query without rows; is the URL an indexer's?`,
    });
  }
  return rows as SqlRow[];
}

/**
 * GETs a JSON endpoint of the indexer (`/status`, `/deployment`).
 *
 * @param ctx The indexer context.
 * @param path The path, from `/`.
 * @returns The parsed body, and whether the status was 2xx.
 * @example
 * const { body } = await indexerJson(ctx, "/deployment");
 * @throws {IndexerError} when the indexer is unreachable, times out or answers something that is
 * not JSON.
 */
export async function indexerJson(
  ctx: IndexerContext,
  path: string,
): Promise<{ ok: boolean; body: unknown }> {
  const response = await get(ctx, path, path);
  const text = await response.text();
  try {
    return { ok: response.ok, body: JSON.parse(text) as unknown };
  } catch (error) {
    throw new IndexerError({
      url: ctx.url,
      status: response.status,
      message: `The indexer at ${ctx.url} answered ${path} with something that is not JSON (HTTP ${response.status}); is the URL an indexer's?`,
      cause: error,
    });
  }
}

/**
 * Whether the indexer has finished its backfill (Ponder's `/ready`: 200 once historical indexing is
 * done, 503 before).
 *
 * @param ctx The indexer context.
 * @returns True once the backfill is done.
 * @example
 * while (!(await indexerReady(ctx))) await new Promise((r) => setTimeout(r, 1000));
 * @throws {IndexerError} when the indexer is unreachable or times out.
 */
export async function indexerReady(ctx: IndexerContext): Promise<boolean> {
  const response = await get(ctx, "/ready", "/ready");
  await response.text();
  return response.ok;
}
