/**
 * The index: one table per thing the marketplace's events describe. Ponder creates them (SQL
 * names in snake_case: `orders.tee_offer_id`), keeps them in step with the chain through reorgs,
 * and serves them over SQL (`/sql`) and GraphQL (`/graphql`, one root field per export).
 *
 * Current state mirrors the contracts' views (`orders` is what `getOrder` returns, `slots` what
 * `getSlot` returns, ...), so an answer from the index equals the chain's; history (`order_events`,
 * `payments`, `hand_overs`, `reports`, `receipts`) keeps what the events carried. Addresses and
 * hashes are lower-case hex; on-chain quantities are numeric (exact); enums are their numbers.
 */
import { index, onchainTable } from "ponder";

/** Providers (`ProviderRegistered`, `ProviderUpdated`): what `getProvider` returns, and the info blob. */
export const provider = onchainTable("providers", (t) => ({
  authority: t.hex().primaryKey(),
  actionAccount: t.hex().notNull(),
  tokenReceiver: t.hex().notNull(),
  infoHash: t.hex().notNull(),
  infoBlock: t.bigint().notNull(),
  /** The info blob (Super Protocol's provider info JSON, as bytes). */
  info: t.hex().notNull(),
  /** The blob's `name`, empty when it has none. */
  name: t.text().notNull(),
  offerCount: t.integer().notNull(),
  registeredBlock: t.bigint().notNull(),
}));

/**
 * Offers (`OfferCreated`, `OfferInfoUpdated`, `OfferEnabledSet`, `OfferVersionCreated`): what
 * `getOffer` returns, the info blob, and the discovery fields read from it (`keywords`, `dataset`).
 */
export const offer = onchainTable(
  "offers",
  (t) => ({
    id: t.bigint().primaryKey(),
    provider: t.hex().notNull(),
    offerType: t.integer().notNull(),
    subType: t.integer().notNull(),
    enabled: t.boolean().notNull(),
    cancelable: t.boolean().notNull(),
    autoComplete: t.boolean().notNull(),
    allowedTypesMask: t.integer().notNull(),
    restrictedByOfferId: t.boolean().notNull(),
    restrictedToAccounts: t.boolean().notNull(),
    /** The restrictions as declared: `{ offers: string[], types: number[], accounts: string[] }`. */
    restrictions: t.json().notNull(),
    version: t.integer().notNull(),
    infoBlock: t.bigint().notNull(),
    contentHash: t.hex().notNull(),
    infoHash: t.hex().notNull(),
    /** The public result resource (empty: the owner completes suborders by hand). */
    resultResource: t.hex().notNull(),
    /** The info blob (offer-info.json as bytes). */
    info: t.hex().notNull(),
    name: t.text().notNull(),
    /** Normalized keywords (`normalizeKeyword` of the SDK). */
    keywords: t.text().array().notNull(),
    keywordCount: t.integer().notNull(),
    /** Dataset metadata (`dataset` of the info; null when absent or malformed). */
    records: t.bigint(),
    timeFrom: t.text(),
    timeTo: t.text(),
    format: t.text(),
    license: t.text(),
    languages: t.text().array(),
    modalities: t.text(),
    size: t.bigint(),
    /** The TEE offer's active (newest) TCB; null before its first and for other offers. */
    activeTcbId: t.bigint(),
    createdBlock: t.bigint().notNull(),
    createdAt: t.bigint().notNull(),
  }),
  (table) => ({
    providerIndex: index().on(table.provider, table.id),
    typeIndex: index().on(table.offerType, table.id),
  }),
);

/**
 * Search terms of offers: a row per keyword, and per year its dataset's time range covers (ranges of
 * at most 100 years). Jaccard ranking counts matching rows per offer.
 */
export const offerTerm = onchainTable(
  "offer_terms",
  (t) => ({
    /** `<offerId>:k:<term>` or `<offerId>:y:<year>`. */
    id: t.text().primaryKey(),
    offerId: t.bigint().notNull(),
    term: t.text().notNull(),
    /** True for a keyword, false for a year of the time range. */
    keyword: t.boolean().notNull(),
  }),
  (table) => ({
    termIndex: index().on(table.term),
    offerIndex: index().on(table.offerId),
  }),
);

