/**
 * The certificate chains of a quote and its collateral, and two rules over them that
 * `@phala/dcap-qvl` 0.3.9 leaves out: every chain must end at the trusted root itself (so a chain
 * under another root is refused as such, not as a bad signature), and every certificate must be
 * inside its validity period at the verification time (the library checks this with `node:crypto`
 * only, not on its browser path).
 */
import { bytesToString } from "viem";

import { InputError, QuoteVerificationError } from "../errors.js";
import { errorText } from "../internal/fields.js";
import type { QuoteCollateral } from "./collateral.js";
import { type LibraryQuote, certificatePem, pemCertificates } from "./library.js";
import { type CertificateView, readCertificate, sameBytes } from "./x509.js";

/** The chains verification uses, leaf first, each as the library and as parsed views. */
export interface Chains {
  /** The PCK certificate, its CA and the root (from the quote, or the collateral's `pck_certificate_chain`). */
  pck: CertificateView[];
  /** The CA that signs the PCK CRL, and the root. */
  pckCrlIssuer: CertificateView[];
  /** The TCB signing certificate and the root. */
  tcbInfo: CertificateView[];
  /** The TCB signing certificate and the root. */
  qeIdentity: CertificateView[];
}

/**
 * The trusted root certificate, from DER bytes or PEM text, as the library takes it.
 *
 * @throws {InputError} naming `rootCa` when it is not exactly one certificate.
 */
export function rootCertificate(root: Uint8Array | string): { der: Uint8Array; view: CertificateView } {
  const found = pemCertificates(typeof root === "string" ? root : certificatePem(root));
  const der = found[0];
  if (found.length !== 1 || der === undefined) {
    throw new InputError("rootCa", `expected one certificate (DER bytes or PEM text), got ${found.length}`);
  }
  try {
    return { der, view: readCertificate(der) };
  } catch (error) {
    throw new InputError("rootCa", `is not an X.509 certificate: ${errorText(error)}`, { cause: error });
  }
}

/**
 * Reads the chains of a quote and its collateral.
 *
 * @throws {QuoteVerificationError} `MalformedQuote` or `MalformedCollateral` when a certificate
 * does not parse.
 */
export function readChains(quote: LibraryQuote, collateral: QuoteCollateral): Chains {
  return {
    pck: readPckChain(quote, collateral.pck_certificate_chain),
    pckCrlIssuer: chain(collateral.pck_crl_issuer_chain, "pck_crl_issuer_chain"),
    tcbInfo: chain(collateral.tcb_info_issuer_chain, "tcb_info_issuer_chain"),
    qeIdentity: chain(collateral.qe_identity_issuer_chain, "qe_identity_issuer_chain"),
  };
}

/**
 * The PCK certificate chain, leaf first: the collateral's when it has one, else the quote's own
 * (certification data type 5, inside type 6 for v4 and v5 quotes).
 *
 * @throws {QuoteVerificationError} `UnsupportedQuote` when neither has it, `MalformedQuote` or
 * `MalformedCollateral` when a certificate does not parse.
 */
export function readPckChain(quote: LibraryQuote, collateralChain?: string): CertificateView[] {
  if (collateralChain !== undefined) return chain(collateralChain, "the collateral's pck_certificate_chain");
  let raw: Uint8Array;
  try {
    raw = quote.rawCertChain();
  } catch (error) {
    throw new QuoteVerificationError(
      "UnsupportedQuote",
      `the quote does not carry its PCK certificate chain (${errorText(error)}); ` +
        "pass collateral with a pck_certificate_chain (dcap-qvl's getCollateral fetches it)",
      { cause: error },
    );
  }
  return chain(bytesToString(raw), "the quote's PCK certificate chain", "MalformedQuote");
}

/**
 * Every chain must end at the trusted root: its last certificate is the root itself, or is issued
 * by it.
 *
 * @throws {QuoteVerificationError} `UntrustedRoot` naming the chain and the root it ends at.
 */
export function checkRoots(chains: Chains, root: CertificateView): void {
  for (const [name, certificates] of Object.entries(chains)) {
    const top = certificates[certificates.length - 1];
    if (top === undefined) continue;
    const isRoot = sameBytes(top.der, root.der);
    if (!isRoot && !sameBytes(top.issuer, root.subject)) {
      throw new QuoteVerificationError(
        "UntrustedRoot",
        `the ${name} chain ends at "${top.commonName}", not under the trusted root "${root.commonName}"; ` +
          "production quotes verify under Intel's SGX Root CA (the default), test quotes under the test root passed as rootCa",
        { compared: { chain: name, endsAt: top.commonName, trustedRoot: root.commonName } },
      );
    }
  }
}

/**
 * Every certificate of every chain, and the root, must be valid at `at`.
 *
 * @throws {QuoteVerificationError} `CertificateExpired` naming the certificate and its window.
 */
export function checkValidity(chains: Chains, root: CertificateView, at: Date): void {
  for (const certificate of [...Object.values(chains).flat(), root]) {
    if (at < certificate.notBefore || at > certificate.notAfter) {
      throw new QuoteVerificationError(
        "CertificateExpired",
        `certificate "${certificate.commonName}" is valid from ${certificate.notBefore.toISOString()} ` +
          `to ${certificate.notAfter.toISOString()}, not at ${at.toISOString()}`,
        {
          compared: {
            certificate: certificate.commonName,
            notBefore: certificate.notBefore.toISOString(),
            notAfter: certificate.notAfter.toISOString(),
          },
        },
      );
    }
  }
}

function chain(
  pem: string,
  what: string,
  reason: "MalformedQuote" | "MalformedCollateral" = "MalformedCollateral",
): CertificateView[] {
  const certificates = pemCertificates(pem).map((der) => parse(der, what, reason));
  if (certificates.length === 0) throw new QuoteVerificationError(reason, `${what} holds no PEM certificate`);
  return certificates;
}

function parse(
  der: Uint8Array,
  what: string,
  reason: "MalformedQuote" | "MalformedCollateral",
): CertificateView {
  try {
    return readCertificate(der);
  } catch (error) {
    throw new QuoteVerificationError(reason, `a certificate of ${what} does not parse: ${errorText(error)}`, {
      cause: error,
    });
  }
}
