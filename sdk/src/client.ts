/**
 * The marketplace client: the standalone actions of `./actions/*`, bound to one context (clients and
 * deployment). It holds no other state; two clients on two chains live side by side.
 */
import {
  getProvider,
  getProviderInfo,
  registerProvider,
  registerProviderCall,
  updateProvider,
  updateProviderCall,
} from "./actions/providers.js";
import {
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
import {
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
import {
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
import {
  completeSuborder,
  completeSuborderCall,
  getSuborderResult,
  listSuborders,
} from "./actions/suborders.js";
import { getOrderResult, openOrderResult, verifyOrderResult } from "./actions/results.js";
import { searchOffers } from "./actions/search.js";
import {
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
import {
  type ReportVerification,
  type VerifyReportOptions,
  fetchReportEvidence,
  getReport,
  publishReport,
  publishReportCall,
  reportJson,
  verifyReport,
} from "./actions/reports.js";
import {
  approvePaymentToken,
  approvePaymentTokenCall,
  getBalances,
  getPaymentToken,
  withdrawPayments,
  withdrawPaymentsCall,
} from "./actions/payments.js";
import { checkReportEvidence } from "./reportChecks.js";
import {
  teeAttestationDomain,
  teeAttestationReportData,
  teeOpenArgs,
  teeOpenHandOver,
  teeReportDomain,
  teeSealResultPointer,
  teeSignReceipt,
  teeSignReport,
} from "./actions/tee.js";
import {
  type MarketplaceContext,
  type MarketplaceContextParameters,
  createMarketplaceContext,
} from "./context.js";
import type { Deployment } from "./deployment.js";

/** An action with its context bound. */
type Bound<F> = F extends (ctx: MarketplaceContext, ...args: infer A) => infer R ? (...args: A) => R : never;

function bind<F extends (ctx: MarketplaceContext, ...args: never[]) => unknown>(
  ctx: MarketplaceContext,
  action: F,
): Bound<F> {
  return ((...args: never[]) => action(ctx, ...args)) as Bound<F>;
}

/**
 * The client {@link createMarketplaceClient} returns. Each method is the action of the same
 * namespace in `@tee-marketplace/sdk` (`orders.get` is {@link getWorkflow}, ...) with the context bound.
 */
export interface MarketplaceClient {
  /** The context the methods are bound to. */
  readonly context: MarketplaceContext;
  /** The deployment, as parsed. */
  readonly deployment: Deployment;
  readonly providers: {
    register: Bound<typeof registerProvider>;
    update: Bound<typeof updateProvider>;
    get: Bound<typeof getProvider>;
    getInfo: Bound<typeof getProviderInfo>;
  };
  readonly offers: {
    create: Bound<typeof createOffer>;
    get: Bound<typeof getOffer>;
    getInfo: Bound<typeof getOfferInfo>;
    list: Bound<typeof listOffers>;
    /** Data offers of a page ranked by keyword similarity ({@link searchOffers}). */
    search: Bound<typeof searchOffers>;
    setEnabled: Bound<typeof setOfferEnabled>;
    updateInfo: Bound<typeof updateOfferInfo>;
    newVersion: Bound<typeof newOfferVersion>;
  };
  readonly slots: {
    add: Bound<typeof addSlot>;
    get: Bound<typeof getSlot>;
    list: Bound<typeof listSlots>;
    update: Bound<typeof updateSlot>;
    remove: Bound<typeof removeSlot>;
    minCost: Bound<typeof getSlotMinCost>;
  };
  readonly orders: {
    createWorkflow: Bound<typeof createWorkflow>;
    /** The order and its suborders in one call ({@link getWorkflow}). */
    get: Bound<typeof getWorkflow>;
    /** Parent orders by id, in one call ({@link getOrders}). */
    getMany: Bound<typeof getOrders>;
    /** What the workflow was created with: terms, enclave, recipients, arguments ({@link getWorkflowParams}). */
    getParams: Bound<typeof getWorkflowParams>;
    /** The enclave's result receipt and the recipients ({@link getOrderResult}). */
    getResult: Bound<typeof getOrderResult>;
    list: Bound<typeof listOrders>;
    cancel: Bound<typeof cancelOrder>;
    expire: Bound<typeof expireBlockedOrder>;
    blockedDeadline: Bound<typeof getBlockedDeadline>;
    refill: Bound<typeof refillOrder>;
    forceRefund: Bound<typeof forceRefund>;
    watch: Bound<typeof watchOrders>;
    /** TEE side. */
    start: Bound<typeof startOrder>;
    /** TEE side. */
    complete: Bound<typeof completeOrder>;
  };
  readonly suborders: {
    list: Bound<typeof listSuborders>;
    complete: Bound<typeof completeSuborder>;
    getResult: Bound<typeof getSuborderResult>;
  };
  readonly tcb: {
    upload: Bound<typeof uploadTcb>;
    get: Bound<typeof getTcb>;
    active: Bound<typeof getActiveTcb>;
    teeKey: Bound<typeof getTeeKey>;
    authorizeTeeKey: Bound<typeof authorizeTeeKey>;
    isTeeKeyAuthorized: Bound<typeof isTeeKeyAuthorized>;
    publication: Bound<typeof getTcbPublication>;
    revoke: Bound<typeof revokeTcb>;
    setMeasurement: Bound<typeof setMeasurement>;
    isMeasurementAllowed: Bound<typeof isMeasurementAllowed>;
    setAttestationSigner: Bound<typeof setAttestationSigner>;
    isAttestationSigner: Bound<typeof isAttestationSigner>;
  };
  readonly reports: {
    publish: Bound<typeof publishReport>;
    get: Bound<typeof getReport>;
    /**
     * {@link verifyReport}: `verify(orderId, { solutionHash?, dataHashes? })` or
     * `verify({ orderId, solutionHash?, dataHashes? })`.
     */
    verify(
      order: bigint | number | string | ({ orderId: bigint | number | string } & VerifyReportOptions),
      options?: VerifyReportOptions,
    ): Promise<ReportVerification>;
    /** {@link fetchReportEvidence}: what `verify` judges, gathered from the chain. */
    evidence: Bound<typeof fetchReportEvidence>;
    /** {@link checkReportEvidence}: the pure check `verify` runs (no RPC). */
    check: typeof checkReportEvidence;
    /** {@link reportJson}: Super Protocol's JSON shape of a report read with `get`. */
    toJson: typeof reportJson;
  };
  readonly results: {
    /** {@link openOrderResult}: your result pointer, opened. */
    open: Bound<typeof openOrderResult>;
    /** {@link verifyOrderResult}: the receipt's signature, pointers and (with your key) your pointer. */
    verify: Bound<typeof verifyOrderResult>;
  };
  readonly payments: {
    balance: Bound<typeof getBalances>;
    withdraw: Bound<typeof withdrawPayments>;
    approve: Bound<typeof approvePaymentToken>;
    token: Bound<typeof getPaymentToken>;
  };
  /**
   * The call builders: every write as data, `{ address, abi, functionName, args }`, checked the
   * way the write checks it but not sent (for a multisig, a batcher or `walletClient.writeContract`).
   * Named after the standalone builders (`createWorkflowCall` is `calls.createWorkflow`).
   * `completeSuborder` and `publishReport` are async: they read the chain (and sign) first.
   */
  readonly calls: {
    registerProvider: Bound<typeof registerProviderCall>;
    updateProvider: Bound<typeof updateProviderCall>;
    createOffer: Bound<typeof createOfferCall>;
    setOfferEnabled: Bound<typeof setOfferEnabledCall>;
    updateOfferInfo: Bound<typeof updateOfferInfoCall>;
    newOfferVersion: Bound<typeof newOfferVersionCall>;
    addSlot: Bound<typeof addSlotCall>;
    updateSlot: Bound<typeof updateSlotCall>;
    removeSlot: Bound<typeof removeSlotCall>;
    createWorkflow: Bound<typeof createWorkflowCall>;
    cancelOrder: Bound<typeof cancelOrderCall>;
    expireBlockedOrder: Bound<typeof expireBlockedOrderCall>;
    refillOrder: Bound<typeof refillOrderCall>;
    forceRefund: Bound<typeof forceRefundCall>;
    startOrder: Bound<typeof startOrderCall>;
    completeOrder: Bound<typeof completeOrderCall>;
    completeSuborder: Bound<typeof completeSuborderCall>;
    uploadTcb: Bound<typeof uploadTcbCall>;
    authorizeTeeKey: Bound<typeof authorizeTeeKeyCall>;
    revokeTcb: Bound<typeof revokeTcbCall>;
    setMeasurement: Bound<typeof setMeasurementCall>;
    setAttestationSigner: Bound<typeof setAttestationSignerCall>;
    publishReport: Bound<typeof publishReportCall>;
    withdrawPayments: Bound<typeof withdrawPaymentsCall>;
    approvePaymentToken: Bound<typeof approvePaymentTokenCall>;
  };
  readonly tee: {
    openHandOver: Bound<typeof teeOpenHandOver>;
    openArgs: Bound<typeof teeOpenArgs>;
    sealResultPointer: Bound<typeof teeSealResultPointer>;
    signReceipt: Bound<typeof teeSignReceipt>;
    signReport: Bound<typeof teeSignReport>;
    reportDomain: Bound<typeof teeReportDomain>;
    attestationReportData: Bound<typeof teeAttestationReportData>;
    attestationDomain: Bound<typeof teeAttestationDomain>;
  };
}

/**
 * Creates a marketplace client: every action bound to one context. Reads work without a wallet;
 * writes simulate first (a revert is a `ContractError` before gas is spent), send, wait for the
 * receipt and return the decoded ids. No RPC happens here.
 *
 * Create the public client with `http(url, { batch: true })`: reads that need several calls send
 * them together, and JSON-RPC batching puts them in one HTTP round trip.
 *
 * @param params `publicClient`, `walletClient` (optional), `deployment` (a {@link Deployment} or
 * the content of `deployments/<network>.json`), `logBlockRange` (default 5000 blocks per `eth_getLogs`).
 * @example
 * import { createPublicClient, createWalletClient, http } from "viem";
 * import { privateKeyToAccount } from "viem/accounts";
 * import { createMarketplaceClient } from "@tee-marketplace/sdk";
 * import { readDeployment } from "@tee-marketplace/sdk/node";
 *
 * const transport = http("https://opbnb-testnet-rpc.bnbchain.org", { batch: true });
 * const client = createMarketplaceClient({
 *   publicClient: createPublicClient({ transport }),
 *   walletClient: createWalletClient({ account: privateKeyToAccount(key), transport }),
 *   deployment: await readDeployment("opbnbTestnet"),
 * });
 * const { order, suborders } = await client.orders.get({ orderId: 1n });
 * @throws {InputError} naming `deployment` (or its field), `publicClient`, `walletClient` or
 * `logBlockRange` when malformed, or when a client's chain is not the deployment's.
 */
export function createMarketplaceClient(params: MarketplaceContextParameters): MarketplaceClient {
  const ctx = createMarketplaceContext(params);
  return {
    context: ctx,
    deployment: ctx.deployment,
    providers: {
      register: bind(ctx, registerProvider),
      update: bind(ctx, updateProvider),
      get: bind(ctx, getProvider),
      getInfo: bind(ctx, getProviderInfo),
    },
    offers: {
      create: bind(ctx, createOffer),
      get: bind(ctx, getOffer),
      getInfo: bind(ctx, getOfferInfo),
      list: bind(ctx, listOffers),
      search: bind(ctx, searchOffers),
      setEnabled: bind(ctx, setOfferEnabled),
      updateInfo: bind(ctx, updateOfferInfo),
      newVersion: bind(ctx, newOfferVersion),
    },
    slots: {
      add: bind(ctx, addSlot),
      get: bind(ctx, getSlot),
      list: bind(ctx, listSlots),
      update: bind(ctx, updateSlot),
      remove: bind(ctx, removeSlot),
      minCost: bind(ctx, getSlotMinCost),
    },
    orders: {
      createWorkflow: bind(ctx, createWorkflow),
      get: bind(ctx, getWorkflow),
      getMany: bind(ctx, getOrders),
      getParams: bind(ctx, getWorkflowParams),
      getResult: bind(ctx, getOrderResult),
      list: bind(ctx, listOrders),
      cancel: bind(ctx, cancelOrder),
      expire: bind(ctx, expireBlockedOrder),
      blockedDeadline: bind(ctx, getBlockedDeadline),
      refill: bind(ctx, refillOrder),
      forceRefund: bind(ctx, forceRefund),
      watch: bind(ctx, watchOrders),
      start: bind(ctx, startOrder),
      complete: bind(ctx, completeOrder),
    },
    suborders: {
      list: bind(ctx, listSuborders),
      complete: bind(ctx, completeSuborder),
      getResult: bind(ctx, getSuborderResult),
    },
    tcb: {
      upload: bind(ctx, uploadTcb),
      get: bind(ctx, getTcb),
      active: bind(ctx, getActiveTcb),
      teeKey: bind(ctx, getTeeKey),
      authorizeTeeKey: bind(ctx, authorizeTeeKey),
      isTeeKeyAuthorized: bind(ctx, isTeeKeyAuthorized),
      publication: bind(ctx, getTcbPublication),
      revoke: bind(ctx, revokeTcb),
      setMeasurement: bind(ctx, setMeasurement),
      isMeasurementAllowed: bind(ctx, isMeasurementAllowed),
      setAttestationSigner: bind(ctx, setAttestationSigner),
      isAttestationSigner: bind(ctx, isAttestationSigner),
    },
    reports: {
      publish: bind(ctx, publishReport),
      get: bind(ctx, getReport),
      verify: (order, options = {}) =>
        verifyReport(
          ctx,
          typeof order === "object" ? { ...options, ...order } : { ...options, orderId: order },
        ),
      evidence: bind(ctx, fetchReportEvidence),
      check: checkReportEvidence,
      toJson: reportJson,
    },
    results: {
      open: bind(ctx, openOrderResult),
      verify: bind(ctx, verifyOrderResult),
    },
    payments: {
      balance: bind(ctx, getBalances),
      withdraw: bind(ctx, withdrawPayments),
      approve: bind(ctx, approvePaymentToken),
      token: bind(ctx, getPaymentToken),
    },
    calls: {
      registerProvider: bind(ctx, registerProviderCall),
      updateProvider: bind(ctx, updateProviderCall),
      createOffer: bind(ctx, createOfferCall),
      setOfferEnabled: bind(ctx, setOfferEnabledCall),
      updateOfferInfo: bind(ctx, updateOfferInfoCall),
      newOfferVersion: bind(ctx, newOfferVersionCall),
      addSlot: bind(ctx, addSlotCall),
      updateSlot: bind(ctx, updateSlotCall),
      removeSlot: bind(ctx, removeSlotCall),
      createWorkflow: bind(ctx, createWorkflowCall),
      cancelOrder: bind(ctx, cancelOrderCall),
      expireBlockedOrder: bind(ctx, expireBlockedOrderCall),
      refillOrder: bind(ctx, refillOrderCall),
      forceRefund: bind(ctx, forceRefundCall),
      startOrder: bind(ctx, startOrderCall),
      completeOrder: bind(ctx, completeOrderCall),
      completeSuborder: bind(ctx, completeSuborderCall),
      uploadTcb: bind(ctx, uploadTcbCall),
      authorizeTeeKey: bind(ctx, authorizeTeeKeyCall),
      revokeTcb: bind(ctx, revokeTcbCall),
      setMeasurement: bind(ctx, setMeasurementCall),
      setAttestationSigner: bind(ctx, setAttestationSignerCall),
      publishReport: bind(ctx, publishReportCall),
      withdrawPayments: bind(ctx, withdrawPaymentsCall),
      approvePaymentToken: bind(ctx, approvePaymentTokenCall),
    },
    tee: {
      openHandOver: bind(ctx, teeOpenHandOver),
      openArgs: bind(ctx, teeOpenArgs),
      sealResultPointer: bind(ctx, teeSealResultPointer),
      signReceipt: bind(ctx, teeSignReceipt),
      signReport: bind(ctx, teeSignReport),
      reportDomain: bind(ctx, teeReportDomain),
      attestationReportData: bind(ctx, teeAttestationReportData),
      attestationDomain: bind(ctx, teeAttestationDomain),
    },
  };
}
