/**
 * What an Intel DCAP quote says, read without verifying it: the TEE type, the measurement (MRTD and
 * RTMRs of a TDX trust domain, MRENCLAVE and MRSIGNER of an SGX enclave), the 64-byte report data
 * and the debug attribute; and the 32-byte value the TCB registry allow-lists for a measurement.
 * `verifyQuote` returns the same fields once the quote is proven genuine.
 */
import { type Hex, bytesToHex, concat, hexToBytes, keccak256 } from "viem";

import { MAX_QUOTE_SIZE } from "../abi/protocol.js";
import { InputError, QuoteVerificationError } from "../errors.js";
import { errorText } from "../internal/fields.js";
import { toHexBytes } from "../validate.js";
import { type LibraryQuote, Quote, constants } from "./library.js";

/** The TEE a quote comes from (not the on-chain `TeeType` enum of offers: a quote is TDX or SGX). */
export type QuoteTeeType = "TDX" | "SGX";

/** A TDX trust domain's measurement: the initial image (MRTD) and the runtime registers, 48 bytes each. */
export interface TdxMeasurement {
  mrTd: Hex;
  rtmr0: Hex;
  rtmr1: Hex;
  rtmr2: Hex;
  rtmr3: Hex;
}

/** An SGX enclave's measurement: its code (MRENCLAVE), its signer (MRSIGNER), product id and SVN. */
export interface SgxMeasurement {
  mrEnclave: Hex;
  mrSigner: Hex;
  isvProdId: number;
  isvSvn: number;
}

/** The TEE type with its measurement: TDX with {@link TdxMeasurement}, SGX with {@link SgxMeasurement}. */
export type QuoteMeasurement =
  { teeType: "TDX"; measurement: TdxMeasurement } | { teeType: "SGX"; measurement: SgxMeasurement };

/** What a quote says about its enclave (unverified when it comes from {@link readQuote}). */
export type QuoteContents = QuoteMeasurement & {
  /** The quote format version: 3 (SGX), 4 or 5 (TDX). */
  version: number;
  /** The 64 bytes of report data the enclave put in the quote. */
  reportData: Hex;
  /** Whether the enclave or TD runs in debug mode (the host can read its memory). */
  debug: boolean;
};

/** The size of a quote's report data, in bytes. */
export const QUOTE_REPORT_DATA_SIZE = 64;

/**
 * Reads a quote without verifying anything: use it to show what a quote claims, or to pick the
 * report data binding out of it before verification. Never trust its output; {@link verifyQuote}
 * returns the same fields after proving them.
 *
 * @param quote The quote bytes, at most `MAX_QUOTE_SIZE` (16384) bytes, as the TCB registry caps them.
 * @example
 * const { teeType, measurement, reportData } = readQuote(tcb.quote);
 * @throws {InputError} naming `quote` when it is not bytes or over the cap.
 * @throws {QuoteVerificationError} `MalformedQuote` when it does not parse; `UnsupportedQuote` for a
 * version or TEE type other than SGX v3 and TDX v4/v5.
 */
export function readQuote(quote: Hex | Uint8Array): QuoteContents {
  return decodeQuote(quoteBytes(quote)).contents;
}

/**
 * The 32-byte measurement the TCB registry allow-lists for a quote (what the attestation service
 * signs as `measurement`):
 *
 * - TDX: `keccak256(MRTD || RTMR0 || RTMR1 || RTMR2 || RTMR3)` (5 × 48 bytes), so a TD is allowed
 *   only with the firmware, kernel, command line and application it was measured with;
 * - SGX: MRENCLAVE as is.
 *
 * @param quote The TEE type and measurement, from {@link readQuote} or `verifyQuote`.
 * @example
 * const verified = await verifyQuote(quote, collateral);
 * await client.tcb.setMeasurement({ measurement: registryMeasurement(verified), allowed: true });
 * @throws {InputError} naming the measurement field that is not hex of the right size.
 */
