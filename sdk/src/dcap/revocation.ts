/**
 * The CRLs of the collateral, checked the way `@phala/dcap-qvl` 0.3.9 does not: it looks up serial
 * numbers in whatever CRL bytes it is given (and skips a CRL it cannot parse), so an altered or
 * stale CRL would hide a revoked PCK. Here the root CA's CRL must be signed by the trusted root, the
 * PCK CRL by the CA that issued the PCK certificate, both must name that issuer and be current at
 * the verification time; and a revoked PCK certificate is reported as such.
 */
import { hexToBytes } from "viem";

import { QuoteVerificationError } from "../errors.js";
import { errorText } from "../internal/fields.js";
import type { Chains } from "./certificates.js";
import type { QuoteCollateral } from "./collateral.js";
import { type CertificateView, type CrlView, ECDSA_WITH_SHA256_OID, readCrl, sameBytes } from "./x509.js";

/**
 * Checks both CRLs of the collateral and whether they revoke the PCK certificate or its CA.
 *
 * @returns The earliest `nextUpdate` of the two CRLs (when the collateral must be refreshed).
 * @throws {QuoteVerificationError} `MalformedCollateral`, `CrlInvalid`, `CollateralExpired`,
 * `CollateralNotYetValid`, `PckRevoked`, `CertificateRevoked`.
 */
export async function checkCrls(
  collateral: QuoteCollateral,
  chains: Chains,
  root: CertificateView,
  at: Date,
): Promise<Date | undefined> {
  const [pckLeaf, pckCa] = chains.pck;
  if (pckLeaf === undefined || pckCa === undefined) {
    throw new QuoteVerificationError(
      "MalformedQuote",
      "the PCK certificate chain has fewer than two certificates",
    );
  }
  const rootCrl = parse(collateral.root_ca_crl, "root_ca_crl");
  const pckCrl = parse(collateral.pck_crl, "pck_crl");
  await authenticate(rootCrl, root, "root_ca_crl", at);
  await authenticate(pckCrl, pckCa, "pck_crl", at);
  if (pckCrl.revokedSerials.some((serial) => sameBytes(serial, pckLeaf.serial))) {
    throw new QuoteVerificationError(
      "PckRevoked",
      `the PCK certificate "${pckLeaf.commonName}" (serial ${hex(pckLeaf.serial)}) is listed in the PCK CRL ` +
        `of "${pckCa.commonName}": its issuer revoked this platform's key; its quotes cannot be trusted`,
      { compared: { serial: hex(pckLeaf.serial) } },
    );
  }
  if (rootCrl.revokedSerials.some((serial) => sameBytes(serial, pckCa.serial))) {
    throw new QuoteVerificationError(
      "CertificateRevoked",
      `the PCK CA "${pckCa.commonName}" (serial ${hex(pckCa.serial)}) is listed in the root CA's CRL`,
      { compared: { serial: hex(pckCa.serial) } },
    );
  }
  const updates = [rootCrl.nextUpdate, pckCrl.nextUpdate].filter((d): d is Date => d !== undefined);
  return updates.length === 0 ? undefined : new Date(Math.min(...updates.map((d) => d.getTime())));
}

function parse(hexText: string, field: string): CrlView {
  try {
    return readCrl(hexToBytes(`0x${hexText}`));
  } catch (error) {
    throw new QuoteVerificationError(
      "MalformedCollateral",
      `${field} is not a DER CRL (${errorText(error)}); fetch the collateral again`,
      { cause: error },
    );
  }
}

async function authenticate(crl: CrlView, issuer: CertificateView, field: string, at: Date): Promise<void> {
  if (!sameBytes(crl.issuer, issuer.subject)) {
    throw new QuoteVerificationError(
      "CrlInvalid",
      `${field} is not issued by "${issuer.commonName}", the CA whose certificates it must cover`,
    );
  }
  if (!sameBytes(crl.signatureAlgorithm, ECDSA_WITH_SHA256_OID) || !(await verifyP256(issuer, crl))) {
    throw new QuoteVerificationError(
      "CrlInvalid",
      `${field} does not carry a valid ECDSA P-256 signature of "${issuer.commonName}": it was altered or forged`,
    );
  }
  if (at < crl.thisUpdate) {
    throw new QuoteVerificationError(
      "CollateralNotYetValid",
      `${field} was issued at ${crl.thisUpdate.toISOString()}, after the verification time ${at.toISOString()}`,
    );
  }
  if (crl.nextUpdate !== undefined && at > crl.nextUpdate) {
    throw new QuoteVerificationError(
      "CollateralExpired",
      `${field} was due for renewal at ${crl.nextUpdate.toISOString()}, before the verification time ` +
        `${at.toISOString()}; fetch current collateral from the PCCS`,
    );
  }
}

/** The part of WebCrypto (browsers, Node ≥ 19) this module uses. */
interface Subtle {
  importKey(
    format: "spki",
    keyData: Uint8Array,
    algorithm: { name: "ECDSA"; namedCurve: "P-256" },
    extractable: false,
    usages: ["verify"],
  ): Promise<unknown>;
  verify(
    algorithm: { name: "ECDSA"; hash: "SHA-256" },
    key: unknown,
    signature: Uint8Array,
    data: Uint8Array,
  ): Promise<boolean>;
}

async function verifyP256(issuer: CertificateView, crl: CrlView): Promise<boolean> {
  const subtle = (globalThis as unknown as { crypto?: { subtle?: Subtle } }).crypto?.subtle;
  if (subtle === undefined) {
    throw new QuoteVerificationError(
      "VerificationFailed",
      "this runtime has no WebCrypto (globalThis.crypto.subtle) to check CRL signatures; use Node 20+ or a browser",
    );
  }
  const signature = ecdsaRawSignature(crl.signature);
  if (signature === undefined) return false;
  try {
    const key = await subtle.importKey("spki", issuer.spki, { name: "ECDSA", namedCurve: "P-256" }, false, [
      "verify",
    ]);
    return await subtle.verify({ name: "ECDSA", hash: "SHA-256" }, key, signature, crl.tbs);
  } catch {
    return false;
  }
}

/** An ECDSA signature `SEQUENCE { r INTEGER, s INTEGER }` as WebCrypto's `r || s` (32 bytes each). */
function ecdsaRawSignature(der: Uint8Array): Uint8Array | undefined {
  if (der[0] !== 0x30 || der[1] !== der.length - 2) return undefined;
  const out = new Uint8Array(64);
  let offset = 2;
  for (const half of [0, 32]) {
    const length = der[offset + 1];
    if (der[offset] !== 0x02 || length === undefined || offset + 2 + length > der.length) return undefined;
    let value = der.subarray(offset + 2, offset + 2 + length);
    while (value.length > 32 && value[0] === 0) value = value.subarray(1);
    if (value.length > 32) return undefined;
    out.set(value, half + 32 - value.length);
    offset += 2 + length;
  }
  return offset === der.length ? out : undefined;
}

function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}
