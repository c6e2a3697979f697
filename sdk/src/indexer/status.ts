/**
 * What an indexer indexes and how far it has got: its deployment (so a client can check it asks
 * the indexer of its own deployment) and its progress.
 */
import { type Deployment, parseDeployment } from "../deployment.js";
import { IndexerError, InputError } from "../errors.js";
import { type IndexerContext, indexerJson, indexerReady } from "./context.js";

/** How far an indexer has got. */
export interface IndexerStatus {
  /** Whether its backfill is done (before, its answers lag far behind the chain). */
  ready: boolean;
  /** The chain it indexes. */
  chainId: number | undefined;
  /** The newest block it has indexed (undefined before its first). */
  block: bigint | undefined;
  /** That block's timestamp, unix seconds. */
  timestamp: number | undefined;
}

/**
 * The deployment an indexer indexes (its `/deployment`).
 *
 * @param ctx The indexer context.
 * @returns The deployment.
 * @example
 * const indexed = await indexer.deployment();
 * if (indexed.contracts.orders !== deployment.contracts.orders) throw new Error("another deployment");
 * @throws {IndexerError} when the indexer cannot answer, or its answer is not a deployment.
 */
export async function getIndexedDeployment(ctx: IndexerContext): Promise<Deployment> {
  const { ok, body } = await indexerJson(ctx, "/deployment");
  try {
    if (!ok) throw new InputError("", "not found");
    return parseDeployment(body);
  } catch (error) {
    throw new IndexerError({
      url: ctx.url,
      message: `The indexer at ${ctx.url} does not say which deployment it indexes (/deployment); is the URL an indexer of this marketplace?`,
      cause: error,
    });
  }
}

/**
 * The indexer's progress: Ponder's `/ready` and `/status`.
 *
 * @param ctx The indexer context.
 * @returns Whether the backfill is done, and the newest block indexed.
 * @example
 * const { ready, block } = await indexer.status();
 * @throws {IndexerError} when the indexer cannot answer.
 */
export async function getIndexerStatus(ctx: IndexerContext): Promise<IndexerStatus> {
  const [ready, { body }] = await Promise.all([indexerReady(ctx), indexerJson(ctx, "/status")]);
  const chains =
    typeof body === "object" && body !== null ? Object.values(body as Record<string, unknown>) : [];
  const chain = chains[0] as
    { id?: unknown; block?: { number?: unknown; timestamp?: unknown } | null } | undefined;
  const number = chain?.block?.number;
  const timestamp = chain?.block?.timestamp;
  return {
    ready,
    chainId: typeof chain?.id === "number" ? chain.id : undefined,
    block: typeof number === "number" ? BigInt(number) : undefined,
    timestamp: typeof timestamp === "number" ? timestamp : undefined,
  };
}
