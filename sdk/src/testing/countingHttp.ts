/**
 * A viem HTTP transport that counts what it sends: JSON-RPC requests and HTTP round trips. For
 * measuring how many round trips an SDK call costs (tests, benchmarks, your own profiling).
 */
import { type HttpTransport, type HttpTransportConfig, http } from "viem";

/** What a {@link countingHttp} transport has sent since it was created or last reset. */
export interface RequestCounter {
  /** JSON-RPC requests (a batch of 4 counts 4). */
  readonly requests: number;
  /** HTTP requests (a batch counts 1). */
  readonly roundTrips: number;
  /** The JSON-RPC methods, in the order they were sent. */
  readonly methods: readonly string[];
  /** Starts counting from zero. */
  reset(): void;
  /** The counts now, as plain data. */
  snapshot(): { requests: number; roundTrips: number; methods: string[] };
}

/**
 * viem's `http` transport with a counter. Pass the same config as to `http` (for example
 * `{ batch: true }`); the counter sees every HTTP request the transport makes. The transport gets a
 * batch queue of its own (viem shares batch queues by URL, so it adds a URL fragment, which is not
 * sent): requests of other clients of the same endpoint are neither counted nor batched with these.
 *
 * @param url The JSON-RPC endpoint.
 * @param config viem's `HttpTransportConfig`; a `fetchFn` given here is still used (wrapped).
 * @returns The transport and its counter.
 * @example
 * const { transport, counter } = countingHttp(rpcUrl, { batch: true });
 * const client = createMarketplaceClient({ publicClient: createPublicClient({ transport }), deployment });
 * counter.reset();
 * await client.orders.get({ orderId });
 * console.log(counter.roundTrips, counter.requests); // 1 1
 * @throws nothing: counting never fails a request.
 */
export function countingHttp(
  url: string,
  config: HttpTransportConfig = {},
): { transport: HttpTransport; counter: RequestCounter } {
  let requests = 0;
  let roundTrips = 0;
  let methods: string[] = [];
  const inner = config.fetchFn ?? fetch;
  const counter: RequestCounter = {
    get requests() {
      return requests;
    },
    get roundTrips() {
      return roundTrips;
    },
    get methods() {
      return methods;
    },
    reset() {
      requests = 0;
      roundTrips = 0;
      methods = [];
    },
    snapshot() {
      return { requests, roundTrips, methods: [...methods] };
    },
  };
  const fetchFn = (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    roundTrips += 1;
    const sent = typeof init?.body === "string" ? methodsOf(init.body) : ["(unknown)"];
    requests += sent.length;
    methods.push(...sent);
    return inner(input, init);
  };
  // viem shares one batch queue among the http transports of a URL: requests of other clients of the
  // same endpoint would join this transport's batches (or it theirs) and be counted wrongly. A URL
  // fragment of its own gives this transport its own queue; fetch never sends the fragment.
  const ownUrl = `${url}${url.includes("#") ? "-" : "#"}counted-${Math.random().toString(36).slice(2)}`;
  return { transport: http(ownUrl, { ...config, fetchFn }), counter };
}

function methodsOf(body: string): string[] {
  try {
    const parsed = JSON.parse(body) as unknown;
    const list = Array.isArray(parsed) ? parsed : [parsed];
    return list.map((request) =>
      typeof request === "object" && request !== null && "method" in request
        ? String(request.method)
        : "(unknown)",
    );
  } catch {
    return ["(unknown)"];
  }
}
