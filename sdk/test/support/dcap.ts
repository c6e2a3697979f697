/**
 * DCAP test support: the real Intel quotes of test/fixtures/dcap with their collateral and the time
 * to verify each at (its TCB info's issueDate plus one hour, inside the collateral's window), and an
 * assertion for refusals.
 */
import { expect } from "chai";
import { readFileSync } from "node:fs";
import path from "node:path";

import { type QuoteRejectionReason, QuoteVerificationError } from "../../src/dcap/index.js";
import { repoRoot } from "./paths.js";

/** The samples' directory. */
export const dcapFixturesDir = path.join(repoRoot, "test/fixtures/dcap");

/** One sample: the quote, its collateral's JSON text and a time inside its window (unix seconds). */
export interface DcapSample {
  quote: Uint8Array;
  collateral: string;
  /** The TCB info's issueDate plus one hour. */
  at: number;
  /** The TCB info, parsed. */
  tcbInfo: { issueDate: string; nextUpdate: string; fmspc: string };
}

/** Reads a sample: `tdx_quote`, `sgx_quote` or `tdx_quote_outdated`. */
export function dcapSample(name: "tdx_quote" | "sgx_quote" | "tdx_quote_outdated"): DcapSample {
  const quote = new Uint8Array(readFileSync(path.join(dcapFixturesDir, name)));
  const collateral = readFileSync(path.join(dcapFixturesDir, `${name}_collateral.json`), "utf8");
  const tcbInfo = JSON.parse(
    (JSON.parse(collateral) as { tcb_info: string }).tcb_info,
  ) as DcapSample["tcbInfo"];
  return { quote, collateral, at: Date.parse(tcbInfo.issueDate) / 1000 + 3600, tcbInfo };
}

/** A copy of `bytes` with the byte at `offset` flipped. */
export function flipByte(bytes: Uint8Array, offset: number): Uint8Array {
  const copy = bytes.slice();
  copy[offset]! ^= 0x01;
  return copy;
}

/**
 * Awaits a verification that must be refused with `reason`, and returns the error.
 */
export async function refusedWith(
  verification: Promise<unknown>,
  reason: QuoteRejectionReason,
): Promise<QuoteVerificationError> {
  let error: unknown;
  try {
    await verification;
  } catch (caught) {
    error = caught;
  }
  expect(error, `refusal (expected ${reason})`).to.be.instanceOf(QuoteVerificationError);
  const refusal = error as QuoteVerificationError;
  expect(refusal.reason, `reason (message: ${refusal.message})`).to.equal(reason);
  expect(refusal.message, "message starts with the reason").to.match(new RegExp(`^${reason}: `));
  return refusal;
}
