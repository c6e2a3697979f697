/**
 * The HTTP API (node:http, JSON):
 *
 *   POST /v1/attestations  { quote, chainId, registry, teeOfferId, teeKey, publicKey }
 *     200 { proof, attestation: { quoteHash, reportData, measurement, expiry }, signer, chainId,
 *           verifier, teeType, tcbStatus, advisoryIds }
 *   GET  /v1/health        { signer, chains, acceptedStatuses }
 *
 * Refusals answer `{ "error": { "code", "message" } }`: 400 a malformed request (`InvalidRequest`),
 * 413 a body or quote over its cap (`RequestTooLarge`, `QuoteTooLarge`), 415 not JSON, 422 a quote
 * or claim the service will not sign (the rule's name as `code`), 429 over the rate limit (with
 * `Retry-After`), 503 the PCCS did not answer. Integers are decimal strings. The rate limit is
 * taken before the body is read; bodies are read up to their cap and no further.
 */
import { type IncomingMessage, type Server, type ServerResponse, createServer } from "node:http";
import type { AddressInfo } from "node:net";

import type { Address, Hex } from "viem";

import {
  InputError,
  MAX_PUBLIC_KEY_SIZE,
  MAX_QUOTE_SIZE,
  toAddress,
  toHexBytes,
  toUint,
} from "@tee-marketplace/sdk";

import { type AttestationRequest, AttestationRefusedError, createAttestor } from "./attest.js";
import { collateralSource } from "./collateralSource.js";
import type { ServiceConfig } from "./config.js";
import { createRateLimiter } from "./rateLimit.js";

/** The largest request body: a quote at its cap in hex, and room for the claim. */
export const MAX_REQUEST_SIZE = 2 * MAX_QUOTE_SIZE + 4096;

const REQUEST_FIELDS = ["quote", "chainId", "registry", "teeOfferId", "teeKey", "publicKey"] as const;

/** A running service. */
export interface AttestationService {
  /** `http://<address>:<port>`. */
  url: string;
  port: number;
  /** The signing address, to allow on the verifier (`setSigner`). */
  signer: Address;
  close(): Promise<void>;
}

/**
 * Starts the service: reads the collateral files (if any), then listens.
 *
 * @param params The configuration, the signing key, the root CA to trust instead of Intel's
 * (tests and local networks), a log line writer (default none), the clock (unix milliseconds).
 * @example
 * const service = await startAttestationService({ config, signingKey });
 * console.log(`signer ${service.signer} on ${service.url}`);
 * @throws {InputError} or {FileFormatError} when the collateral files cannot be read; the
 * listen error when the address or port cannot be bound.
 */
