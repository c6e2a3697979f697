/**
 * @tee-marketplace/sdk/node: Node-only helpers (file and directory hashing, reading Super
 * Protocol's JSON files, deployment files, quote collateral and root CA files, decrypting Ethereum
 * v3 keystores, encrypted files in storage, an order's result for its recipient). Everything else
 * is in the browser-safe `@tee-marketplace/sdk`, and quote verification in `@tee-marketplace/sdk/dcap`.
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
export { readCollateralFile, readRootCaFile } from "./collateral.js";
export { decryptKeystore, readKeystoreFile } from "./keystore.js";
export { type PrivateKeySource, readPrivateKey } from "./privateKey.js";
export { type DownloadResultParameters, type DownloadedResult, downloadResult } from "./results.js";
export {
  type DownloadOptions,
  type DownloadResult,
  type FsStorageOptions,
  type ProgressListener,
  type ProgressOutput,
  type ResourceInput,
  type S3StorageOptions,
  type Storage,
  type StorageOptions,
  type StoredObject,
  type TransferProgress,
  type UploadOptions,
  type UrlStorageOptions,
  createStorage,
  defaultStorageDirectory,
  deleteResource,
  downloadResource,
  progressReporter,
  uploadFile,
  writeResourceFile,
} from "./storage/index.js";
