/**
 * @tee-marketplace/sdk/node: Node-only helpers (file and directory hashing, reading Super
 * Protocol's JSON files and deployment files from disk). Everything else is in the browser-safe
 * `@tee-marketplace/sdk`.
 */
export { readDeployment } from "./deployment.js";
export {
  readOfferInfoFile,
  readProviderInfoFile,
  readResourceFile,
  readSlotInfoFile,
  sha256Directory,
  sha256File,
  sha256Path,
} from "./files.js";
