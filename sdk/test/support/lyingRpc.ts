/**
 * A stand-in for a lying RPC provider. The contracts refuse a result receipt that its enclave did
 * not sign or that lacks a pointer per recipient, so the only way a recipient is shown a bad one is
 * an RPC endpoint that alters what it returns; no such endpoint exists here, so this is one: a
 * JSON-RPC HTTP proxy on 127.0.0.1 (a port the OS picks) that forwards every request, batched or
 * not, to a real node and passes its answers back unchanged, except the logs of `eth_getLogs`
 * answers, which the test's `alterLog` may rewrite first.
 */
import { type IncomingMessage, type Server, createServer } from "node:http";
import type { AddressInfo } from "node:net";

import {
  type Address,
  type Hex,
  decodeEventLog,
  encodeAbiParameters,
  getAbiItem,
  isAddressEqual,
} from "viem";

import { ordersAbi } from "../../src/index.js";

/** A log as JSON-RPC carries it. */
export interface RpcLog {
  address: Address;
  topics: Hex[];
  data: Hex;
  [field: string]: unknown;
}

/** A running proxy. */
export interface LyingRpc {
  /** The proxy's JSON-RPC URL, to give the SDK's public client. */
  readonly url: string;
  /** How many logs it altered so far. */
  readonly altered: number;
  stop(): Promise<void>;
}

interface RpcMessage {
  id?: unknown;
  method?: unknown;
  result?: unknown;
}

/**
 * Starts a proxy to `upstream` that answers `eth_getLogs` with each log passed through `alterLog`
 * (its return value replaces the log; `undefined` leaves it as it is).
 *
 * @example
 * const rpc = await startLyingRpc(node.url, alterOrderCompleted(orders, orderId, (f) => ({ ...f, pointers: [] })));
 */
export async function startLyingRpc(
  upstream: string,
  alterLog: (log: RpcLog) => RpcLog | undefined,
): Promise<LyingRpc> {
  let altered = 0;
  const alterAnswer = (request: RpcMessage, answer: RpcMessage): RpcMessage => {
    if (request.method !== "eth_getLogs" || !Array.isArray(answer.result)) return answer;
    const logs = (answer.result as RpcLog[]).map((log) => {
      const changed = alterLog(log);
      if (changed === undefined) return log;
      altered++;
      return changed;
    });
    return { ...answer, result: logs };
  };

  const server: Server = createServer((request, response) => {
    void (async () => {
      const body = await readBody(request);
      const forwarded = await fetch(upstream, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body,
      });
      const answer = (await forwarded.json()) as RpcMessage | RpcMessage[];
      const requests = JSON.parse(body) as RpcMessage | RpcMessage[];
      const requestOf = (a: RpcMessage): RpcMessage =>
        (Array.isArray(requests) ? requests.find((r) => r.id === a.id) : requests) ?? {};
      const altered = Array.isArray(answer)
        ? answer.map((a) => alterAnswer(requestOf(a), a))
        : alterAnswer(requestOf(answer), answer);
      response.writeHead(forwarded.status, { "content-type": "application/json" });
      response.end(JSON.stringify(altered));
    })().catch((error: unknown) => {
      response.writeHead(502, { "content-type": "text/plain" });
      response.end(`the proxy could not reach the node: ${String(error)}`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    get altered() {
      return altered;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The non-indexed fields of `OrderCompleted`: what the proxy may rewrite. */
export interface OrderCompletedFields {
  status: number;
  resultHash: Hex;
  pointers: readonly Hex[];
  signature: Hex;
}

const ORDER_COMPLETED = getAbiItem({ abi: ordersAbi, name: "OrderCompleted" });

/**
 * An `alterLog` for {@link startLyingRpc} that rewrites the `OrderCompleted` log of one order with
 * `change`, re-encoded as the contract would have emitted it, and leaves every other log alone.
 *
 * @example
 * alterOrderCompleted(deployment.contracts.orders, orderId, (f) => ({ ...f, signature: flipHexByte(f.signature, 10) }));
 */
export function alterOrderCompleted(
  orders: Address,
  orderId: bigint,
  change: (fields: OrderCompletedFields) => OrderCompletedFields,
): (log: RpcLog) => RpcLog | undefined {
  return (log) => {
    if (!isAddressEqual(log.address, orders)) return undefined;
    const args = orderCompletedArgs(log);
    if (args?.orderId !== orderId) return undefined;
    const fields = change({
      status: args.status,
      resultHash: args.resultHash,
      pointers: args.pointers,
      signature: args.signature,
    });
    const data = encodeAbiParameters(
      ORDER_COMPLETED.inputs.filter((input) => !input.indexed),
      [fields.status, fields.resultHash, fields.pointers, fields.signature],
    );
    return { ...log, data };
  };
}

/** The arguments of an `OrderCompleted` log, or undefined for any other log. */
function orderCompletedArgs(log: RpcLog) {
  try {
    return decodeEventLog({
      abi: [ORDER_COMPLETED],
      eventName: "OrderCompleted",
      data: log.data,
      topics: log.topics as [Hex, ...Hex[]],
    }).args;
  } catch {
    return undefined;
  }
}

/** `hex` with the byte at `offset` (counted from the first byte after 0x) inverted. */
export function flipHexByte(hex: Hex, offset: number): Hex {
  const at = 2 + offset * 2;
  const byte = Number.parseInt(hex.slice(at, at + 2), 16) ^ 0xff;
  return `${hex.slice(0, at)}${byte.toString(16).padStart(2, "0")}${hex.slice(at + 2)}` as Hex;
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}
