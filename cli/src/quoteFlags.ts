/**
 * The options of the commands that verify a TEE's quote (`tcb verify`, `quotes validate`, `orders
 * validate-report`): where the collateral comes from, the root to trust, and what the caller
 * accepts. Declarations only (no SDK), so `--help` stays light; `./quoteChecks.ts` reads them.
 */
import type { OptionSpec } from "./command.js";

/** The quote options every verifying command takes. */
export const QUOTE_OPTIONS: Record<string, OptionSpec> = {
  collateral: {
    type: "string",
    value: "<file>",
    description:
      "the quote's collateral, a JSON file (fetchCollateral's or dcap-qvl's shape): verify offline",
  },
  "pccs-url": {
    type: "string",
    value: "<url>",
    description:
      "fetch the collateral from this PCS or PCCS (Intel's: https://api.trustedservices.intel.com)",
  },
  "root-ca": {
    type: "string",
    value: "<file>",
    description: "the root CA to trust, PEM or DER (default Intel's SGX Root CA; others only for tests)",
  },
  "accept-status": {
    type: "string",
    multiple: true,
    value: "<status>",
    description: "a TCB status you accept besides UpToDate (SWHardeningNeeded, OutOfDate, ...; repeat)",
  },
  measurement: {
    type: "string",
    multiple: true,
    value: "<hex>",
    description: "a measurement you accept (32-byte registry measurement or MRENCLAVE, 48-byte MRTD; repeat)",
  },
  at: {
    type: "string",
    value: "<time>",
    description: "verify at this time (ISO 8601 or unix seconds; default now)",
  },
};

/** What `--help` says about the checks. */
export const QUOTE_DETAILS = [
  "Checks: quoteGenuine (the quote verifies to the root with current collateral: PCK chain, CRLs, TCB",
  "info, QE identity, signatures, debug bit), tcbStatus (UpToDate or a status you accept) and, with",
  "--measurement, measurementExpected (the quote's own measurement is one you accept).",
];
