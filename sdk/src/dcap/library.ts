/**
 * `@phala/dcap-qvl` 0.3.9, imported in one place: a CommonJS package, so its exports come from the
 * default import. Its `browser` field maps `crypto` to nothing, so in a browser bundle it verifies
 * with its pure-JavaScript path (elliptic, hash.js) and in Node with `node:crypto`.
 */
import dcapQvl from "@phala/dcap-qvl";

export const { Quote, QuoteVerifier, utils, constants } = dcapQvl;

/** A parsed quote, as the library gives it. */
export type LibraryQuote = ReturnType<typeof Quote.parse>;

type LibraryBytes = Parameters<typeof utils.extractCerts>[0];

/**
 * The DER certificates of a PEM text, as `Buffer`s of the library's own `Buffer` class (its ASN.1
 * decoder takes nothing else). The library reads text too, although its types say `Buffer`.
 */
export function pemCertificates(pem: string): Uint8Array[] {
  return utils.extractCerts(pem as unknown as LibraryBytes);
}

/** PEM text of a DER certificate. */
export function certificatePem(der: Uint8Array): string {
  return utils.derToPem(der as LibraryBytes, "CERTIFICATE");
}

/**
 * The value at `path` (OIDs, outermost first) inside the SGX extension of a PCK certificate. The
 * library has the function but leaves it out of its types.
 */
export function pckExtensionValue(certificateDer: Uint8Array, path: readonly string[]): Uint8Array {
  const extension: unknown = utils.getIntelExtension(certificateDer as LibraryBytes);
  const find = (utils as unknown as { findExtension(path: readonly string[], raw: unknown): Uint8Array })
    .findExtension;
  return find(path, extension);
}
