/**
 * A JSON-RPC proxy for counting what the CLI asks a node: node:http on 127.0.0.1 (a free port) that
 * forwards each POST to the node as is and records every request of it (a batch counts each of its
 * requests) by method and, for `eth_call`, the 4-byte selector of the call. Stopped by the test.
 */
import { type Server, createServer } from "node:http";
import type { AddressInfo } from "node:net";

/** A running proxy. */
export interface RpcProxy {
  /** Its URL: pass it as `--rpc-url`. */
  readonly url: string;
  /** `eth_call:0x12345678` for calls, the method otherwise, in order. */
  readonly requests: string[];
  stop(): Promise<void>;
}

function label(request: unknown): string {
  const { method, params } = (request ?? {}) as {
    method?: string;
    params?: { data?: string; input?: string }[];
  };
  const data = params?.[0]?.data ?? params?.[0]?.input;
  return method === "eth_call" && typeof data === "string" ? `eth_call:${data.slice(0, 10)}` : String(method);
}

/** Starts a proxy to the node at `target`. */
export async function startRpcProxy(target: string): Promise<RpcProxy> {
  const requests: string[] = [];
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      try {
        const parsed = JSON.parse(body) as unknown;
        for (const one of Array.isArray(parsed) ? parsed : [parsed]) requests.push(label(one));
      } catch {
        requests.push("(not JSON)");
      }
      fetch(target, { method: "POST", headers: { "content-type": "application/json" }, body }).then(
        async (answer) => {
          response.writeHead(answer.status, { "content-type": "application/json" });
          response.end(await answer.text());
        },
        () => response.writeHead(502).end(),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    stop: () =>
      new Promise((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
