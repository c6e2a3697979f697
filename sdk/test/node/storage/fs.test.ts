import { expect } from "chai";
import { createHash } from "node:crypto";
import { lstat, mkdir, mkdtemp, readFile, rm, stat, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { create as createTar } from "tar";

import {
  ContentHashMismatchError,
  DecryptionError,
  FileFormatError,
  InputError,
  ObjectNotFoundError,
  StorageError,
  type ResourceFileJson,
} from "../../../src/index.js";
import {
  type TransferProgress,
  createStorage,
  deleteResource,
  downloadResource,
  readResourceFile,
  uploadFile,
  writeResourceFile,
} from "../../../src/node/index.js";
import { caught, listing, readTree, writeTree } from "../../support/storage.js";

const TREE = {
  "readme.md": "hello",
  "data/": "",
  "data/part-1.csv": "a,b\n1,2\n",
  "data/nested/": "",
  "data/nested/deep.txt": "deep",
  "empty/": "",
  "é.txt": "accent",
};

function sha256(data: Uint8Array | string): string {
  return createHash("sha256").update(data).digest("hex");
}

/** The stored object of an FS resource, as a path. */
function objectPath(resource: ResourceFileJson): string {
  const { resource: location } = resource;
  if (location.type !== "STORAGE_PROVIDER") throw new Error("expected a storage resource");
  return path.join(location.credentials["bucket"] as string, location.filepath);
}

/** The resource with its encryption section changed. */
function withEncryption(resource: ResourceFileJson, change: Record<string, unknown>): ResourceFileJson {
  return { ...resource, encryption: { ...resource.encryption!, ...change } } as ResourceFileJson;
}

describe("node/storage: FS backend, uploadFile and downloadResource", function () {
  let scratch: string;
  let store: string;
  let content: Buffer;
  let source: string;

  beforeEach(async function () {
    scratch = await mkdtemp(path.join(tmpdir(), "tee-marketplace-storage-"));
    store = path.join(scratch, "store");
    content = Buffer.from(Array.from({ length: 300_000 }, (_, i) => (i * 31) % 251));
    source = path.join(scratch, "solution.bin");
    await writeFile(source, content);
  });

  afterEach(async function () {
    await rm(scratch, { recursive: true, force: true });
  });

  describe("round trips", function () {
    it("uploads a file encrypted with AES-256-GCM and downloads the same bytes", async function () {
      const resource = await uploadFile(source, { storage: { type: "FS", directory: store } });
      expect(resource.hash, "hash section").to.deep.equal({
        algo: "sha256",
        hash: sha256(content),
        encoding: "hex",
      });
      expect(Object.keys(resource), "sections in spctl's order").to.deep.equal([
        "hash",
        "encryption",
        "resource",
      ]);
      const { encryption } = resource;
      expect(Object.keys(encryption!), "encryption fields").to.deep.equal([
        "algo",
        "cipher",
        "key",
        "iv",
        "mac",
        "encoding",
      ]);
      expect(encryption?.algo, "algo").to.equal("AES");
      expect(encryption?.cipher, "cipher, lower case as the DTOs write it").to.equal("aes-256-gcm");
      expect(encryption?.encoding, "encoding").to.equal("base64");
      expect(Buffer.from(encryption!.key, "base64").length, "key bytes").to.equal(32);
      expect(Buffer.from(encryption!.iv, "base64").length, "IV bytes").to.equal(12);
      expect(Buffer.from(encryption!.mac!, "base64").length, "tag bytes").to.equal(16);
      expect(resource.resource.type, "resource type").to.equal("STORAGE_PROVIDER");
      if (resource.resource.type !== "STORAGE_PROVIDER") return;
      expect(resource.resource.storageType, "storage type").to.equal("FS");
      expect(resource.resource.filepath, "filepath").to.match(/^[0-9a-f]{16}\/solution\.bin\.encrypted$/);
      expect(resource.resource.credentials, "credentials").to.deep.equal({ bucket: store, prefix: "" });

      const stored = await readFile(objectPath(resource));
      expect(stored.length, "stored size (GCM adds nothing to the ciphertext)").to.equal(content.length);
      expect(stored.equals(content), "stored bytes differ from the plaintext").to.equal(false);

      const destination = path.join(scratch, "out");
      const result = await downloadResource(resource, destination);
      expect(result.path, "path").to.equal(path.join(destination, "solution.bin"));
      expect(result.hash, "hash").to.equal(`0x${sha256(content)}`);
      expect(result.bytes, "bytes").to.equal(content.length);
      expect((await readFile(result.path)).equals(content), "downloaded bytes").to.equal(true);
      expect(await listing(destination), "destination").to.deep.equal(["solution.bin"]);
    });

    it("gives each upload its own key and IV", async function () {
      const storage = createStorage({ type: "FS", directory: store });
      const first = await uploadFile(source, { storage });
      const second = await uploadFile(source, { storage });
      expect(first.encryption?.key, "keys").to.not.equal(second.encryption?.key);
      expect(first.encryption?.iv, "IVs").to.not.equal(second.encryption?.iv);
      expect(first.hash.hash, "same content hash").to.equal(second.hash.hash);
    });

    it("packs a directory as tar.gz and unpacks it back (nested, empty and non-ASCII entries)", async function () {
      const directory = path.join(scratch, "dataset");
      await writeTree(directory, TREE);
      const resource = await uploadFile(directory, { storage: { type: "FS", directory: store } });
      if (resource.resource.type !== "STORAGE_PROVIDER") throw new Error("expected a storage resource");
      expect(resource.resource.filepath, "filepath").to.match(/^[0-9a-f]{16}\/dataset\.tar\.gz\.encrypted$/);

      const destination = path.join(scratch, "review");
      const unpacked = await downloadResource(resource, destination, { unpack: true });
      expect(unpacked.path, "path").to.equal(path.join(destination, "dataset"));
      expect(await readTree(unpacked.path), "tree").to.deep.equal(TREE);
      expect(await listing(destination), "destination").to.deep.equal(["dataset"]);

      const archive = await downloadResource(resource, path.join(scratch, "archive"));
      expect(path.basename(archive.path), "archive name").to.equal("dataset.tar.gz");
      expect(sha256(await readFile(archive.path)), "hash covers the archive's bytes").to.equal(
        resource.hash.hash,
      );
    });

    it("stores the content in the clear with encrypt: false, and names the object after filename", async function () {
      const resource = await uploadFile(source, {
        storage: { type: "FS", directory: store },
        encrypt: false,
        filename: "solutions/v1.bin",
      });
      expect(resource.encryption, "encryption section").to.equal(undefined);
      expect("encryption" in resource, "no encryption key at all").to.equal(false);
      if (resource.resource.type !== "STORAGE_PROVIDER") throw new Error("expected a storage resource");
      expect(resource.resource.filepath, "filepath").to.equal("solutions/v1.bin");
      expect((await readFile(objectPath(resource))).equals(content), "stored bytes").to.equal(true);
      const { path: downloaded } = await downloadResource(resource, path.join(scratch, "out"));
      expect((await readFile(downloaded)).equals(content), "downloaded bytes").to.equal(true);
    });

    it("appends .encrypted to filename when encrypting, as spctl does", async function () {
      const resource = await uploadFile(source, {
        storage: { type: "FS", directory: store },
        filename: "s.bin",
      });
      if (resource.resource.type !== "STORAGE_PROVIDER") throw new Error("expected a storage resource");
      expect(resource.resource.filepath, "filepath").to.equal("s.bin.encrypted");
      expect(
        path.basename((await downloadResource(resource, path.join(scratch, "o"))).path),
        "name",
      ).to.equal("s.bin");
    });

    it("keeps the storage's prefix in the credentials and the key", async function () {
      const resource = await uploadFile(source, {
        storage: { type: "FS", directory: store, prefix: "team/a" },
        filename: "x",
      });
      if (resource.resource.type !== "STORAGE_PROVIDER") throw new Error("expected a storage resource");
      expect(resource.resource.credentials, "credentials").to.deep.equal({ bucket: store, prefix: "team/a" });
      expect((await stat(path.join(store, "team", "a", "x.encrypted"))).size, "object size").to.equal(
        content.length,
      );
      const { path: downloaded } = await downloadResource(resource, path.join(scratch, "o"));
      expect((await readFile(downloaded)).equals(content), "downloaded bytes").to.equal(true);
    });

    it("reports progress up to the file's size, then done", async function () {
      const uploads: TransferProgress[] = [];
      const downloads: TransferProgress[] = [];
      const resource = await uploadFile(source, {
        storage: { type: "FS", directory: store },
        onProgress: (event) => uploads.push(event),
      });
      await downloadResource(resource, path.join(scratch, "o"), {
        onProgress: (event) => downloads.push(event),
      });
      for (const [events, phase] of [
        [uploads, "upload"],
        [downloads, "download"],
      ] as const) {
        expect(events.length, `${phase} events`).to.be.greaterThan(2);
        expect(
          events.every((event) => event.phase === phase && event.total === content.length),
          `${phase} phase and total`,
        ).to.equal(true);
        expect(
          events.every((event, i) => i === 0 || event.bytes >= events[i - 1]!.bytes),
          `${phase} bytes never go back`,
        ).to.equal(true);
        expect(events.at(-1), `last ${phase} event`).to.deep.include({ bytes: content.length, done: true });
        expect(events.filter((event) => event.done).length, `${phase} done events`).to.equal(1);
      }
    });
  });

  describe("resource files", function () {
    it("are written with mode 0600, read back by readResourceFile, and never overwritten by default", async function () {
      const resource = await uploadFile(source, { storage: { type: "FS", directory: store } });
      const file = path.join(scratch, "solution.resource.json");
      await writeResourceFile(file, resource);
      expect((await stat(file)).mode & 0o777, "mode").to.equal(0o600);
      expect(JSON.parse(await readFile(file, "utf8")), "JSON").to.deep.equal(resource);
      const parsed = await readResourceFile(file);
      expect(parsed.hash, "parsed hash").to.equal(`0x${sha256(content)}`);
      const { path: downloaded } = await downloadResource(parsed, path.join(scratch, "o"));
      expect((await readFile(downloaded)).equals(content), "downloaded from the parsed file").to.equal(true);

      const again = await caught(() => writeResourceFile(file, resource));
      expect(again, "second write").to.be.instanceOf(InputError);
      expect((again as InputError).field, "field").to.equal("path");
      await writeResourceFile(file, { ...resource, note: "replaced" }, { overwrite: true });
      expect(JSON.parse(await readFile(file, "utf8")).note, "overwritten").to.equal("replaced");
      expect(await listing(scratch), "no temporary file left").to.deep.equal(
        ["solution.bin", "solution.resource.json", "store", "o"].sort(),
      );
    });

    it("carry metadata fields first, as spctl's --metadata does, and check a metadata hash", async function () {
      const metadata = {
        hash: { algo: "sha256", hash: sha256(content), encoding: "hex" },
        hardwareContext: { mrEnclave: { algo: "sha256", hash: "ab".repeat(32), encoding: "hex" } },
      };
      const resource = await uploadFile(source, { storage: { type: "FS", directory: store }, metadata });
      expect(Object.keys(resource), "keys").to.deep.equal([
        "hash",
        "hardwareContext",
        "encryption",
        "resource",
      ]);
      expect(resource["hardwareContext"], "hardwareContext").to.deep.equal(metadata.hardwareContext);

      const wrong = { hash: { algo: "sha256", hash: "00".repeat(32), encoding: "hex" } };
      const error = await caught(() =>
        uploadFile(source, { storage: { type: "FS", directory: store }, metadata: wrong, filename: "w" }),
      );
      expect(error, "error").to.be.instanceOf(ContentHashMismatchError);
      expect((error as ContentHashMismatchError).actual, "actual").to.equal(`0x${sha256(content)}`);
      expect(
        await createStorage({ type: "FS", directory: store }).exists("w.encrypted"),
        "object deleted again",
      ).to.equal(false);
    });

    it("refuse metadata that would replace a section, before storing anything", async function () {
      for (const key of ["resource", "encryption"]) {
        const error = await caught(() =>
          uploadFile(source, { storage: { type: "FS", directory: store }, metadata: { [key]: {} } }),
        );
        expect(error, `error for metadata.${key}`).to.be.instanceOf(InputError);
        expect((error as InputError).field, "field").to.equal(`metadata.${key}`);
      }
      expect(
        await lstat(store).then(
          () => true,
          () => false,
        ),
        "storage directory created",
      ).to.equal(false);
    });
  });

  describe("integrity: nothing is left behind", function () {
    let resource: ResourceFileJson;
    let destination: string;

    beforeEach(async function () {
      resource = await uploadFile(source, { storage: { type: "FS", directory: store } });
      destination = path.join(scratch, "out");
      await mkdir(destination);
    });

    it("rejects a wrong key with a DecryptionError", async function () {
      const wrongKey = withEncryption(resource, { key: Buffer.alloc(32, 7).toString("base64") });
      const error = await caught(() => downloadResource(wrongKey, destination));
      expect(error, "error").to.be.instanceOf(DecryptionError);
      expect((error as Error).message, "message").to.include(
        "key is wrong, or the object was altered or truncated",
      );
      expect(await listing(destination), "destination").to.deep.equal([]);
    });

    it("rejects a truncated object with a DecryptionError", async function () {
      const stored = await readFile(objectPath(resource));
      await writeFile(objectPath(resource), stored.subarray(0, stored.length - 1000));
      expect(await caught(() => downloadResource(resource, destination)), "error").to.be.instanceOf(
        DecryptionError,
      );
      expect(await listing(destination), "destination").to.deep.equal([]);
    });

    it("rejects one altered byte with a DecryptionError", async function () {
      const stored = await readFile(objectPath(resource));
      stored.writeUInt8(stored.readUInt8(12345) ^ 0x01, 12345);
      await writeFile(objectPath(resource), stored);
      expect(await caught(() => downloadResource(resource, destination)), "error").to.be.instanceOf(
        DecryptionError,
      );
      expect(await listing(destination), "destination").to.deep.equal([]);
    });

    it("rejects a resource whose hash is not the content's with a ContentHashMismatchError", async function () {
      const otherHash = { ...resource, hash: { ...resource.hash, hash: "11".repeat(32) } };
      const error = await caught(() => downloadResource(otherHash, destination));
      expect(error, "error").to.be.instanceOf(ContentHashMismatchError);
      expect((error as ContentHashMismatchError).expected, "expected").to.equal(`0x${"11".repeat(32)}`);
      expect((error as ContentHashMismatchError).actual, "actual").to.equal(`0x${sha256(content)}`);
      expect(await listing(destination), "destination").to.deep.equal([]);
    });

    it("rejects an object over maxBytes before reading it", async function () {
      const error = await caught(() =>
        downloadResource(resource, destination, { maxBytes: content.length - 1 }),
      );
      expect(error, "error").to.be.instanceOf(StorageError);
      expect((error as Error).message, "message").to.include("cap");
      expect(await listing(destination), "destination").to.deep.equal([]);
    });

    it("rejects unpack of content that is not a tar.gz archive with a FileFormatError", async function () {
      const error = await caught(() => downloadResource(resource, destination, { unpack: true }));
      expect(error, "error").to.be.instanceOf(FileFormatError);
      expect((error as Error).message, "message").to.include("not a gzip-compressed tar archive");
      expect(await listing(destination), "destination").to.deep.equal([]);
    });

    it("refuses archive entries that are links or leave the target, extracting nothing", async function () {
      const packing = path.join(scratch, "packing");
      await writeTree(packing, { "inner/ok.txt": "ok", "outside.txt": "escaped" });
      await symlink("/etc/passwd", path.join(packing, "inner", "link"));
      const cases: [string, string][] = [
        ["link", "SymbolicLink"],
        ["../outside.txt", "not a valid tar.gz archive"],
      ];
      for (const [entry, reason] of cases) {
        const archive = path.join(scratch, "evil.tar.gz");
        await createTar(
          { gzip: true, cwd: path.join(packing, "inner"), preservePaths: true, file: archive },
          ["ok.txt", entry],
        );
        const evil = await uploadFile(archive, { storage: { type: "FS", directory: store } });
        await rm(archive);
        const error = await caught(() => downloadResource(evil, destination, { unpack: true }));
        expect(error, `error for ${entry}`).to.be.instanceOf(FileFormatError);
        expect((error as Error).message, "message").to.include(reason);
        expect(await listing(destination), "destination").to.deep.equal([]);
        expect(await listing(scratch), "nothing extracted beside it").to.deep.equal([
          "out",
          "packing",
          "solution.bin",
          "store",
        ]);
      }
    });

    it("removes a destination directory it created when the download fails", async function () {
      const fresh = path.join(scratch, "new", "deeper");
      const wrongKey = withEncryption(resource, { key: Buffer.alloc(32, 7).toString("base64") });
      expect(await caught(() => downloadResource(wrongKey, fresh)), "error").to.be.instanceOf(
        DecryptionError,
      );
      expect(await listing(scratch), "scratch").to.deep.equal(["out", "solution.bin", "store"]);
    });

    it("refuses to replace an existing file at the destination", async function () {
      await writeFile(path.join(destination, "solution.bin"), "mine");
      const error = await caught(() => downloadResource(resource, destination));
      expect(error, "error").to.be.instanceOf(InputError);
      expect((error as InputError).field, "field").to.equal("destination");
      expect(await readFile(path.join(destination, "solution.bin"), "utf8"), "existing file").to.equal(
        "mine",
      );
    });
  });

  describe("refused writes and missing objects", function () {
    it("fails with a StorageError when the storage directory cannot be created, storing nothing", async function () {
      const blocker = path.join(scratch, "blocker");
      await writeFile(blocker, "a file where the storage's parent directory should be");
      const error = await caught(() =>
        uploadFile(source, { storage: { type: "FS", directory: path.join(blocker, "store") } }),
      );
      expect(error, "error").to.be.instanceOf(StorageError);
      expect((error as StorageError).storageType, "storage type").to.equal("FS");
      expect((error as Error).message, "message").to.match(/refused to write .*ENOTDIR/);
      expect(await listing(scratch), "scratch").to.deep.equal(["blocker", "solution.bin"]);
    });

    it("fails with a StorageError when the download destination cannot be written", async function () {
      const resource = await uploadFile(source, { storage: { type: "FS", directory: store } });
      const blocker = path.join(scratch, "blocker");
      await writeFile(blocker, "x");
      const error = await caught(() => downloadResource(resource, path.join(blocker, "out")));
      expect(error, "error").to.be.instanceOf(StorageError);
      expect((error as Error).message, "message").to.include("ENOTDIR");
      expect(await readFile(blocker, "utf8"), "the blocking file").to.equal("x");
    });

    it("reports a missing object as ObjectNotFoundError on download and delete", async function () {
      const resource = await uploadFile(source, { storage: { type: "FS", directory: store } });
      await deleteResource(resource);
      expect(await listing(store), "storage after delete (empty directories pruned)").to.deep.equal([]);
      const destination = path.join(scratch, "out");
      await mkdir(destination);
      const downloadError = await caught(() => downloadResource(resource, destination));
      expect(downloadError, "download error").to.be.instanceOf(ObjectNotFoundError);
      expect((downloadError as ObjectNotFoundError).key, "key").to.equal(
        (resource.resource as { filepath: string }).filepath,
      );
      expect(await listing(destination), "destination").to.deep.equal([]);
      expect(await caught(() => deleteResource(resource)), "delete error").to.be.instanceOf(
        ObjectNotFoundError,
      );
    });

    it("leaves nothing behind when an upload or a download is aborted midway", async function () {
      const uploadAbort = new AbortController();
      const upload = await caught(() =>
        uploadFile(source, {
          storage: { type: "FS", directory: store },
          signal: uploadAbort.signal,
          onProgress: ({ bytes }) => bytes > 100_000 && uploadAbort.abort(),
        }),
      );
      expect((upload as Error).name, "upload error").to.equal("AbortError");
      expect(await listing(store), "storage after an aborted upload").to.deep.equal([]);

      const resource = await uploadFile(source, { storage: { type: "FS", directory: store } });
      const destination = path.join(scratch, "out");
      await mkdir(destination);
      const downloadAbort = new AbortController();
      const download = await caught(() =>
        downloadResource(resource, destination, {
          signal: downloadAbort.signal,
          onProgress: ({ bytes }) => bytes > 100_000 && downloadAbort.abort(),
        }),
      );
      expect((download as Error).name, "download error").to.equal("AbortError");
      expect(await listing(destination), "destination after an aborted download").to.deep.equal([]);
    });

    it("refuses to overwrite an object that already exists", async function () {
      const storage = createStorage({ type: "FS", directory: store });
      await uploadFile(source, { storage, filename: "same" });
      const error = await caught(() => uploadFile(source, { storage, filename: "same" }));
      expect(error, "error").to.be.instanceOf(StorageError);
      expect((error as Error).message, "message").to.include("already has an object same.encrypted");
    });

    it("refuses a directory holding a symbolic link before storing anything", async function () {
      const directory = path.join(scratch, "linked");
      await writeTree(directory, { "real.txt": "x" });
      await symlink(path.join(directory, "real.txt"), path.join(directory, "link.txt"));
      const error = await caught(() => uploadFile(directory, { storage: { type: "FS", directory: store } }));
      expect(error, "error").to.be.instanceOf(InputError);
      expect((error as Error).message, "message").to.include("link.txt is a symbolic link");
      expect(
        await lstat(store).then(
          () => true,
          () => false,
        ),
        "storage directory created",
      ).to.equal(false);
    });
  });

  describe("keys cannot leave the storage", function () {
    const escapes = ["../escape", "a/../../escape", "/etc/escape", "./x", "a\\b", ""];

    it("refuses such a filename on upload, before any I/O", async function () {
      for (const filename of escapes) {
        const error = await caught(() =>
          uploadFile(source, { storage: { type: "FS", directory: store }, filename }),
        );
        expect(error, `error for ${JSON.stringify(filename)}`).to.be.instanceOf(InputError);
        expect((error as InputError).field, "field").to.equal("filename");
      }
      expect(await listing(scratch), "scratch").to.deep.equal(["solution.bin"]);
    });

    it("refuses such a filepath or prefix in a resource file", async function () {
      const resource = await uploadFile(source, { storage: { type: "FS", directory: store } });
      if (resource.resource.type !== "STORAGE_PROVIDER") throw new Error("expected a storage resource");
      await writeFile(path.join(scratch, "escape"), "outside");
      const location = resource.resource;
      for (const filepath of ["../escape", "/etc/passwd", "a/../../escape"]) {
        const error = await caught(() =>
          downloadResource({ ...resource, resource: { ...location, filepath } }, path.join(scratch, "o")),
        );
        expect(error, `error for filepath ${filepath}`).to.be.instanceOf(InputError);
        expect((error as InputError).field, "field").to.equal("resource.filepath");
        const deletion = await caught(() =>
          deleteResource({ ...resource, resource: { ...location, filepath } }),
        );
        expect(deletion, `delete error for filepath ${filepath}`).to.be.instanceOf(InputError);
      }
      const prefixed = { ...location, credentials: { ...location.credentials, prefix: "../.." } };
      const error = await caught(() =>
        downloadResource({ ...resource, resource: prefixed }, path.join(scratch, "o")),
      );
      expect(error, "error for a prefix").to.be.instanceOf(InputError);
      expect((error as InputError).field, "field").to.equal("prefix");
      expect(await readFile(path.join(scratch, "escape"), "utf8"), "file outside the storage").to.equal(
        "outside",
      );
    });

    it("refuses a download filename that is not one path segment", async function () {
      const resource = await uploadFile(source, { storage: { type: "FS", directory: store } });
      for (const filename of ["../x", "a/b", "..", ""]) {
        const error = await caught(() => downloadResource(resource, path.join(scratch, "o"), { filename }));
        expect(error, `error for ${JSON.stringify(filename)}`).to.be.instanceOf(InputError);
        expect((error as InputError).field, "field").to.equal("filename");
      }
    });
  });

  describe("storage types and credentials", function () {
    it("refuses an unknown storage type and STORJ with an InputError naming resource.storageType", async function () {
      const resource = await uploadFile(source, { storage: { type: "FS", directory: store } });
      for (const storageType of ["GCS", "fs", "STORJ"]) {
        const error = await caught(() =>
          downloadResource(
            { ...resource, resource: { ...resource.resource, storageType } },
            path.join(scratch, "o"),
          ),
        );
        expect(error, `error for ${storageType}`).to.be.instanceOf(InputError);
        expect((error as InputError).field, "field").to.equal("resource.storageType");
      }
    });

    it("refuses missing FS credentials with an InputError naming the field", async function () {
      const resource = await uploadFile(source, { storage: { type: "FS", directory: store } });
      const noBucket = { ...resource, resource: { ...resource.resource, credentials: { prefix: "" } } };
      const error = await caught(() => downloadResource(noBucket, path.join(scratch, "o")));
      expect(error, "error").to.be.instanceOf(InputError);
      expect((error as InputError).field, "field").to.equal("resource.credentials.bucket");
      const noCredentials = { ...resource, resource: { ...resource.resource, credentials: undefined } };
      const missing = await caught(() => downloadResource(noCredentials, path.join(scratch, "o")));
      expect((missing as InputError).field, "field without credentials").to.equal("resource.credentials");
      expect(await listing(scratch), "scratch").to.deep.equal(["solution.bin", "store"]);
    });

    it("refuses an unknown storage type in createStorage", function () {
      const error = (() => {
        try {
          createStorage({ type: "GCS" } as never);
        } catch (thrown) {
          return thrown;
        }
        return undefined;
      })();
      expect(error, "error").to.be.instanceOf(InputError);
      expect((error as InputError).field, "field").to.equal("storage.type");
    });
  });
});
