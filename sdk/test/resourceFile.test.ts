import { expect } from "chai";
import { readFileSync } from "node:fs";

import { InputError, parseResourceFile, toContentHash } from "../src/index.js";
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
});
