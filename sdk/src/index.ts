/**
 * @tee-marketplace/sdk: the browser-safe entry point.
 *
 * Node-only helpers (file hashing, reading Super Protocol files) live in `@tee-marketplace/sdk/node`.
 */
export * from "./attestation.js";
export * from "./ecies.js";
export * from "./enums.js";
export * from "./errors.js";
export * from "./json.js";
export * from "./offerInfo.js";
export * from "./providerInfo.js";
export * from "./reports.js";
export * from "./resourceFile.js";
export * from "./slotInfo.js";
export * from "./validate.js";
