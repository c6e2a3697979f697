/**
 * The signing key: from the environment or from a keystore named in the configuration (password
 * from the environment); never both, never neither, never echoed.
 */
import { expect } from "chai";
import { encryptKeystoreJsonSync } from "ethers";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";

import { DecryptionError, InputError } from "@tee-marketplace/sdk";

import { KEYSTORE_PASSWORD_ENV, PRIVATE_KEY_ENV, loadSigningKey } from "../src/index.js";

describe("attestation service: signing key", function () {
  const key = generatePrivateKey();
  let dir: string;
  let keystore: string;
  before(async function () {
    dir = await mkdtemp(path.join(tmpdir(), "attestation-key-"));
    keystore = path.join(dir, "service.keystore.json");
    const account = { address: privateKeyToAccount(key).address, privateKey: key };
    await writeFile(keystore, encryptKeystoreJsonSync(account, "s3cret", { scrypt: { N: 1024 } }));
  });
  after(async function () {
    await rm(dir, { recursive: true, force: true });
  });

  it("from the environment, with or without 0x", async function () {
    expect(await loadSigningKey(undefined, { [PRIVATE_KEY_ENV]: key }), "with 0x").to.equal(key);
    expect(await loadSigningKey(undefined, { [PRIVATE_KEY_ENV]: key.slice(2) }), "without").to.equal(key);
  });

  it("from a keystore with its password in the environment", async function () {
    expect(await loadSigningKey(keystore, { [KEYSTORE_PASSWORD_ENV]: "s3cret" }), "key").to.equal(key);
    const wrong = await loadSigningKey(keystore, { [KEYSTORE_PASSWORD_ENV]: "nope" }).catch(
      (e: unknown) => e,
    );
    expect(wrong, "wrong password").to.be.instanceOf(DecryptionError);
  });

  it("refuses none, both, a keystore without password and a malformed key, naming the variable", async function () {
    const cases: [string | undefined, Record<string, string>, string][] = [
      [undefined, {}, PRIVATE_KEY_ENV],
      [undefined, { [PRIVATE_KEY_ENV]: "0x1234" }, PRIVATE_KEY_ENV],
      [keystore, { [PRIVATE_KEY_ENV]: key, [KEYSTORE_PASSWORD_ENV]: "s3cret" }, PRIVATE_KEY_ENV],
      [keystore, {}, KEYSTORE_PASSWORD_ENV],
    ];
    for (const [file, env, field] of cases) {
      const error = await loadSigningKey(file, env).catch((e: unknown) => e);
      expect(error, `${field} with ${Object.keys(env).join("+") || "nothing"}`)
        .to.be.instanceOf(InputError)
        .with.property("field", field);
      expect((error as Error).message, "no key echoed").to.not.include(key.slice(2));
    }
  });
});
