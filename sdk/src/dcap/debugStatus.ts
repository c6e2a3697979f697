/**
 * The TCB status of a debug enclave or TD, for callers that allow debug quotes (`allowDebug`).
 * `@phala/dcap-qvl` 0.3.9 refuses a debug report as its very last step, after every signature,
 * chain and collateral check has passed, so it never returns the status. This derives it from the
 * same inputs by the same rules (the platform's TCB level from the PCK certificate's CPU SVN and
 * PCE SVN and the TD's TEE TCB SVN; the quoting enclave's level from its ISV SVN; worst wins), and
 * makes the TD attribute checks the library skips after its debug check.
 */
import { QuoteVerificationError } from "../errors.js";
import { isObject } from "../internal/fields.js";
import { type LibraryQuote, utils } from "./library.js";
import { quotingEnclaveOf } from "./quote.js";
import { type TcbLevelStatus, levelStatus, worseStatus } from "./tcbStatus.js";

/**
 * The status of a quote whose only fault is its debug attribute.
 *
 * @throws {QuoteVerificationError} `TcbLevelNotFound`, `QeIdentityMismatch`, `TdAttributesInvalid`.
 */
export function debugQuoteStatus(
  quote: LibraryQuote,
  tcbInfo: Record<string, unknown>,
  qeIdentity: Record<string, unknown>,
  pckDer: Uint8Array,
): TcbLevelStatus {
  const td = quote.report.asTd10();
  if (td !== null) checkTdAttributes(td.tdAttributes, quote.report.asTd15()?.mrServiceTd);
  const extension = utils.getIntelExtension(pckDer as Parameters<typeof utils.getIntelExtension>[0]);
  const cpuSvn = utils.getCpuSvn(extension);
  const pceSvn = utils.getPceSvn(extension);
  const levels = Array.isArray(tcbInfo["tcbLevels"]) ? tcbInfo["tcbLevels"] : [];
  const platform = levels.find((level: unknown) => {
    if (!isObject(level) || !isObject(level["tcb"])) return false;
    const tcb = level["tcb"];
    if (typeof tcb["pcesvn"] !== "number" || pceSvn < tcb["pcesvn"]) return false;
    if (!atLeast(cpuSvn, tcb["sgxtcbcomponents"])) return false;
    return td === null || atLeast(td.teeTcbSvn, tcb["tdxtcbcomponents"]);
  });
  if (!isObject(platform)) {
    throw new QuoteVerificationError(
      "TcbLevelNotFound",
      "no TCB level of the TCB info matches this platform",
    );
  }
  const { isvSvn } = quotingEnclaveOf(quote);
  const qeLevels = Array.isArray(qeIdentity["tcbLevels"]) ? qeIdentity["tcbLevels"] : [];
  const qe = qeLevels.find(
    (level: unknown) => isObject(level) && isObject(level["tcb"]) && isvSvn >= Number(level["tcb"]["isvsvn"]),
  );
  if (!isObject(qe)) {
    throw new QuoteVerificationError(
      "QeIdentityMismatch",
      `the quoting enclave's ISV SVN ${isvSvn} is below every TCB level of the QE identity`,
    );
  }
  return worseStatus(levelStatus(platform), levelStatus(qe));
}

/** Each security version is at least the level's component of the same index (same count). */
function atLeast(actual: Uint8Array, components: unknown): boolean {
  if (!Array.isArray(components) || components.length !== actual.length) return false;
  return components.every(
    (component: unknown, i) => isObject(component) && actual[i]! >= Number(component["svn"]),
  );
}

function checkTdAttributes(attributes: Uint8Array, mrServiceTd: Uint8Array | undefined): void {
  const [, b1 = 0, b2 = 0, b3 = 0, b4 = 0, b5 = 0, b6 = 0, b7 = 0] = attributes;
  // SEC bits 0-27 below SEPT_VE_DISABLE (bit 28) and bit 29 are reserved, as are OTHER bits 32-62.
  const reservedSet =
    b1 !== 0 || b2 !== 0 || (b3 & 0x2f) !== 0 || b4 !== 0 || b5 !== 0 || b6 !== 0 || (b7 & 0x7f) !== 0;
  const septVeDisabled = (b3 & 0x10) !== 0;
  const serviceTdSet = mrServiceTd !== undefined && mrServiceTd.some((byte) => byte !== 0);
  if (reservedSet || !septVeDisabled || serviceTdSet) {
    throw new QuoteVerificationError(
      "TdAttributesInvalid",
      "the TD's attributes are not those of a protected TD (reserved bits, SEPT_VE_DISABLE or a service TD)",
    );
  }
}
