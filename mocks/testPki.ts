/**
 * STAND-IN FOR INTEL'S PROVISIONING PKI AND COLLATERAL: a test root CA made for the tests, not
 * Intel's. Nothing it signs is genuine; a quote under it verifies only when the verifier is told to
 * trust this root (`verifyQuote(..., { rootCa: pki.rootCaPem })`) and is refused under Intel's.
 *
 * It mirrors Intel's layout so that the real verification code runs end to end and only the root
 * differs: a self-signed root CA; a PCK Platform CA under it; a PCK certificate for one platform
 * with Intel's SGX extensions (PPID, the 16 TCB component SVNs, PCE SVN, CPU SVN, PCE id, FMSPC,
 * SGX type, platform instance id, configuration), as real PCK certificates carry them; a TCB
 * signing certificate under the root; the root's and the PCK CA's CRLs; and TDX TCB info and TD_QE
 * identity JSON signed by the TCB signing key, in dcap-qvl's collateral JSON shape. The platform's
 * quoting enclave and its attestation key are here too (./tdxQuote.ts builds quotes with them).
 *
 * Keys are fresh P-256 keys from node:crypto for every PKI: generating one takes milliseconds, so
 * tests make their own and nothing generated is committed.
 */
import { type KeyObject, createHash, generateKeyPairSync, randomBytes, sign } from "node:crypto";

import type { QuoteCollateral } from "../sdk/src/dcap/index.js";
import {
  bitString,
  boolean,
  enumerated,
  explicit,
  integer,
  octetString,
  oid,
  printableString,
  sequence,
  set,
  time,
  utf8String,
} from "./der.js";

/** The TEE TCB SVNs (a TD report's TEE_TCB_SVN) that select each TCB level of the test TCB info. */
export const TEST_TEE_TCB_SVN = {
  UpToDate: svn16([5, 0, 3]),
  SWHardeningNeeded: svn16([4, 0, 3]),
  OutOfDate: svn16([3, 0, 2]),
  Revoked: svn16([2, 0, 2]),
  /** Below every level: the TCB info has no level for it. */
  Unknown: svn16([1, 0, 0]),
} as const;

/** Advisories of the test TCB levels (made-up ids, not Intel's). */
export const TEST_ADVISORIES = {
  SWHardeningNeeded: ["INTEL-SA-TEST-0001"],
  OutOfDate: ["INTEL-SA-TEST-0001", "INTEL-SA-TEST-0002"],
} as const;

/** A certificate with its key. */
export interface TestCertificate {
  der: Uint8Array;
  pem: string;
  serial: Uint8Array;
  privateKey: KeyObject;
  /** The subject Name, as encoded (the issuer Name of what it signs). */
  name: Uint8Array;
}

/** The test platform: what a real CPU and its quoting enclave hold. */
export interface TestPlatform {
  fmspc: string;
  pceId: string;
  cpuSvn: Uint8Array;
  pceSvn: number;
  /** The PCK certificate chain as a quote carries it: PCK, PCK CA, root (PEM). */
  pckChainPem: string;
  /** The PCK key: signs the quoting enclave's report. */
  pckKey: KeyObject;
  /** The quoting enclave's attestation key: signs quotes. */
  attestationKey: KeyObject;
  /** The quoting enclave (TD_QE): MRSIGNER, product id, SVN, attributes. */
  qe: {
    mrSigner: Uint8Array;
    mrEnclave: Uint8Array;
    isvProdId: number;
    isvSvn: number;
    attributes: Uint8Array;
  };
}

/** What {@link TestPki.collateral} takes. */
export interface TestCollateralOptions {
  /** List the PCK certificate in the PCK CRL. */
  revokePck?: boolean;
  /** List the PCK CA in the root CA's CRL. */
  revokePckCa?: boolean;
  /** The CRLs' thisUpdate and nextUpdate; default the collateral's issue date and next update. */
  crlWindow?: { thisUpdate: Date; nextUpdate: Date };
  /** Change the TCB info before it is signed (a TCB info for another platform, say). */
  editTcbInfo?: (tcbInfo: Record<string, unknown>) => void;
}

