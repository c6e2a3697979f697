/**
 * @tee-marketplace/attestation-service: the attestation service as a library (the
 * `tee-attestation-service` command runs it from a configuration file).
 */
export * from "./attest.js";
export * from "./binding.js";
export * from "./collateralSource.js";
export * from "./config.js";
export * from "./rateLimit.js";
export * from "./server.js";
export * from "./signingKey.js";
