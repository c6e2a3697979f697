/**
 * DCAP quote verification: is this quote genuine under Intel's root (or a test root), current
 * with its collateral at a given time, not a debug enclave, and does it carry the expected report
 * data? `@phala/dcap-qvl` 0.3.9 does the core (quote and QE report signatures, PCK chain, TCB info
 * and QE identity signatures, TCB level matching); the checks it leaves out (CRL signatures and
 * freshness, chains ending at the trusted root, certificate validity on every platform, PCE id, TDX
 * module identity) and the binding to the caller's report data are made here, and every refusal
 * becomes a {@link QuoteVerificationError} with a named reason.
 */
import type { Hex } from "viem";

import { InputError, QuoteVerificationError } from "../errors.js";
import { describe } from "../internal/fields.js";
import { toBytes32 } from "../validate.js";
import { checkRoots, checkValidity, readChains, rootCertificate, type Chains } from "./certificates.js";
import { type QuoteCollateral, toCollateral } from "./collateral.js";
import { debugQuoteStatus } from "./debugStatus.js";
import { QuoteVerifier, constants } from "./library.js";
import { checkPlatform } from "./platform.js";
import {
  type DecodedQuote,
  type QuoteContents,
  decodeQuote,
  isSgxDebug,
  quoteBytes,
  quotingEnclaveOf,
  registryMeasurement,
} from "./quote.js";
import { libraryRefusal } from "./reasons.js";
import { checkCrls } from "./revocation.js";
import { type QuoteTcbStatus, type TcbLevelStatus, worseStatus } from "./tcbStatus.js";
import type { CertificateView } from "./x509.js";

/** What {@link verifyQuote} takes besides the quote and its collateral. */
export interface VerifyQuoteOptions {
  /** The verification time: a `Date` or unix seconds; default now. The collateral must be current then. */
  at?: Date | number | bigint;
  /**
   * The root CA to trust, as DER bytes or PEM text; default Intel's SGX Root CA. Only tests and local
   * networks pass another (the stand-in enclave's test root).
   */
  rootCa?: Uint8Array | string;
  /**
   * The registry's 32-byte binding (`tcbReportData`): when given, the quote's report data must be
   * exactly this value followed by 32 zero bytes.
   */
  expectedReportData?: Hex;
  /** Accept a debug enclave or TD (its memory is readable by the host); default false. Never in production. */
  allowDebug?: boolean;
}

/** A verified quote: what it attests, proven under the trusted root at the verification time. */
export type VerifiedQuote = QuoteContents & {
  /** The platform's TCB status (the worst of the platform's, the QE's and the TDX module's levels). */
  status: QuoteTcbStatus;
  /** Intel security advisories (`INTEL-SA-…`) that explain a status other than `UpToDate`. */
  advisoryIds: string[];
  /** The 32-byte value the TCB registry allow-lists for this quote (`registryMeasurement`). */
  registryMeasurement: Hex;
  /** Unix seconds until which the collateral is current (its earliest `nextUpdate`). */
  collateralValidUntil: number;
};

