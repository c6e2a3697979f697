import { expect } from "chai";
import { readFileSync } from "node:fs";

import {
  InputError,
  buildResourceFile,
  parseResourceEncryption,
  parseResourceFile,
  parseResourceLocation,
  parseResourceMetadata,
  toContentHash,
} from "../src/index.js";
import { fixtureJson } from "./support/json.js";
import { fixture } from "./support/paths.js";

const SOLUTION_HASH = "0xb9de3d23d309364f3b8bbe7a76fcd9037fb12d6c984e5bd33e26fa3a66e21895";
const DATASET_HASH = "0x8598805cd2136a4beff17559a7228854f6a8cc0b027856ea5c196fb8d0602501";

describe("resourceFile", function () {
  describe("parseResourceFile", function () {
    it("reads the hash, resource and encryption of solution.resource.json (object or text)", function () {
      const json = fixtureJson("solution.resource.json");
      const parsed = parseResourceFile(json);
      expect(parsed.hash, "hash").to.equal(SOLUTION_HASH);
      expect(parsed.resource, "resource").to.deep.equal(json["resource"]);
      expect(parsed.encryption, "encryption").to.deep.equal(json["encryption"]);
      expect(parsed.raw, "raw").to.deep.equal(json);
      const fromText = parseResourceFile(readFileSync(fixture("solution.resource.json"), "utf8"));
      expect(fromText.hash, "hash from text").to.equal(SOLUTION_HASH);
    });

    it("reads dataset.resource.json and leaves encryption out when the file has none", function () {
      const json = fixtureJson("dataset.resource.json");
      expect(parseResourceFile(json).hash, "hash").to.equal(DATASET_HASH);
      delete json["encryption"];
      expect(parseResourceFile(json), "parsed").to.not.have.property("encryption");
    });

    it("rejects another algorithm, encoding or hash length, naming the field", function () {
      const withHash = (hash: Record<string, unknown>) => ({
        ...fixtureJson("solution.resource.json"),
        hash,
      });
      const good = { algo: "sha256", encoding: "hex", hash: SOLUTION_HASH.slice(2) };
      expect(() => parseResourceFile(withHash({ ...good, algo: "md5" }))).to.throw(
        InputError,
        'hash.algo: expected "sha256", got "md5"',
      );
      expect(() => parseResourceFile(withHash({ ...good, encoding: "base64" }))).to.throw(
        InputError,
        'hash.encoding: expected "hex", got "base64"',
      );
      expect(() => parseResourceFile(withHash({ ...good, hash: "abcd" }))).to.throw(
        InputError,
        "hash.hash: expected a 32-byte hash",
      );
      expect(() => parseResourceFile({ resource: {} })).to.throw(InputError, "hash: expected {");
    });

    it("rejects a file without a resource section, non-objects and invalid JSON text", function () {
      const json = fixtureJson("solution.resource.json");
      delete json["resource"];
      expect(() => parseResourceFile(json)).to.throw(InputError, "resource: expected the storage section");
      expect(() => parseResourceFile([])).to.throw(
        InputError,
        "expected a *.resource.json object, got an array",
      );
      const error = (() => {
        try {
          parseResourceFile("{ not json");
        } catch (e) {
          return e;
        }
      })();
      expect(error, "error for invalid JSON").to.be.instanceOf(InputError);
      expect((error as InputError).field, "field").to.equal("");
      expect((error as InputError).message, "message").to.match(/not valid JSON/);
    });
  });

  describe("toContentHash", function () {
    it("takes a hash, a parsed resource file or a resource file object", function () {
      const json = fixtureJson("solution.resource.json");
      expect(toContentHash(SOLUTION_HASH.slice(2), "h"), "hex").to.equal(SOLUTION_HASH);
      expect(toContentHash(parseResourceFile(json), "h"), "parsed").to.equal(SOLUTION_HASH);
      expect(toContentHash(json, "h"), "object").to.equal(SOLUTION_HASH);
    });

    it("names the field and the path inside the resource file", function () {
      const json = fixtureJson("solution.resource.json");
      (json["hash"] as Record<string, unknown>)["algo"] = "sha1";
      expect(() => toContentHash(json, "solutionHash")).to.throw(InputError, "solutionHash.hash.algo: ");
      expect(() => toContentHash("nope", "solutionHash")).to.throw(InputError, "solutionHash: ");
    });
  });

  describe("parseResourceLocation", function () {
    it("reads the STORAGE_PROVIDER sections of both fixtures and a URL resource", function () {
      for (const name of ["solution.resource.json", "dataset.resource.json"]) {
        const json = fixtureJson(name);
        const location = parseResourceLocation(parseResourceFile(json).resource);
        expect(location, `${name} resource`).to.deep.equal(json["resource"]);
      }
      expect(
        parseResourceLocation({ type: "URL", url: "https://example.com/a.tar.gz" }),
        "URL",
      ).to.deep.equal({
        type: "URL",
        url: "https://example.com/a.tar.gz",
      });
    });

    it("names the field of an unknown type, storage type, missing filepath, credentials or URL", function () {
      const storage = { type: "STORAGE_PROVIDER", storageType: "S3", filepath: "f", credentials: {} };
      const cases: [unknown, string][] = [
        [{ ...storage, type: "IPFS" }, "resource.type"],
        [{ ...storage, storageType: "GCS" }, "resource.storageType"],
        [{ ...storage, storageType: "s3" }, "resource.storageType"],
        [{ ...storage, filepath: 7 }, "resource.filepath"],
        [{ ...storage, credentials: "token" }, "resource.credentials"],
        [{ type: "URL", url: "example.com/a" }, "resource.url"],
        [null, "resource"],
      ];
      for (const [section, field] of cases) {
        expect(() => parseResourceLocation(section), JSON.stringify(section)).to.throw(
          InputError,
          `${field}: `,
        );
      }
    });
  });

  describe("parseResourceEncryption", function () {
    const key = Buffer.alloc(32, 1).toString("base64");
    const gcm = {
      algo: "AES",
      cipher: "aes-256-gcm",
      key,
      iv: Buffer.alloc(12, 2).toString("base64"),
      mac: Buffer.alloc(16, 3).toString("base64"),
      encoding: "base64",
    };
    const ctr = {
      algo: "AES",
      encoding: "base64",
      cipher: "aes-256-ctr",
      iv: Buffer.alloc(16, 2).toString("base64"),
      key,
    };

    it("reads GCM with its tag, spctl's CTR without one, any cipher case, hex or base64", function () {
      expect(parseResourceEncryption(gcm), "GCM").to.deep.equal(gcm);
      expect(parseResourceEncryption({ ...ctr, cipher: "AES-256-CTR" }), "CTR in upper case").to.deep.equal({
        algo: "AES",
        cipher: "aes-256-ctr",
        key,
        iv: ctr.iv,
        encoding: "base64",
      });
      const hex = {
        ...gcm,
        encoding: "hex",
        key: "01".repeat(32),
        iv: "02".repeat(12),
        mac: "03".repeat(16),
      };
      expect(parseResourceEncryption(hex), "hex").to.deep.equal(hex);
    });

    it("checks the algorithm, cipher, encoding and every byte length, naming the field", function () {
      const cases: [Record<string, unknown>, string][] = [
        [{ ...gcm, algo: "ARIA" }, "encryption.algo"],
        [{ ...gcm, cipher: "aes-128-gcm" }, "encryption.cipher"],
        [{ ...gcm, cipher: undefined }, "encryption.cipher"],
        [{ ...gcm, encoding: "base58" }, "encryption.encoding"],
        [{ ...gcm, key: Buffer.alloc(31).toString("base64") }, "encryption.key"],
        [{ ...gcm, key: "not base64!" }, "encryption.key"],
        [{ ...gcm, iv: Buffer.alloc(16).toString("base64") }, "encryption.iv"],
        [{ ...gcm, mac: undefined }, "encryption.mac"],
        [{ ...gcm, mac: Buffer.alloc(12).toString("base64") }, "encryption.mac"],
        [{ ...ctr, iv: Buffer.alloc(12).toString("base64") }, "encryption.iv"],
      ];
      for (const [section, field] of cases) {
        expect(() => parseResourceEncryption(section), JSON.stringify(section)).to.throw(
          InputError,
          `${field}: `,
        );
      }
    });

    it("finds that the fixtures' encryption sections (no IV) cannot be decrypted", function () {
      const json = fixtureJson("solution.resource.json");
      expect(() => parseResourceEncryption(json["encryption"])).to.throw(
        InputError,
        "encryption.iv: expected a string",
      );
    });
  });

  describe("buildResourceFile", function () {
    it("writes Super Protocol's shape in spctl's key order, metadata first", function () {
      const resource = { type: "URL" as const, url: "https://example.com/solution.tar.gz" };
      const json = buildResourceFile({
        hash: SOLUTION_HASH,
        resource,
        metadata: {
          signatureKeyHash: { algo: "sha256", hash: "00".repeat(32), encoding: "hex" },
          hash: { algo: "sha256", hash: SOLUTION_HASH.slice(2), encoding: "hex" },
        },
      });
      expect(Object.keys(json), "keys").to.deep.equal(["hash", "signatureKeyHash", "resource"]);
      expect(json.hash, "hash").to.deep.equal({
        algo: "sha256",
        hash: SOLUTION_HASH.slice(2),
        encoding: "hex",
      });
      expect(parseResourceFile(json).hash, "reads back").to.equal(SOLUTION_HASH);
    });

    it("refuses metadata that would replace a section or names another hash, and a malformed hash", function () {
      const resource = { type: "URL" as const, url: "https://example.com/a" };
      expect(() => buildResourceFile({ hash: SOLUTION_HASH, resource, metadata: { resource: {} } })).to.throw(
        InputError,
        "metadata.resource: ",
      );
      expect(() => buildResourceFile({ hash: "abc", resource })).to.throw(InputError, "hash: ");
      const otherHash = { hash: { algo: "sha256", hash: "00".repeat(32), encoding: "hex" } };
      expect(() => buildResourceFile({ hash: SOLUTION_HASH, resource, metadata: otherHash })).to.throw(
        InputError,
        "metadata.hash: names 0x0000",
      );
      expect(() => parseResourceMetadata({ hash: { algo: "md5", hash: "00", encoding: "hex" } })).to.throw(
        InputError,
        "metadata.hash: expected {",
      );
    });
  });
});