/** Slots (`SlotAdded`, `SlotUpdated`; a removed slot's row is deleted): what `getSlot` returns. */
export const slot = onchainTable(
  "slots",
  (t) => ({
    id: t.bigint().primaryKey(),
    offerId: t.bigint().notNull(),
    /** Open (non-terminal) orders using it. */
    openOrders: t.bigint().notNull(),
    cpuCores: t.bigint().notNull(),
    gpuCores: t.bigint().notNull(),
    diskUsage: t.bigint().notNull(),
    ram: t.bigint().notNull(),
    vram: t.bigint().notNull(),
    price: t.bigint().notNull(),
    priceType: t.integer().notNull(),
    minTimeMinutes: t.bigint().notNull(),
    maxTimeMinutes: t.bigint().notNull(),
    bandwidth: t.bigint().notNull(),
    traffic: t.bigint().notNull(),
    externalPort: t.bigint().notNull(),
    termsHash: t.hex().notNull(),
    updatedBlock: t.bigint().notNull(),
  }),
  (table) => ({ offerIndex: index().on(table.offerId) }),
);

/** Parent (TEE) orders: what `getOrder` returns, and the workflow's terms. */
export const order = onchainTable(
  "orders",
  (t) => ({
    id: t.bigint().primaryKey(),
    consumer: t.hex().notNull(),
    status: t.integer().notNull(),
    suborderCount: t.integer().notNull(),
    blockingSuborders: t.integer().notNull(),
    recipientCount: t.integer().notNull(),
    cancelable: t.boolean().notNull(),
    startedAt: t.bigint().notNull(),
    teeOfferId: t.bigint().notNull(),
    teeSlotId: t.bigint().notNull(),
    teeKey: t.hex().notNull(),
    argsBlock: t.bigint().notNull(),
    deposit: t.bigint().notNull(),
    reportBlock: t.bigint().notNull(),
    resultBlock: t.bigint().notNull(),
    solutionHash: t.hex().notNull(),
    teeTermsHash: t.hex().notNull(),
    /** The slots the order holds open: the TEE slot, then each input's (decimal strings). */
    slotIds: t.text().array().notNull(),
    createdAt: t.bigint().notNull(),
    transactionHash: t.hex().notNull(),
  }),
  (table) => ({
    consumerIndex: index().on(table.consumer, table.id),
    statusIndex: index().on(table.status, table.id),
    teeOfferIndex: index().on(table.teeOfferId, table.id),
  }),
);

/** Suborders: what `getSuborder` returns, with the provider of their offer. */
export const suborder = onchainTable(
  "suborders",
  (t) => ({
    id: t.bigint().primaryKey(),
    parentId: t.bigint().notNull(),
    offerId: t.bigint().notNull(),
    slotId: t.bigint().notNull(),
    status: t.integer().notNull(),
    createdAt: t.bigint().notNull(),
    resultBlock: t.bigint().notNull(),
    dataHash: t.hex().notNull(),
    /** Authority of the offer's provider (offers never change provider). */
    provider: t.hex().notNull(),
  }),
  (table) => ({
    parentIndex: index().on(table.parentId),
    offerIndex: index().on(table.offerId, table.id),
    providerIndex: index().on(table.provider, table.id),
  }),
);

/** Everything that happened to an order and its suborders, one row per event. */
export const orderEvent = onchainTable(
  "order_events",
  (t) => ({
    id: t.text().primaryKey(),
    /** The parent order. */
    orderId: t.bigint().notNull(),
    /** The order or suborder the event names. */
    subjectId: t.bigint().notNull(),
    /** The event's name: `WorkflowCreated`, `OrderStatusUpdated`, `SuborderCompleted`, ... */
    kind: t.text().notNull(),
    /** The event's arguments, JSON (quantities as decimal strings, bytes as hex). */
    args: t.json().notNull(),
    blockNumber: t.bigint().notNull(),
    logIndex: t.integer().notNull(),
    timestamp: t.bigint().notNull(),
    transactionHash: t.hex().notNull(),
  }),
  (table) => ({ orderIndex: index().on(table.orderId, table.blockNumber, table.logIndex) }),
);

/** Data owners' completions (`SuborderCompleted`): the hand-over sealed for the enclave. */
export const handOver = onchainTable("hand_overs", (t) => ({
  suborderId: t.bigint().primaryKey(),
  operator: t.hex().notNull(),
  status: t.integer().notNull(),
  teeKey: t.hex().notNull(),
  dataHash: t.hex().notNull(),
  encryptedResult: t.hex().notNull(),
  blockNumber: t.bigint().notNull(),
  transactionHash: t.hex().notNull(),
}));

/** Order reports (`OrderReportPublished`). */
export const report = onchainTable("reports", (t) => ({
  orderId: t.bigint().primaryKey(),
  tcbId: t.bigint().notNull(),
  reportHash: t.hex().notNull(),
  created: t.bigint().notNull(),
  /** `[{ runtimeType, size, hash }]`, quantities as decimal strings. */
  runtimeInfo: t.json().notNull(),
  signature: t.hex().notNull(),
  blockNumber: t.bigint().notNull(),
  transactionHash: t.hex().notNull(),
}));

