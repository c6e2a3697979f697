import { expect } from "chai";
import { BaseError, HttpRequestError } from "viem";

import {
  ContentHashMismatchError,
  EnvelopeMismatchError,
  ObjectNotFoundError,
  QuoteVerificationError,
  StorageError,
  ContractError,
  DecryptionError,
  FileFormatError,
  InputError,
  MarketplaceError,
  SolutionHashMismatchError,
  contractErrorMessage,
  contractErrorText,
  sdkRemedies,
} from "../src/index.js";

/**
 * Compiled by the type check (npm run typecheck), never called: `switch (error.errorName)` narrows
 * `error.args` to that error's parameters, and a wrong use is a compile error.
 */
export function narrowsArgs(error: unknown): bigint | undefined {
  if (!(error instanceof ContractError)) return undefined;
  switch (error.errorName) {
    case "OrderDepositTooLow":
      return error.args[1];
    case "TcbTeeKeyZero":
      // @ts-expect-error TcbTeeKeyZero has no arguments
      return error.args[0];
    case "SolutionHashMismatch": {
      // @ts-expect-error the expected hash is a Hex, not a bigint
      const wrong: bigint = error.args[1];
      return wrong;
    }
    default:
      return undefined;
  }
}

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

    it("is a viem BaseError: shortMessage, details from the cause, walk() to the cause", function () {
      const cause = new HttpRequestError({ url: "http://127.0.0.1:9", details: "connection refused" });
      const error = new MarketplaceError("Cannot read order 7.", { cause });
      expect(error, "the error").to.be.instanceOf(BaseError);
      expect(error.shortMessage, "shortMessage").to.equal("Cannot read order 7.");
      expect(error.details, "details").to.equal("connection refused");
      expect(
        error.walk((e) => e instanceof HttpRequestError),
        "walk",
      ).to.equal(cause);
      expect(error.message, "message: ours alone, without viem's version line").to.equal(
        "Cannot read order 7.",
      );
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
      const message = contractErrorMessage({
        errorName: "Example",
        args: ["encryptedArgs", true, [1n, 2n], { slotId: 3n }],
      });
      expect(message, "message").to.equal('Example("encryptedArgs", true, [1, 2], {"slotId":"3"})');
      expect(new ContractError({ errorName: "TcbTeeKeyZero", args: [] }).message, "no args").to.equal(
        "TcbTeeKeyZero()",
      );
    });

    it("instanceof works for the class and its subclass", function () {
      const mismatch = new SolutionHashMismatchError({
        suborderId: 2n,
        expected: `0x${"ab".repeat(32)}`,
        provided: `0x${"cd".repeat(32)}`,
      });
      expect(mismatch instanceof ContractError, "a SolutionHashMismatchError is a ContractError").to.equal(
        true,
      );
      expect(mismatch instanceof SolutionHashMismatchError, "and itself").to.equal(true);
      expect(
        new ContractError({ errorName: "Reverted", args: [] }) instanceof SolutionHashMismatchError,
      ).to.equal(false);
      expect(new MarketplaceError("x") instanceof ContractError, "a MarketplaceError is not").to.equal(false);
    });

    it("contractErrorText names a front end's commands in the advice instead of the SDK's calls", function () {
      const error = new ContractError({
        action: "Cannot publish a TCB",
        errorName: "TcbMeasurementNotAllowed",
        args: [`0x${"11".repeat(32)}`],
        hint: "Measurement ... (tcb.setMeasurement)",
      });
      const remedies = { ...sdkRemedies, setMeasurement: "tee-market tcb set-measurement" };
      const hinted = new ContractError({
        action: "Cannot publish a TCB",
        errorName: "TcbMeasurementNotAllowed",
        args: [`0x${"11".repeat(32)}`],
        hint: `Measurement 0x${"11".repeat(32)} is not on the allow-list; the TCB admin allows measurements (tcb.setMeasurement)`,
      });
      expect(contractErrorText(hinted, remedies), "the SDK's hint, renamed").to.include(
        "(tee-market tcb set-measurement)",
      );
      expect(contractErrorText(hinted, remedies), "without the SDK's name").not.to.include(
        "tcb.setMeasurement",
      );
      expect(contractErrorText(error, remedies), "a hint of its own is kept").to.include(
        "Measurement ... (tcb.setMeasurement)",
      );
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
        compared: { expected: "0x01", actual: "0x02" },
      });
      expect(error, "the error").to.be.instanceOf(MarketplaceError);
      expect(error.name, "name").to.equal("QuoteVerificationError");
      expect(error.message, "message").to.equal("ReportDataMismatch: the quote binds other keys");
      expect(error.reason, "reason").to.equal("ReportDataMismatch");
      expect(error.compared, "compared").to.deep.equal({ expected: "0x01", actual: "0x02" });
      expect(error.cause, "cause").to.equal(cause);
      expect(new QuoteVerificationError("DebugEnclave", "debug").compared, "nothing compared").to.deep.equal(
        {},
      );
    });
  });
  describe("EnvelopeMismatchError", function () {
    it("names the field and both values", function () {
      const error = new EnvelopeMismatchError("suborderId", "4", "9");
      expect(error, "the error").to.be.instanceOf(MarketplaceError);
      expect([error.field, error.expected, error.actual], "field and values").to.deep.equal([
        "suborderId",
        "4",
        "9",
      ]);
      expect(error.message, "message").to.match(/not for this suborderId: it names "9", this context "4"/);
      expect(new EnvelopeMismatchError("teeKey", "0x01", undefined).message, "a missing field").to.include(
        "names nothing",
      );
    });
  });
});
