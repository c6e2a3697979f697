/**
 * @tee-marketplace/sdk: the browser-safe entry point.
 *
 * Node-only helpers (file hashing, reading Super Protocol files and deployment files) live in
 * `@tee-marketplace/sdk/node`.
 */
export * from "./abi/index.js";
export * from "./actions/offers.js";
export * from "./actions/orders.js";
export * from "./actions/payments.js";
export * from "./actions/providers.js";
export * from "./actions/reports.js";
export * from "./actions/slots.js";
export * from "./actions/suborders.js";
export * from "./actions/tcb.js";
export * from "./actions/tee.js";
export * from "./attestation.js";
export * from "./client.js";
export * from "./context.js";
export * from "./contractErrors.js";
export * from "./deployment.js";
export * from "./ecies.js";
export * from "./enums.js";
export * from "./errors.js";
export * from "./json.js";
export * from "./offerInfo.js";
export * from "./providerInfo.js";
export * from "./receipts.js";
export * from "./reports.js";
export * from "./resourceFile.js";
export * from "./slotInfo.js";
export * from "./transport.js";
export * from "./validate.js";