/** Result receipts (`OrderCompleted`): the result hash and the recipients' pointers. */
export const receipt = onchainTable("receipts", (t) => ({
  orderId: t.bigint().primaryKey(),
  status: t.integer().notNull(),
  resultHash: t.hex().notNull(),
  pointers: t.text().array().notNull(),
  signature: t.hex().notNull(),
  blockNumber: t.bigint().notNull(),
  transactionHash: t.hex().notNull(),
}));

/** Settlement credits (`PaymentsCredited`), one row per account credited. */
export const payment = onchainTable(
  "payments",
  (t) => ({
    id: t.text().primaryKey(),
    orderId: t.bigint().notNull(),
    account: t.hex().notNull(),
    amount: t.bigint().notNull(),
    blockNumber: t.bigint().notNull(),
    transactionHash: t.hex().notNull(),
  }),
  (table) => ({ orderIndex: index().on(table.orderId), accountIndex: index().on(table.account) }),
);

/** Withdrawable balances: credits (`PaymentsCredited`) less withdrawals (`Withdrawn`). */
export const balance = onchainTable("balances", (t) => ({
  account: t.hex().primaryKey(),
  credited: t.bigint().notNull(),
  withdrawn: t.bigint().notNull(),
  balance: t.bigint().notNull(),
}));

/** TCBs (`TcbPublished`): what `getTcb` stores, and the blobs. Revocation is the key's (`tee_keys`). */
export const tcb = onchainTable(
  "tcbs",
  (t) => ({
    id: t.bigint().primaryKey(),
    teeOfferId: t.bigint().notNull(),
    deviceId: t.hex().notNull(),
    teeKey: t.hex().notNull(),
    previousTcbId: t.bigint().notNull(),
    measurement: t.hex().notNull(),
    validUntil: t.bigint().notNull(),
    benchmark: t.bigint().notNull(),
    publicKey: t.hex().notNull(),
    publicKeyHash: t.hex().notNull(),
    quote: t.hex().notNull(),
    properties: t.hex().notNull(),
    addedAt: t.bigint().notNull(),
    publishedBlock: t.bigint().notNull(),
    transactionHash: t.hex().notNull(),
  }),
  (table) => ({ teeOfferIndex: index().on(table.teeOfferId, table.id), keyIndex: index().on(table.teeKey) }),
);

/** TEE keys: the offer each serves, its newest TCB, and its revocation (`TcbRevoked`). */
export const teeKey = onchainTable("tee_keys", (t) => ({
  address: t.hex().primaryKey(),
  teeOfferId: t.bigint().notNull(),
  latestTcbId: t.bigint().notNull(),
  validUntil: t.bigint().notNull(),
  /** Block of the revocation; 0 while valid. */
  revokedBlock: t.bigint().notNull(),
  revokedBy: t.hex(),
}));

/** Keys a TEE offer's provider let publish their next TCB themselves (`TeeKeyAuthorized`). */
export const teeKeyAuthorization = onchainTable("tee_key_authorizations", (t) => ({
  /** `<teeOfferId>:<teeKey>`. */
  id: t.text().primaryKey(),
  teeOfferId: t.bigint().notNull(),
  teeKey: t.hex().notNull(),
  authorized: t.boolean().notNull(),
  blockNumber: t.bigint().notNull(),
}));

/** The measurement allow-list (`MeasurementSet`). */
export const measurement = onchainTable("measurements", (t) => ({
  measurement: t.hex().primaryKey(),
  allowed: t.boolean().notNull(),
  blockNumber: t.bigint().notNull(),
}));

/** Attestation-service signers of the verifier (`AttestationSignerSet`). */
export const attestationSigner = onchainTable("attestation_signers", (t) => ({
  signer: t.hex().primaryKey(),
  allowed: t.boolean().notNull(),
  blockNumber: t.bigint().notNull(),
}));

/** Role grants of the TCB registry and the verifier (`RoleGranted`, `RoleRevoked`, `RoleAdminChanged`). */
export const role = onchainTable("roles", (t) => ({
  /** `<contract>:<role>:<account>`, or `<contract>:<role>:admin` for the role's admin role. */
  id: t.text().primaryKey(),
  contract: t.hex().notNull(),
  role: t.hex().notNull(),
  /** The account granted; for an admin row, the admin role. */
  account: t.hex().notNull(),
  granted: t.boolean().notNull(),
  blockNumber: t.bigint().notNull(),
}));

/** Deployment settings set by events: `tcbLifetime`, `attestationVerifier`. */
export const setting = onchainTable("settings", (t) => ({
  key: t.text().primaryKey(),
  value: t.text().notNull(),
  blockNumber: t.bigint().notNull(),
}));
