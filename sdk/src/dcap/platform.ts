/**
 * Platform checks `@phala/dcap-qvl` 0.3.9 leaves out, made the way Intel's verification library
 * makes them: the PCK certificate's PCE id must be the TCB info's, and a TD's TDX module (SEAM) must
 * be one the TCB info describes: signed by the module signer it names (MRSIGNERSEAM), with the
 * SEAM attributes it allows, and, for a versioned module, at a TCB level of that version's identity.
 */
import { bytesToHex } from "viem";

import { QuoteVerificationError } from "../errors.js";
import { isObject } from "../internal/fields.js";
import { type LibraryQuote, pckExtensionValue } from "./library.js";
import { type TcbLevelStatus, levelStatus } from "./tcbStatus.js";

/** The PCE-ID field of Intel's SGX extension (Intel's PCK certificate profile). */
const PCE_ID_OID = "1.2.840.113741.1.13.1.3";

/**
 * Checks the PCE id and, for a TD, its TDX module.
 *
 * @param quote The parsed quote.
 * @param tcbInfo The TCB info JSON, parsed (already authenticated by its signature).
 * @param pckDer The PCK certificate.
 * @returns The TDX module's TCB status for a versioned module, `undefined` otherwise.
 * @throws {QuoteVerificationError} `CollateralMismatch`, `MalformedCollateral`, `TdxModuleMismatch`,
 * `TcbLevelNotFound`.
 */
export function checkPlatform(
  quote: LibraryQuote,
  tcbInfo: Record<string, unknown>,
  pckDer: Uint8Array,
): TcbLevelStatus | undefined {
  const pceId = bytesToHex(pckExtensionValue(pckDer, [PCE_ID_OID])).slice(2);
  if (typeof tcbInfo["pceId"] !== "string" || tcbInfo["pceId"].toLowerCase() !== pceId) {
    throw new QuoteVerificationError(
      "CollateralMismatch",
      `the PCK certificate has PCE id ${pceId}, the TCB info is for ${String(tcbInfo["pceId"])}; ` +
        "fetch the collateral for this quote",
    );
  }
  const td = quote.report.asTd10();
  return td === null ? undefined : checkTdxModule(td, tcbInfo);
}

function checkTdxModule(
  td: NonNullable<ReturnType<LibraryQuote["report"]["asTd10"]>>,
  tcbInfo: Record<string, unknown>,
): TcbLevelStatus | undefined {
  const [moduleSvn = 0, moduleVersion = 0] = td.teeTcbSvn;
  const identities = Array.isArray(tcbInfo["tdxModuleIdentities"]) ? tcbInfo["tdxModuleIdentities"] : [];
  const versioned = moduleVersion > 0 && identities.length > 0;
  const id = `TDX_${moduleVersion.toString(16).padStart(2, "0").toUpperCase()}`;
  const identity: unknown = versioned
    ? identities.find((candidate) => isObject(candidate) && candidate["id"] === id)
    : tcbInfo["tdxModule"];
  if (!isObject(identity)) {
    throw versioned
      ? new QuoteVerificationError(
          "TdxModuleMismatch",
          `the TD runs TDX module version ${moduleVersion}, and the TCB info has no identity ${id} for it`,
        )
      : new QuoteVerificationError("MalformedCollateral", "the TDX TCB info has no tdxModule identity");
  }
  const mrSigner = bytesToHex(td.mrSignerSeam).slice(2);
  const expectedSigner = String(identity["mrsigner"]).toLowerCase();
  if (mrSigner !== expectedSigner) {
    throw new QuoteVerificationError(
      "TdxModuleMismatch",
      `the TDX module is signed by MRSIGNERSEAM ${mrSigner}, the TCB info expects ${expectedSigner}`,
      { compared: { expected: expectedSigner, actual: mrSigner } },
    );
  }
  if (!maskedEqual(td.seamAttributes, String(identity["attributes"]), String(identity["attributesMask"]))) {
    throw new QuoteVerificationError(
      "TdxModuleMismatch",
      `the TDX module's SEAM attributes ${bytesToHex(td.seamAttributes)} are not the TCB info's ${String(identity["attributes"])}`,
    );
  }
  if (!versioned) return undefined;
  const levels = Array.isArray(identity["tcbLevels"]) ? identity["tcbLevels"] : [];
  const level: unknown = levels.find(
    (candidate) =>
      isObject(candidate) &&
      isObject(candidate["tcb"]) &&
      typeof candidate["tcb"]["isvsvn"] === "number" &&
      moduleSvn >= candidate["tcb"]["isvsvn"],
  );
  if (!isObject(level)) {
    throw new QuoteVerificationError(
      "TcbLevelNotFound",
      `the TDX module ${id} has SVN ${moduleSvn}, below every TCB level of its identity in the TCB info`,
    );
  }
  return levelStatus(level);
}

function maskedEqual(actual: Uint8Array, expectedHex: string, maskHex: string): boolean {
  const expected = hexBytes(expectedHex);
  const mask = hexBytes(maskHex);
  if (expected.length !== actual.length || mask.length !== actual.length) return false;
  return actual.every((byte, i) => (byte & mask[i]!) === (expected[i]! & mask[i]!));
}

function hexBytes(hex: string): number[] {
  return /^([0-9a-fA-F]{2})*$/.test(hex) ? (hex.match(/../g) ?? []).map((b) => parseInt(b, 16)) : [];
}
