/**
 * @tee-marketplace/sdk/dcap: Intel DCAP quote verification (TDX v4/v5, SGX v3) with
 * `@phala/dcap-qvl`, apart from the main entry because the X.509 and elliptic-curve code it brings
 * make its browser bundle about 150 kB min+gzip (viem included; the main entry's is about 104 kB).
 * It imports no `node:` module: in Node it verifies with `node:crypto`, in a browser bundle with
 * dcap-qvl's pure-JavaScript path and WebCrypto. Reading collateral files is in
 * `@tee-marketplace/sdk/node`.
 */
export * from "./checks.js";
export * from "./collateral.js";
export * from "./pccs.js";
export {
  type QuoteContents,
  type QuoteMeasurement,
  type SgxMeasurement,
  type TdxMeasurement,
  type QuoteTeeType,
  QUOTE_REPORT_DATA_SIZE,
  matchesMeasurement,
  readQuote,
  registryMeasurement,
  reportDataBinding,
  toMeasurement,
} from "./quote.js";
export { QUOTE_TCB_STATUSES, type QuoteTcbStatus, isQuoteTcbStatus } from "./tcbStatus.js";
export { verifyTcbQuote } from "./tcbQuote.js";
export * from "./verifyQuote.js";
export { QuoteVerificationError, type QuoteRejectionReason } from "../errors.js";
