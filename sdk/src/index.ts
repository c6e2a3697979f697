/**
 * @tee-marketplace/sdk: the browser-safe entry point. Every export is named here; the package's
 * public surface is this list, `./node/index.ts` and `./testing/index.ts` (a test holds them
 * against a committed list).
 *
 * Node-only helpers (file hashing, reading Super Protocol files and deployment files) live in
 * `@tee-marketplace/sdk/node`; test and profiling helpers in `@tee-marketplace/sdk/testing`.
 */

/* THE CLIENT */
export { type MarketplaceClient, createMarketplaceClient } from "./client.js";
export {
  type MarketplaceContext,
  type MarketplaceContextParameters,
  type ReadClient,
  type SignClient,
  createMarketplaceContext,
} from "./context.js";
export { type Deployment, parseDeployment } from "./deployment.js";
export type { MarketplaceCall } from "./calls.js";
export type { Order, OrderStatusUpdate, Payment, Suborder, Workflow } from "./orderTypes.js";

/* ACTIONS */
export {
  type CreateOfferParameters,
  type Offer,
  createOffer,
  createOfferCall,
  getOffer,
  getOfferInfo,
  listOffers,
  newOfferVersion,
  newOfferVersionCall,
  setOfferEnabled,
  setOfferEnabledCall,
  updateOfferInfo,
  updateOfferInfoCall,
} from "./actions/offers.js";
export {
  type CompleteOrderParameters,
  type CreateWorkflowParameters,
  type WorkflowInputParameters,
  type WorkflowParams,
  cancelOrder,
  cancelOrderCall,
  completeOrder,
  completeOrderCall,
  createWorkflow,
  createWorkflowCall,
  expireBlockedOrder,
  expireBlockedOrderCall,
  forceRefund,
  forceRefundCall,
  getBlockedDeadline,
  getOrders,
  getWorkflow,
  getWorkflowParams,
  listOrders,
  refillOrder,
  refillOrderCall,
  startOrder,
  startOrderCall,
  watchOrders,
} from "./actions/orders.js";
export {
  type Balances,
  type PaymentToken,
  approvePaymentToken,
  approvePaymentTokenCall,
  getBalances,
  getPaymentToken,
  withdrawPayments,
  withdrawPaymentsCall,
} from "./actions/payments.js";
export {
  type Provider,
  type ProviderParameters,
  getProvider,
  getProviderInfo,
  registerProvider,
  registerProviderCall,
  updateProvider,
  updateProviderCall,
} from "./actions/providers.js";
export {
  type FetchedReportEvidence,
  type PublishReportParameters,
  type PublishedReport,
  type ReportQuoteChecker,
  type ReportSigner,
  type ReportVerification,
  type VerifyReportOptions,
  fetchReportEvidence,
  getReport,
  publishReport,
  publishReportCall,
  reportJson,
  verifyReport,
} from "./actions/reports.js";
export {
  type OfferMatch,
  type SearchOffersParameters,
  rankMatches,
  searchOffers,
  similarityThreshold,
} from "./actions/search.js";
export {
  type ReportCheck,
  type ReportCheckName,
  type ReportChecks,
  type ReportEvidence,
  type ReportPublication,
  checkReportEvidence,
  checkRuntimeInfo,
} from "./reportChecks.js";
export {
  type OrderResult,
  type ResultCheck,
  getOrderResult,
  openOrderResult,
  verifyOrderResult,
} from "./actions/results.js";
export {
  type Slot,
  addSlot,
  addSlotCall,
  getSlot,
  getSlotMinCost,
  listSlots,
  removeSlot,
  removeSlotCall,
  updateSlot,
  updateSlotCall,
} from "./actions/slots.js";
export {
  type CompleteSuborderParameters,
  type CompleteSuborderResult,
  type ListSubordersParameters,
  type SuborderResult,
  completeSuborder,
  completeSuborderCall,
  getSuborderResult,
  listSuborders,
} from "./actions/suborders.js";
export {
  type Tcb,
  type TcbPublication,
  type TeeKey,
  type UploadTcbParameters,
  authorizeTeeKey,
  authorizeTeeKeyCall,
  getActiveTcb,
  getTcb,
  getTcbPublication,
  getTeeKey,
  isAttestationSigner,
  isMeasurementAllowed,
  isTeeKeyAuthorized,
  revokeTcb,
  revokeTcbCall,
  setAttestationSigner,
  setAttestationSignerCall,
  setMeasurement,
  setMeasurementCall,
  uploadTcb,
  uploadTcbCall,
} from "./actions/tcb.js";
export {
  teeAttestationDomain,
  teeAttestationReportData,
  teeOpenArgs,
  teeOpenHandOver,
  teeReportDomain,
  teeSealResultPointer,
  teeSignReceipt,
  teeSignReport,
} from "./actions/tee.js";

