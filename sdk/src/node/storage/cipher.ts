/// <reference types="node" />
/**
 * Content encryption as stream stages: AES-256-GCM with a fresh random key and IV for every upload
 * (the tag becomes the resource file's `mac`), and decryption of AES-256-GCM and AES-256-CTR (spctl's
 * default) resources. The stored object is the bare ciphertext, as Super Protocol stores it.
 */
import { type CipherGCM, type Decipher, createCipheriv, createDecipheriv, randomBytes } from "node:crypto";

import type { ResourceEncryption } from "../../resourceFile.js";

const KEY_BYTES = 32;
const GCM_IV_BYTES = 12;
const TAG_BYTES = 16;

/** An encrypting stream stage and the `encryption` section it yields once the stream has ended. */
export interface ContentEncryption {
  readonly stream: CipherGCM;
  /** The resource file's `encryption` section; call after the stream has ended (it needs the tag). */
  section(): ResourceEncryption;
}

/** A new AES-256-GCM encryption with a random 32-byte key and 12-byte IV. */
export function createContentEncryption(): ContentEncryption {
  const key = randomBytes(KEY_BYTES);
  const iv = randomBytes(GCM_IV_BYTES);
  const stream = createCipheriv("aes-256-gcm", key, iv, { authTagLength: TAG_BYTES });
  return {
    stream,
    section: () => ({
      algo: "AES",
      cipher: "aes-256-gcm",
      key: key.toString("base64"),
      iv: iv.toString("base64"),
      mac: stream.getAuthTag().toString("base64"),
      encoding: "base64",
    }),
  };
}

/**
 * A decrypting stream stage for a parsed `encryption` section. For GCM the tag is checked when the
 * stream ends: a wrong key, an altered byte or a truncated object makes the stage fail then.
 */
export function createContentDecryption(encryption: ResourceEncryption): Decipher {
  const key = Buffer.from(encryption.key, encryption.encoding);
  const iv = Buffer.from(encryption.iv, encryption.encoding);
  if (encryption.cipher === "aes-256-ctr") return createDecipheriv("aes-256-ctr", key, iv);
  const decipher = createDecipheriv("aes-256-gcm", key, iv, { authTagLength: TAG_BYTES });
  decipher.setAuthTag(Buffer.from(encryption.mac ?? "", encryption.encoding));
  return decipher;
}
