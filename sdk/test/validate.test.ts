import { expect } from "chai";

import { InputError, canonicalJson, toAddress, toBytes32, toHexBytes, toUint } from "../src/index.js";

const HASH = "b9de3d23d309364f3b8bbe7a76fcd9037fb12d6c984e5bd33e26fa3a66e21895";

describe("validate", function () {
  describe("toBytes32", function () {
    it("accepts 64 hex digits with or without 0x, in any case, and returns lowercase 0x hex", function () {
      expect(toBytes32(HASH, "hash"), "without 0x").to.equal(`0x${HASH}`);
      expect(toBytes32(`0x${HASH}`, "hash"), "with 0x").to.equal(`0x${HASH}`);
      expect(toBytes32(`0X${HASH.toUpperCase()}`, "hash"), "uppercase").to.equal(`0x${HASH}`);
      expect(toBytes32(new Uint8Array(32).fill(0xab), "hash"), "32 bytes").to.equal(`0x${"ab".repeat(32)}`);
    });

    it("rejects a wrong length, non-hex and non-strings, naming the field", function () {
      expect(() => toBytes32(`0x${HASH.slice(2)}`, "solutionHash")).to.throw(
        InputError,
        `solutionHash: expected a 32-byte hash: 64 hex digits, with or without 0x; got "0x${HASH.slice(2)}" (62 hex digits)`,
      );
      expect(() => toBytes32(`${HASH}00`, "solutionHash")).to.throw(InputError, "(66 hex digits)");
      expect(() => toBytes32(`${HASH.slice(1)}g`, "dataHash"))
        .to.throw(InputError, "dataHash: ")
        .and.match(/not hex/);
      expect(() => toBytes32(` ${HASH}`, "dataHash")).to.throw(InputError, "not hex");
      expect(() => toBytes32(42, "dataHash")).to.throw(InputError, "got 42");
      expect(() => toBytes32(undefined, "dataHash")).to.throw(InputError, "the field is missing");
      expect(() => toBytes32(new Uint8Array(31), "dataHash")).to.throw(InputError, "got 31 bytes");
    });
  });

  describe("toHexBytes", function () {
    it("accepts bytes and 0x hex (any case, even length) and returns lowercase 0x hex", function () {
      expect(toHexBytes(new Uint8Array([1, 2, 255]), "quote"), "bytes").to.equal("0x0102ff");
      expect(toHexBytes("0xCAFE", "quote"), "hex").to.equal("0xcafe");
      expect(toHexBytes("0x", "quote"), "empty").to.equal("0x");
    });

    it("rejects text, odd-length hex and other types, and tells how to send text", function () {
      expect(() => toHexBytes("cafe", "encryptedResult")).to.throw(InputError, "stringToHex");
      expect(() => toHexBytes("hello world", "encryptedResult")).to.throw(InputError, "encryptedResult: ");
      expect(() => toHexBytes("0xabc", "encryptedResult")).to.throw(InputError, "odd number of hex digits");
      expect(() => toHexBytes(12, "encryptedResult")).to.throw(InputError, "got 12");
    });

    it("enforces maxSize", function () {
      expect(toHexBytes(`0x${"00".repeat(4)}`, "info", { maxSize: 4 }), "at the cap").to.equal("0x00000000");
      expect(() => toHexBytes(`0x${"00".repeat(5)}`, "info", { maxSize: 4 })).to.throw(
        InputError,
        "info: is 5 bytes, more than the contract's cap of 4 bytes",
      );
    });
  });

  describe("toAddress", function () {
    const checksummed = "0x71bE63f3384f5fb98995898A86B02Fb2426c5788";

    it("accepts lowercase, uppercase and checksummed addresses and returns the checksum form", function () {
      expect(toAddress(checksummed.toLowerCase(), "a"), "lowercase").to.equal(checksummed);
      expect(toAddress(`0x${checksummed.slice(2).toUpperCase()}`, "a"), "uppercase").to.equal(checksummed);
      expect(toAddress(checksummed, "a"), "checksummed").to.equal(checksummed);
    });

    it("rejects a wrong checksum and non-addresses, naming the field", function () {
      const typo = checksummed.replace("bE", "Be");
      expect(() => toAddress(typo, "tokenReceiver"))
        .to.throw(InputError, "tokenReceiver: ")
        .and.match(/checksum/);
      expect(() => toAddress("0x1234", "tokenReceiver")).to.throw(
        InputError,
        'tokenReceiver: expected an address (0x and 40 hex digits), got "0x1234"',
      );
      expect(() => toAddress(undefined, "actionAccount")).to.throw(InputError, "actionAccount: ");
    });
  });

  describe("toUint", function () {
    it("accepts bigints, safe integers and decimal strings", function () {
      expect(toUint(5n, "n"), "bigint").to.equal(5n);
      expect(toUint(15000, "n", { bits: 32 }), "number").to.equal(15000n);
      expect(toUint("10485760", "n", { bits: 64 }), "string").to.equal(10485760n);
      expect(toUint(" 7 ", "n"), "string with spaces").to.equal(7n);
      expect(toUint("4294967295", "n", { bits: 32 }), "uint32 max").to.equal(4294967295n);
      const big = "340282366920938463463374607431768211455";
      expect(toUint(big, "price", { bits: 128 }), "uint128 max as a string").to.equal(BigInt(big));
    });

    it("rejects fractions, negatives, exponents and unsafe numbers with a clear message", function () {
      expect(() => toUint(1.5, "usage.minTimeMinutes", { bits: 32 })).to.throw(
        InputError,
        "usage.minTimeMinutes: expected a non-negative integer (uint32), got 1.5: fractions are not allowed",
      );
      expect(() => toUint("2.5", "usage.price", { bits: 128 })).to.throw(
        InputError,
        "fractions are not allowed",
      );
      expect(() => toUint(-1, "info.ram", { bits: 64 })).to.throw(
        InputError,
        "negative values are not allowed",
      );
      expect(() => toUint("-1", "info.ram", { bits: 64 })).to.throw(InputError, 'got "-1"');
      expect(() => toUint("1e3", "info.ram")).to.throw(InputError, 'got "1e3"');
      expect(() => toUint(2 ** 60, "info.ram", { bits: 64 })).to.throw(
        InputError,
        "write it as a decimal string",
      );
      expect(() => toUint(Number.NaN, "info.ram")).to.throw(InputError, "got NaN");
      expect(() => toUint(true, "info.ram")).to.throw(InputError, "got true");
      expect(() => toUint("", "info.ram")).to.throw(InputError, 'got ""');
    });

    it("rejects values that do not fit the width, naming the maximum", function () {
      expect(() => toUint("4294967296", "info.cpuCores", { bits: 32 })).to.throw(
        InputError,
        'info.cpuCores: expected a non-negative integer (uint32), got "4294967296": more than the uint32 maximum 4294967295',
      );
      expect(() => toUint(2n ** 256n, "orderId")).to.throw(InputError, "uint256 maximum");
    });

    it("applies min and the custom description", function () {
      const options = { min: 1n, expected: "an offer id (a positive integer)" };
      expect(() => toUint(0, "restrictions.offers[0]", options)).to.throw(
        InputError,
        "restrictions.offers[0]: expected an offer id (a positive integer), got 0",
      );
    });
  });

  describe("canonicalJson", function () {
    it("sorts keys at every level and drops whitespace", function () {
      expect(canonicalJson({ b: 1, a: { d: [2, { f: null, e: "x" }], c: true } }), "text").to.equal(
        '{"a":{"c":true,"d":[2,{"e":"x","f":null}]},"b":1}',
      );
    });

    it("orders keys by UTF-16 code units and escapes like JSON.stringify", function () {
      expect(canonicalJson({ b: 1, B: 2, "€": 3, "\u0001": 4 }), "text").to.equal(
        '{"\\u0001":4,"B":2,"b":1,"€":3}',
      );
    });

    it("writes bigints as decimal strings, leaves out undefined members, and rejects cycles", function () {
      expect(canonicalJson({ n: 10n, u: undefined }), "text").to.equal('{"n":"10"}');
      const cyclic: Record<string, unknown> = {};
      cyclic["self"] = cyclic;
      expect(() => canonicalJson(cyclic)).to.throw(
        InputError,
        "self: JSON cannot represent a cyclic structure",
      );
      expect(() => canonicalJson({ x: Infinity })).to.throw(InputError, "x: JSON cannot represent Infinity");
    });
  });
});
