/**
 * STAND-IN FOR A TEE PLATFORM'S QUOTING: an HTTP endpoint on 127.0.0.1 that answers the quote of
 * the report data it is sent, in the genuine TDX quote v4 layout, signed under the test PKI of
 * ./testPki.ts (./tdxQuote.ts), not Intel's. It is what the TEE provider's agent
 * (`@tee-marketplace/agent`) asks when its configuration names the stand-in enclave: on a real TDX
 * guest the agent asks the kernel instead (configfs-tsm), and the same attestation service verifies
 * both; only the root differs. Like a TEE platform it quotes any report data it is given: the keys
 * the report data binds stay with the agent.
 *
 * `POST /v1/quote` with `{ "reportData": "0x<64 bytes>" }` answers `{ "quote": "0x…" }`.
 */
import { type IncomingMessage, type Server, type ServerResponse, createServer } from "node:http";
import type { AddressInfo } from "node:net";

import { type Hex, isHex } from "viem";

import { tdxQuoteMaker } from "./tdxQuote.js";
import type { TestPki } from "./testPki.js";

/** The largest request body accepted (a JSON object with 64 bytes of hex). */
const MAX_BODY_BYTES = 1024;

/** A running stand-in quoting endpoint. */
export interface StandInQuotes {
  /** Its base URL: the agent's `quotes.standInUrl`. */
  readonly url: string;
  /** How many quotes it made. */
  readonly quotesMade: number;
  close(): Promise<void>;
}

/**
 * Starts the stand-in quoting endpoint for `pki` on 127.0.0.1 and a free port.
 *
 * @example
 * const quotes = await startStandInQuotes(attestation.pki);
 * // agent config: { "quotes": { "source": "stand-in", "standInUrl": quotes.url } }
 * await quotes.close();
 */
export async function startStandInQuotes(pki: TestPki): Promise<StandInQuotes> {
  const quote = tdxQuoteMaker(pki);
  let quotesMade = 0;
  const server: Server = createServer((request, response) => {
    void handle(request, response);
  });
  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    if (request.method !== "POST" || request.url !== "/v1/quote") {
      return answer(response, 404, { error: "POST /v1/quote" });
    }
    let body = "";
    for await (const chunk of request) {
      body += String(chunk);
      if (body.length > MAX_BODY_BYTES) return answer(response, 413, { error: "request too large" });
    }
    let reportData: unknown;
    try {
      reportData = (JSON.parse(body) as { reportData?: unknown }).reportData;
    } catch {
      return answer(response, 400, { error: "not JSON" });
    }
    if (typeof reportData !== "string" || !isHex(reportData) || reportData.length !== 2 + 128) {
      return answer(response, 400, { error: "reportData: expected 64 bytes of 0x hex" });
    }
    quotesMade += 1;
    answer(response, 200, { quote: quote(reportData as Hex) });
  }
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    get quotesMade() {
      return quotesMade;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error === undefined ? resolve() : reject(error)));
      }),
  };
}

function answer(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { "content-type": "application/json" });
  response.end(JSON.stringify(body));
}
