import { expect } from "chai";

import {
  ContentHashMismatchError,
  ContractError,
  DecryptionError,
  FileFormatError,
  InputError,
  MarketplaceError,
  ObjectNotFoundError,
  QuoteVerificationError,
  StorageError,
} from "../src/index.js";

describe("errors", function () {
  describe("MarketplaceError", function () {
    it("is an Error with its own name and keeps the cause", function () {
      const cause = new Error("low-level");
      const error = new MarketplaceError("Something failed.", { cause });
      expect(error, "the error").to.be.instanceOf(Error);
      expect(error.name, "name").to.equal("MarketplaceError");
      expect(error.message, "message").to.equal("Something failed.");
      expect(error.cause, "cause").to.equal(cause);
    });
  });

  describe("InputError", function () {
    it("puts the field before the detail and keeps both", function () {
      const error = new InputError(
        "restrictions.offers[1]",
        'expected an offer id (a positive integer), got "abc"',
      );
      expect(error, "the error").to.be.instanceOf(MarketplaceError);
      expect(error.name, "name").to.equal("InputError");
      expect(error.message, "message").to.equal(
        'restrictions.offers[1]: expected an offer id (a positive integer), got "abc"',
      );
      expect(error.field, "field").to.equal("restrictions.offers[1]");
      expect(error.detail, "detail").to.equal('expected an offer id (a positive integer), got "abc"');
    });

    it("has no field prefix for an error about the whole input", function () {
      expect(new InputError("", "expected a JSON object").message, "message").to.equal(
        "expected a JSON object",
      );
    });
  });

  describe("FileFormatError", function () {
    it("is an InputError whose message starts with the path", function () {
      const error = new FileFormatError("./slot-info.json", "usage.price", "expected a non-negative integer");
      expect(error, "the error").to.be.instanceOf(InputError);
      expect(error.name, "name").to.equal("FileFormatError");
      expect(error.path, "path").to.equal("./slot-info.json");
      expect(error.field, "field").to.equal("usage.price");
      expect(error.message, "message").to.equal(
        "./slot-info.json: usage.price: expected a non-negative integer",
      );
    });
  });

  describe("ContractError", function () {
    it("carries the Solidity error name and args and formats them after the action", function () {
      const expected = `0x${"ab".repeat(32)}` as const;
      const provided = `0x${"cd".repeat(32)}` as const;
      const cause = new Error("execution reverted");
      const error = new ContractError({
        action: "Suborder 12 cannot be completed",
        errorName: "SolutionHashMismatch",
        args: [12n, expected, provided],
        hint: "Complete it with the solution hash the order committed to.",
        cause,
      });
      expect(error, "the error").to.be.instanceOf(MarketplaceError);
      expect(error.name, "name").to.equal("ContractError");
      expect(error.errorName, "errorName").to.equal("SolutionHashMismatch");
      expect(error.args, "args").to.deep.equal([12n, expected, provided]);
      expect(error.cause, "cause").to.equal(cause);
      expect(error.message, "message").to.equal(
        `Suborder 12 cannot be completed: SolutionHashMismatch(12, ${expected}, ${provided}). ` +
          "Complete it with the solution hash the order committed to.",
      );
    });

    it("formats strings, booleans, arrays and structs", function () {
      const error = new ContractError({
        errorName: "Example",
        args: ["encryptedArgs", true, [1n, 2n], { slotId: 3n }],
      });
      expect(error.message, "message").to.equal('Example("encryptedArgs", true, [1, 2], {"slotId":"3"})');
      expect(new ContractError({ errorName: "TcbTeeKeyZero" }).args, "args without any").to.deep.equal([]);
    });
  });

  describe("DecryptionError", function () {
    it("is a MarketplaceError", function () {
      const error = new DecryptionError("does not decrypt");
      expect(error, "the error").to.be.instanceOf(MarketplaceError);
      expect(error.name, "name").to.equal("DecryptionError");
    });
  });

  describe("ContentHashMismatchError", function () {
    it("carries both hashes and puts them in the message before the hint", function () {
      const expected = `0x${"11".repeat(32)}` as const;
      const actual = `0x${"22".repeat(32)}` as const;
      const error = new ContentHashMismatchError({
        expected,
        actual,
        what: "The download",
        hint: "Check it.",
      });
      expect(error, "the error").to.be.instanceOf(MarketplaceError);
      expect(error.name, "name").to.equal("ContentHashMismatchError");
      expect([error.expected, error.actual], "hashes").to.deep.equal([expected, actual]);
      expect(error.message, "message").to.equal(
        `The download: its sha256 is ${actual}, expected ${expected}. Check it.`,
      );
    });
  });

  describe("StorageError and ObjectNotFoundError", function () {
    it("name the storage type and key and keep the cause", function () {
      const cause = new Error("ENOSPC");
      const error = new StorageError({ storageType: "FS", key: "a/b", message: "No space.", cause });
      expect(error, "the error").to.be.instanceOf(MarketplaceError);
      expect([error.name, error.storageType, error.key, error.message], "fields").to.deep.equal([
        "StorageError",
        "FS",
        "a/b",
        "No space.",
      ]);
      expect(error.cause, "cause").to.equal(cause);
      const missing = new ObjectNotFoundError({ storageType: "S3", key: "k", message: "No object k." });
      expect(missing, "a missing object").to.be.instanceOf(StorageError);
      expect(missing.name, "name").to.equal("ObjectNotFoundError");
    });
  });

  describe("QuoteVerificationError", function () {
    it("puts the reason first and keeps the reason, the compared values and the cause", function () {
      const cause = new Error("low-level");
      const error = new QuoteVerificationError("ReportDataMismatch", "the quote binds other keys", {
        cause,
        details: { expected: "0x01", actual: "0x02" },
      });
      expect(error, "the error").to.be.instanceOf(MarketplaceError);
      expect(error.name, "name").to.equal("QuoteVerificationError");
      expect(error.message, "message").to.equal("ReportDataMismatch: the quote binds other keys");
      expect(error.reason, "reason").to.equal("ReportDataMismatch");
      expect(error.details, "details").to.deep.equal({ expected: "0x01", actual: "0x02" });
      expect(error.cause, "cause").to.equal(cause);
      expect(new QuoteVerificationError("DebugEnclave", "debug").details, "no details").to.deep.equal({});
    });
  });
});
