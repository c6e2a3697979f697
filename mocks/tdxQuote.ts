/**
 * STAND-IN FOR AN INTEL TDX PLATFORM'S QUOTING: builds quotes in the genuine TDX quote v4 layout,
 * signed through the test PKI of ./testPki.ts (not Intel's), carrying the report data we give, so
 * that `verifyQuote(quote, pki.collateral(), { rootCa: pki.rootCaPem })` runs the full verification
 * path and only the root differs from production.
 *
 * Layout (Intel TDX DCAP Quoting Library API, quote format v4, all integers little-endian):
 *
 *   header (48)   version = 4, attestation key type = 2 (ECDSA P-256), TEE type = 0x81 (TDX),
 *                 2 reserved u16, QE vendor id (Intel's), user data (20)
 *   TD report (584) TEE_TCB_SVN (16), MRSEAM (48), MRSIGNERSEAM (48), SEAMATTRIBUTES (8),
 *                 TDATTRIBUTES (8), XFAM (8), MRTD (48), MRCONFIGID (48), MROWNER (48),
 *                 MROWNERCONFIG (48), RTMR0-3 (4 × 48), REPORTDATA (64)
 *   u32 size of the signature data, then:
 *     ECDSA signature of header || TD report by the attestation key (64, r || s)
 *     the attestation public key (64, x || y)
 *     certification data: u16 type = 6 (QE report certification data), u32 size, then:
 *       the quoting enclave's SGX report (384), whose report data is
 *         sha256(attestation key || QE authentication data) || 32 zero bytes
 *       its ECDSA signature by the PCK key (64)
 *       u16 size + QE authentication data
 *       certification data: u16 type = 5 (PCK certificate chain), u32 size, PEM chain + NUL
 */
import { createHash } from "node:crypto";

import { type Hex, bytesToHex, hexToBytes, keccak256 } from "viem";

import { type TestPki, TEST_TEE_TCB_SVN, signRaw } from "./testPki.js";

/** Intel's QE vendor id, as real quotes carry it. */
const INTEL_QE_VENDOR_ID = "939a7233f79c4ca9940a0db3957f0607";

/** TD attributes of a production TD: only SEPT_VE_DISABLE (bit 28) set. */
const PRODUCTION_TD_ATTRIBUTES = Uint8Array.of(0, 0, 0, 0x10, 0, 0, 0, 0);

/** The stand-in TD's measurement (made-up values, 48 bytes each). */
export const TEST_TD_MEASUREMENT = {
  mrTd: measurement("tee-marketplace TEST TD image v1"),
  rtmr0: measurement("tee-marketplace TEST TD firmware config"),
  rtmr1: measurement("tee-marketplace TEST TD kernel"),
  rtmr2: measurement("tee-marketplace TEST TD kernel command line"),
  rtmr3: measurement("tee-marketplace TEST TD application"),
} as const;

/**
 * The 32-byte value the TCB registry allow-lists for {@link TEST_TD_MEASUREMENT}: keccak256 of MRTD
 * and the four RTMRs (`registryMeasurement` of `@tee-marketplace/sdk/dcap`).
 */
export const TEST_TD_REGISTRY_MEASUREMENT: Hex = keccak256(
  `0x${Object.values(TEST_TD_MEASUREMENT)
    .map((m) => m.slice(2))
    .join("")}`,
);

/** What {@link buildTdxQuote} takes. */
export interface TdxQuoteOptions {
  /** The report data: 64 bytes, or 32 bytes (the registry's binding) followed here by 32 zero bytes. */
  reportData: Hex;
  /** The TD's measurement; default {@link TEST_TD_MEASUREMENT}. */
  measurement?: Partial<typeof TEST_TD_MEASUREMENT>;
  /** TEE_TCB_SVN: selects the TCB level; default `TEST_TEE_TCB_SVN.UpToDate`. */
  teeTcbSvn?: Uint8Array;
  /** Set the TD's DEBUG attribute (a debug TD: the host can read its memory). */
  debug?: boolean;
  /** TDATTRIBUTES; default a production TD's (only SEPT_VE_DISABLE), with DEBUG when `debug`. */
  tdAttributes?: Uint8Array;
  /** MRSIGNERSEAM, the TDX module's signer; default zeros, as Intel's module. */
  mrSignerSeam?: Uint8Array;
}

/**
 * Builds a TDX quote v4 signed through the test PKI's platform.
 *
 * @example
 * const pki = createTestPki();
 * const quote = buildTdxQuote(pki, { reportData: tcbReportData({ teeKey, publicKey, chainId, registry }) });
 */