/** A test PKI: its root, its platform and collateral maker. */
export interface TestPki {
  /** When the collateral was issued (TCB info and QE identity `issueDate`, CRLs' thisUpdate). */
  issuedAt: Date;
  /** When it is due for renewal (`nextUpdate`): 30 days later. */
  nextUpdate: Date;
  root: TestCertificate;
  /** The root CA certificate as PEM: pass it as `rootCa`. */
  rootCaPem: string;
  pckCa: TestCertificate;
  pck: TestCertificate;
  tcbSigning: TestCertificate;
  platform: TestPlatform;
  /** Collateral for the platform's TDX quotes, in dcap-qvl's JSON shape. */
  collateral(options?: TestCollateralOptions): QuoteCollateral;
}

const OID = {
  ecdsaWithSha256: "1.2.840.10045.4.3.2",
  commonName: "2.5.4.3",
  organization: "2.5.4.10",
  country: "2.5.4.6",
  basicConstraints: "2.5.29.19",
  keyUsage: "2.5.29.15",
  subjectKeyIdentifier: "2.5.29.14",
  authorityKeyIdentifier: "2.5.29.35",
  crlNumber: "2.5.29.20",
  sgx: "1.2.840.113741.1.13.1",
} as const;

/** Intel's SGX extension fields, under 1.2.840.113741.1.13.1 (Intel's PCK certificate profile). */
const SGX = {
  ppid: `${OID.sgx}.1`,
  tcb: `${OID.sgx}.2`,
  pceId: `${OID.sgx}.3`,
  fmspc: `${OID.sgx}.4`,
  sgxType: `${OID.sgx}.5`,
  platformInstanceId: `${OID.sgx}.6`,
  configuration: `${OID.sgx}.7`,
} as const;

const DAY_MS = 86_400_000;
const ORGANIZATION = "tee-marketplace TEST PKI (not Intel)";

/**
 * Creates a test PKI and its platform.
 *
 * @param options `issuedAt`: when the collateral is issued (default now, to the second).
 * @example
 * const pki = createTestPki();
 * const quote = buildTdxQuote(pki, { reportData });
 * await verifyQuote(quote, pki.collateral(), { rootCa: pki.rootCaPem });
 */
