import { expect } from "chai";
import { createHash } from "node:crypto";
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

/** Known vector: the directory hash of fixtures/dataset (format v1, see sha256Directory). */
const DATASET_DIRECTORY_HASH = "0x36e7b2e05409184197898aafbcb5697bb1749630f406dc90135de6d84105e23b";
const EMPTY_SHA256 = "0xe3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

function sha256Hex(data: Uint8Array | string): string {
  return createHash("sha256").update(data).digest("hex");
}

async function caught(fn: () => Promise<unknown>): Promise<unknown> {
  try {
    await fn();
  } catch (error) {
    return error;
  }
  return undefined;
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

  describe("sha256Directory", function () {
    it("matches the pinned vector for fixtures/dataset", async function () {
      expect(await sha256Directory(fixture("dataset")), "directory hash").to.equal(DATASET_DIRECTORY_HASH);
    });

    it("matches records rebuilt by hand: path NUL size NUL sha256 LF, sorted by path", async function () {
      const dir = fixture("dataset");
      const names = (await readdir(dir)).sort();
      let records = "";
      for (const name of names) {
        const content = await readFile(path.join(dir, name));
        records += `${name}\0${content.length}\0${sha256Hex(content)}\n`;
      }
      expect(names, "files of fixtures/dataset").to.deep.equal(["part-1.csv", "part-2.csv"]);
      expect(`0x${sha256Hex(records)}`, "hash rebuilt by hand").to.equal(DATASET_DIRECTORY_HASH);
    });

    it("walks subdirectories, sorts by UTF-8 bytes, and ignores empty directories", async function () {
      const dir = path.join(scratch, "tree");
      await mkdir(path.join(dir, "b", "c"), { recursive: true });
      await mkdir(path.join(dir, "empty"));
      await writeFile(path.join(dir, "a.txt"), "A");
      await writeFile(path.join(dir, "B.txt"), "upper");
      await writeFile(path.join(dir, "b", "c", "d.txt"), "deep");
      await writeFile(path.join(dir, "é.txt"), "accent");
      const files: [string, string][] = [
        ["B.txt", "upper"],
        ["a.txt", "A"],
        ["b/c/d.txt", "deep"],
        ["é.txt", "accent"],
      ];
      const records = files
        .map(([name, text]) => `${name}\0${Buffer.byteLength(text)}\0${sha256Hex(text)}\n`)
        .join("");
      expect(await sha256Directory(dir), "directory hash").to.equal(`0x${sha256Hex(records)}`);
      expect(await sha256Path(dir), "sha256Path of the directory").to.equal(`0x${sha256Hex(records)}`);
    });

    it("gives the sha256 of nothing for an empty directory", async function () {
      await mkdir(path.join(scratch, "nothing"));
      expect(await sha256Directory(path.join(scratch, "nothing")), "hash of an empty directory").to.equal(
        EMPTY_SHA256,
      );
    });

    it("rejects a symbolic link inside the tree and a path that is a file", async function () {
      const dir = path.join(scratch, "linked");
      await mkdir(dir);
      await writeFile(path.join(dir, "real.txt"), "x");
      await symlink(path.join(dir, "real.txt"), path.join(dir, "link.txt"));
      const error = await caught(() => sha256Directory(dir));
      expect(error, "error for a link").to.be.instanceOf(InputError);
      expect((error as InputError).message, "message").to.include("link.txt is a symbolic link");
      const fileError = await caught(() => sha256Directory(fixture("solution.bin")));
      expect(fileError, "error for a file").to.be.instanceOf(InputError);
      expect((fileError as InputError).message, "message").to.include("use sha256File");
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
        `${file}: usage.price: expected a non-negative integer (uint128), got "1.5": fractions are not allowed`,
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
