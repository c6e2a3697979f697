/**
 * Names for `@phala/dcap-qvl`'s refusals. The library throws plain `Error`s whose messages are its
 * only signal; this table maps each message it can throw (0.3.9) to a {@link QuoteRejectionReason}
 * and a sentence that says what it means and what to do. A message not in the table becomes
 * `VerificationFailed` with the library's words.
 */
import { type QuoteRejectionReason, QuoteVerificationError } from "../errors.js";
import { errorText } from "../internal/fields.js";

interface Rule {
  pattern: RegExp;
  reason: QuoteRejectionReason;
  explain: string;
}

const FRESH_COLLATERAL = "fetch current collateral from the PCCS, or verify at a time inside its window";

const RULES: readonly Rule[] = [
  { pattern: /^Failed to decode quote/, reason: "MalformedQuote", explain: "the quote does not parse" },
  {
    pattern: /^(Unsupported DCAP|SGX TEE quote must|TDX TEE quote must|Failed to get TD10)/,
    reason: "UnsupportedQuote",
    explain: "this kind of quote is not supported",
  },
  {
    pattern: /^(Failed to extract PCK certificates from quote|Certificate chain is too short in quote)/,
    reason: "MalformedQuote",
    explain: "the quote's PCK certificate chain is missing or incomplete",
  },
  {
    pattern:
      /^(Failed to decode (TcbInfo|QeIdentity)|Certificate chain is too short for|Failed to extract PCK certificates from collateral|No (SGX|TDX) components in the TCB info|Key length is invalid)/,
    reason: "MalformedCollateral",
    explain: "the collateral is malformed; fetch it again from the PCCS",
  },
  {
    pattern: /issue date is in the future$/,
    reason: "CollateralNotYetValid",
    explain: "the collateral was issued after the verification time; check `at` and the clock",
  },
  {
    pattern: /^(TCBInfo|QE Identity) expired$/,
    reason: "CollateralExpired",
    explain: `the collateral is past its nextUpdate; ${FRESH_COLLATERAL}`,
  },
  {
    pattern: /^(CaUsedAsEndEntity|Failed to verify certificate chain)/,
    reason: "CertificateChainInvalid",
    explain: "a certificate is not signed by its issuer, so the chain does not lead to the trusted root",
  },
  {
    pattern: /^Certificate is expired or not yet valid$/,
    reason: "CertificateExpired",
    explain: "a certificate is outside its validity period at the verification time",
  },
  {
    pattern: /^Certificate is revoked$/,
    reason: "CertificateRevoked",
    explain: "a certificate of the chain is listed in a CRL",
  },
  {
    pattern: /^Signature is invalid for tcb_info$/,
    reason: "TcbInfoSignatureInvalid",
    explain: "the TCB info is not what Intel's TCB signing key signed (altered or re-serialized)",
  },
  {
    pattern: /^Signature is invalid for qe_identity$/,
    reason: "QeIdentitySignatureInvalid",
    explain: "the QE identity is not what Intel's TCB signing key signed (altered or re-serialized)",
  },
  {
    pattern: /^Unsupported QE Identity id\/version/,
    reason: "CollateralMismatch",
    explain: "the QE identity is for another TEE type (QE for SGX, TD_QE for TDX)",
  },
  {
    pattern: /^Signature is invalid for qe_report/,
    reason: "QeReportSignatureInvalid",
    explain: "the quoting enclave's report is not signed by the PCK key",
  },
  {
    pattern: /^QE report hash mismatch$/,
    reason: "QeReportHashMismatch",
    explain: "the quoting enclave's report does not bind the key that signed the quote",
  },
  {
    pattern:
      /^(QE (MRSIGNER|ISVPRODID|MISCSELECT|ATTRIBUTES) mismatch|QE ISVSVN|No TCB levels found in QE Identity)/,
    reason: "QeIdentityMismatch",
    explain: "the quoting enclave is not the one Intel's QE identity describes",
  },
  {
    pattern: /^ISV enclave report signature is invalid$/,
    reason: "QuoteSignatureInvalid",
    explain: "the quote's header and body are not what its attestation key signed (altered bytes)",
  },
  {
    pattern:
      /^(Intel extension|OID .* is missing|(Fmspc|CpuSvn|PceSvn) length mismatch|Unexpected ENUMERATED)/,
    reason: "PckCertificateInvalid",
    explain: "the PCK certificate lacks Intel's SGX extensions",
  },
  {
    pattern: /^(Fmspc mismatch|(TDX|SGX) quote with non-(TDX|SGX) TCB info)/,
    reason: "CollateralMismatch",
    explain: "the collateral is for another platform or TEE type; fetch the collateral for this quote",
  },
  {
    pattern: /^No matching TCB level found$/,
    reason: "TcbLevelNotFound",
    explain: "no TCB level of the TCB info matches this platform's security versions",
  },
  {
    pattern: /^TCB status is invalid/,
    reason: "TcbRevoked",
    explain: "the platform's TCB level is Revoked (or a status this verifier does not know)",
  },
  {
    pattern: /^Debug mode is enabled$/,
    reason: "DebugEnclave",
    explain: "the enclave or TD runs in debug mode: the host can read its memory",
  },
  {
    pattern: /^(Reserved bits in TD attributes|SEPT_VE_DISABLE is not enabled|Invalid mr service td)/,
    reason: "TdAttributesInvalid",
    explain: "the TD's attributes are not those of a protected production TD",
  },
];

/** The reason a library message stands for, `VerificationFailed` when it is not in the table. */
export function reasonOf(message: string): QuoteRejectionReason {
  return RULES.find((rule) => rule.pattern.test(message))?.reason ?? "VerificationFailed";
}

/** Turns an error of the verification library into a {@link QuoteVerificationError}. */
export function libraryRefusal(error: unknown): QuoteVerificationError {
  const message = errorText(error);
  const rule = RULES.find((candidate) => candidate.pattern.test(message));
  return new QuoteVerificationError(
    rule?.reason ?? "VerificationFailed",
    `${rule?.explain ?? "the quote did not verify"} (dcap-qvl: "${message}")`,
    { cause: error },
  );
}