export function createTestPki(options: { issuedAt?: Date } = {}): TestPki {
  const issuedAt = new Date(Math.floor((options.issuedAt ?? new Date()).getTime() / 1000) * 1000);
  const nextUpdate = new Date(issuedAt.getTime() + 30 * DAY_MS);
  const validity = {
    from: new Date(issuedAt.getTime() - 365 * DAY_MS),
    to: new Date(issuedAt.getTime() + 5 * 365 * DAY_MS),
  };

  const rootKeys = generateKeyPairSync("ec", { namedCurve: "P-256" });
  const rootName = name("tee-marketplace TEST SGX Root CA");
  const root = certificate({
    subject: rootName,
    subjectKeys: rootKeys,
    issuer: { name: rootName, privateKey: rootKeys.privateKey, publicKey: rootKeys.publicKey },
    validity,
    extensions: caExtensions(1),
  });
  const issueFrom = (parent: TestCertificate, parentPublic: KeyObject) => ({
    name: parent.name,
    privateKey: parent.privateKey,
    publicKey: parentPublic,
  });

  const pckCaKeys = generateKeyPairSync("ec", { namedCurve: "P-256" });
  const pckCa = certificate({
    subject: name("tee-marketplace TEST SGX PCK Platform CA"),
    subjectKeys: pckCaKeys,
    issuer: issueFrom(root, rootKeys.publicKey),
    validity,
    extensions: caExtensions(0),
  });

  const platformFields = {
    fmspc: "90C06F000000",
    pceId: "0000",
    cpuSvn: svn16([3, 3, 2, 2, 4, 1, 0, 5]),
    pceSvn: 13,
  };
  const pckKeys = generateKeyPairSync("ec", { namedCurve: "P-256" });
  const pck = certificate({
    subject: name("tee-marketplace TEST SGX PCK Certificate"),
    subjectKeys: pckKeys,
    issuer: issueFrom(pckCa, pckCaKeys.publicKey),
    validity,
    extensions: [...leafExtensions(), extension(OID.sgx, false, sgxExtension(platformFields))],
  });

  const tcbKeys = generateKeyPairSync("ec", { namedCurve: "P-256" });
  const tcbSigning = certificate({
    subject: name("tee-marketplace TEST SGX TCB Signing"),
    subjectKeys: tcbKeys,
    issuer: issueFrom(root, rootKeys.publicKey),
    validity,
    extensions: leafExtensions(),
  });

  const platform: TestPlatform = {
    ...platformFields,
    pckChainPem: pck.pem + pckCa.pem + root.pem,
    pckKey: pck.privateKey,
    attestationKey: generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey,
    qe: {
      mrSigner: createHash("sha256").update("tee-marketplace TEST TD_QE signer").digest(),
      mrEnclave: createHash("sha256").update("tee-marketplace TEST TD_QE").digest(),
      isvProdId: 2,
      isvSvn: 4,
      attributes: Uint8Array.from([0x11, ...new Uint8Array(15)]),
    },
  };

  return {
    issuedAt,
    nextUpdate,
    root,
    rootCaPem: root.pem,
    pckCa,
    pck,
    tcbSigning,
    platform,
    collateral: ({ revokePck = false, revokePckCa = false, crlWindow, editTcbInfo } = {}) => {
      const info: Record<string, unknown> = tdxTcbInfo(platform, issuedAt, nextUpdate);
      editTcbInfo?.(info);
      const tcbInfo = JSON.stringify(info);
      const qeIdentity = JSON.stringify(tdQeIdentity(platform, issuedAt, nextUpdate));
      const chain = (cert: TestCertificate) => cert.pem + root.pem;
      const { thisUpdate: crlFrom, nextUpdate: crlTo } = crlWindow ?? { thisUpdate: issuedAt, nextUpdate };
      return {
        pck_crl_issuer_chain: chain(pckCa),
        root_ca_crl: hex(crl(root, revokePckCa ? [pckCa.serial] : [], crlFrom, crlTo)),
        pck_crl: hex(crl(pckCa, revokePck ? [pck.serial] : [], crlFrom, crlTo)),
        tcb_info_issuer_chain: chain(tcbSigning),
        tcb_info: tcbInfo,
        tcb_info_signature: hex(signRaw(tcbSigning.privateKey, new TextEncoder().encode(tcbInfo))),
        qe_identity_issuer_chain: chain(tcbSigning),
        qe_identity: qeIdentity,
        qe_identity_signature: hex(signRaw(tcbSigning.privateKey, new TextEncoder().encode(qeIdentity))),
      };
    },
  };
}

/**
 * ECDSA P-256 over SHA-256, as `r || s` (64 bytes): how quotes, QE reports, TCB info and QE
 * identity are signed.
 */
export function signRaw(privateKey: KeyObject, data: Uint8Array): Uint8Array {
  return sign("sha256", data, { key: privateKey, dsaEncoding: "ieee-p1363" });
}

