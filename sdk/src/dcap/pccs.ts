/**
 * Fetching a quote's collateral from Intel's Provisioning Certification Service (PCS) or a caching
 * PCCS, over the v4 API: the PCK CRL, the TCB info and the QE identity for the quote's platform
 * (FMSPC and PCK CA from its PCK certificate), and the root CA's CRL. `@phala/dcap-qvl` has a
 * fetcher too; this one bounds every response's size and time, keeps the TCB info and QE identity
 * byte for byte as signed (the library re-serializes them), and reads CRLs in DER or hex.
 */
import { bytesToHex, bytesToString } from "viem";

import { InputError, QuoteVerificationError } from "../errors.js";
import { errorText } from "../internal/fields.js";
import { readPckChain } from "./certificates.js";
import { MAX_COLLATERAL_SIZE, type QuoteCollateral, toCollateral } from "./collateral.js";
import { pckExtensionValue } from "./library.js";
import { type QuoteTeeType, decodeQuote, quoteBytes } from "./quote.js";

/** Intel's PCS (no subscription key is needed for collateral). */
export const INTEL_PCS_URL = "https://api.trustedservices.intel.com";

/** Where Intel publishes the SGX Root CA's CRL (the CRL distribution point of its certificate). */
export const INTEL_ROOT_CA_CRL_URL = "https://certificates.trustedservices.intel.com/IntelSGXRootCA.der";

/** What {@link fetchCollateral} takes besides the quote. */
export interface FetchCollateralOptions {
  /**
   * The service's base URL: Intel's PCS ({@link INTEL_PCS_URL}) or a PCCS (`https://pccs.local:8081`),
   * with or without `/sgx/certification/v4`.
   */
  pccsUrl: string;
  /** The root CA CRL's URL; default Intel's for the PCS, `<pccsUrl>/sgx/certification/v4/rootcacrl` for a PCCS. */
  rootCaCrlUrl?: string;
  /** Per-request timeout in milliseconds; default 10000. */
  timeoutMs?: number;
  /** The `fetch` to use; default the global one. */
  fetch?: typeof globalThis.fetch;
}

/** The FMSPC field of Intel's SGX extension. */
const FMSPC_OID = "1.2.840.113741.1.13.1.4";

/** Which collateral a quote needs: its TEE type, its platform family (FMSPC) and its PCK CA. */
export interface QuotePlatform {
  teeType: QuoteTeeType;
  /** 12 uppercase hex digits, as the PCS API takes it. */
  fmspc: string;
  /** The PCK CA that issued its PCK certificate (whose CRL applies). */
  pckCa: "platform" | "processor";
}

/**
 * Reads which collateral a quote needs from its PCK certificate, without verifying anything (to
 * look collateral up in a cache or a directory, or to fetch it).
 *
 * @param quote The quote.
 * @example
 * const { teeType, fmspc } = quotePlatform(quote); // "TDX", "90C06F000000"
 * @throws {InputError} naming `quote` when it is not bytes or over the cap.
 * @throws {QuoteVerificationError} `MalformedQuote`, `UnsupportedQuote` or `PckCertificateInvalid`
 * when the quote does not carry a PCK certificate with Intel's extensions.
 */
export function quotePlatform(quote: Uint8Array | `0x${string}`): QuotePlatform {
  const decoded = decodeQuote(quoteBytes(quote));
  const [pck, pckCa] = readPckChain(decoded.parsed);
  if (pck === undefined || pckCa === undefined) {
    throw new QuoteVerificationError(
      "MalformedQuote",
      "the quote's PCK chain has fewer than two certificates",
    );
  }
  let fmspc: Uint8Array;
  try {
    fmspc = pckExtensionValue(pck.der, [FMSPC_OID]);
  } catch (error) {
    throw new QuoteVerificationError(
      "PckCertificateInvalid",
      `the PCK certificate has no FMSPC in Intel's SGX extension (${errorText(error)})`,
      { cause: error },
    );
  }
  return {
    teeType: decoded.contents.teeType,
    fmspc: bytesToHex(fmspc).slice(2).toUpperCase(),
    pckCa: /processor/i.test(pckCa.commonName) ? "processor" : "platform",
  };
}

