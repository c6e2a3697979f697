/**
 * The agent's status over HTTP, for a monitor or a load balancer: `GET /healthz` answers the last
 * block seen, the orders in flight and the TCB's expiry, with 200 while the agent reads the chain
 * and 503 when its last successful read is older than a few polls (the RPC is down, or the agent is
 * stuck). Nothing else is served; it listens on 127.0.0.1 unless configured otherwise.
 */
import { type Server, createServer } from "node:http";
import type { AddressInfo } from "node:net";

/** What `/healthz` reports. */
export interface HealthStatus {
  /** `ok`, or `stale` when the chain has not been read for a while. */
  status: "ok" | "stale";
  chainId: number;
  teeOfferId: string;
  operator: string;
  teeKey: string;
  quoteSource: string;
  runner: string;
  lastBlock: { number: string; timestamp: number; seenAt: string } | null;
  ordersInFlight: string[];
  tcb: { id: string; validUntil: number; expiresInSeconds: number } | null;
}

/** A running status server. */
export interface HealthServer {
  readonly url: string;
  close(): Promise<void>;
}

/**
 * Serves `GET /healthz` on `address:port`.
 *
 * @param address Where to listen (127.0.0.1 for this machine only).
 * @param port The port (0: any free one).
 * @param status Called for each request.
 * @example
 * const server = await serveHealth("127.0.0.1", 8650, () => agent.status());
 * @throws the listen error (a port in use, an address not on this machine).
 */
export async function serveHealth(
  address: string,
  port: number,
  status: () => HealthStatus,
): Promise<HealthServer> {
  const server: Server = createServer((request, response) => {
    if (request.method !== "GET" || request.url !== "/healthz") {
      response.writeHead(404, { "content-type": "application/json" });
      response.end(JSON.stringify({ error: "GET /healthz" }));
      return;
    }
    const body = status();
    response.writeHead(body.status === "ok" ? 200 : 503, { "content-type": "application/json" });
    response.end(`${JSON.stringify(body)}\n`);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, address, () => resolve());
  });
  const bound = server.address() as AddressInfo;
  const host = bound.family === "IPv6" ? `[${bound.address}]` : bound.address;
  return {
    url: `http://${host}:${bound.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
