/**
 * A small DER reader for the parts of X.509 certificates and CRLs that quote verification checks
 * beyond `@phala/dcap-qvl`: the signed bytes, the issuer and subject names, the validity times and
 * the revoked serial numbers. It reads; it never decides. Certificates and CRLs come from the quote
 * and the collateral, so every length is checked against the bytes that are there.
 */
import { bytesToString } from "viem";

/** One DER element: its tag, the whole element and its content. */
interface DerElement {
  tag: number;
  /** Tag, length and content. */
  bytes: Uint8Array;
  content: Uint8Array;
}

/** DER that does not have the structure expected; callers turn it into a refusal with context. */
export class DerError extends Error {
  override name = "DerError";
}

/** An X.509 certificate, as far as verification needs it. */
export interface CertificateView {
  der: Uint8Array;
  /** The signed part (TBSCertificate), as encoded. */
  tbs: Uint8Array;
  /** The serial number's content bytes, without leading zero bytes. */
  serial: Uint8Array;
  /** The issuer's Name, as encoded. */
  issuer: Uint8Array;
  /** The subject's Name, as encoded. */
  subject: Uint8Array;
  /** The subject's common name, for messages. */
  commonName: string;
  notBefore: Date;
  notAfter: Date;
  /** SubjectPublicKeyInfo, as encoded (what WebCrypto imports as "spki"). */
  spki: Uint8Array;
}

/** An X.509 CRL, as far as verification needs it. */
export interface CrlView {
  /** The signed part (TBSCertList), as encoded. */
  tbs: Uint8Array;
  /** The issuer's Name, as encoded. */
  issuer: Uint8Array;
  thisUpdate: Date;
  /** Absent when the CRL names no next update. */
  nextUpdate: Date | undefined;
  /** The serial numbers listed, without leading zero bytes. */
  revokedSerials: Uint8Array[];
  /** The signature algorithm's OID, as encoded content bytes. */
  signatureAlgorithm: Uint8Array;
  /** The signature (for ECDSA: a DER `SEQUENCE { r, s }`). */
  signature: Uint8Array;
}

const TAG = {
  integer: 0x02,
  bitString: 0x03,
  oid: 0x06,
  utcTime: 0x17,
  generalizedTime: 0x18,
  sequence: 0x30,
  set: 0x31,
  explicit0: 0xa0,
} as const;

/** id-at-commonName (2.5.4.3) as encoded. */
const COMMON_NAME_OID = Uint8Array.of(0x55, 0x04, 0x03);

/** ecdsa-with-SHA256 (1.2.840.10045.4.3.2) as encoded: the only signature Intel's PKI uses. */
export const ECDSA_WITH_SHA256_OID = Uint8Array.of(0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x02);

/**
 * Reads the certificate fields verification needs.
 *
 * @throws {DerError} when `der` is not a certificate.
 */
export function readCertificate(der: Uint8Array): CertificateView {
  const [tbs] = sequenceOf(readWhole(der, "certificate"), "certificate", 3);
  const fields = children(expectTag(tbs!, TAG.sequence, "tbsCertificate"));
  const offset = fields[0]?.tag === TAG.explicit0 ? 1 : 0;
  const [serial, , issuer, validity, subject, spki] = fields.slice(offset);
  if (spki === undefined) throw new DerError("tbsCertificate has fewer fields than X.509 requires");
  const [notBefore, notAfter] = sequenceOf(validity!, "validity", 2);
  return {
    der,
    tbs: tbs!.bytes,
    serial: integerBytes(expectTag(serial!, TAG.integer, "serialNumber")),
    issuer: expectTag(issuer!, TAG.sequence, "issuer").bytes,
    subject: expectTag(subject!, TAG.sequence, "subject").bytes,
    commonName: commonNameOf(subject!),
    notBefore: readTime(notBefore!, "notBefore"),
    notAfter: readTime(notAfter!, "notAfter"),
    spki: expectTag(spki, TAG.sequence, "subjectPublicKeyInfo").bytes,
  };
}

/**
 * Reads the CRL fields verification needs.
 *
 * @throws {DerError} when `der` is not a CRL.
 */