/**
 * Fetches the collateral that verifies `quote`, from a PCS or PCCS. Four GET requests: the PCK CRL
 * of the quote's PCK CA, the TCB info and QE identity for its TEE type and FMSPC, the root CA's CRL.
 * Nothing is verified here: pass the result to `verifyQuote`, which checks every signature.
 *
 * @param quote The quote whose platform's collateral is wanted (its PCK chain names the platform).
 * @param options See {@link FetchCollateralOptions}.
 * @returns Collateral in dcap-qvl's JSON shape (write it to a file to verify offline later).
 * @example
 * const collateral = await fetchCollateral(quote, { pccsUrl: INTEL_PCS_URL });
 * const verified = await verifyQuote(quote, collateral);
 * @throws {InputError} naming `quote`, `pccsUrl`, `rootCaCrlUrl` or `timeoutMs`.
 * @throws {QuoteVerificationError} `CollateralFetchFailed` naming the URL that did not answer with
 * collateral; `MalformedQuote`, `UnsupportedQuote` or `PckCertificateInvalid` when the quote does not
 * name its platform.
 */
export async function fetchCollateral(
  quote: Uint8Array | `0x${string}`,
  options: FetchCollateralOptions,
): Promise<QuoteCollateral> {
  const base = baseUrl(options.pccsUrl, "pccsUrl");
  const rootCrlUrl =
    options.rootCaCrlUrl === undefined
      ? base === INTEL_PCS_URL
        ? INTEL_ROOT_CA_CRL_URL
        : `${base}/sgx/certification/v4/rootcacrl`
      : httpUrl(options.rootCaCrlUrl, "rootCaCrlUrl");
  const timeoutMs = options.timeoutMs ?? 10_000;
  if (!Number.isInteger(timeoutMs) || timeoutMs <= 0) {
    throw new InputError("timeoutMs", `expected a positive number of milliseconds, got ${timeoutMs}`);
  }
  const fetcher = options.fetch ?? globalThis.fetch;
  const { teeType, fmspc, pckCa: ca } = quotePlatform(quote);
  const tee = teeType === "TDX" ? "tdx" : "sgx";
  const get = (url: string) => download(fetcher, url, timeoutMs);

  const [pckCrl, tcbInfo, qeIdentity, rootCrl] = await Promise.all([
    get(`${base}/sgx/certification/v4/pckcrl?ca=${ca}&encoding=der`),
    get(`${base}/${tee}/certification/v4/tcb?fmspc=${fmspc}`),
    get(`${base}/${tee}/certification/v4/qe/identity`),
    get(rootCrlUrl),
  ]);
  const tcb = signedJson(tcbInfo, "tcbInfo");
  const qe = signedJson(qeIdentity, "enclaveIdentity");
  try {
    return toCollateral({
      pck_crl_issuer_chain: header(pckCrl, "SGX-PCK-CRL-Issuer-Chain"),
      root_ca_crl: crlHex(rootCrl),
      pck_crl: crlHex(pckCrl),
      tcb_info_issuer_chain: header(tcbInfo, "TCB-Info-Issuer-Chain", "SGX-TCB-Info-Issuer-Chain"),
      tcb_info: tcb.text,
      tcb_info_signature: tcb.signature,
      qe_identity_issuer_chain: header(qeIdentity, "SGX-Enclave-Identity-Issuer-Chain"),
      qe_identity: qe.text,
      qe_identity_signature: qe.signature,
    });
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    throw new QuoteVerificationError(
      "CollateralFetchFailed",
      `${base} answered malformed collateral: ${error.message}`,
      {
        cause: error,
      },
    );
  }
}

