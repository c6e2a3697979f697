/**
 * The indexer's HTTP API (Ponder serves it, with `/health`, `/ready`, `/status` and `/metrics`):
 *
 * - `/sql/*`: Ponder's SQL over HTTP (read-only SELECTs on the index's tables, what `@ponder/client`
 *   and the SDK's `createIndexerClient` send);
 * - `/graphql`: GraphQL over the same tables (one root field per table, with filters and cursors);
 * - `/deployment`: the deployment this indexer indexes, so a client can check it asks the right one.
 */
import { db } from "ponder:api";
import schema from "ponder:schema";
import { Hono } from "hono";
import { client, graphql } from "ponder";

import { indexerSettings } from "../../lib/settings.js";

const { deployment, network } = indexerSettings(process.env);

const app = new Hono();

app.use("/sql/*", client({ db, schema }));
app.use("/graphql", graphql({ db, schema }));

app.get("/deployment", (c) =>
  c.json({
    network,
    chainId: deployment.chainId,
    contracts: deployment.contracts,
    blocks: { deployed: deployment.blocks.deployed.toString() },
  }),
);

export default app;
