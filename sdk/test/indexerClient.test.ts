/**
 * The indexer client against what it cannot trust: a server on 127.0.0.1 that plays an indexer
 * answering badly (refusals, garbage, rows that are not what the schema says, silence). The client's
 * answers from a real indexer are tested in indexer/test (every one against the chain's); here, that
 * it fails with an IndexerError that says what to check, checks its input before any request, and
 * never puts input into SQL text.
 */
import { expect } from "chai";
import { type IncomingMessage, type Server, type ServerResponse, createServer } from "node:http";
import type { AddressInfo } from "node:net";

import { getAddress } from "viem";

import { IndexerError, InputError } from "../src/index.js";
import { createIndexerClient } from "../src/indexer/index.js";
import { failure } from "./support/rejections.js";

/** A stand-in server: `answer` decides each response; `requests` records the URLs asked. */
async function standIn(
  answer: (request: IncomingMessage, response: ServerResponse) => void,
): Promise<{ url: string; requests: string[]; close(): Promise<void> }> {
  const requests: string[] = [];
  const server: Server = createServer((request, response) => {
    requests.push(request.url ?? "");
    answer(request, response);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function json(body: unknown, status = 200) {
  return (_request: IncomingMessage, response: ServerResponse) => {
    response.writeHead(status, { "content-type": "application/json" });
    response.end(typeof body === "string" ? body : JSON.stringify(body));
  };
}

/** The SQL text and parameters of a `/sql/db` request. */
function sqlOf(url: string): { sql: string; params: unknown[] } {
  const query = new URL(url, "http://x").searchParams.get("sql") ?? "";
  return (JSON.parse(query) as { json: { sql: string; params: unknown[] } }).json;
}

const ORDER_ROW = {
  id: "3",
  consumer: "0x70997970c51812dc3a010c7d01b50e0d17dc79c8",
  status: 6,
  suborder_count: 1,
  blocking_suborders: 1,
  recipient_count: 1,
  cancelable: true,
  started_at: "0",
  tee_offer_id: "2",
  tee_slot_id: "2",
  tee_key: "0xb44c179365b038e20851bde5adf32cf5c844e85c",
  args_block: "19",
  deposit: "200000000000000000000",
  report_block: "0",
  result_block: "0",
  solution_hash: `0x${"b9".repeat(32)}`,
};

describe("indexer client", function () {
  it("checks its URL and timeout without any request", function () {
    for (const url of ["not a url", "ftp://127.0.0.1/", ""]) {
      const error = (() => {
        try {
          createIndexerClient({ url });
        } catch (e) {
          return e;
        }
        return undefined;
      })();
      expect(error, url).to.be.instanceOf(InputError);
      expect((error as InputError).field, `field for ${url}`).to.equal("url");
    }
    expect(() => createIndexerClient({ url: "http://127.0.0.1:1", timeoutMs: 0 }), "timeout 0").to.throw(
      InputError,
    );
    expect(createIndexerClient({ url: "http://127.0.0.1:42069/" }).context.url, "trailing slash").to.equal(
      "http://127.0.0.1:42069",
    );
  });

  it("maps rows to the chain's shapes: checksummed addresses, bigints, numbers", async function () {
    const server = await standIn((request, response) => {
      const { sql } = sqlOf(request.url ?? "");
      json({ rows: sql.includes("FROM orders") ? [ORDER_ROW] : [] })(request, response);
    });
    try {
      const { workflows, nextCursor } = await createIndexerClient({ url: server.url }).orders.list({
        limit: 5,
      });
      expect(workflows, "workflows").to.deep.equal([
        {
          order: {
            id: 3n,
            consumer: getAddress(ORDER_ROW.consumer),
            status: 6,
            suborderCount: 1,
            blockingSuborders: 1,
            recipientCount: 1,
            cancelable: true,
            startedAt: 0,
            teeOfferId: 2n,
            teeSlotId: 2n,
            teeKey: getAddress(ORDER_ROW.tee_key),
            argsBlock: 19n,
            deposit: 200000000000000000000n,
            reportBlock: 0n,
            resultBlock: 0n,
            solutionHash: ORDER_ROW.solution_hash,
          },
          suborders: [],
        },
      ]);
      expect(nextCursor, "no next page").to.equal(undefined);
    } finally {
      await server.close();
    }
  });

  it("sends input as parameters, never in the SQL text", async function () {
    const server = await standIn((request, response) => {
      const { sql } = sqlOf(request.url ?? "");
      json({ rows: sql.includes("count(*)") ? [{ offer_count: "0" }] : [] })(request, response);
    });
    try {
      const client = createIndexerClient({ url: server.url });
      const hostile = "x'); DROP TABLE orders; --";
      await client.offers.search({ keywords: [hostile, "2025"] });
      await client.offers.list({
        keywords: [hostile],
        provider: "0x70997970C51812dc3A010C7d01b50e0d17dc79C8",
      });
      await client.orders.list({
        consumer: "0x70997970C51812dc3A010C7d01b50e0d17dc79C8",
        status: ["New", "Blocked"],
      });
      for (const url of server.requests) {
        const { sql, params } = sqlOf(url);
        expect(sql, "SQL text").not.to.match(/drop table/i);
        expect(sql, "SQL text").not.to.include("0x70997970");
        expect(
          params.every((p) => typeof p !== "object" || Array.isArray(p)),
          "parameters are plain values",
        ).to.equal(true);
      }
      const search = sqlOf(server.requests[0] ?? "");
      expect(search.params[0], "the keywords, normalized, as one parameter").to.deep.equal([
        hostile.toLowerCase(),
        "2025",
      ]);
    } finally {
      await server.close();
    }
  });

  it("checks every parameter before any request", async function () {
    const server = await standIn(json({ rows: [] }));
    try {
      const client = createIndexerClient({ url: server.url });
      const attempts: [string, Promise<unknown>][] = [
        ["limit", client.orders.list({ limit: 0 })],
        ["limit", client.orders.list({ limit: 1001 })],
        ["consumer", client.orders.list({ consumer: "0x1234" })],
        ["status", client.orders.list({ status: "Finished" as "New" })],
        ["offerIds[1]", client.orders.list({ offerIds: [1n, 0n] })],
        ["provider", client.suborders.list({})],
        ["keywords", client.offers.search({ keywords: [] })],
        ["minSimilarity", client.offers.search({ keywords: ["a"], minSimilarity: 1.5 })],
        ["limit", client.offers.search({ keywords: ["a"], limit: 101 })],
        ["offerType", client.offers.list({ offerType: "Car" as "Data" })],
        ["orderId", client.orders.history({ orderId: 0 })],
        ["teeOfferId", client.tcbs.list({ teeOfferId: -1 })],
      ];
      for (const [field, attempt] of attempts) {
        const error = await failure(attempt);
        expect(error, `${field}: an InputError`).to.be.instanceOf(InputError);
        expect((error as InputError).field, "field").to.equal(field);
      }
      expect(server.requests, "requests sent").to.deep.equal([]);
    } finally {
      await server.close();
    }
  });

  it("fails with an IndexerError that says what to check: refused, not JSON, no rows, malformed rows", async function () {
    const cases: [string, (request: IncomingMessage, response: ServerResponse) => void, RegExp][] = [
      [
        "a refused query",
        json("SubLink not supported", 500),
        /refused a query \(HTTP 500: "?SubLink not supported/,
      ],
      ["an answer that is not JSON", json("<html>proxy</html>"), /not JSON; is the URL an indexer's/],
      ["an answer without rows", json({ data: [] }), /without rows/],
      [
        "a row with a malformed address",
        json({ rows: [{ ...ORDER_ROW, consumer: "0xnope" }] }),
        /row of orders whose consumer is "0xnope"/,
      ],
      [
        "a row without a column",
        json({ rows: [{ ...ORDER_ROW, deposit: undefined }] }),
        /row of orders whose deposit is missing/,
      ],
      [
        "a row with a negative quantity",
        json({ rows: [{ ...ORDER_ROW, deposit: "-5" }] }),
        /row of orders whose deposit is "-5"/,
      ],
    ];
    for (const [what, answer, message] of cases) {
      const server = await standIn(answer);
      try {
        const error = await failure(createIndexerClient({ url: server.url }).orders.list());
        expect(error, `${what}: an IndexerError`).to.be.instanceOf(IndexerError);
        expect(error.message, what).to.match(message);
        expect((error as IndexerError).url, "url").to.equal(server.url);
      } finally {
        await server.close();
      }
    }
  });

  it("says when the indexer is unreachable or silent, and when it is not an indexer of a deployment", async function () {
    const closed = await standIn(json({}));
    await closed.close();
    const unreachable = await failure(createIndexerClient({ url: closed.url }).orders.list());
    expect(unreachable, "unreachable").to.be.instanceOf(IndexerError);
    expect(unreachable.message, "message").to.match(/Cannot reach the indexer .*npm run indexer/);

    const silent = await standIn(() => undefined);
    try {
      const error = await failure(createIndexerClient({ url: silent.url, timeoutMs: 200 }).orders.list());
      expect(error.message, "timeout").to.match(/did not answer a query within 200 ms/);
    } finally {
      await silent.close();
    }

    const notAnIndexer = await standIn(json({ hello: "world" }));
    try {
      const error = await failure(createIndexerClient({ url: notAnIndexer.url }).deployment());
      expect(error, "deployment").to.be.instanceOf(IndexerError);
      expect(error.message, "message").to.match(/does not say which deployment it indexes/);
    } finally {
      await notAnIndexer.close();
    }
  });
});
