/**
 * `tee-market files` (upload, download, delete, hash) as a user runs it, the built bin in a child
 * process, with each storage of its own kind: FS (a temporary directory), S3 (s3rver, an
 * S3-compatible server started on 127.0.0.1) and URL (a static file server on 127.0.0.1). Then the
 * bad inputs, each one clear line on stderr with nothing half-written: a wrong key, a truncated
 * object, an unknown storage type, missing credentials, a full disk (the kernel's file size limit),
 * a delete outside the storage directory.
 */
import { expect } from "chai";
import { randomBytes } from "node:crypto";
import { copyFile, mkdir, mkdtemp, readFile, readdir, rm, stat, truncate, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { sha256Directory, sha256File } from "@tee-marketplace/sdk/node";

import {
  type S3Server,
  S3RVER_KEYS,
  readTree,
  startS3Server,
  writeTree,
} from "../../sdk/test/support/storage.js";
import { type CliRun, requireBuiltCli, runCli } from "./support/cli.js";
import { type FileServer, startFileServer } from "./support/fileServer.js";

/** What a resource file holds, as far as these tests read it. */
interface ResourceJson {
  hash: { algo: string; hash: string; encoding: string };
  encryption?: { algo: string; cipher: string; key: string; iv: string; mac: string; encoding: string };
  resource: {
    type: string;
    storageType?: string;
    filepath?: string;
    url?: string;
    credentials?: Record<string, string>;
  };
  [field: string]: unknown;
}

const DATASET = {
  "temperatures.csv": "month,celsius\n1,3.5\n2,4.1\n",
  "notes/": "",
  "notes/readme.txt": "monthly means\n",
  "empty/": "",
};

function ok(run: CliRun): string {
  expect(run.code, `exit code (stderr: ${run.stderr})`).to.equal(0);
  return run.stdout;
}

async function entries(directory: string): Promise<string[]> {
  return (await readdir(directory, { recursive: true })).map(String).sort();
}

describe("cli: files upload, download, delete and hash (FS, S3, URL)", function () {
  this.timeout(60_000);

  let tmp: string;
  let s3: S3Server;
  let web: FileServer;
  /** A file large enough for progress lines: 640 KiB. */
  const model = randomBytes(640 * 1024);

  const cli = (
    args: string[],
    options: { env?: Record<string, string>; cwd?: string; fileSizeLimit?: number } = {},
  ) => runCli(args, { cwd: options.cwd ?? tmp, ...options });
  const json = async <T = ResourceJson>(file: string): Promise<T> =>
    JSON.parse(await readFile(path.join(tmp, file), "utf8")) as T;

  before(async function () {
    requireBuiltCli();
    tmp = await mkdtemp(path.join(tmpdir(), "tee-market-cli-files-"));
    await writeTree(path.join(tmp, "dataset"), DATASET);
    await writeFile(path.join(tmp, "model.bin"), model);
    s3 = await startS3Server(path.join(tmp, "s3rver"));
    await mkdir(path.join(tmp, "www"));
    web = await startFileServer(path.join(tmp, "www"));
  });

  after(async function () {
    await web?.stop();
    await s3?.stop();
    if (tmp !== undefined) await rm(tmp, { recursive: true, force: true });
  });

  describe("FS storage", function () {
    it("uploads a directory as tar.gz into tee-market-storage/ beside the config, writing spctl's resource file (mode 0600)", async function () {
      const output = ok(
        await cli(["files", "upload", "dataset", "--output", "dataset.resource.json", "--use-addon"]),
      );
      expect(output, "line").to.include("Resource file was saved to dataset.resource.json");
      const resource = await json("dataset.resource.json");
      expect(resource.hash, "hash section").to.include({ algo: "sha256", encoding: "hex" });
      expect(resource.hash.hash, "64 hex digits").to.match(/^[0-9a-f]{64}$/);
      expect(resource.encryption, "Super Protocol's AES-GCM encryption section").to.include({
        algo: "AES",
        cipher: "aes-256-gcm",
        encoding: "base64",
      });
      expect(Buffer.from(resource.encryption?.key ?? "", "base64").length, "key bytes").to.equal(32);
      expect(Buffer.from(resource.encryption?.iv ?? "", "base64").length, "IV bytes").to.equal(12);
      expect(Buffer.from(resource.encryption?.mac ?? "", "base64").length, "tag bytes").to.equal(16);
      expect(resource.resource, "resource section").to.deep.include({
        type: "STORAGE_PROVIDER",
        storageType: "FS",
      });
      expect(resource.resource.filepath, "object name").to.match(
        /^[0-9a-f]{16}\/dataset\.tar\.gz\.encrypted$/,
      );
      expect(resource.resource.credentials, "FS credentials").to.deep.equal({
        bucket: path.join(tmp, "tee-market-storage"),
        prefix: "",
      });
      expect((await stat(path.join(tmp, "dataset.resource.json"))).mode & 0o777, "mode").to.equal(0o600);
      expect(await entries(path.join(tmp, "tee-market-storage")), "the stored object").to.deep.equal([
        path.dirname(resource.resource.filepath ?? ""),
        resource.resource.filepath,
      ]);
    });

    it("downloads it as uploaded (the archive, its sha256 the resource file's) and with --unpack as the directory", async function () {
      const resource = await json("dataset.resource.json");
      const archive = ok(await cli(["files", "download", "dataset.resource.json", "review", "--use-addon"]));
      expect(archive, "line").to.include("File was downloaded to review/dataset.tar.gz");
      expect(await sha256File(path.join(tmp, "review", "dataset.tar.gz")), "the archive's sha256").to.equal(
        `0x${resource.hash.hash}`,
      );
      ok(await cli(["files", "download", "dataset.resource.json", "review", "--unpack"]));
      expect(await readTree(path.join(tmp, "review", "dataset")), "the unpacked tree").to.deep.equal(DATASET);
    });

    it("uploads a file with spctl's --filename and --metadata, and --json prints the resource file", async function () {
      await writeFile(
        path.join(tmp, "meta.json"),
        JSON.stringify({ signatureKeyHash: { algo: "sha256" }, tag: "v1" }),
      );
      const run = await cli([
        "files",
        "upload",
        "model.bin",
        "--output",
        "model.resource.json",
        "--filename",
        "models/model.bin",
        "--metadata",
        "meta.json",
        "--json",
      ]);
      const printed = JSON.parse(ok(run)) as ResourceJson;
      expect(printed, "the JSON is the resource file").to.deep.equal(await json("model.resource.json"));
      expect(printed.resource.filepath, "--filename").to.equal("models/model.bin.encrypted");
      expect(printed, "--metadata fields").to.deep.include({
        tag: "v1",
        signatureKeyHash: { algo: "sha256" },
      });
      expect(Object.keys(printed), "spctl's key order: hash, metadata, encryption, resource").to.deep.equal([
        "hash",
        "signatureKeyHash",
        "tag",
        "encryption",
        "resource",
      ]);
    });

    it("reports progress on stderr: a line per 10% with bytes, rate and time left, and a last line", async function () {
      await writeFile(path.join(tmp, "big.bin"), randomBytes(4 * 1024 * 1024));
      const run = await cli(["files", "upload", "big.bin", "--output", "progress.resource.json"]);
      ok(run);
      const lines = run.stderr.trimEnd().split("\n");
      const steps = lines.filter((line) =>
        /^Uploading big\.bin: [0-9.]+ [KM]iB \/ 4\.0 MiB \(\d+%\)/.test(line),
      );
      expect(steps.length, `progress lines in:\n${run.stderr}`).to.be.within(7, 10);
      expect(
        steps.some((line) => /, [0-9.]+ [KMG]?i?B\/s, \d+s left$/.test(line)),
        "a line with the rate and the time left",
      ).to.equal(true);
      expect(lines.at(-1), "the last line").to.match(
        /^Uploading big\.bin: 4\.0 MiB in \d+s(, .*\/s)?, done$/,
      );
      expect(lines.length, "nothing else on stderr").to.equal(steps.length + 1);
    });

    it("stores the content in the clear with --skip-encryption (no encryption section)", async function () {
      ok(await cli(["files", "upload", "model.bin", "--output", "clear.resource.json", "--skip-encryption"]));
      const resource = await json("clear.resource.json");
      expect(resource, "no encryption section").not.to.have.property("encryption");
      const stored = path.join(tmp, "tee-market-storage", resource.resource.filepath ?? "");
      expect((await readFile(stored)).equals(model), "the stored object is the file").to.equal(true);
      ok(await cli(["files", "download", "clear.resource.json", "clear"]));
      expect((await readFile(path.join(tmp, "clear", "model.bin"))).equals(model), "downloaded").to.equal(
        true,
      );
    });

    it("never overwrites a resource file (it holds the only key of an upload): exit 2 before uploading", async function () {
      const before = await entries(path.join(tmp, "tee-market-storage"));
      const run = await cli(["files", "upload", "model.bin", "--output", "model.resource.json"]);
      expect(run.code, "exit code").to.equal(2);
      expect(run.errors, "one line").to.have.length(1);
      expect(run.errors[0], "message").to.include("model.resource.json already exists");
      expect(await entries(path.join(tmp, "tee-market-storage")), "nothing stored").to.deep.equal(before);
      const missing = await cli(["files", "upload", "no-such-dir", "--output", "x.resource.json"]);
      expect(missing.code, "a missing path: exit code").to.equal(2);
      expect(missing.errors[0], "names the path").to.include("no-such-dir");
    });

    it("files delete removes the object; a second delete says it is gone", async function () {
      const resource = await json("clear.resource.json");
      const output = ok(await cli(["files", "delete", "clear.resource.json", "--use-addon"]));
      expect(output, "line").to.include(`File ${resource.resource.filepath} was deleted from the storage`);
      const again = await cli(["files", "delete", "clear.resource.json"]);
      expect(again.code, "exit code").to.equal(1);
      expect(again.errors[0], "message").to.include("No object");
    });

    it("files delete refuses an FS object outside the storage directory and leaves it there", async function () {
      const elsewhere = path.join(tmp, "elsewhere");
      ok(
        await cli([
          "files",
          "upload",
          "model.bin",
          "--output",
          "other.resource.json",
          "--storage-dir",
          elsewhere,
        ]),
      );
      const resource = await json("other.resource.json");
      const object = path.join(elsewhere, resource.resource.filepath ?? "");
      const run = await cli(["files", "delete", "other.resource.json"]);
      expect(run.code, "exit code").to.equal(2);
      expect(run.errors, "one line").to.have.length(1);
      expect(run.errors[0], "message")
        .to.include(`outside the storage directory ${path.join(tmp, "tee-market-storage")}`)
        .and.include("--storage-dir");
      expect((await stat(object)).isFile(), "the object is still there").to.equal(true);

      // A resource file whose filepath climbs out of its bucket into the storage's parent is refused too.
      const climbing = {
        ...resource,
        resource: {
          ...resource.resource,
          credentials: { bucket: path.join(tmp, "tee-market-storage"), prefix: "" },
          filepath: "../model.bin",
        },
      };
      await writeFile(path.join(tmp, "climbing.resource.json"), JSON.stringify(climbing));
      const up = await cli(["files", "delete", "climbing.resource.json"]);
      expect(up.code, "a climbing filepath: exit code").to.equal(2);
      expect((await stat(path.join(tmp, "model.bin"))).isFile(), "the file it named is still there").to.equal(
        true,
      );

      ok(await cli(["files", "delete", "other.resource.json", "--storage-dir", elsewhere]));
      expect(await entries(elsewhere), "deleted inside its own directory").to.deep.equal([]);
    });
  });

  describe("S3 storage (s3rver on 127.0.0.1)", function () {
    let config: string;
    const keys = {
      TEE_MARKET_S3_ACCESS_KEY_ID: S3RVER_KEYS.accessKeyId,
      TEE_MARKET_S3_SECRET_ACCESS_KEY: S3RVER_KEYS.secretAccessKey,
    };

    before(async function () {
      config = path.join(tmp, "s3.json");
      await writeFile(
        config,
        JSON.stringify({
          storage: { type: "S3", bucket: s3.bucket, endpoint: s3.endpoint, prefix: "alice" },
        }),
      );
    });

    it("uploads to the config's S3 storage with the keys from the environment, and says the file holds them", async function () {
      const run = await cli(
        ["files", "upload", "dataset", "--config", config, "--output", "s3.resource.json"],
        { env: keys },
      );
      ok(run);
      expect(run.stderr, "the note on write keys").to.include(
        "s3.resource.json holds the storage's write keys",
      );
      const resource = await json("s3.resource.json");
      expect(resource.resource, "S3 resource").to.deep.include({
        type: "STORAGE_PROVIDER",
        storageType: "S3",
      });
      expect(resource.resource.credentials, "credentials").to.deep.equal({
        bucket: s3.bucket,
        prefix: "alice",
        endpoint: s3.endpoint,
        accessKeyId: S3RVER_KEYS.accessKeyId,
        secretKey: S3RVER_KEYS.secretAccessKey,
      });
      expect(
        s3.requests.some((line) => line.startsWith(`PUT /${s3.bucket}/alice/`)),
        "the object went to the bucket under the prefix",
      ).to.equal(true);
    });

    it("downloads it without any configuration (the resource file names its storage), and deletes it with the write keys", async function () {
      const elsewhere = await mkdtemp(path.join(tmpdir(), "tee-market-cli-bob-"));
      try {
        await copyFile(path.join(tmp, "s3.resource.json"), path.join(elsewhere, "s3.resource.json"));
        ok(await cli(["files", "download", "s3.resource.json", "out", "--unpack"], { cwd: elsewhere }));
        expect(await readTree(path.join(elsewhere, "out", "dataset")), "Bob's copy").to.deep.equal(DATASET);
      } finally {
        await rm(elsewhere, { recursive: true, force: true });
      }
      ok(await cli(["files", "delete", "s3.resource.json", "--config", config], { env: keys }));
      const gone = await cli(["files", "download", "s3.resource.json", "gone"]);
      expect(gone.code, "after the delete: exit code").to.equal(1);
      expect(await readdir(tmp), "no destination left").not.to.include("gone");
    });

    it("writes read-only keys into the resource file when they are configured, never the write keys", async function () {
      const run = await cli(
        ["files", "upload", "model.bin", "--config", config, "--output", "read.resource.json"],
        {
          env: {
            ...keys,
            TEE_MARKET_S3_READ_ACCESS_KEY_ID: "READONLY",
            TEE_MARKET_S3_READ_SECRET_ACCESS_KEY: "read-only-secret",
          },
        },
      );
      ok(run);
      expect(run.stderr, "no note").not.to.include("write keys");
      const { credentials } = (await json("read.resource.json")).resource;
      expect(credentials, "the read-only keys").to.include({
        accessKeyId: "READONLY",
        secretKey: "read-only-secret",
      });
      expect(JSON.stringify(credentials), "no write key").not.to.include(S3RVER_KEYS.secretAccessKey);
    });

    it("without keys: an upload names the variables (exit 2, nothing stored); a resource file without them names the field, and the configured keys fill it in", async function () {
      const before = [...s3.requests];
      const run = await cli([
        "files",
        "upload",
        "model.bin",
        "--config",
        config,
        "--output",
        "nokeys.resource.json",
      ]);
      expect(run.code, "exit code").to.equal(2);
      expect(run.errors, "one line").to.have.length(1);
      expect(run.errors[0], "message")
        .to.include("TEE_MARKET_S3_ACCESS_KEY_ID")
        .and.include("TEE_MARKET_S3_SECRET_ACCESS_KEY");
      expect(s3.requests, "no request to the server").to.deep.equal(before);
      expect(await readdir(tmp), "no resource file").not.to.include("nokeys.resource.json");

      const half = await cli(
        ["files", "upload", "model.bin", "--config", config, "--output", "half.resource.json"],
        {
          env: { TEE_MARKET_S3_ACCESS_KEY_ID: "S3RVER" },
        },
      );
      expect(half.code, "half a key pair: exit code").to.equal(2);
      expect(half.errors[0], "names the missing variable").to.include(
        "TEE_MARKET_S3_SECRET_ACCESS_KEY is missing",
      );

      const resource = await json("read.resource.json");
      const stripped = {
        ...resource,
        resource: {
          ...resource.resource,
          credentials: { bucket: s3.bucket, prefix: "alice", endpoint: s3.endpoint },
        },
      };
      await writeFile(path.join(tmp, "stripped.resource.json"), JSON.stringify(stripped));
      const missing = await cli(["files", "download", "stripped.resource.json", "stripped"]);
      expect(missing.code, "missing credentials: exit code").to.equal(2);
      expect(missing.errors[0], "names the field").to.include("resource.credentials.accessKeyId");
      expect(await readdir(tmp), "nothing downloaded").not.to.include("stripped");
      ok(
        await cli(["files", "download", "stripped.resource.json", "stripped", "--config", config], {
          env: keys,
        }),
      );
      expect(
        (await readFile(path.join(tmp, "stripped", "model.bin"))).equals(model),
        "with the keys filled in",
      ).to.equal(true);
    });
  });

  describe("URL storage (a file server on 127.0.0.1)", function () {
    it("downloads a resource file whose content is served over HTTP, and checks it", async function () {
      const resource = await json("model.resource.json");
      await mkdir(path.join(tmp, "www", "files"), { recursive: true });
      await copyFile(
        path.join(tmp, "tee-market-storage", resource.resource.filepath ?? ""),
        path.join(tmp, "www", "files", "model.bin.encrypted"),
      );
      const atUrl = { ...resource, resource: { type: "URL", url: `${web.url}/files/model.bin.encrypted` } };
      await writeFile(path.join(tmp, "url.resource.json"), JSON.stringify(atUrl));
      ok(await cli(["files", "download", "url.resource.json", "from-web"]));
      expect((await readFile(path.join(tmp, "from-web", "model.bin"))).equals(model), "downloaded").to.equal(
        true,
      );
      expect(web.requests, "fetched from the server").to.include("files/model.bin.encrypted");

      await writeFile(
        path.join(tmp, "gone.resource.json"),
        JSON.stringify({ ...atUrl, resource: { type: "URL", url: `${web.url}/files/missing` } }),
      );
      const missing = await cli(["files", "download", "gone.resource.json", "from-web-2"]);
      expect(missing.code, "a 404: exit code").to.equal(1);
      expect(missing.errors[0], "message").to.include("No file at").and.include("404");
      expect(await readdir(tmp), "nothing left").not.to.include("from-web-2");
    });

    it("is read-only: an upload to it is refused before reading anything (exit 2)", async function () {
      const run = await cli([
        "files",
        "upload",
        "model.bin",
        "--storage",
        "URL",
        "--output",
        "web.resource.json",
      ]);
      expect(run.code, "exit code").to.equal(2);
      expect(run.errors[0], "message").to.include("the URL storage is read-only");
      expect(await readdir(tmp), "no resource file").not.to.include("web.resource.json");
    });
  });

  describe("bad inputs leave nothing half-written", function () {
    it("a resource file with a wrong key: a decryption error, nothing at the destination", async function () {
      const resource = await json("model.resource.json");
      const wrong = {
        ...resource,
        encryption: { ...resource.encryption, key: randomBytes(32).toString("base64") },
      };
      await writeFile(path.join(tmp, "wrong-key.resource.json"), JSON.stringify(wrong));
      await mkdir(path.join(tmp, "wrong-key"));
      const run = await cli(["files", "download", "wrong-key.resource.json", "wrong-key"]);
      expect(run.code, "exit code").to.equal(1);
      expect(run.errors, "one line").to.have.length(1);
      expect(run.errors[0], "message").to.include("does not decrypt with the resource file's key");
      expect(await readdir(path.join(tmp, "wrong-key")), "the destination stays empty").to.deep.equal([]);
    });

    it("a truncated object: a decryption error (the GCM tag), nothing at the destination", async function () {
      ok(await cli(["files", "upload", "model.bin", "--output", "truncated.resource.json"]));
      const resource = await json("truncated.resource.json");
      await truncate(path.join(tmp, "tee-market-storage", resource.resource.filepath ?? ""), 1000);
      const run = await cli(["files", "download", "truncated.resource.json", "truncated"]);
      expect(run.code, "exit code").to.equal(1);
      expect(run.errors[0], "message").to.include("altered or truncated");
      expect(await readdir(tmp), "no destination left").not.to.include("truncated");
    });

    it("an unknown storage type in --storage, in the config file and in a resource file: exit 2, one line", async function () {
      const flag = await cli([
        "files",
        "upload",
        "model.bin",
        "--storage",
        "GCS",
        "--output",
        "gcs.resource.json",
      ]);
      expect(flag.code, "--storage: exit code").to.equal(2);
      expect(flag.errors, "--storage: one line").to.deep.equal([
        'Error: unknown storage type "GCS": use FS, S3, URL (--storage, or "storage.type" in the config file)',
      ]);
      await writeFile(path.join(tmp, "gcs.json"), JSON.stringify({ storage: { type: "GCS" } }));
      const config = await cli([
        "files",
        "upload",
        "model.bin",
        "--config",
        "gcs.json",
        "--output",
        "gcs.resource.json",
      ]);
      expect(config.code, "config: exit code").to.equal(2);
      expect(config.errors[0], "config: message").to.include('unknown storage type "GCS"');
      const typo = await cli([
        "files",
        "upload",
        "model.bin",
        "--config",
        "gcs.json",
        "--output",
        "gcs.resource.json",
      ]);
      expect(typo.errors, "the same line again").to.deep.equal(config.errors);

      const resource = await json("model.resource.json");
      await writeFile(
        path.join(tmp, "ipfs.resource.json"),
        JSON.stringify({ ...resource, resource: { ...resource.resource, storageType: "IPFS" } }),
      );
      const file = await cli(["files", "download", "ipfs.resource.json", "ipfs"]);
      expect(file.code, "resource file: exit code").to.equal(2);
      expect(file.errors[0], "resource file: names the field and the file")
        .to.include("ipfs.resource.json")
        .and.include("storageType");
      expect(await readdir(tmp), "nothing written").to.not.include.members(["gcs.resource.json", "ipfs"]);
    });

    it("a full disk: when the kernel refuses the writes (EFBIG), an upload and a download fail with one line and leave nothing", async function () {
      const storage = path.join(tmp, "full");
      const upload = await cli(
        ["files", "upload", "model.bin", "--storage-dir", storage, "--output", "full.resource.json"],
        { fileSizeLimit: 64 },
      );
      expect(upload.code, "upload: exit code").to.equal(1);
      expect(upload.errors, "upload: one line").to.have.length(1);
      expect(upload.errors[0], "upload: message").to.include("EFBIG").and.include("free space");
      expect(await entries(storage).catch(() => []), "nothing in the storage").to.deep.equal([]);
      expect(await readdir(tmp), "no resource file").not.to.include("full.resource.json");

      await mkdir(path.join(tmp, "full-download"));
      const download = await cli(["files", "download", "model.resource.json", "full-download"], {
        fileSizeLimit: 64,
      });
      expect(download.code, "download: exit code").to.equal(1);
      expect(download.errors, "download: one line").to.have.length(1);
      expect(download.errors[0], "download: message").to.include("EFBIG").and.include("free space");
      expect(await readdir(path.join(tmp, "full-download")), "nothing in the destination").to.deep.equal([]);
    });
  });

  describe("configuration and option errors", function () {
    it("a storage section that is not an object, has an unknown key or an empty value: exit 2, naming it", async function () {
      const cases: [unknown, string][] = [
        ["S3", '"storage" must be an object'],
        [{ type: "S3", bukket: "b" }, 'unknown key "storage.bukket"'],
        [{ type: "S3", bucket: "" }, '"storage.bucket" must be a non-empty string'],
      ];
      for (const [storage, message] of cases) {
        await writeFile(path.join(tmp, "bad-storage.json"), JSON.stringify({ storage }));
        const run = await cli([
          "files",
          "upload",
          "model.bin",
          "--config",
          "bad-storage.json",
          "--output",
          "bad.resource.json",
        ]);
        expect(run.code, `${JSON.stringify(storage)}: exit code`).to.equal(2);
        expect(run.errors[0], `${JSON.stringify(storage)}: message`).to.include(message);
      }
    });

    it("an S3 storage without a bucket, and --metadata that is not a JSON object: exit 2 before uploading", async function () {
      const bucketless = await cli(
        ["files", "upload", "model.bin", "--storage", "S3", "--output", "nb.resource.json"],
        {
          env: { TEE_MARKET_S3_ACCESS_KEY_ID: "S3RVER", TEE_MARKET_S3_SECRET_ACCESS_KEY: "S3RVER" },
        },
      );
      expect(bucketless.code, "no bucket: exit code").to.equal(2);
      expect(bucketless.errors[0], "no bucket: message").to.include(
        "S3 storage needs a bucket: --bucket <name>",
      );
      await writeFile(path.join(tmp, "list.json"), "[1, 2]");
      const before = await entries(path.join(tmp, "tee-market-storage"));
      const metadata = await cli([
        "files",
        "upload",
        "model.bin",
        "--metadata",
        "list.json",
        "--output",
        "md.resource.json",
      ]);
      expect(metadata.code, "metadata: exit code").to.equal(2);
      expect(metadata.errors[0], "metadata: message").to.include(
        "--metadata: list.json must hold a JSON object",
      );
      expect(await entries(path.join(tmp, "tee-market-storage")), "nothing stored").to.deep.equal(before);
    });

    it("a resource file that cannot be written (the disk full after the upload) takes the object back out of the storage", async function () {
      const storage = path.join(tmp, "small");
      await writeFile(path.join(tmp, "tiny.txt"), "tiny\n");
      const run = await cli(
        ["files", "upload", "tiny.txt", "--storage-dir", storage, "--output", "tiny.resource.json"],
        {
          fileSizeLimit: 1,
        },
      );
      expect(run.code, "exit code").to.equal(1);
      expect(run.errors, "one line").to.have.length(1);
      expect(run.errors[0], "message").to.include("Cannot write the resource file").and.include("EFBIG");
      expect(await entries(storage), "the object was removed again").to.deep.equal([]);
      expect(await readdir(tmp), "no resource file").not.to.include("tiny.resource.json");
    });
  });

  describe("files hash", function () {
    it("prints spctl's calculate-hash line for a directory and the content hash of a file (the resource file's)", async function () {
      const directory = ok(await cli(["files", "calculate-hash", "dataset"]));
      expect(directory, "a directory: spctl's hash").to.equal(
        `sha256:${(await sha256Directory(path.join(tmp, "dataset"))).slice(2)}\n`,
      );
      const file = ok(await cli(["files", "hash", "model.bin"]));
      const resource = await json("model.resource.json");
      expect(file, "a file: the resource file's hash").to.equal(`sha256:${resource.hash.hash}\n`);
      const both = ok(await cli(["files", "hash", "model.bin", "dataset"]));
      expect(both.trimEnd().split("\n"), "several: the path after each hash").to.deep.equal([
        `sha256:${resource.hash.hash}  model.bin`,
        `sha256:${(await sha256Directory(path.join(tmp, "dataset"))).slice(2)}  dataset/`,
      ]);
    });
  });
});