function tdxTcbInfo(platform: TestPlatform, issuedAt: Date, nextUpdate: Date) {
  const sgxComponents = Array.from(platform.cpuSvn, (svn) => ({ svn }));
  const level = (tdx: Uint8Array, tcbStatus: string, advisoryIDs?: readonly string[]) => ({
    tcb: {
      sgxtcbcomponents: sgxComponents,
      pcesvn: platform.pceSvn,
      tdxtcbcomponents: Array.from(tdx, (svn) => ({ svn })),
    },
    tcbDate: isoSeconds(issuedAt),
    tcbStatus,
    ...(advisoryIDs === undefined ? {} : { advisoryIDs: [...advisoryIDs] }),
  });
  const zeros = (n: number) => "00".repeat(n);
  return {
    id: "TDX",
    version: 3,
    issueDate: isoSeconds(issuedAt),
    nextUpdate: isoSeconds(nextUpdate),
    fmspc: platform.fmspc,
    pceId: platform.pceId,
    tcbType: 0,
    tcbEvaluationDataNumber: 17,
    tdxModule: { mrsigner: zeros(48), attributes: zeros(8), attributesMask: "FF".repeat(8) },
    tdxModuleIdentities: [
      {
        id: "TDX_03",
        mrsigner: zeros(48),
        attributes: zeros(8),
        attributesMask: "FF".repeat(8),
        tcbLevels: [
          { tcb: { isvsvn: 3 }, tcbDate: isoSeconds(issuedAt), tcbStatus: "UpToDate" },
          {
            tcb: { isvsvn: 1 },
            tcbDate: isoSeconds(issuedAt),
            tcbStatus: "OutOfDate",
            advisoryIDs: [...TEST_ADVISORIES.OutOfDate],
          },
        ],
      },
    ],
    tcbLevels: [
      level(TEST_TEE_TCB_SVN.UpToDate, "UpToDate"),
      level(TEST_TEE_TCB_SVN.SWHardeningNeeded, "SWHardeningNeeded", TEST_ADVISORIES.SWHardeningNeeded),
      level(TEST_TEE_TCB_SVN.OutOfDate, "OutOfDate", TEST_ADVISORIES.OutOfDate),
      level(TEST_TEE_TCB_SVN.Revoked, "Revoked", TEST_ADVISORIES.OutOfDate),
    ],
  };
}

function tdQeIdentity(platform: TestPlatform, issuedAt: Date, nextUpdate: Date) {
  return {
    id: "TD_QE",
    version: 2,
    issueDate: isoSeconds(issuedAt),
    nextUpdate: isoSeconds(nextUpdate),
    tcbEvaluationDataNumber: 17,
    miscselect: "00000000",
    miscselectMask: "FFFFFFFF",
    attributes: "11000000000000000000000000000000",
    attributesMask: "FBFFFFFFFFFFFFFF0000000000000000",
    mrsigner: hex(platform.qe.mrSigner).toUpperCase(),
    isvprodid: platform.qe.isvProdId,
    tcbLevels: [
      { tcb: { isvsvn: platform.qe.isvSvn }, tcbDate: isoSeconds(issuedAt), tcbStatus: "UpToDate" },
    ],
  };
}

/** Intel's SGX extension of a PCK certificate. */
function sgxExtension(platform: {
  fmspc: string;
  pceId: string;
  cpuSvn: Uint8Array;
  pceSvn: number;
}): Uint8Array {
  const field = (id: string, value: Uint8Array) => sequence(oid(id), value);
  const components = Array.from(platform.cpuSvn, (svn, i) => field(`${SGX.tcb}.${i + 1}`, integer(svn)));
  return sequence(
    field(SGX.ppid, octetString(randomBytes(16))),
    field(
      SGX.tcb,
      sequence(
        ...components,
        field(`${SGX.tcb}.17`, integer(platform.pceSvn)),
        field(`${SGX.tcb}.18`, octetString(platform.cpuSvn)),
      ),
    ),
    field(SGX.pceId, octetString(Buffer.from(platform.pceId, "hex"))),
    field(SGX.fmspc, octetString(Buffer.from(platform.fmspc, "hex"))),
    // SGX type 1: Scalable (the platforms that run TDX).
    field(SGX.sgxType, enumerated(1)),
    field(SGX.platformInstanceId, octetString(randomBytes(16))),
    field(
      SGX.configuration,
      sequence(
        field(`${SGX.configuration}.1`, boolean(false)),
        field(`${SGX.configuration}.2`, boolean(true)),
        field(`${SGX.configuration}.3`, boolean(true)),
      ),
    ),
  );
}

