/// <reference types="node" />
/**
 * Reading quote collateral (`@tee-marketplace/sdk/dcap`'s `QuoteCollateral`, dcap-qvl's JSON shape)
 * and root CA certificates from disk, for offline verification (Node only).
 */
import { open } from "node:fs/promises";

import { MAX_COLLATERAL_SIZE, type QuoteCollateral, toCollateral } from "../dcap/collateral.js";
import { FileFormatError, InputError } from "../errors.js";
import { errorText } from "../internal/fields.js";

/** The largest root CA certificate file read, in bytes (Intel's is 659 bytes of DER). */
const MAX_CERTIFICATE_FILE_SIZE = 65_536;

/**
 * Reads a collateral JSON file (as written by `fetchCollateral`, dcap-qvl's tools or Phala's PCCS)
 * and checks its fields.
 *
 * @param path The file.
 * @example
 * const verified = await verifyQuote(quote, await readCollateralFile("tdx-collateral.json"));
 * @throws {InputError} naming `path` when the file cannot be read or is over 1 MiB.
 * @throws {FileFormatError} with the path and the field when it is not collateral.
 */
export async function readCollateralFile(path: string): Promise<QuoteCollateral> {
  const text = (await readCapped(path, MAX_COLLATERAL_SIZE)).toString("utf8");
  try {
    return toCollateral(text, "");
  } catch (error) {
    if (error instanceof InputError) {
      throw new FileFormatError(path, error.field, error.detail, { cause: error });
    }
    throw error;
  }
}

/**
 * Reads a root CA certificate file, DER or PEM, for `verifyQuote`'s `rootCa` (tests and local
 * networks; production quotes verify under Intel's root, the default).
 *
 * @param path The file.
 * @example
 * const verified = await verifyQuote(quote, collateral, { rootCa: await readRootCaFile("test-root.pem") });
 * @throws {InputError} naming `path` when the file cannot be read or is over 64 KiB.
 * @throws {FileFormatError} when it is neither PEM nor DER.
 */
export async function readRootCaFile(path: string): Promise<Uint8Array | string> {
  const bytes = await readCapped(path, MAX_CERTIFICATE_FILE_SIZE);
  const text = bytes.toString("utf8");
  if (text.includes("-----BEGIN CERTIFICATE-----")) return text;
  if (bytes[0] === 0x30) return new Uint8Array(bytes);
  throw new FileFormatError(path, "", "expected a certificate in PEM (-----BEGIN CERTIFICATE-----) or DER");
}

async function readCapped(path: string, cap: number): Promise<Buffer> {
  if (typeof path !== "string" || path === "") throw new InputError("path", "expected a file path");
  try {
    const file = await open(path, "r");
    try {
      const { size } = await file.stat();
      if (size > cap) throw new InputError("path", `${path} is ${size} bytes, more than the cap of ${cap}`);
      return await file.readFile();
    } finally {
      await file.close();
    }
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new InputError("path", `cannot read ${path} (${errorText(error)})`, { cause: error });
  }
}
