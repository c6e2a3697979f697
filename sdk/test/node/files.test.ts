import { expect } from "chai";
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { mkdtemp, mkdir, readFile, readdir, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import {
  FileFormatError,
  InputError,
  MarketplaceError,
  OfferType,
  parseResourceFile,
} from "../../src/index.js";
import {
  readOfferInfoFile,
  readProviderInfoFile,
  readResourceFile,
  readSlotInfoFile,
  sha256Directory,
  sha256File,
  sha256Path,
} from "../../src/node/index.js";
import { fixture } from "../support/paths.js";
import { caught } from "../support/storage.js";

/**
 * Known vectors of spctl's `files calculate-hash` format (see sha256Directory), computed
 * independently with this Python 3 program (`python3 dirhash.py <dir>`):
 *
 *   import hashlib, os, sys
 *   def tree(p):
 *       entries = []
 *       for name in os.listdir(p):
 *           full = os.path.join(p, name)
 *           if os.path.islink(full) or name in (".dirhash.json", ".file_placeholder"):
 *               continue
 *           h = tree(full) if os.path.isdir(full) else hashlib.sha256(open(full, "rb").read()).digest()
 *           entries.append(("sha256:%s:%s" % (h.hex(), name), name, h))
 *       entries.sort(key=lambda e: e[0].encode())
 *       return hashlib.sha256(b"".join(n.encode() + h for _, n, h in entries)).digest()
 *   root = os.path.abspath(sys.argv[1])
 *   print("sha256:" + hashlib.sha256(os.path.basename(root).encode() + tree(root)).hexdigest())
 */
const DATASET_DIRECTORY_HASH = "0x7f689e3f3e3f2ca4596c0542ea5e0352e802b6e9e1ff403eb119e949120e658f";
/** The tree VECTOR_TREE (plus a symbolic link and a .dirhash.json) in a directory named "vector". */
const VECTOR_DIRECTORY_HASH = "0x54705f51dd29033ec3fc29e15946accb950fc15bf3a534cba105fd6e79afb8dc";
const VECTOR_TREE: Record<string, string> = {
  "b.txt": "same",
  "a.txt": "same",
  "sub/deep.txt": "deep",
  "é.txt": "accent",
  ".hidden": "h",
};
const EMPTY_SHA256 = "0xe3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

function sha256Hex(data: Uint8Array | string): string {
  return createHash("sha256").update(data).digest("hex");
}

describe("node/files", function () {
  let scratch: string;

  before(async function () {
    scratch = await mkdtemp(path.join(tmpdir(), "tee-marketplace-sdk-"));
  });

  after(async function () {
    await rm(scratch, { recursive: true, force: true });
  });

  describe("sha256File", function () {
    it("equals the hash in solution.resource.json for solution.bin", async function () {
      const resource = parseResourceFile(
        JSON.parse(await readFile(fixture("solution.resource.json"), "utf8")),
      );
      expect(await sha256File(fixture("solution.bin")), "sha256 of solution.bin").to.equal(resource.hash);
    });

    it("hashes a file larger than one stream chunk like a one-shot hash, and an empty file", async function () {
      const big = new Uint8Array(300_000).map((_, i) => (i * 7) % 256);
      await writeFile(path.join(scratch, "big.bin"), big);
      await writeFile(path.join(scratch, "empty.bin"), "");
      expect(await sha256File(path.join(scratch, "big.bin")), "sha256 of big.bin").to.equal(
        `0x${sha256Hex(big)}`,
      );
      expect(await sha256File(path.join(scratch, "empty.bin")), "sha256 of an empty file").to.equal(
        EMPTY_SHA256,
      );
    });

    it("fails with an InputError naming the path when the file is missing", async function () {
      const error = await caught(() => sha256File(path.join(scratch, "missing.bin")));
      expect(error, "error").to.be.instanceOf(InputError);
      expect((error as InputError).message, "message")
        .to.include("missing.bin")
        .and.include("ENOENT");
    });
  });

  describe("sha256Directory (spctl's files calculate-hash)", function () {
    async function writeVector(root: string): Promise<void> {
      for (const [name, text] of Object.entries(VECTOR_TREE)) {
        await mkdir(path.dirname(path.join(root, name)), { recursive: true });
        await writeFile(path.join(root, name), text);
      }
      await mkdir(path.join(root, "empty"));
      await writeFile(path.join(root, ".dirhash.json"), "{}");
      await symlink("a.txt", path.join(root, "link"));
    }

    it("matches the pinned vector for fixtures/dataset", async function () {
      expect(await sha256Directory(fixture("dataset")), "directory hash").to.equal(DATASET_DIRECTORY_HASH);
    });

    it("matches fixtures/dataset rebuilt step by step: sorted entries, then the directory's name", async function () {
      const dir = fixture("dataset");
      const entries = (await readdir(dir)).map((name) => ({
        name,
        hash: createHash("sha256")
          .update(readFileSync(path.join(dir, name)))
          .digest(),
      }));
      expect(entries.map((entry) => entry.name).sort(), "files of fixtures/dataset").to.deep.equal([
        "part-1.csv",
        "part-2.csv",
      ]);
      entries.sort((a, b) =>
        `${a.hash.toString("hex")}:${a.name}` < `${b.hash.toString("hex")}:${b.name}` ? -1 : 1,
      );
      const tree = createHash("sha256");
      for (const { name, hash } of entries) tree.update(Buffer.from(name, "utf8")).update(hash);
      const root = createHash("sha256").update("dataset").update(tree.digest()).digest("hex");
      expect(`0x${root}`, "hash rebuilt by hand").to.equal(DATASET_DIRECTORY_HASH);
    });

    it("matches the pinned vector for a tree with a subdirectory, an empty one, equal files, a link and spctl's files", async function () {
      const root = path.join(scratch, "vector");
      await writeVector(root);
      expect(await sha256Directory(root), "directory hash").to.equal(VECTOR_DIRECTORY_HASH);
      expect(await sha256Path(root), "sha256Path of the directory").to.equal(VECTOR_DIRECTORY_HASH);

      // The same value, one step at a time: equal hashes (a.txt, b.txt) are ordered by name.
      const sha = (data: string | Buffer): Buffer => createHash("sha256").update(data).digest();
      const entry = (name: string, hash: Buffer) => ({
        name,
        hash,
        order: `sha256:${hash.toString("hex")}:${name}`,
      });
      const entries = [
        entry("a.txt", sha("same")),
        entry("b.txt", sha("same")),
        entry("sub", sha(Buffer.concat([Buffer.from("deep.txt"), sha("deep")]))),
        entry("empty", sha("")),
        entry("é.txt", sha("accent")),
        entry(".hidden", sha("h")),
      ].sort((a, b) => Buffer.compare(Buffer.from(a.order), Buffer.from(b.order)));
      const tree = sha(Buffer.concat(entries.flatMap(({ name, hash }) => [Buffer.from(name, "utf8"), hash])));
      expect(
        `0x${sha(Buffer.concat([Buffer.from("vector"), tree])).toString("hex")}`,
        "step by step",
      ).to.equal(VECTOR_DIRECTORY_HASH);
    });

    it("depends on the directory's name, and not on links or spctl's bookkeeping files", async function () {
      const renamed = path.join(scratch, "renamed");
      await writeVector(renamed);
      const hash = await sha256Directory(renamed);
      expect(hash, "another name").to.not.equal(VECTOR_DIRECTORY_HASH);
      await rm(path.join(renamed, "link"));
      await writeFile(path.join(renamed, ".file_placeholder"), "");
      expect(await sha256Directory(renamed), "without the link, with a placeholder").to.equal(hash);
      await writeFile(path.join(renamed, "sub", "deep.txt"), "changed");
      expect(await sha256Directory(renamed), "a changed file").to.not.equal(hash);
    });

    it("gives an empty directory the hash of its name over the sha256 of nothing", async function () {
      await mkdir(path.join(scratch, "nothing"));
      const expected = createHash("sha256")
        .update("nothing")
        .update(Buffer.from(EMPTY_SHA256.slice(2), "hex"));
      expect(await sha256Directory(path.join(scratch, "nothing")), "hash of an empty directory").to.equal(
        `0x${expected.digest("hex")}`,
      );
    });

    it("rejects a FIFO inside the tree, a path that is a file, and the file system root", async function () {
      const dir = path.join(scratch, "special");
      await mkdir(dir);
      expect(spawnSync("mkfifo", [path.join(dir, "pipe")]).status, "mkfifo").to.equal(0);
      const error = await caught(() => sha256Directory(dir));
      expect(error, "error for a FIFO").to.be.instanceOf(InputError);
      expect((error as InputError).message, "message").to.include("pipe is neither a regular file");
      const fileError = await caught(() => sha256Directory(fixture("solution.bin")));
      expect(fileError, "error for a file").to.be.instanceOf(InputError);
      expect((fileError as InputError).message, "message").to.include("use sha256File");
      expect(await caught(() => sha256Directory("/")), "error for the root").to.be.instanceOf(InputError);
    });
  });

  describe("sha256Path", function () {
    it("hashes a file as a file", async function () {
      expect(await sha256Path(fixture("solution.bin")), "sha256Path of a file").to.equal(
        await sha256File(fixture("solution.bin")),
      );
    });
  });

  describe("readers", function () {
    it("read the fixtures through the pure parsers", async function () {
      const dataset = await readResourceFile(fixture("dataset.resource.json"));
      const offer = await readOfferInfoFile(fixture("offer-info.json"), { contentHash: dataset });
      expect(offer.offerType, "offerType").to.equal(OfferType.Data);
      expect(offer.contentHash, "contentHash").to.equal(dataset.hash);
      expect((await readSlotInfoFile(fixture("slot-info.json"))).info.diskUsage, "diskUsage").to.equal(
        10485760n,
      );
      expect(
        (await readProviderInfoFile(fixture("ctl.providerInfo.example.json"))).tokenReceiver,
        "tokenReceiver",
      ).to.equal("0x71bE63f3384f5fb98995898A86B02Fb2426c5788");
    });

    it("wrap invalid JSON in a FileFormatError with the path, keeping the cause", async function () {
      const file = path.join(scratch, "broken.json");
      await writeFile(file, '{ "info": ');
      const error = await caught(() => readSlotInfoFile(file));
      expect(error, "error").to.be.instanceOf(FileFormatError);
      expect((error as FileFormatError).path, "path").to.equal(file);
      expect((error as FileFormatError).message, "message").to.match(
        new RegExp(`^${file}: not valid JSON: `),
      );
      expect((error as FileFormatError).cause, "cause").to.be.instanceOf(SyntaxError);
    });

    it("turn a bad field into a FileFormatError with the path and the field", async function () {
      const file = path.join(scratch, "slot.json");
      const json = JSON.parse(await readFile(fixture("slot-info.json"), "utf8"));
      json.usage.price = "1.5";
      await writeFile(file, JSON.stringify(json));
      const error = await caught(() => readSlotInfoFile(file));
      expect(error, "error").to.be.instanceOf(FileFormatError);
      expect((error as FileFormatError).field, "field").to.equal("usage.price");
      expect((error as FileFormatError).message, "message").to.equal(
        `${file}: usage.price: expected a non-negative integer (uint96), got "1.5": fractions are not allowed`,
      );
      expect((error as FileFormatError).cause, "cause").to.be.instanceOf(InputError);
    });

    it("report a missing content hash as the caller's argument, not as the file's", async function () {
      const error = await caught(() => readOfferInfoFile(fixture("offer-info.json")));
      expect(error, "error").to.be.instanceOf(InputError);
      expect(error, "error").to.not.be.instanceOf(FileFormatError);
      expect((error as InputError).field, "field").to.equal("contentHash");
    });

    it("fail with an InputError for a missing file and accept a UTF-8 BOM", async function () {
      const missing = await caught(() => readResourceFile(path.join(scratch, "none.resource.json")));
      expect(missing, "error for a missing file").to.be.instanceOf(MarketplaceError);
      const file = path.join(scratch, "bom.resource.json");
      await writeFile(file, `\uFEFF${await readFile(fixture("solution.resource.json"), "utf8")}`);
      expect((await readResourceFile(file)).hash, "hash of a file with a BOM").to.match(/^0xb9de3d23/);
    });
  });
});