export function registryMeasurement(quote: QuoteMeasurement): Hex {
  if (quote.teeType === "SGX") return measurementHex(quote.measurement.mrEnclave, "mrEnclave", 32);
  const { mrTd, rtmr0, rtmr1, rtmr2, rtmr3 } = quote.measurement;
  return keccak256(
    concat([
      measurementHex(mrTd, "mrTd", 48),
      measurementHex(rtmr0, "rtmr0", 48),
      measurementHex(rtmr1, "rtmr1", 48),
      measurementHex(rtmr2, "rtmr2", 48),
      measurementHex(rtmr3, "rtmr3", 48),
    ]),
  );
}

/**
 * Whether a quote's measurement is `expected`: 32 bytes are compared with its
 * {@link registryMeasurement} (for SGX, MRENCLAVE), 48 bytes with a TD's MRTD.
 *
 * @param quote The TEE type and measurement, from {@link readQuote} or `verifyQuote`.
 * @param expected 32 bytes (a registry measurement or MRENCLAVE) or 48 bytes (MRTD), hex.
 * @param field The name to put in errors; default `"measurement"`.
 * @example
 * const ok = allowed.some((m) => matchesMeasurement(verified, m));
 * @throws {InputError} naming `field` when `expected` is not 32 or 48 bytes of hex.
 */
export function matchesMeasurement(quote: QuoteMeasurement, expected: Hex, field = "measurement"): boolean {
  const hex = toMeasurement(expected, field);
  if (hex.length === 2 + 2 * 48)
    return quote.teeType === "TDX" && quote.measurement.mrTd.toLowerCase() === hex;
  return registryMeasurement(quote) === hex;
}

/**
 * A measurement to compare quotes with: 32 bytes (a registry measurement or MRENCLAVE) or 48 bytes
 * (MRTD), as lowercase hex.
 *
 * @param value Hex, with `0x`.
 * @param field The name to put in errors.
 * @example
 * const allowed = config.measurements.map((m, i) => toMeasurement(m, `measurements[${i}]`));
 * @throws {InputError} naming `field` when it is not 32 or 48 bytes of hex.
 */
export function toMeasurement(value: unknown, field: string): Hex {
  const hex = toHexBytes(value, field);
  if (hex.length !== 2 + 2 * 48 && hex.length !== 2 + 2 * 32) {
    throw new InputError(
      field,
      `expected 32 bytes (a registry measurement or MRENCLAVE) or 48 bytes (MRTD), got ${(hex.length - 2) / 2}`,
    );
  }
  return hex;
}

/**
 * The TCB registry's 32-byte binding in a quote's 64-byte report data: the registry expects the
 * report data to be `reportDataFor(...) || 32 zero bytes`, so this is the first half when the second
 * half is zero, else `undefined` (the quote binds something else).
 *
 * @param reportData The quote's report data (64 bytes).
 * @example
 * const binding = reportDataBinding(readQuote(quote).reportData);
 * if (binding !== tcbReportData({ chainId, registry, teeOfferId, teeKey, publicKey })) throw new Error("not for this key");
 * @throws {InputError} naming `reportData` when it is not 64 bytes.
 */
export function reportDataBinding(reportData: Hex | Uint8Array): Hex | undefined {
  const hex = toHexBytes(reportData, "reportData");
  if (hex.length !== 2 + 2 * QUOTE_REPORT_DATA_SIZE) {
    throw new InputError(
      "reportData",
      `expected ${QUOTE_REPORT_DATA_SIZE} bytes, got ${(hex.length - 2) / 2}`,
    );
  }
  return /^0+$/.test(hex.slice(66)) ? `0x${hex.slice(2, 66)}` : undefined;
}

/** A quote's bytes, checked against the registry's cap. */
export function quoteBytes(quote: Hex | Uint8Array): Uint8Array {
  if (quote instanceof Uint8Array) {
    if (quote.length > MAX_QUOTE_SIZE) {
      throw new InputError("quote", `is ${quote.length} bytes, more than the cap of ${MAX_QUOTE_SIZE} bytes`);
    }
    return quote;
  }
  return hexToBytes(toHexBytes(quote, "quote", { maxSize: MAX_QUOTE_SIZE }));
}

/** A quote parsed by the library, with what it says. */
export interface DecodedQuote {
  parsed: LibraryQuote;
  contents: QuoteContents;
}

