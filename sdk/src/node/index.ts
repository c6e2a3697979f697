/**
 * @tee-marketplace/sdk/node: Node-only helpers (file and directory hashing, reading Super
 * Protocol's JSON files from disk). Everything else is in the browser-safe `@tee-marketplace/sdk`.
 */
export * from "./files.js";