interface Download {
  url: string;
  body: Uint8Array;
  headers: { get(name: string): string | null };
}

async function download(fetcher: typeof globalThis.fetch, url: string, timeoutMs: number): Promise<Download> {
  let response: Response;
  try {
    response = await fetcher(url, { signal: AbortSignal.timeout(timeoutMs) });
  } catch (error) {
    throw failed(url, `no answer within ${timeoutMs} ms (${errorText(error)})`, error);
  }
  if (!response.ok) {
    await response.body?.cancel();
    throw failed(url, `HTTP ${response.status}`);
  }
  const declared = Number(response.headers.get("content-length") ?? "0");
  if (declared > MAX_COLLATERAL_SIZE) {
    await response.body?.cancel();
    throw failed(url, `${declared} bytes, more than the cap of ${MAX_COLLATERAL_SIZE}`);
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = response.body?.getReader();
  for (let next = await reader?.read(); next !== undefined && !next.done; next = await reader?.read()) {
    size += next.value.length;
    if (size > MAX_COLLATERAL_SIZE) {
      await reader?.cancel();
      throw failed(url, `more than the cap of ${MAX_COLLATERAL_SIZE} bytes`);
    }
    chunks.push(next.value);
  }
  const body = new Uint8Array(size);
  chunks.reduce((offset, chunk) => (body.set(chunk, offset), offset + chunk.length), 0);
  return { url, body, headers: response.headers };
}

/** A signing chain header (URL-encoded PEM), under the first of `names` present. */
function header(download: Download, ...names: string[]): string {
  for (const name of names) {
    const value = download.headers.get(name);
    if (value !== null) return decodeURIComponent(value);
  }
  throw failed(download.url, `no ${names.join(" or ")} header with the signing certificate chain`);
}

/**
 * The signed object of `{"<key>": {...}, "signature": "<hex>"}` as the exact text that was
 * signed: Intel signs the bytes of the inner object as the response carries them.
 */
function signedJson(download: Download, key: string): { text: string; signature: string } {
  const body = bytesToString(download.body);
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch (error) {
    throw failed(download.url, `not JSON (${errorText(error)})`, error);
  }
  const signature = (parsed as Record<string, unknown> | null)?.["signature"];
  if (typeof signature !== "string") throw failed(download.url, `no "signature" beside "${key}"`);
  const exact = new RegExp(
    `^\\s*\\{\\s*"${key}"\\s*:\\s*(\\{[\\s\\S]*\\})\\s*,\\s*"signature"\\s*:\\s*"[0-9a-fA-F]+"\\s*\\}\\s*$`,
  );
  const text = exact.exec(body)?.[1];
  if (text === undefined) throw failed(download.url, `not {"${key}": {...}, "signature": "<hex>"}`);
  return { text, signature };
}

/** A CRL answered as DER (Intel's PCS) or hex text (a PCCS), as hex. */
function crlHex(download: Download): string {
  if (download.body[0] === 0x30) return bytesToHex(download.body).slice(2);
  const text = bytesToString(download.body).trim();
  if (/^([0-9a-fA-F]{2})+$/.test(text)) return text.toLowerCase();
  throw failed(download.url, "not a CRL (expected DER or hex)");
}

function baseUrl(value: unknown, field: string): string {
  return httpUrl(value, field)
    .replace(/\/+$/, "")
    .replace(/\/(sgx|tdx)\/certification\/v4$/, "");
}

function httpUrl(value: unknown, field: string): string {
  let url: URL;
  try {
    url = new URL(String(value));
  } catch {
    throw new InputError(field, `expected an http(s) URL, got ${JSON.stringify(value)}`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new InputError(field, `expected an http(s) URL, got ${url.protocol}`);
  }
  return url.href;
}

function failed(url: string, why: string, cause?: unknown): QuoteVerificationError {
  return new QuoteVerificationError("CollateralFetchFailed", `${url}: ${why}`, { cause });
}