/**
 * Parses a quote with the verification library and reads what it says.
 *
 * @throws {QuoteVerificationError} `MalformedQuote` or `UnsupportedQuote`.
 */
export function decodeQuote(bytes: Uint8Array): DecodedQuote {
  let parsed: LibraryQuote;
  try {
    parsed = Quote.parse(bytes);
  } catch (error) {
    const unsupported = /unsupported|invalid tee type/i.test(errorText(error));
    throw new QuoteVerificationError(
      unsupported ? "UnsupportedQuote" : "MalformedQuote",
      `the ${bytes.length} bytes do not parse as an Intel DCAP quote (${errorText(error)}); ` +
        `pass the quote exactly as the TEE produced it`,
      { cause: error },
    );
  }
  const { version, teeType, attestationKeyType } = parsed.header;
  const sgx = teeType === constants.TEE_TYPE_SGX && version === 3;
  const tdx = teeType === constants.TEE_TYPE_TDX && (version === 4 || version === 5);
  if (!sgx && !tdx) {
    throw new QuoteVerificationError(
      "UnsupportedQuote",
      `quote version ${version} with TEE type 0x${teeType.toString(16)}; ` +
        `this verifier takes SGX quotes v3 and TDX quotes v4 or v5`,
    );
  }
  if (attestationKeyType !== constants.ATTESTATION_KEY_TYPE_ECDSA256_WITH_P256_CURVE) {
    throw new QuoteVerificationError(
      "UnsupportedQuote",
      `attestation key type ${attestationKeyType}; this verifier takes ECDSA P-256 (type 2) quotes`,
    );
  }
  return { parsed, contents: contentsOf(parsed) };
}

function contentsOf(parsed: LibraryQuote): QuoteContents {
  const version = parsed.header.version;
  const td = parsed.report.asTd10();
  if (td !== null) {
    return {
      teeType: "TDX",
      version,
      measurement: {
        mrTd: bytesToHex(td.mrTd),
        rtmr0: bytesToHex(td.rtMr0),
        rtmr1: bytesToHex(td.rtMr1),
        rtmr2: bytesToHex(td.rtMr2),
        rtmr3: bytesToHex(td.rtMr3),
      },
      reportData: bytesToHex(td.reportData),
      // The TUD byte of TD attributes: bit 0 is DEBUG, bits 1-7 are reserved debug bits.
      debug: td.tdAttributes[0] !== 0,
    };
  }
  const enclave = parsed.report.asSgx();
  if (enclave === null) {
    throw new QuoteVerificationError("UnsupportedQuote", `a ${parsed.report.type} report body`);
  }
  return {
    teeType: "SGX",
    version,
    measurement: {
      mrEnclave: bytesToHex(enclave.mrEnclave),
      mrSigner: bytesToHex(enclave.mrSigner),
      isvProdId: enclave.isvProdId,
      isvSvn: enclave.isvSvn,
    },
    reportData: bytesToHex(enclave.reportData),
    debug: isSgxDebug(enclave.attributes),
  };
}

/** The quoting enclave's report inside a quote: its attributes and security version. */
export function quotingEnclaveOf(parsed: LibraryQuote): { attributes: Uint8Array; isvSvn: number } {
  // SGX REPORTBODY layout: ATTRIBUTES at bytes 48-63, ISVSVN (little-endian u16) at bytes 258-259.
  const report = parsed.authData.intoV3().qeReport;
  return { attributes: report.subarray(48, 64), isvSvn: (report[258] ?? 0) | ((report[259] ?? 0) << 8) };
}

/** Whether SGX enclave attributes have the DEBUG flag (bit 1 of the first byte). */
export function isSgxDebug(attributes: Uint8Array): boolean {
  return ((attributes[0] ?? 0) & 0x02) !== 0;
}

function measurementHex(value: Hex, field: string, size: number): Hex {
  const hex = toHexBytes(value, field);
  if (hex.length !== 2 + 2 * size) {
    throw new InputError(field, `expected ${size} bytes, got ${(hex.length - 2) / 2}`);
  }
  return hex;
}
