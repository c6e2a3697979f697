/**
 * The agent's status over HTTP, for a monitor or a load balancer: `GET /healthz` answers the last
 * block seen, the orders in flight and the TCB's expiry, with 200 while the agent reads the chain
 * and 503 when its last successful read is older than a few polls (the RPC is down, or the agent is
 * stuck). Nothing else is served; it listens on 127.0.0.1 unless configured otherwise.
 */
import { createServer } from "node:http";
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
export async function serveHealth(address, port, status) {
  const server = createServer((request, response) => {
    if (request.method !== "GET" || request.url !== "/healthz") {
      response.writeHead(404, { "content-type": "application/json" });
      response.end(JSON.stringify({ error: "GET /healthz" }));
      return;
    }
    const body = status();
    response.writeHead(body.status === "ok" ? 200 : 503, { "content-type": "application/json" });
    response.end(`${JSON.stringify(body)}\n`);
  });
  await new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, address, () => resolve());
  });
  const bound = server.address();
  const host = bound.family === "IPv6" ? `[${bound.address}]` : bound.address;
  return {
    url: `http://${host}:${bound.port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
//# sourceMappingURL=health.js.map
