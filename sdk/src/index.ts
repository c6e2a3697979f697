/**
 * @tee-marketplace/sdk: the browser-safe entry point.
 *
 * Node-only helpers (file hashing, reading Super Protocol files) live in `@tee-marketplace/sdk/node`.
 */
export * from "./enums.js";