/* PROTOCOL FACTS: ABIs, caps and enums generated from the compiler's output */
export {
  attestationVerifierAbi,
  marketplaceErrorsAbi,
  offerRegistryAbi,
  ordersAbi,
  tcbRegistryAbi,
} from "./abi/index.js";
export {
  MAX_ALLOWED_ACCOUNTS,
  MAX_ATTESTATION_PROOF_SIZE,
  MAX_ENCRYPTED_ARGS_SIZE,
  MAX_ENCRYPTED_RESULT_SIZE,
  MAX_ID_PAGE_SIZE,
  MAX_OFFER_INFO_SIZE,
  MAX_PAGE_SIZE,
  MAX_PROVIDER_INFO_SIZE,
  MAX_PUBLIC_KEY_SIZE,
  MAX_QUOTE_SIZE,
  MAX_REPORT_ENTRIES,
  MAX_RESTRICTED_OFFERS,
  MAX_RESULT_POINTER_SIZE,
  MAX_RESULT_RECIPIENTS,
  MAX_RESULT_RESOURCE_SIZE,
  MAX_SLOT_MINUTES,
  MAX_SUBORDERS,
  MAX_TCB_PROPERTIES_SIZE,
  MAX_TIMEOUT,
} from "./abi/protocol.js";
export {
  OfferGroup,
  OfferType,
  OrderStatus,
  PriceType,
  RuntimeType,
  TcbStatus,
  TeeType,
  enumName,
  offerGroupOf,
  parseEnum,
} from "./enums.js";

/* ERRORS */
export {
  type AnyContractError,
  ContractError,
  type ContractErrorArguments,
  type ContractErrorName,
  type ContractErrorParameters,
  ContentHashMismatchError,
  DecryptionError,
  EnvelopeMismatchError,
  FileFormatError,
  IndexerError,
  InputError,
  MarketplaceError,
  type MarketplaceErrorName,
  ObjectNotFoundError,
  type QuoteRejectionReason,
  QuoteVerificationError,
  ResultReceiptError,
  SolutionHashMismatchError,
  StateError,
  StorageError,
  TransactionRevertedError,
  contractErrorMessage,
} from "./errors.js";
export {
  type Remedies,
  contractErrorFrom,
  contractErrorHint,
  contractErrorText,
  sdkRemedies,
} from "./contractErrors.js";

/* INPUT: validation and Super Protocol's file formats */
export { toAddress, toBytes32, toHexBytes, toUint } from "./validate.js";
export { canonicalJson } from "./json.js";
export { type OfferParams, parseOfferInfo } from "./offerInfo.js";
export {
  type DatasetInfo,
  type DatasetMetadata,
  MAX_KEYWORDS,
  MAX_KEYWORD_LENGTH,
  MAX_YEAR_SPAN,
  checkDiscoveryFields,
  coveredYears,
  keywordSimilarity,
  normalizeKeyword,
  parseKeywords,
  readDatasetInfo,
  similarityOf,
} from "./datasets.js";
export { type ProviderParams, parseProviderInfo } from "./providerInfo.js";
export {
  type OptionInfo,
  type SlotInfo,
  type SlotParams,
  type SlotUsage,
  parseSlotInfo,
} from "./slotInfo.js";
export { slotTermsHash } from "./terms.js";
export {
  type ContentHashInput,
  type ResourceCipher,
  type ResourceEncryption,
  type ResourceFile,
  type ResourceFileJson,
  type ResourceHash,
  type ResourceLocation,
  STORAGE_TYPES,
  type StorageProviderResource,
  type StorageType,
  type UrlResource,
  buildResourceFile,
  parseResourceEncryption,
  parseResourceFile,
  parseResourceLocation,
  parseResourceMetadata,
  toContentHash,
  toResourceFile,
} from "./resourceFile.js";

/* CRYPTOGRAPHY: order reports, attestations, ECIES */
export {
  type OrderReport,
  type OrderReportDomain,
  type OrderReportJson,
  type RuntimeInfo,
  type RuntimeTypeName,
  orderReportDigest,
  orderReportDomain,
  orderReportHash,
  orderReportTypes,
  recoverOrderReportSigner,
  reportFromJson,
  reportToJson,
  signOrderReport,
  workloadFromJson,
} from "./reports.js";
export {
  type Attestation,
  type AttestationDomain,
  type AttestationProof,
  attestationDigest,
  attestationDomain,
  attestationTypes,
  decodeAttestationProof,
  encodeAttestationProof,
  signAttestation,
  tcbReportData,
} from "./attestation.js";
export {
  type ResultReceipt,
  recoverResultReceiptSigner,
  resultReceiptDigest,
  resultReceiptTypes,
  signResultReceipt,
} from "./receipts.js";
export {
  type ArgsContext,
  ENVELOPE_VERSION,
  type EnvelopeDeployment,
  type EnvelopeType,
  type HandOver,
  type HandOverContext,
  type ResultPointer,
  type ResultPointerContext,
  type WorkflowArgs,
  openArgs,
  openHandOver,
  openResultPointer,
  sealArgs,
  sealHandOver,
  sealResultPointer,
} from "./envelopes.js";
export { decryptWithTeeKey, encryptForTee, generateEciesKey, teePublicKeyFromPrivateKey } from "./ecies.js";