export async function startAttestationService(params: {
  config: ServiceConfig;
  signingKey: Hex;
  rootCa?: string | Uint8Array;
  log?: (line: string) => void;
  now?: () => number;
}): Promise<AttestationService> {
  const { config } = params;
  const now = params.now ?? Date.now;
  const log = params.log ?? (() => undefined);
  const attestor = createAttestor({
    config,
    signingKey: params.signingKey,
    collateral: await collateralSource(config.collateral, now),
    ...(params.rootCa === undefined ? {} : { rootCa: params.rootCa }),
    now,
  });
  const limiter = createRateLimiter(config.rateLimit, now);

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<[number, string]> => {
    const url = new URL(request.url ?? "/", "http://service");
    if (url.pathname === "/v1/health") {
      if (request.method !== "GET") return refuse(response, 405, "MethodNotAllowed", "use GET");
      return answer(response, 200, {
        signer: attestor.signer,
        chains: config.chains,
        acceptedStatuses: config.acceptedStatuses,
      });
    }
    if (url.pathname !== "/v1/attestations")
      return refuse(response, 404, "NotFound", "POST /v1/attestations");
    if (request.method !== "POST") return refuse(response, 405, "MethodNotAllowed", "use POST");
    const wait = limiter.take(request.socket.remoteAddress ?? "unknown");
    if (wait > 0) {
      response.setHeader("Retry-After", String(wait));
      return refuse(
        response,
        429,
        "RateLimited",
        `more than ${config.rateLimit.requests} requests in ${config.rateLimit.perSeconds} s; retry in ${wait} s`,
      );
    }
    if (!/^application\/json\b/i.test(request.headers["content-type"] ?? "")) {
      return refuse(response, 415, "UnsupportedMediaType", "send the request as application/json");
    }
    const body = await readBody(request);
    if (body === undefined) {
      return refuse(response, 413, "RequestTooLarge", `the request body is over ${MAX_REQUEST_SIZE} bytes`);
    }
    let parsed: AttestationRequest;
    try {
      parsed = parseRequest(body);
    } catch (error) {
      if (error instanceof AttestationRefusedError)
        return refuse(response, error.status, error.code, error.message);
      if (error instanceof InputError) return refuse(response, 400, "InvalidRequest", error.message);
      throw error;
    }
    try {
      const result = await attestor.attest(parsed);
      return answer(response, 200, result);
    } catch (error) {
      if (error instanceof AttestationRefusedError)
        return refuse(response, error.status, error.code, error.message);
      if (error instanceof InputError) return refuse(response, 400, "InvalidRequest", error.message);
      throw error;
    }
  };

  const server: Server = createServer((request, response) => {
    const started = now();
    handle(request, response)
      .catch((error: unknown) => {
        log(`internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
        return refuse(response, 500, "InternalError", "the service failed; see its log");
      })
      .then(([status, code]) =>
        log(`${request.method} ${request.url} ${status} ${code} ${now() - started}ms`),
      )
      .catch(() => undefined);
  });
  server.requestTimeout = 15_000;
  server.headersTimeout = 10_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(config.port, config.address, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const host = config.address.includes(":") ? `[${config.address}]` : config.address;
  return {
    url: `http://${host}:${port}`,
    port,
    signer: attestor.signer,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

/** Checks a request body; a quote over the registry's cap is `QuoteTooLarge` (413). */
function parseRequest(body: string): AttestationRequest {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch (error) {
    throw new InputError("", `the body is not JSON: ${(error as Error).message}`);
  }
  if (typeof json !== "object" || json === null || Array.isArray(json)) {
    throw new InputError("", `expected an object with ${REQUEST_FIELDS.join(", ")}`);
  }
  const fields = json as Record<string, unknown>;
  const unknown = Object.keys(fields).filter((key) => !(REQUEST_FIELDS as readonly string[]).includes(key));
  if (unknown.length > 0)
    throw new InputError(unknown[0]!, `is not a request field; send ${REQUEST_FIELDS.join(", ")}`);
  const quote = fields["quote"];
  if (typeof quote === "string" && (quote.length - 2) / 2 > MAX_QUOTE_SIZE) {
    throw new AttestationRefusedError(
      "QuoteTooLarge",
      413,
      `the quote is ${(quote.length - 2) / 2} bytes, over the registry's cap of ${MAX_QUOTE_SIZE}`,
    );
  }
  return {
    quote: toHexBytes(quote, "quote", { maxSize: MAX_QUOTE_SIZE }),
    chainId: toUint(fields["chainId"], "chainId", { min: 1n, expected: "a chain id (a positive integer)" }),
    registry: toAddress(fields["registry"], "registry"),
    teeOfferId: toUint(fields["teeOfferId"], "teeOfferId", {
      min: 1n,
      expected: "a TEE offer id (a positive integer)",
    }),
    teeKey: toAddress(fields["teeKey"], "teeKey"),
    publicKey: toHexBytes(fields["publicKey"], "publicKey", { maxSize: MAX_PUBLIC_KEY_SIZE }),
  };
}

/** The body as text, or `undefined` when it is over {@link MAX_REQUEST_SIZE} (reading stops there). */
async function readBody(request: IncomingMessage): Promise<string | undefined> {
  if (Number(request.headers["content-length"] ?? 0) > MAX_REQUEST_SIZE) return undefined;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_REQUEST_SIZE) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
}

function answer(response: ServerResponse, status: number, body: unknown): [number, string] {
  const text = JSON.stringify(body, (_key, value: unknown) =>
    typeof value === "bigint" ? value.toString() : value,
  );
  response.writeHead(status, { "content-type": "application/json" });
  response.end(text);
  return [status, status === 200 ? "ok" : "error"];
}

function refuse(response: ServerResponse, status: number, code: string, message: string): [number, string] {
  if (!response.headersSent) {
    // A refusal before the body was read closes the connection instead of draining the body.
    response.setHeader("connection", "close");
    answer(response, status, { error: { code, message } });
  }
  return [status, code];
}
