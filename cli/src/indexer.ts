/**
 * The indexer the CLI reads lists from when `--indexer <url>` (or the config file's `indexer`)
 * names one, checked to index the same deployment as the CLI's: an index of another network or
 * deployment would answer, wrongly, with the same shapes.
 */
import { type IndexerClient, createIndexerClient } from "@tee-marketplace/sdk/indexer";
import { InputError } from "@tee-marketplace/sdk";

import type { Settings } from "./config.js";
import { UsageError } from "./output.js";

export type { IndexerClient };

/**
 * The indexer's client, or undefined when none is named.
 *
 * @param settings The resolved settings (its `indexerUrl` and `deployment`).
 * @returns The client.
 * @throws {UsageError} when the URL is malformed, or the indexer indexes another deployment.
 * @throws {IndexerError} when the indexer cannot be reached.
 */
export async function connectIndexer(settings: Settings): Promise<IndexerClient | undefined> {
  const url = settings.indexerUrl;
  if (url === undefined) return undefined;
  let client: IndexerClient;
  try {
    client = createIndexerClient({ url });
  } catch (error) {
    if (error instanceof InputError) throw new UsageError(`--indexer: ${error.detail}`);
    throw error;
  }
  const indexed = await client.deployment();
  const ours = settings.deployment;
  const differs =
    indexed.chainId !== ours.chainId ||
    (["orders", "offerRegistry", "tcbRegistry"] as const).some(
      (name) => indexed.contracts[name] !== ours.contracts[name],
    );
  if (differs) {
    throw new UsageError(
      `the indexer at ${url} indexes another deployment (chain ${indexed.chainId}, Orders ${indexed.contracts.orders}) ` +
        `than ${settings.deploymentFile} (chain ${ours.chainId}, Orders ${ours.contracts.orders}): ` +
        `pass the indexer of this deployment, or leave --indexer out to read the chain`,
    );
  }
  return client;
}
