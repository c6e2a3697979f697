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
  lastBlock: {
    number: string;
    timestamp: number;
    seenAt: string;
  } | null;
  ordersInFlight: string[];
  tcb: {
    id: string;
    validUntil: number;
    expiresInSeconds: number;
  } | null;
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
export declare function serveHealth(
  address: string,
  port: number,
  status: () => HealthStatus,
): Promise<HealthServer>;
