/**
 * Ethereum v3 keystores, written by ethers (an independent implementation) with scrypt and pbkdf2,
 * read back by decryptKeystore and readKeystoreFile; wrong passwords, altered files and hostile
 * key-derivation parameters refused.
 */
import { expect } from "chai";
import { encryptKeystoreJsonSync } from "ethers";
import { createCipheriv, pbkdf2Sync, randomBytes } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { type Hex, concat, hexToBytes, keccak256 } from "viem";
import { privateKeyToAccount } from "viem/accounts";

import { DecryptionError, FileFormatError, InputError } from "../../src/errors.js";
import { decryptKeystore, readKeystoreFile } from "../../src/node/index.js";

const KEY: Hex = "0x4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318";
const PASSWORD = "correct horse battery staple";

/** ethers' keystore text (it names the section "Crypto"). */
function ethersKeystore(): string {
  const account = { address: privateKeyToAccount(KEY).address, privateKey: KEY };
  return encryptKeystoreJsonSync(account, PASSWORD, { scrypt: { N: 1024 } });
}

/** A keystore object with the section named "crypto", as most tools write it. */
function keystore(kdf: "scrypt" | "pbkdf2"): Record<string, unknown> {
  const { Crypto: crypto, ...rest } = JSON.parse(ethersKeystore()) as Record<string, unknown>;
  const scrypt = { ...rest, crypto };
  return kdf === "scrypt" ? scrypt : pbkdf2Variant(scrypt);
}

/** The same key (or `key`) in a pbkdf2 keystore: ethers writes scrypt only, so re-encrypt by hand. */
function pbkdf2Variant(scryptJson: Record<string, unknown>, key: Hex = KEY): Record<string, unknown> {
  const salt = randomBytes(32);
  const iv = randomBytes(16);
  const derived = pbkdf2Sync(PASSWORD, salt, 1000, 32, "sha256");
  const cipher = createCipheriv("aes-128-ctr", derived.subarray(0, 16), iv);
  const ciphertext = Buffer.concat([cipher.update(hexToBytes(key)), cipher.final()]);
  return {
    ...scryptJson,
    crypto: {
      cipher: "aes-128-ctr",
      cipherparams: { iv: iv.toString("hex") },
      ciphertext: ciphertext.toString("hex"),
      kdf: "pbkdf2",
      kdfparams: { c: 1000, dklen: 32, prf: "hmac-sha256", salt: salt.toString("hex") },
      mac: keccak256(concat([derived.subarray(16, 32), ciphertext])).slice(2),
    },
  };
}

describe("node: keystores", function () {
  it("decrypts scrypt (ethers) and pbkdf2 keystores, as objects or JSON text", async function () {
    expect(await decryptKeystore(ethersKeystore(), PASSWORD), "ethers' own text").to.equal(KEY);
    for (const kdf of ["scrypt", "pbkdf2"] as const) {
      const json = keystore(kdf);
      expect(await decryptKeystore(json, PASSWORD), `${kdf} object`).to.equal(KEY);
      expect(await decryptKeystore(JSON.stringify(json), PASSWORD), `${kdf} text`).to.equal(KEY);
    }
  });

  it("a wrong password is a DecryptionError that echoes neither key nor password", async function () {
    const error = await decryptKeystore(keystore("scrypt"), "hunter2").catch((e: unknown) => e);
    expect(error, "error").to.be.instanceOf(DecryptionError);
    expect((error as Error).message, "message")
      .to.not.include("hunter2")
      .and.not.include(KEY.slice(2));
  });

  it("a keystore whose MAC holds but whose content is no private key is a DecryptionError", async function () {
    const zero = pbkdf2Variant(keystore("scrypt"), `0x${"00".repeat(32)}`);
    const error = await decryptKeystore(zero, PASSWORD).catch((e: unknown) => e);
    expect(error, "error").to.be.instanceOf(DecryptionError);
    expect((error as Error).message, "message").to.include("cannot be decrypted to a secp256k1 private key");
  });

  it("a keystore naming another address is refused", async function () {
    const json = { ...keystore("scrypt"), address: "11".repeat(20) };
    const error = await decryptKeystore(json, PASSWORD).catch((e: unknown) => e);
    expect(error, "error").to.be.instanceOf(DecryptionError);
    expect((error as Error).message, "message").to.include(privateKeyToAccount(KEY).address);
  });

  it("names the malformed field, and bounds the key derivation's cost", async function () {
    const base = keystore("scrypt");
    const crypto = base["crypto"] as Record<string, unknown>;
    const params = crypto["kdfparams"] as Record<string, unknown>;
    const cases: [Record<string, unknown>, string][] = [
      [{ ...base, version: 1 }, "version"],
      [{ ...base, crypto: { ...crypto, cipher: "aes-256-gcm" } }, "crypto.cipher"],
      [{ ...base, crypto: { ...crypto, kdf: "argon2" } }, "crypto.kdf"],
      [{ ...base, crypto: { ...crypto, mac: "zz" } }, "crypto.mac"],
      [{ ...base, crypto: { ...crypto, cipherparams: { iv: "00112233" } } }, "crypto.cipherparams.iv"],
      [{ ...base, crypto: { ...crypto, kdfparams: { ...params, n: 2 ** 21 } } }, "crypto.kdfparams.n"],
      [{ ...base, crypto: { ...crypto, kdfparams: { ...params, r: 17 } } }, "crypto.kdfparams.r"],
      [{ ...base, crypto: { ...crypto, kdfparams: { ...params, dklen: 64 } } }, "crypto.kdfparams.dklen"],
    ];
    for (const [json, field] of cases) {
      const error = await decryptKeystore(json, PASSWORD).catch((e: unknown) => e);
      expect(error, field).to.be.instanceOf(InputError).with.property("field", field);
    }
    const maximal = { ...base, crypto: { ...crypto, kdfparams: { ...params, r: 16 } } };
    const atLimit = await decryptKeystore(maximal, PASSWORD).catch((e: unknown) => e);
    expect(atLimit, "r = 16 is allowed (then the MAC decides)").to.be.instanceOf(DecryptionError);
  });

  it("readKeystoreFile reads a file; a malformed one is a FileFormatError with its path", async function () {
    const dir = await mkdtemp(path.join(tmpdir(), "keystore-"));
    try {
      const good = path.join(dir, "good.json");
      const bad = path.join(dir, "bad.json");
      await writeFile(good, JSON.stringify(keystore("scrypt")));
      await writeFile(bad, "{}");
      expect(await readKeystoreFile(good, PASSWORD), "key").to.equal(KEY);
      const error = await readKeystoreFile(bad, PASSWORD).catch((e: unknown) => e);
      expect(error, "malformed").to.be.instanceOf(FileFormatError).with.property("path", bad);
      const missing = await readKeystoreFile(path.join(dir, "none.json"), PASSWORD).catch((e: unknown) => e);
      expect(missing, "missing").to.be.instanceOf(InputError).with.property("field", "path");
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
