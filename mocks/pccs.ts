/**
 * STAND-IN FOR INTEL'S PCS / A CACHING PCCS: an HTTP server on 127.0.0.1 (a port picked free) that
 * answers the v4 collateral API the way Intel's services do, from collateral given in dcap-qvl's
 * JSON shape (the test PKI's, or a real sample's):
 *
 *   GET /sgx/certification/v4/pckcrl?ca=…&encoding=der   DER body, SGX-PCK-CRL-Issuer-Chain header
 *   GET /{sgx,tdx}/certification/v4/tcb?fmspc=…          {"tcbInfo":…,"signature":…}, TCB-Info-Issuer-Chain
 *   GET /{sgx,tdx}/certification/v4/qe/identity          {"enclaveIdentity":…,"signature":…},
 *                                                        SGX-Enclave-Identity-Issuer-Chain
 *   GET /sgx/certification/v4/rootcacrl                  the root CA's CRL as hex text (as a PCCS does)
 *
 * Chains go in headers URL-encoded, and the signed JSON goes out byte for byte as given. Anything
 * else is a 404. `requests` records the paths asked for.
 */
import { type Server, createServer } from "node:http";
import type { AddressInfo } from "node:net";

import type { QuoteCollateral } from "../sdk/src/dcap/index.js";

/** A running stand-in PCCS. */
export interface TestPccs {
  /** Its base URL, `http://127.0.0.1:<port>`. */
  url: string;
  /** The request paths (with query) it received, in order. */
  requests: string[];
  /** Stops it. */
  close(): Promise<void>;
}

/**
 * Starts a stand-in PCCS serving `collateral`.
 *
 * @example
 * const pccs = await startTestPccs(pki.collateral());
 * try {
 *   const collateral = await fetchCollateral(quote, { pccsUrl: pccs.url });
 * } finally {
 *   await pccs.close();
 * }
 */
export async function startTestPccs(collateral: QuoteCollateral): Promise<TestPccs> {
  const requests: string[] = [];
  const fmspc = (JSON.parse(collateral.tcb_info) as { fmspc: string }).fmspc;
  const server: Server = createServer((request, response) => {
    const url = new URL(request.url ?? "/", "http://127.0.0.1");
    requests.push(`${url.pathname}${url.search}`);
    const send = (body: string | Buffer, headers: Record<string, string>) => {
      response.writeHead(200, headers);
      response.end(body);
    };
    const path = url.pathname.replace(/^\/(sgx|tdx)\/certification\/v4/, "");
    if (request.method !== "GET") {
      response.writeHead(405).end();
    } else if (path === "/pckcrl" && url.pathname.startsWith("/sgx/")) {
      send(Buffer.from(collateral.pck_crl, "hex"), {
        "content-type": "application/pkix-crl",
        "SGX-PCK-CRL-Issuer-Chain": encodeURIComponent(collateral.pck_crl_issuer_chain),
      });
    } else if (path === "/tcb" && url.searchParams.get("fmspc")?.toUpperCase() === fmspc.toUpperCase()) {
      send(`{"tcbInfo":${collateral.tcb_info},"signature":"${collateral.tcb_info_signature}"}`, {
        "content-type": "application/json",
        "TCB-Info-Issuer-Chain": encodeURIComponent(collateral.tcb_info_issuer_chain),
      });
    } else if (path === "/qe/identity") {
      send(
        `{"enclaveIdentity":${collateral.qe_identity},"signature":"${collateral.qe_identity_signature}"}`,
        {
          "content-type": "application/json",
          "SGX-Enclave-Identity-Issuer-Chain": encodeURIComponent(collateral.qe_identity_issuer_chain),
        },
      );
    } else if (path === "/rootcacrl" && url.pathname.startsWith("/sgx/")) {
      send(collateral.root_ca_crl, { "content-type": "text/plain" });
    } else {
      response.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