export function readCrl(der: Uint8Array): CrlView {
  const [tbs, algorithm, signature] = sequenceOf(readWhole(der, "CRL"), "CRL", 3);
  const fields = children(expectTag(tbs!, TAG.sequence, "tbsCertList"));
  const offset = fields[0]?.tag === TAG.integer ? 1 : 0;
  const [, issuer, thisUpdate, ...rest] = fields.slice(offset);
  if (thisUpdate === undefined) throw new DerError("tbsCertList has fewer fields than X.509 requires");
  const next = rest[0];
  const hasNext = next !== undefined && (next.tag === TAG.utcTime || next.tag === TAG.generalizedTime);
  const revoked = rest[hasNext ? 1 : 0];
  const revokedSerials =
    revoked?.tag === TAG.sequence
      ? children(revoked).map((entry) =>
          integerBytes(expectTag(children(entry)[0], TAG.integer, "revoked certificate serial")),
        )
      : [];
  const [algorithmOid] = children(expectTag(algorithm!, TAG.sequence, "signatureAlgorithm"));
  return {
    tbs: tbs!.bytes,
    issuer: expectTag(issuer!, TAG.sequence, "issuer").bytes,
    thisUpdate: readTime(thisUpdate, "thisUpdate"),
    nextUpdate: hasNext ? readTime(next, "nextUpdate") : undefined,
    revokedSerials,
    signatureAlgorithm: expectTag(algorithmOid, TAG.oid, "signatureAlgorithm").content,
    signature: bitStringBytes(expectTag(signature!, TAG.bitString, "signature")),
  };
}

/** Whether two byte strings are equal. */
export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}

/** Reads one element that must span all of `bytes`. */
function readWhole(bytes: Uint8Array, what: string): DerElement {
  const { element, next } = readElement(bytes, 0);
  if (next !== bytes.length) throw new DerError(`${what} has ${bytes.length - next} bytes after its end`);
  return element;
}

function readElement(bytes: Uint8Array, offset: number): { element: DerElement; next: number } {
  const tag = bytes[offset];
  const first = bytes[offset + 1];
  if (tag === undefined || first === undefined) throw new DerError("truncated DER element");
  let length = first;
  let header = 2;
  if (first & 0x80) {
    const count = first & 0x7f;
    if (count === 0 || count > 4) throw new DerError(`unsupported DER length of ${count} bytes`);
    length = 0;
    for (let i = 0; i < count; i++) {
      const byte = bytes[offset + 2 + i];
      if (byte === undefined) throw new DerError("truncated DER length");
      length = length * 256 + byte;
    }
    header += count;
  }
  const end = offset + header + length;
  if (end > bytes.length) throw new DerError("DER element longer than its input");
  return {
    element: {
      tag,
      bytes: bytes.subarray(offset, end),
      content: bytes.subarray(offset + header, end),
    },
    next: end,
  };
}

function children(element: DerElement): DerElement[] {
  const items: DerElement[] = [];
  for (let offset = 0; offset < element.content.length;) {
    const { element: child, next } = readElement(element.content, offset);
    items.push(child);
    offset = next;
  }
  return items;
}

function sequenceOf(element: DerElement, what: string, minimum: number): DerElement[] {
  const items = children(expectTag(element, TAG.sequence, what));
  if (items.length < minimum) throw new DerError(`${what} has ${items.length} fields, expected ${minimum}`);
  return items;
}

function expectTag(element: DerElement | undefined, tag: number, what: string): DerElement {
  if (element?.tag !== tag) {
    throw new DerError(`${what}: expected DER tag 0x${tag.toString(16)}, got ${element?.tag ?? "nothing"}`);
  }
  return element;
}

function integerBytes(element: DerElement): Uint8Array {
  let start = 0;
  while (start < element.content.length - 1 && element.content[start] === 0) start++;
  return element.content.subarray(start);
}

function bitStringBytes(element: DerElement): Uint8Array {
  if (element.content[0] !== 0) throw new DerError("signature BIT STRING with unused bits");
  return element.content.subarray(1);
}

function readTime(element: DerElement, what: string): Date {
  const text = String.fromCharCode(...element.content);
  const match =
    element.tag === TAG.utcTime
      ? /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(text)
      : element.tag === TAG.generalizedTime
        ? /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(text)
        : null;
  if (match === null) throw new DerError(`${what}: not a DER UTCTime or GeneralizedTime (${text})`);
  const [year, month, day, hour, minute, second] = match.slice(1).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  // RFC 5280: two-digit years 50-99 are 19xx, 00-49 are 20xx.
  const fullYear = element.tag === TAG.utcTime ? (year < 50 ? 2000 + year : 1900 + year) : year;
  return new Date(Date.UTC(fullYear, month - 1, day, hour, minute, second));
}

/** The first common name of a Name, or "" when it has none. */
function commonNameOf(name: DerElement): string {
  for (const rdn of children(name)) {
    for (const attribute of children(expectTag(rdn, TAG.set, "RelativeDistinguishedName"))) {
      const [type, value] = children(attribute);
      if (type?.tag === TAG.oid && value !== undefined && sameBytes(type.content, COMMON_NAME_OID)) {
        return bytesToString(value.content);
      }
    }
  }
  return "";
}
