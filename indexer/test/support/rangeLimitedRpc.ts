/**
 * A stand-in for an RPC that caps `eth_getLogs` ranges (opBNB's public RPCs do; a local node does
 * not): a JSON-RPC proxy on 127.0.0.1 in front of a real node that answers a range wider than its
 * cap with an error, as those RPCs do, and passes everything else through. It records the widest
 * range it was asked, so a test can show the indexer never asked for more.
 */
import { type IncomingMessage, type Server, createServer } from "node:http";
import type { AddressInfo } from "node:net";

/** A running proxy. */
export interface RangeLimitedRpc {
  /** `http://127.0.0.1:<port>`. */
  readonly url: string;
  /** The widest `eth_getLogs` block range asked so far (0 before any). */
  widestRange(): number;
  /** How many `eth_getLogs` were refused for their range. */
  refused(): number;
  stop(): Promise<void>;
}

interface RpcRequest {
  id?: unknown;
  method?: string;
  params?: unknown[];
}

async function body(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

/**
 * Starts the proxy.
 *
 * @param upstream The real node's URL.
 * @param maxRange The largest range it serves (`toBlock - fromBlock + 1`).
 * @returns The proxy.
 */
export async function startRangeLimitedRpc(upstream: string, maxRange: number): Promise<RangeLimitedRpc> {
  let widest = 0;
  let refusals = 0;
  const head = async (): Promise<number> => {
    const response = await fetch(upstream, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_blockNumber", params: [] }),
    });
    return Number(((await response.json()) as { result: string }).result);
  };
  const blockOf = async (tag: unknown): Promise<number> =>
    typeof tag === "string" && tag.startsWith("0x") ? Number(tag) : tag === "earliest" ? 0 : head();

  /** The refusal of one request, or undefined to pass it through. */
  const refusal = async (request: RpcRequest): Promise<object | undefined> => {
    if (request.method !== "eth_getLogs") return undefined;
    const filter = (request.params?.[0] ?? {}) as {
      fromBlock?: unknown;
      toBlock?: unknown;
      blockHash?: unknown;
    };
    if (filter.blockHash !== undefined) return undefined;
    const range =
      (await blockOf(filter.toBlock ?? "latest")) - (await blockOf(filter.fromBlock ?? "latest")) + 1;
    widest = Math.max(widest, range);
    if (range <= maxRange) return undefined;
    refusals += 1;
    return {
      jsonrpc: "2.0",
      id: request.id ?? null,
      error: { code: -32000, message: `exceed maximum block range: ${maxRange}` },
    };
  };

  const server: Server = createServer((request, response) => {
    void (async () => {
      const text = await body(request);
      const parsed = JSON.parse(text) as RpcRequest | RpcRequest[];
      const requests = Array.isArray(parsed) ? parsed : [parsed];
      const refusals = await Promise.all(requests.map(refusal));
      if (refusals.every((r) => r === undefined)) {
        const forwarded = await fetch(upstream, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: text,
        });
        response.writeHead(forwarded.status, { "content-type": "application/json" });
        response.end(await forwarded.text());
        return;
      }
      // Answer each request of the batch: the refused ones with their error, the others forwarded.
      const answers = await Promise.all(
        requests.map(async (one, i) => {
          const refused = refusals[i];
          if (refused !== undefined) return refused;
          const forwarded = await fetch(upstream, {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: JSON.stringify(one),
          });
          return (await forwarded.json()) as object;
        }),
      );
      response.writeHead(200, { "content-type": "application/json" });
      response.end(JSON.stringify(Array.isArray(parsed) ? answers : answers[0]));
    })().catch((error: unknown) => {
      response.writeHead(502);
      response.end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    widestRange: () => widest,
    refused: () => refusals,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