function certificate(params: {
  subject: Uint8Array;
  subjectKeys: { publicKey: KeyObject; privateKey: KeyObject };
  issuer: { name: Uint8Array; privateKey: KeyObject; publicKey: KeyObject };
  validity: { from: Date; to: Date };
  extensions: Uint8Array[];
}): TestCertificate {
  const serial = randomBytes(16);
  serial[0]! &= 0x7f;
  const spki = params.subjectKeys.publicKey.export({ type: "spki", format: "der" });
  const tbs = sequence(
    explicit(0, integer(2)),
    integer(serial),
    sequence(oid(OID.ecdsaWithSha256)),
    params.issuer.name,
    sequence(time(params.validity.from), time(params.validity.to)),
    params.subject,
    spki,
    explicit(
      3,
      sequence(
        ...params.extensions,
        extension(OID.subjectKeyIdentifier, false, octetString(keyId(params.subjectKeys.publicKey))),
        extension(OID.authorityKeyIdentifier, false, sequence(implicitKeyId(keyId(params.issuer.publicKey)))),
      ),
    ),
  );
  const der = sequence(
    tbs,
    sequence(oid(OID.ecdsaWithSha256)),
    bitString(signDer(params.issuer.privateKey, tbs)),
  );
  return {
    der,
    pem: pem("CERTIFICATE", der),
    serial,
    privateKey: params.subjectKeys.privateKey,
    name: params.subject,
  };
}

function crl(issuer: TestCertificate, revoked: Uint8Array[], thisUpdate: Date, nextUpdate: Date): Uint8Array {
  const entries = revoked.map((serial) => sequence(integer(serial), time(thisUpdate)));
  const tbs = sequence(
    integer(1),
    sequence(oid(OID.ecdsaWithSha256)),
    issuer.name,
    time(thisUpdate),
    time(nextUpdate),
    ...(entries.length === 0 ? [] : [sequence(...entries)]),
    explicit(0, sequence(extension(OID.crlNumber, false, integer(1)))),
  );
  return sequence(tbs, sequence(oid(OID.ecdsaWithSha256)), bitString(signDer(issuer.privateKey, tbs)));
}

function caExtensions(pathLength: number): Uint8Array[] {
  return [
    extension(OID.basicConstraints, true, sequence(boolean(true), integer(pathLength))),
    // keyCertSign and cRLSign (bits 5 and 6): 0b0000_0110, the last bit unused.
    extension(OID.keyUsage, true, bitString(Uint8Array.of(0x06), 1)),
  ];
}

function leafExtensions(): Uint8Array[] {
  return [
    // CA:FALSE, written as Intel writes it: an empty BasicConstraints sequence.
    extension(OID.basicConstraints, true, sequence()),
    // digitalSignature and nonRepudiation (bits 0 and 1): 0b1100_0000, six bits unused.
    extension(OID.keyUsage, true, bitString(Uint8Array.of(0xc0), 6)),
  ];
}

function extension(id: string, critical: boolean, value: Uint8Array): Uint8Array {
  return sequence(oid(id), ...(critical ? [boolean(true)] : []), octetString(value));
}

function name(commonName: string): Uint8Array {
  const attribute = (id: string, value: Uint8Array) => set(sequence(oid(id), value));
  return sequence(
    attribute(OID.commonName, utf8String(commonName)),
    attribute(OID.organization, utf8String(ORGANIZATION)),
    attribute(OID.country, printableString("ZZ")),
  );
}

/** [0] IMPLICIT KeyIdentifier of AuthorityKeyIdentifier. */
function implicitKeyId(id: Uint8Array): Uint8Array {
  return Uint8Array.from([0x80, id.length, ...id]);
}

function keyId(publicKey: KeyObject): Uint8Array {
  return createHash("sha1")
    .update(publicKey.export({ type: "spki", format: "der" }))
    .digest();
}

function signDer(privateKey: KeyObject, data: Uint8Array): Uint8Array {
  return sign("sha256", data, { key: privateKey, dsaEncoding: "der" });
}

function pem(label: string, der: Uint8Array): string {
  const base64 = Buffer.from(der).toString("base64").replace(/.{64}/g, "$&\n").replace(/\n$/, "");
  return `-----BEGIN ${label}-----\n${base64}\n-----END ${label}-----\n`;
}

function svn16(svns: readonly number[]): Uint8Array {
  const out = new Uint8Array(16);
  out.set(svns);
  return out;
}

function isoSeconds(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, "Z");
}

function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString("hex");
}
