/**
 * Resource files in the shapes Super Protocol's tools write. The objects are encrypted here with
 * node:crypto exactly as spctl's `files upload` (AES-256-CTR, a 16-byte IV, base64, no tag) and
 * Super Protocol's sdk-js `encryptStream` (AES-256-GCM, a 12-byte IV, the tag as `mac`) store them:
 * the bare ciphertext, the parameters in the resource file.
 */
import { expect } from "chai";
import { createCipheriv, createHash, randomBytes } from "node:crypto";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { ContentHashMismatchError, InputError } from "../../../src/index.js";
import { downloadResource, readResourceFile } from "../../../src/node/index.js";
import { fixtureJson } from "../../support/json.js";
import { fixture } from "../../support/paths.js";
import { caught, listing } from "../../support/storage.js";

describe("node/storage: resource files written by Super Protocol's tools", function () {
  let scratch: string;
  let store: string;
  const content = Buffer.from("model weights\n".repeat(5000));

  /** Stores `ciphertext` in the FS storage as spctl names objects, and returns the resource section. */
  async function storeObject(ciphertext: Buffer): Promise<Record<string, unknown>> {
    const filepath = `${randomBytes(8).toString("hex")}.encrypted`;
    await writeFile(path.join(store, filepath), ciphertext);
    return {
      type: "STORAGE_PROVIDER",
      storageType: "FS",
      filepath,
      credentials: { bucket: store, prefix: "" },
    };
  }

  beforeEach(async function () {
    scratch = await mkdtemp(path.join(tmpdir(), "tee-marketplace-spctl-"));
    store = path.join(scratch, "store");
    await mkdir(store);
  });

  afterEach(async function () {
    await rm(scratch, { recursive: true, force: true });
  });

  it("downloads spctl's AES-256-CTR resource file and checks its hash (CTR has no tag)", async function () {
    const key = randomBytes(32);
    const iv = randomBytes(16);
    const cipher = createCipheriv("aes-256-ctr", key, iv);
    const ciphertext = Buffer.concat([cipher.update(content), cipher.final()]);
    // spctl's key order: metadata (hash), then { ...encryptStream's result, key }, then resource.
    const resourceFile = {
      hash: { algo: "sha256", encoding: "hex", hash: createHash("sha256").update(content).digest("hex") },
      encryption: {
        algo: "AES",
        encoding: "base64",
        cipher: "aes-256-ctr",
        iv: iv.toString("base64"),
        key: key.toString("base64"),
      },
      resource: await storeObject(ciphertext),
    };
    const file = path.join(scratch, "spctl.resource.json");
    await writeFile(file, JSON.stringify(resourceFile, null, 2));
    const { path: downloaded } = await downloadResource(
      await readResourceFile(file),
      path.join(scratch, "out"),
    );
    expect((await readFile(downloaded)).equals(content), "downloaded bytes").to.equal(true);
    expect(path.basename(downloaded), "name without .encrypted").to.equal(
      (resourceFile.resource["filepath"] as string).replace(/\.encrypted$/, ""),
    );

    const altered = Buffer.from(ciphertext);
    altered.writeUInt8(altered.readUInt8(100) ^ 0xff, 100);
    const tampered = { ...resourceFile, resource: await storeObject(altered) };
    const destination = path.join(scratch, "tampered");
    await mkdir(destination);
    const error = await caught(() => downloadResource(tampered, destination));
    expect(error, "error for an altered CTR object").to.be.instanceOf(ContentHashMismatchError);
    expect(await listing(destination), "destination").to.deep.equal([]);
  });

  it("downloads an AES-256-GCM resource file as Super Protocol's sdk-js writes it", async function () {
    const key = randomBytes(32);
    const iv = randomBytes(12);
    const cipher = createCipheriv("aes-256-gcm", key, iv);
    const ciphertext = Buffer.concat([cipher.update(content), cipher.final()]);
    const resourceFile = {
      hash: { algo: "sha256", encoding: "hex", hash: createHash("sha256").update(content).digest("hex") },
      encryption: {
        algo: "AES",
        encoding: "base64",
        cipher: "aes-256-gcm",
        iv: iv.toString("base64"),
        mac: cipher.getAuthTag().toString("base64"),
        key: key.toString("base64"),
      },
      resource: await storeObject(ciphertext),
    };
    const { path: downloaded } = await downloadResource(resourceFile, path.join(scratch, "out"));
    expect((await readFile(downloaded)).equals(content), "downloaded bytes").to.equal(true);
  });

  it("reads the STORJ fixtures and says STORJ is not supported, before any I/O", async function () {
    const solution = fixtureJson("solution.resource.json");
    const withIv = {
      ...solution,
      encryption: { ...(solution["encryption"] as object), iv: Buffer.alloc(16).toString("base64") },
    };
    const error = await caught(() => downloadResource(withIv, path.join(scratch, "never")));
    expect(error, "error").to.be.instanceOf(InputError);
    expect((error as InputError).field, "field").to.equal("resource.storageType");
    expect((error as Error).message, "message").to.include('"STORJ" is not supported');
    const asIs = await caught(async () =>
      downloadResource(await readResourceFile(fixture("dataset.resource.json")), scratch),
    );
    expect((asIs as InputError).field, "the fixture as it is (no IV)").to.equal("encryption.iv");
    expect(await listing(scratch), "scratch").to.deep.equal(["store"]);
  });

  it("refuses a resource naming a whole prefix (an empty filepath, spctl's addon folder upload)", async function () {
    const resourceFile = {
      hash: { algo: "sha256", encoding: "hex", hash: "00".repeat(32) },
      resource: {
        type: "STORAGE_PROVIDER",
        storageType: "FS",
        filepath: "",
        credentials: { bucket: store, prefix: "x" },
      },
    };
    const error = await caught(() => downloadResource(resourceFile, scratch));
    expect(error, "error").to.be.instanceOf(InputError);
    expect((error as InputError).field, "field").to.equal("resource.filepath");
  });
});
