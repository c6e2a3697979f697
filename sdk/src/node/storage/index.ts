/**
 * Encrypted files in storage backends: the storage interface and its FS, S3 and URL backends,
 * uploads and downloads in Super Protocol's resource-file shape, and progress reporting.
 */
export { defaultStorageDirectory } from "./fsStorage.js";
export {
  type ProgressListener,
  type ProgressOutput,
  type TransferProgress,
  progressReporter,
} from "./progress.js";
export {
  type FsStorageOptions,
  type S3StorageOptions,
  type Storage,
  type StorageOptions,
  type StoredObject,
  type UrlStorageOptions,
} from "./storage.js";
export { createStorage } from "./openStorage.js";
export {
  type DownloadOptions,
  type DownloadResult,
  type ResourceInput,
  type UploadOptions,
  deleteResource,
  downloadResource,
  uploadFile,
  writeResourceFile,
} from "./transfer.js";