/**
 * Verifies an Intel DCAP quote (SGX v3, TDX v4 or v5) with its collateral:
 *
 * 1. the PCK certificate chain (from the quote) and the TCB info and QE identity signing chains end
 *    at the trusted root (Intel's SGX Root CA unless `rootCa` is given) and every certificate is
 *    within its validity period at `at`;
 * 2. `@phala/dcap-qvl`: the TCB info and QE identity signatures and windows, the certificate
 *    signatures, the QE report's signature by the PCK key and its binding of the attestation key,
 *    the quoting enclave's identity, the quote's signature, the FMSPC, the platform's TCB level and
 *    the debug and TD attributes;
 * 3. both CRLs are signed by their CA, name it and are current at `at`; the PCK certificate and its
 *    CA are not revoked;
 * 4. the PCE id is the TCB info's; a TD's TDX module is one the TCB info describes, at a known level;
 * 5. with `expectedReportData`: the report data is that value followed by 32 zero bytes.
 *
 * A debug enclave or TD is refused unless `allowDebug` is set; a debug quoting enclave always is.
 * Statuses other than `UpToDate` are returned, not refused: the caller decides what it accepts
 * (`Revoked` is refused).
 *
 * Works offline: the collateral comes from a file (`readCollateralFile` of
 * `@tee-marketplace/sdk/node`) or from `fetchCollateral`.
 *
 * @param quote The quote bytes (at most 16384, the registry's `MAX_QUOTE_SIZE`).
 * @param collateral Its collateral, in dcap-qvl's JSON shape (object or JSON text).
 * @param options See {@link VerifyQuoteOptions}.
 * @returns See {@link VerifiedQuote}.
 * @example
 * const verified = await verifyQuote(quote, await readCollateralFile("collateral.json"), {
 *   expectedReportData: tcbReportData({ chainId, registry, teeOfferId, teeKey, publicKey }),
 * });
 * console.log(verified.status, verified.advisoryIds, verified.teeType, verified.registryMeasurement);
 * @throws {InputError} naming `quote`, `collateral.<field>`, `at`, `rootCa` or `expectedReportData`
 * when malformed (before any check).
 * @throws {QuoteVerificationError} with the reason the quote was refused: `MalformedQuote`,
 * `UnsupportedQuote`, `MalformedCollateral`, `UntrustedRoot`, `CertificateChainInvalid`,
 * `CertificateExpired`, `PckRevoked`, `CertificateRevoked`, `CrlInvalid`, `PckCertificateInvalid`,
 * `CollateralExpired`, `CollateralNotYetValid`, `CollateralMismatch`, `TcbInfoSignatureInvalid`,
 * `QeIdentitySignatureInvalid`, `QeReportSignatureInvalid`, `QeReportHashMismatch`,
 * `QeIdentityMismatch`, `QuoteSignatureInvalid`, `TcbLevelNotFound`, `TcbRevoked`,
 * `TdxModuleMismatch`, `TdAttributesInvalid`, `DebugEnclave`, `ReportDataMismatch`,
 * `VerificationFailed`.
 */
export async function verifyQuote(
  quote: Hex | Uint8Array,
  collateral: QuoteCollateral | string,
  options: VerifyQuoteOptions = {},
): Promise<VerifiedQuote> {
  const bytes = quoteBytes(quote);
  const checked = toCollateral(collateral);
  const at = toTime(options.at);
  const expected =
    options.expectedReportData === undefined
      ? undefined
      : toBytes32(options.expectedReportData, "expectedReportData");
  const root = trustedRoot(options.rootCa);

  const decoded = decodeQuote(bytes);
  const chains = readChains(decoded.parsed, checked);
  checkRoots(chains, root.view);
  checkValidity(chains, root.view, at);

  let level = await libraryVerdict(decoded, bytes, checked, chains, root, at, options.allowDebug === true);
  const crlsValidUntil = await checkCrls(checked, chains, root.view, at);
  const tcbInfo = JSON.parse(checked.tcb_info) as Record<string, unknown>;
  const moduleLevel = checkPlatform(decoded.parsed, tcbInfo, leaf(chains).der);
  if (moduleLevel !== undefined) level = worseStatus(level, moduleLevel);
  if (level.status === "Revoked") {
    throw new QuoteVerificationError("TcbRevoked", "the platform's or its TDX module's TCB level is Revoked");
  }
  const { contents } = decoded;
  if (expected !== undefined) checkReportData(contents.reportData, expected);

  const qeIdentity = JSON.parse(checked.qe_identity) as Record<string, unknown>;
  const validUntil = [tcbInfo["nextUpdate"], qeIdentity["nextUpdate"]]
    .map((date) => Date.parse(String(date)))
    .concat(crlsValidUntil === undefined ? [] : [crlsValidUntil.getTime()]);
  return {
    ...contents,
    status: level.status,
    advisoryIds: level.advisoryIds,
    registryMeasurement: registryMeasurement(contents),
    collateralValidUntil: Math.floor(Math.min(...validUntil) / 1000),
  };
}

