/**
 * @tee-marketplace/sdk/node: Node-only helpers (file and directory hashing, reading Super
 * Protocol's JSON files and deployment files from disk). Everything else is in the browser-safe
 * `@tee-marketplace/sdk`.
 */
export * from "./deployment.js";
export * from "./files.js";
export * from "./storage/index.js";
