/**
 * Every refusal message of @phala/dcap-qvl 0.3.9 maps to its named reason (the integration tests
 * reach the common ones on real quotes; this table pins the rest).
 */
import { expect } from "chai";

import { QuoteVerificationError } from "../../src/errors.js";
import { libraryRefusal, reasonOf } from "../../src/dcap/reasons.js";

const MESSAGES: [string, string][] = [
  ["Failed to decode quote", "MalformedQuote"],
  ["Unsupported DCAP quote version", "UnsupportedQuote"],
  ["Unsupported DCAP TEE type", "UnsupportedQuote"],
  ["SGX TEE quote must have version 3", "UnsupportedQuote"],
  ["TDX TEE quote must have version 4 or 5", "UnsupportedQuote"],
  ["Unsupported DCAP attestation key type", "UnsupportedQuote"],
  ["Unsupported DCAP PCK cert format: 3. Use get_collateral() to fetch PCK certificate.", "UnsupportedQuote"],
  ["Failed to get TD10 report", "UnsupportedQuote"],
  ["Failed to extract PCK certificates from quote", "MalformedQuote"],
  ["Certificate chain is too short in quote", "MalformedQuote"],
  ["Failed to decode TcbInfo", "MalformedCollateral"],
  ["Failed to decode QeIdentity", "MalformedCollateral"],
  ["Certificate chain is too short for TCB Info", "MalformedCollateral"],
  ["Certificate chain is too short for QE Identity", "MalformedCollateral"],
  ["Failed to extract PCK certificates from collateral", "MalformedCollateral"],
  ["No SGX components in the TCB info", "MalformedCollateral"],
  ["No TDX components in the TCB info", "MalformedCollateral"],
  ["Key length is invalid: expected 64, got 63", "MalformedCollateral"],
  ["TCBInfo issue date is in the future", "CollateralNotYetValid"],
  ["QE Identity issue date is in the future", "CollateralNotYetValid"],
  ["TCBInfo expired", "CollateralExpired"],
  ["QE Identity expired", "CollateralExpired"],
  ["CaUsedAsEndEntity", "CertificateChainInvalid"],
  ["Failed to verify certificate chain - leaf signature invalid", "CertificateChainInvalid"],
  ["Failed to verify certificate chain - intermediate signature invalid", "CertificateChainInvalid"],
  ["Certificate is expired or not yet valid", "CertificateExpired"],
  ["Certificate is revoked", "CertificateRevoked"],
  ["Signature is invalid for tcb_info", "TcbInfoSignatureInvalid"],
  ["Signature is invalid for qe_identity", "QeIdentitySignatureInvalid"],
  ["Unsupported QE Identity id/version for the quote TEE type", "CollateralMismatch"],
  ["Signature is invalid for qe_report in quote", "QeReportSignatureInvalid"],
  ["QE report hash mismatch", "QeReportHashMismatch"],
  ["QE MRSIGNER mismatch: expected AA, got BB", "QeIdentityMismatch"],
  ["QE ISVPRODID mismatch: expected 1, got 2", "QeIdentityMismatch"],
  ["QE MISCSELECT mismatch: expected 00000000 (masked), got 00000001 (masked)", "QeIdentityMismatch"],
  ["QE ATTRIBUTES mismatch at byte 0: expected 11 (masked), got 13 (masked)", "QeIdentityMismatch"],
  ["QE ISVSVN 1 is below minimum required 2 from QE Identity", "QeIdentityMismatch"],
  ["No TCB levels found in QE Identity", "QeIdentityMismatch"],
  ["ISV enclave report signature is invalid", "QuoteSignatureInvalid"],
  ["Intel extension not found", "PckCertificateInvalid"],
  ["Intel extension ambiguity", "PckCertificateInvalid"],
  ["OID 1.2.840.113741.1.13.1.4 is missing", "PckCertificateInvalid"],
  ["Fmspc length mismatch", "PckCertificateInvalid"],
  ["CpuSvn length mismatch", "PckCertificateInvalid"],
  ["PceSvn length mismatch", "PckCertificateInvalid"],
  ["Unexpected ENUMERATED length: 3", "PckCertificateInvalid"],
  ["Fmspc mismatch", "CollateralMismatch"],
  ["TDX quote with non-TDX TCB info in the collateral", "CollateralMismatch"],
  ["SGX quote with non-SGX TCB info in the collateral", "CollateralMismatch"],
  ["No matching TCB level found", "TcbLevelNotFound"],
  ["TCB status is invalid: Revoked", "TcbRevoked"],
  ["Debug mode is enabled", "DebugEnclave"],
  ["Reserved bits in TD attributes are set", "TdAttributesInvalid"],
  ["SEPT_VE_DISABLE is not enabled", "TdAttributesInvalid"],
  ["Invalid mr service td", "TdAttributesInvalid"],
  ["something new in a later version", "VerificationFailed"],
];

describe("dcap: refusal reasons", function () {
  it("maps each library message to its reason", function () {
    for (const [message, reason] of MESSAGES) expect(reasonOf(message), message).to.equal(reason);
  });

  it("a refusal keeps the library's words and error", function () {
    const cause = new Error("TCBInfo expired");
    const refusal = libraryRefusal(cause);
    expect(refusal, "class").to.be.instanceOf(QuoteVerificationError);
    expect(refusal.reason, "reason").to.equal("CollateralExpired");
    expect(refusal.message, "message").to.match(
      /^CollateralExpired: .*fetch current collateral.*\(dcap-qvl: "TCBInfo expired"\)$/,
    );
    expect(refusal.cause, "cause").to.equal(cause);
  });
});
