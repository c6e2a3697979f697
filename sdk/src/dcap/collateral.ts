/**
 * Quote collateral: what Intel publishes (through its PCS or a caching PCCS) to verify quotes of one
 * platform family: the TCB info and QE identity JSON with their signatures and signing chains, and
 * the CRLs of the root CA and of the PCK CA. The shape is `@phala/dcap-qvl`'s collateral JSON, so
 * files written by its tools (and Phala's PCCS) are read as they are.
 */
import { isHex } from "viem";

import { InputError } from "../errors.js";
import { type JsonObject, describe, errorText, fieldPath, isObject } from "../internal/fields.js";

/**
 * Collateral in `@phala/dcap-qvl`'s JSON shape. CRLs and signatures are hex (without `0x`);
 * chains are PEM, leaf first; `tcb_info` and `qe_identity` are the exact JSON text Intel signed.
 */
export interface QuoteCollateral {
  /** The PCK CA and the root CA (PEM), which sign the PCK CRL. */
  pck_crl_issuer_chain: string;
  /** The root CA's CRL (DER, hex). */
  root_ca_crl: string;
  /** The PCK CA's CRL (DER, hex). */
  pck_crl: string;
  /** The TCB signing certificate and the root CA (PEM). */
  tcb_info_issuer_chain: string;
  /** The TCB info JSON text, byte for byte as signed. */
  tcb_info: string;
  /** ECDSA P-256 signature of `tcb_info` (r || s, hex). */
  tcb_info_signature: string;
  /** The TCB signing certificate and the root CA (PEM). */
  qe_identity_issuer_chain: string;
  /** The QE identity JSON text, byte for byte as signed. */
  qe_identity: string;
  /** ECDSA P-256 signature of `qe_identity` (r || s, hex). */
  qe_identity_signature: string;
  /** The PCK certificate chain (PEM), for quotes that do not carry it; usually absent. */
  pck_certificate_chain?: string;
}

/** The largest collateral accepted, in bytes of JSON (Intel's is 15–25 kB). */
export const MAX_COLLATERAL_SIZE = 1_048_576;

const PEM_FIELDS = ["pck_crl_issuer_chain", "tcb_info_issuer_chain", "qe_identity_issuer_chain"] as const;
const JSON_FIELDS = ["tcb_info", "qe_identity"] as const;
const BINARY_FIELDS = ["root_ca_crl", "pck_crl", "tcb_info_signature", "qe_identity_signature"] as const;

/**
 * Checks collateral given as an object or JSON text and returns it in the canonical shape: every
 * required field present, chains as PEM text, CRLs and signatures as lowercase hex (accepted as hex
 * with or without `0x`, or as arrays of bytes, as dcap-qvl writes them).
 *
 * @param value The collateral: an object or its JSON text.
 * @param field The name to put in errors (default `"collateral"`).
 * @example
 * const collateral = toCollateral(await (await fetch(url)).text());
 * @throws {InputError} naming the field that is missing or malformed, or `collateral` when it is
 * not an object or larger than {@link MAX_COLLATERAL_SIZE}.
 */
export function toCollateral(value: unknown, field = "collateral"): QuoteCollateral {
  let raw: unknown = value;
  if (typeof value === "string") {
    if (value.length > MAX_COLLATERAL_SIZE) throw tooLarge(field, value.length);
    try {
      raw = JSON.parse(value);
    } catch (error) {
      throw new InputError(field, `is not JSON: ${errorText(error)}`, { cause: error });
    }
  }
  if (!isObject(raw)) {
    throw new InputError(field, `expected a collateral object (dcap-qvl's JSON shape), got ${describe(raw)}`);
  }
  const object = raw;
  const collateral: Record<string, string> = {};
  for (const key of PEM_FIELDS) collateral[key] = pemAt(object, field, key);
  for (const key of JSON_FIELDS) collateral[key] = jsonAt(object, field, key);
  for (const key of BINARY_FIELDS) collateral[key] = hexAt(object, field, key);
  const chain = object["pck_certificate_chain"];
  if (chain !== undefined && chain !== null) {
    collateral["pck_certificate_chain"] = pemAt(object, field, "pck_certificate_chain");
  }
  const size = Object.values(collateral).reduce((sum, text) => sum + text.length, 0);
  if (size > MAX_COLLATERAL_SIZE) throw tooLarge(field, size);
  return collateral as unknown as QuoteCollateral;
}

function stringAt(object: JsonObject, field: string, key: string): string {
  const value = object[key];
  if (typeof value !== "string" || value === "") {
    throw new InputError(fieldPath(field, key), `expected a non-empty string, got ${describe(value)}`);
  }
  return value;
}

function pemAt(object: JsonObject, field: string, key: string): string {
  const value = stringAt(object, field, key);
  if (!value.includes("-----BEGIN CERTIFICATE-----")) {
    throw new InputError(
      fieldPath(field, key),
      "expected a PEM certificate chain (-----BEGIN CERTIFICATE-----)",
    );
  }
  return value;
}

function jsonAt(object: JsonObject, field: string, key: string): string {
  const value = stringAt(object, field, key);
  if (!value.trimStart().startsWith("{")) {
    throw new InputError(fieldPath(field, key), "expected the JSON object text Intel signed");
  }
  return value;
}

function hexAt(object: JsonObject, field: string, key: string): string {
  const value = object[key];
  if (Array.isArray(value) || value instanceof Uint8Array) {
    const bytes: unknown[] = Array.from(value);
    if (bytes.length === 0 || !bytes.every(isByte)) {
      throw new InputError(fieldPath(field, key), "expected a non-empty array of bytes (integers 0-255)");
    }
    return bytes.map((b) => (b as number).toString(16).padStart(2, "0")).join("");
  }
  if (typeof value === "string") {
    const hex = value.startsWith("0x") ? value : `0x${value}`;
    if (hex.length > 2 && hex.length % 2 === 0 && isHex(hex)) return hex.slice(2).toLowerCase();
  }
  throw new InputError(
    fieldPath(field, key),
    `expected hex bytes or an array of bytes, got ${describe(value)}`,
  );
}

function isByte(value: unknown): boolean {
  return typeof value === "number" && Number.isInteger(value) && value >= 0 && value <= 255;
}

function tooLarge(field: string, size: number): InputError {
  return new InputError(field, `is ${size} bytes, more than the cap of ${MAX_COLLATERAL_SIZE} bytes`);
}