export function buildTdxQuote(pki: TestPki, options: TdxQuoteOptions): Uint8Array {
  const { platform } = pki;
  const header = concat(
    u16(4),
    u16(2),
    u32(0x81),
    u16(0),
    u16(0),
    hexToBytes(`0x${INTEL_QE_VENDOR_ID}`),
    new Uint8Array(20),
  );
  const m = { ...TEST_TD_MEASUREMENT, ...options.measurement };
  const attributes = (options.tdAttributes ?? PRODUCTION_TD_ATTRIBUTES).slice();
  if (options.debug === true) attributes[0] = 0x01;
  const tdReport = concat(
    options.teeTcbSvn ?? TEST_TEE_TCB_SVN.UpToDate,
    fill(48, 0x51), // MRSEAM
    options.mrSignerSeam ?? new Uint8Array(48),
    new Uint8Array(8), // SEAMATTRIBUTES
    attributes,
    Uint8Array.of(0xe7, 0x02, 0x06, 0, 0, 0, 0, 0), // XFAM
    hexToBytes(m.mrTd),
    new Uint8Array(48 * 3), // MRCONFIGID, MROWNER, MROWNERCONFIG
    hexToBytes(m.rtmr0),
    hexToBytes(m.rtmr1),
    hexToBytes(m.rtmr2),
    hexToBytes(m.rtmr3),
    reportData64(options.reportData),
  );

  const attestationPublic = platform.attestationKey.export({ format: "jwk" });
  const attestationKey = concat(
    Buffer.from(attestationPublic.x ?? "", "base64url"),
    Buffer.from(attestationPublic.y ?? "", "base64url"),
  );
  const qeAuthData = fill(32, 0xa5);
  const qeReport = concat(
    platform.cpuSvn,
    u32(0), // MISCSELECT
    new Uint8Array(28),
    platform.qe.attributes,
    platform.qe.mrEnclave,
    new Uint8Array(32),
    platform.qe.mrSigner,
    new Uint8Array(96),
    u16(platform.qe.isvProdId),
    u16(platform.qe.isvSvn),
    new Uint8Array(60),
    createHash("sha256").update(concat(attestationKey, qeAuthData)).digest(),
    new Uint8Array(32),
  );
  const chain = concat(new TextEncoder().encode(platform.pckChainPem), Uint8Array.of(0));
  const qeCertificationData = concat(
    qeReport,
    signRaw(platform.pckKey, qeReport),
    u16(qeAuthData.length),
    qeAuthData,
    u16(5),
    u32(chain.length),
    chain,
  );
  const signed = concat(header, tdReport);
  const signatureData = concat(
    signRaw(platform.attestationKey, signed),
    attestationKey,
    u16(6),
    u32(qeCertificationData.length),
    qeCertificationData,
  );
  return concat(signed, u32(signatureData.length), signatureData);
}

/**
 * A quote maker with the stand-in TEE's signature (`MockTee.quote` of ./tee.ts): takes the
 * registry's 32-byte report data and returns a real-layout TDX quote as hex.
 *
 * @example
 * const quote = tdxQuoteMaker(pki)(client.tee.attestationReportData({ teeKey, publicKey }));
 */
export function tdxQuoteMaker(
  pki: TestPki,
  options: Omit<TdxQuoteOptions, "reportData"> = {},
): (reportData: Hex) => Hex {
  return (reportData) => bytesToHex(buildTdxQuote(pki, { ...options, reportData }));
}

function reportData64(reportData: Hex): Uint8Array {
  const bytes = hexToBytes(reportData);
  if (bytes.length === 64) return bytes;
  if (bytes.length === 32) return concat(bytes, new Uint8Array(32));
  throw new Error(`reportData: expected 32 or 64 bytes, got ${bytes.length}`);
}

function measurement(label: string): Hex {
  const digest = createHash("sha384").update(label).digest();
  return bytesToHex(digest);
}

function fill(size: number, byte: number): Uint8Array {
  return new Uint8Array(size).fill(byte);
}

function u16(value: number): Uint8Array {
  return Uint8Array.of(value & 0xff, (value >> 8) & 0xff);
}

function u32(value: number): Uint8Array {
  const out = new Uint8Array(4);
  new DataView(out.buffer).setUint32(0, value, true);
  return out;
}

function concat(...parts: Uint8Array[]): Uint8Array {
  return new Uint8Array(Buffer.concat(parts));
}
