/**
 * The S3 backend against a real S3-compatible server: s3rver, started on 127.0.0.1 on a free port
 * by this file and stopped at the end. No part of the AWS client is mocked.
 */
import { expect } from "chai";
import { createHash, randomBytes } from "node:crypto";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { InputError, ObjectNotFoundError, StorageError } from "../../../src/index.js";
import {
  type S3StorageOptions,
  createStorage,
  deleteResource,
  downloadResource,
  uploadFile,
} from "../../../src/node/index.js";
import {
  type S3Server,
  S3RVER_KEYS,
  caught,
  listing,
  readTree,
  startS3Server,
  writeTree,
} from "../../support/storage.js";

describe("node/storage: S3 backend (s3rver on 127.0.0.1)", function () {
  let scratch: string;
  let server: S3Server;
  let options: S3StorageOptions;

  before(async function () {
    scratch = await mkdtemp(path.join(tmpdir(), "tee-marketplace-s3-"));
    server = await startS3Server(path.join(scratch, "s3rver"));
    options = { type: "S3", endpoint: server.endpoint, bucket: server.bucket, ...S3RVER_KEYS };
  });

  after(async function () {
    await server?.stop();
    await rm(scratch, { recursive: true, force: true });
  });

  it("uploads a 12 MiB file as a multipart upload and downloads the same bytes", async function () {
    const content = randomBytes(12 * 1024 * 1024);
    const source = path.join(scratch, "model.bin");
    await writeFile(source, content);
    server.requests.length = 0;
    const resource = await uploadFile(source, { storage: { ...options, partSize: 5 * 1024 * 1024 } });
    const parts = server.requests.filter((line) => /^PUT .*[?&]partNumber=\d+/.test(line));
    expect(parts.length, "parts uploaded").to.equal(3);
    expect(
      server.requests.some((line) => /^POST .*\?uploads/.test(line)),
      "multipart upload started",
    ).to.equal(true);

    expect(resource.resource, "resource section").to.deep.include({
      type: "STORAGE_PROVIDER",
      storageType: "S3",
    });
    if (resource.resource.type !== "STORAGE_PROVIDER") return;
    expect(resource.resource.credentials, "credentials in Super Protocol's S3 shape").to.deep.equal({
      bucket: server.bucket,
      prefix: "",
      endpoint: server.endpoint,
      accessKeyId: "S3RVER",
      secretKey: "S3RVER",
    });
    expect(resource.hash.hash, "hash").to.equal(createHash("sha256").update(content).digest("hex"));

    const destination = path.join(scratch, "out");
    const result = await downloadResource(resource, destination);
    expect((await readFile(result.path)).equals(content), "downloaded bytes").to.equal(true);
    expect(await listing(destination), "destination").to.deep.equal(["model.bin"]);
  });

  it("round-trips a directory under a prefix, with read credentials recorded in the resource file", async function () {
    const tree = { "a.txt": "A", "sub/": "", "sub/b.txt": "B", "empty/": "" };
    const directory = path.join(scratch, "dataset");
    await writeTree(directory, tree);
    const resource = await uploadFile(directory, {
      storage: { ...options, prefix: "orders/7" },
      resourceCredentials: { accessKeyId: "S3RVER", secretKey: "S3RVER", region: "us-east-1" },
    });
    if (resource.resource.type !== "STORAGE_PROVIDER") throw new Error("expected a storage resource");
    expect(resource.resource.credentials, "credentials").to.deep.include({
      prefix: "orders/7",
      region: "us-east-1",
    });
    const key = `orders/7/${resource.resource.filepath}`;
    expect(
      server.requests.some((line) => line.startsWith(`PUT /${server.bucket}/${key}`)),
      "object key with prefix",
    ).to.equal(true);
    const { path: unpacked } = await downloadResource(resource, path.join(scratch, "unpacked"), {
      unpack: true,
    });
    expect(await readTree(unpacked), "tree").to.deep.equal(tree);

    await deleteResource(resource);
    expect(
      await createStorage({ ...options, prefix: "orders/7" }).exists(resource.resource.filepath),
      "exists",
    ).to.equal(false);
    expect(await caught(() => deleteResource(resource)), "second delete").to.be.instanceOf(
      ObjectNotFoundError,
    );
  });

  it("reports a missing object as ObjectNotFoundError and leaves the destination empty", async function () {
    const source = path.join(scratch, "small.bin");
    await writeFile(source, "small");
    const resource = await uploadFile(source, { storage: options });
    if (resource.resource.type !== "STORAGE_PROVIDER") throw new Error("expected a storage resource");
    await createStorage(options).delete(resource.resource.filepath);
    const destination = path.join(scratch, "missing");
    await mkdir(destination);
    const error = await caught(() => downloadResource(resource, destination));
    expect(error, "error").to.be.instanceOf(ObjectNotFoundError);
    expect((error as Error).message, "message").to.include(`bucket ${server.bucket} at ${server.endpoint}`);
    expect(await listing(destination), "destination").to.deep.equal([]);
  });

  it("reports a missing bucket and refused credentials as StorageErrors that say what to fix", async function () {
    const source = path.join(scratch, "refused.bin");
    await writeFile(source, "refused");
    const noBucket = await caught(() =>
      uploadFile(source, { storage: { ...options, bucket: "no-such-bucket" } }),
    );
    expect(noBucket, "missing bucket").to.be.instanceOf(StorageError);
    expect((noBucket as Error).message, "message").to.include("bucket does not exist");
    // s3rver checks the access key id (it does not verify v4 signatures).
    const wrongKey = await caught(() =>
      uploadFile(source, { storage: { ...options, accessKeyId: "NOT-A-KEY" }, filename: "w" }),
    );
    expect(wrongKey, "unknown access key").to.be.instanceOf(StorageError);
    expect((wrongKey as Error).message, "message").to.include("check the access key");
    expect(await createStorage(options).exists("w.encrypted"), "nothing stored").to.equal(false);
  });

  it("refuses a resource without S3 keys before contacting the server", async function () {
    const source = path.join(scratch, "keys.bin");
    await writeFile(source, "keys");
    const resource = await uploadFile(source, { storage: options });
    if (resource.resource.type !== "STORAGE_PROVIDER") throw new Error("expected a storage resource");
    const { secretKey: _secret, ...withoutSecret } = resource.resource.credentials;
    const requests = server.requests.length;
    const error = await caught(() =>
      downloadResource(
        { ...resource, resource: { ...resource.resource, credentials: withoutSecret } },
        scratch,
      ),
    );
    expect(error, "error").to.be.instanceOf(InputError);
    expect((error as InputError).field, "field").to.equal("resource.credentials.secretKey");
    expect(server.requests.length, "requests sent").to.equal(requests);
    const withKeys = await downloadResource(
      { ...resource, resource: { ...resource.resource, credentials: withoutSecret } },
      path.join(scratch, "with-keys"),
      { credentials: { secretKey: "S3RVER" } },
    );
    expect(await readFile(withKeys.path, "utf8"), "downloaded with keys passed as an option").to.equal(
      "keys",
    );
  });

  it("refuses bad S3 options with an InputError naming the option", function () {
    const attempts: [Partial<S3StorageOptions>, string][] = [
      [{ bucket: "" }, "bucket"],
      [{ secretAccessKey: "" }, "secretAccessKey"],
      [{ endpoint: "ftp://127.0.0.1" }, "endpoint"],
      [{ partSize: 1024 }, "partSize"],
      [{ prefix: "../up" }, "prefix"],
    ];
    for (const [change, field] of attempts) {
      let error: unknown;
      try {
        createStorage({ ...options, ...change });
      } catch (thrown) {
        error = thrown;
      }
      expect(error, `error for ${field}`).to.be.instanceOf(InputError);
      expect((error as InputError).field, "field").to.equal(field);
    }
  });
});
