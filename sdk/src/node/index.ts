/**
 * @tee-marketplace/sdk/node: Node-only helpers (file and directory hashing, reading Super
 * Protocol's JSON files, deployment files, quote collateral and root CA files, decrypting Ethereum
 * v3 keystores). Everything else is in the browser-safe `@tee-marketplace/sdk`, and quote
 * verification in `@tee-marketplace/sdk/dcap`.
 */
export * from "./collateral.js";
export * from "./deployment.js";
export * from "./files.js";
export * from "./storage/index.js";
export * from "./keystore.js";
