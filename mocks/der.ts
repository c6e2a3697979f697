/**
 * PART OF THE STAND-IN FOR INTEL'S PKI (see ./testPki.ts): a small DER encoder, enough to write
 * X.509 certificates with Intel's SGX extensions and CRLs. Each function returns one encoded
 * element; they nest the way the ASN.1 does.
 */

/** One DER element: tag, definite length, content. */
export function tlv(tag: number, content: Uint8Array): Uint8Array {
  const length = content.length;
  const lengthBytes =
    length < 0x80 ? [length] : [0x80 | byteCount(length), ...bigEndian(BigInt(length), byteCount(length))];
  return Uint8Array.from([tag, ...lengthBytes, ...content]);
}

/** SEQUENCE of the given elements. */
export function sequence(...items: Uint8Array[]): Uint8Array {
  return tlv(0x30, join(items));
}

/** SET of the given elements (in the given order: callers pass one element, or sorted ones). */
export function set(...items: Uint8Array[]): Uint8Array {
  return tlv(0x31, join(items));
}

/** A non-negative INTEGER, from a number, a bigint or big-endian magnitude bytes. */
export function integer(value: number | bigint | Uint8Array): Uint8Array {
  let bytes = value instanceof Uint8Array ? value : bigEndian(BigInt(value), byteCount(BigInt(value)));
  let start = 0;
  while (start < bytes.length - 1 && bytes[start] === 0) start++;
  bytes = bytes.subarray(start);
  // A set top bit would make the INTEGER negative: prefix a zero byte.
  return tlv(0x02, (bytes[0] ?? 0) & 0x80 ? Uint8Array.from([0, ...bytes]) : bytes);
}

/** ENUMERATED. */
export function enumerated(value: number): Uint8Array {
  return tlv(0x0a, Uint8Array.of(value));
}

/** BOOLEAN. */
export function boolean(value: boolean): Uint8Array {
  return tlv(0x01, Uint8Array.of(value ? 0xff : 0x00));
}

/** OBJECT IDENTIFIER, from its dotted form. */
export function oid(dotted: string): Uint8Array {
  const [first = 0, second = 0, ...rest] = dotted.split(".").map(Number);
  const bytes: number[] = [first * 40 + second];
  for (const arc of rest) {
    const base128: number[] = [];
    for (let v = arc; ; v = Math.floor(v / 128)) {
      base128.unshift((v % 128) | (base128.length === 0 ? 0 : 0x80));
      if (v < 128) break;
    }
    bytes.push(...base128);
  }
  return tlv(0x06, Uint8Array.from(bytes));
}

/** OCTET STRING. */
export function octetString(bytes: Uint8Array): Uint8Array {
  return tlv(0x04, bytes);
}

/** BIT STRING; `unusedBits` of the last byte are padding (named bit lists such as KeyUsage). */
export function bitString(bytes: Uint8Array, unusedBits = 0): Uint8Array {
  return tlv(0x03, Uint8Array.from([unusedBits, ...bytes]));
}

/** UTF8String. */
export function utf8String(text: string): Uint8Array {
  return tlv(0x0c, new TextEncoder().encode(text));
}

/** PrintableString (for country codes). */
export function printableString(text: string): Uint8Array {
  return tlv(0x13, new TextEncoder().encode(text));
}

/** UTCTime before 2050, GeneralizedTime from 2050 on (RFC 5280 §4.1.2.5), to the second. */
export function time(date: Date): Uint8Array {
  const iso = date
    .toISOString()
    .replace(/\.\d{3}Z$/, "Z")
    .replace(/[-:T]/g, "");
  return date.getUTCFullYear() < 2050
    ? tlv(0x17, new TextEncoder().encode(iso.slice(2)))
    : tlv(0x18, new TextEncoder().encode(iso));
}

/** An EXPLICIT context-specific tag [n] around one element. */
export function explicit(n: number, inner: Uint8Array): Uint8Array {
  return tlv(0xa0 | n, inner);
}

function join(items: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(items.reduce((sum, item) => sum + item.length, 0));
  items.reduce((offset, item) => (out.set(item, offset), offset + item.length), 0);
  return out;
}

function byteCount(value: number | bigint): number {
  let count = 1;
  for (let v = BigInt(value) >> 8n; v > 0n; v >>= 8n) count++;
  return count;
}

function bigEndian(value: bigint, size: number): Uint8Array {
  const out = new Uint8Array(size);
  for (let i = size - 1, v = value; i >= 0; i--, v >>= 8n) out[i] = Number(v & 0xffn);
  return out;
}