/** The report data must be the expected binding followed by 32 zero bytes. */
function checkReportData(actual: Hex, binding: Hex): void {
  const expected: Hex = `${binding}${"0".repeat(64)}`;
  if (actual !== expected) {
    throw new QuoteVerificationError(
      "ReportDataMismatch",
      `the quote's report data is ${actual}, expected ${expected} (the registry's binding of chain, ` +
        "registry, TEE offer, TEE key and public key, then 32 zero bytes): the quote was made for other keys",
      { compared: { expected, actual } },
    );
  }
}

/** Runs the library and names its refusal; for an allowed debug quote, derives the status instead. */
async function libraryVerdict(
  decoded: DecodedQuote,
  bytes: Uint8Array,
  collateral: QuoteCollateral,
  chains: Chains,
  root: { der: Uint8Array; view: CertificateView },
  at: Date,
  allowDebug: boolean,
): Promise<TcbLevelStatus> {
  const verifier = QuoteVerifier.newWithRootCa(root.der as Parameters<typeof QuoteVerifier.newWithRootCa>[0]);
  try {
    const report = verifier.verify(bytes, collateral, Math.floor(at.getTime() / 1000));
    return { status: report.status as QuoteTcbStatus, advisoryIds: [...report.advisory_ids] };
  } catch (error) {
    const refusal = libraryRefusal(error);
    if (refusal.reason === "CertificateRevoked") {
      // Say which certificate, from CRLs proven authentic (checkCrls throws PckRevoked or the CRL's fault).
      await checkCrls(collateral, chains, root.view, at);
      throw refusal;
    }
    if (refusal.reason !== "DebugEnclave") throw refusal;
    // The library refuses a debug QE before checking the quote's signature, a debug enclave or TD last.
    if (isSgxDebug(quotingEnclaveOf(decoded.parsed).attributes)) {
      throw new QuoteVerificationError(
        "DebugEnclave",
        "the quoting enclave is a debug enclave: no quote it signs can be trusted",
        { cause: error },
      );
    }
    if (!allowDebug || !decoded.contents.debug) {
      throw new QuoteVerificationError(
        "DebugEnclave",
        `the ${decoded.contents.teeType === "TDX" ? "TD" : "enclave"} runs in debug mode: the host can read ` +
          "its memory and keys; debug quotes are accepted only with allowDebug (development only)",
        { cause: error },
      );
    }
    return debugQuoteStatus(
      decoded.parsed,
      JSON.parse(collateral.tcb_info) as Record<string, unknown>,
      JSON.parse(collateral.qe_identity) as Record<string, unknown>,
      leaf(chains).der,
    );
  }
}

function leaf(chains: Chains): CertificateView {
  const pck = chains.pck[0];
  if (pck === undefined)
    throw new QuoteVerificationError("MalformedQuote", "the quote has no PCK certificate");
  return pck;
}

function trustedRoot(rootCa: Uint8Array | string | undefined): { der: Uint8Array; view: CertificateView } {
  if (rootCa !== undefined && typeof rootCa !== "string" && !(rootCa instanceof Uint8Array)) {
    throw new InputError(
      "rootCa",
      `expected DER bytes or PEM text of a certificate, got ${describe(rootCa)}`,
    );
  }
  return rootCertificate(rootCa ?? constants.TRUSTED_ROOT_CA_DER);
}

function toTime(at: Date | number | bigint | undefined): Date {
  if (at === undefined) return new Date();
  const ms =
    at instanceof Date
      ? at.getTime()
      : typeof at === "bigint"
        ? Number(at) * 1000
        : typeof at === "number"
          ? at * 1000
          : NaN;
  if (!Number.isFinite(ms) || ms < 0) {
    throw new InputError("at", `expected a Date or unix seconds, got ${describe(at)}`);
  }
  return new Date(ms);
}
