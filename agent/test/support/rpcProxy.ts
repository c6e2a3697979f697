/**
 * A JSON-RPC proxy in front of the test node, on 127.0.0.1: it passes requests through, and on the
 * test's word it goes down (stops listening: connections are refused), answers 429 (rate-limited),
 * or refuses `eth_getLogs` ranges over a number of blocks as a public RPC does. It records the
 * ranges of the `eth_getLogs` requests it saw.
 */
import { type IncomingMessage, type Server, type ServerResponse, createServer } from "node:http";
import type { AddressInfo } from "node:net";

export interface RpcProxy {
  readonly url: string;
  /** The block ranges (to − from + 1) of the eth_getLogs requests passed through. */
  readonly logRanges: bigint[];
  /** Requests answered 429. */
  readonly rateLimited: number;
  /** Stops listening (connections refused) until `up()`. */
  down(): Promise<void>;
  up(): Promise<void>;
  /** Answers 429 with Retry-After: 1 while true. */
  rateLimit(on: boolean): void;
  /** Refuses eth_getLogs over more than `blocks` blocks (undefined: no limit). */
  limitLogRange(blocks: bigint | undefined): void;
  close(): Promise<void>;
}

export async function startRpcProxy(target: string): Promise<RpcProxy> {
  const logRanges: bigint[] = [];
  let limiting = false;
  let rateLimited = 0;
  let maxRange: bigint | undefined;
  let server: Server = createServer(handle);
  let port = 0;

  function handle(request: IncomingMessage, response: ServerResponse): void {
    void (async () => {
      let body = "";
      for await (const chunk of request) body += String(chunk);
      if (limiting) {
        rateLimited += 1;
        response.writeHead(429, { "retry-after": "1", "content-type": "application/json" });
        response.end(JSON.stringify({ error: "rate limited" }));
        return;
      }
      const parsed = JSON.parse(body) as unknown;
      for (const call of Array.isArray(parsed) ? parsed : [parsed]) {
        const { method, params, id } = call as {
          method: string;
          params: { fromBlock: string; toBlock: string }[];
          id: number;
        };
        if (method !== "eth_getLogs") continue;
        const range = BigInt(params[0]!.toBlock) - BigInt(params[0]!.fromBlock) + 1n;
        if (maxRange !== undefined && range > maxRange) {
          response.writeHead(200, { "content-type": "application/json" });
          const error = {
            jsonrpc: "2.0",
            id,
            error: { code: -32005, message: `query exceeds max block range ${maxRange}` },
          };
          response.end(JSON.stringify(Array.isArray(parsed) ? [error] : error));
          return;
        }
        logRanges.push(range);
      }
      const answer = await fetch(target, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body,
      });
      response.writeHead(answer.status, { "content-type": "application/json" });
      response.end(await answer.text());
    })().catch(() => {
      response.destroy();
    });
  }

  const listen = () =>
    new Promise<void>((resolve) => {
      server.listen(port, "127.0.0.1", () => {
        port = (server.address() as AddressInfo).port;
        resolve();
      });
    });
  const close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  await listen();
  return {
    get url() {
      return `http://127.0.0.1:${port}`;
    },
    logRanges,
    get rateLimited() {
      return rateLimited;
    },
    down: close,
    up: async () => {
      server = createServer(handle);
      await listen();
    },
    rateLimit: (on) => {
      limiting = on;
    },
    limitLogRange: (blocks) => {
      maxRange = blocks;
    },
    close,
  };
}
