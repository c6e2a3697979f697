import { expect } from "chai";
import { decrypt as eciesjsDecrypt, encrypt as eciesjsEncrypt } from "eciesjs";
import { bytesToHex, hexToBytes, stringToBytes } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";

import {
  DecryptionError,
  InputError,
  MarketplaceError,
  decryptWithTeeKey,
  encryptForTee,
  teePublicKeyFromPrivateKey,
} from "../src/index.js";

const GENERATOR =
  "0x0479be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798" +
  "483ada7726a3c4655da4fbfc0e1108a8fd17b448a68554199c47d08ffb10d4b8";

describe("ecies", function () {
  const teeKey = generatePrivateKey();
  const publicKey = teePublicKeyFromPrivateKey(teeKey);

  describe("teePublicKeyFromPrivateKey", function () {
    it("gives the uncompressed point: G for key 1, and viem's public key for a random key", function () {
      expect(teePublicKeyFromPrivateKey(`0x${"00".repeat(31)}01`), "public key of 1").to.equal(GENERATOR);
      expect(publicKey, "public key").to.equal(privateKeyToAccount(teeKey).publicKey);
      expect(teePublicKeyFromPrivateKey(hexToBytes(teeKey)), "from bytes").to.equal(publicKey);
    });

    it("rejects a key that is not 32 bytes or out of range, without echoing it", function () {
      const error = (() => {
        try {
          teePublicKeyFromPrivateKey(`0x${"ff".repeat(32)}`);
        } catch (e) {
          return e as InputError;
        }
      })();
      expect(error, "error for a key above the curve order").to.be.instanceOf(InputError);
      expect(error?.field, "field").to.equal("privateKey");
      expect(error?.message, "message").to.not.include("ffff");
      expect(() => teePublicKeyFromPrivateKey("0x1234"))
        .to.throw(InputError, "privateKey: ")
        .and.match(/4 hex digits/);
    });
  });

  describe("encryptForTee / decryptWithTeeKey", function () {
    it("round-trips text (as UTF-8) for an uncompressed public key", function () {
      const text = '{"resource":"storj://datasets/9b1e77d0","note":"données ✓"}';
      const ciphertext = encryptForTee(publicKey, text);
      const plaintext = decryptWithTeeKey(teeKey, ciphertext);
      expect(new TextDecoder().decode(plaintext), "decrypted text").to.equal(text);
      expect(hexToBytes(ciphertext).length, "ciphertext size").to.equal(
        65 + 16 + 16 + stringToBytes(text).length,
      );
    });

    it("round-trips bytes for compressed and 64-byte public keys, given as hex or bytes", function () {
      const data = new Uint8Array([0, 1, 2, 254, 255]);
      const point = hexToBytes(publicKey);
      const compressed = new Uint8Array([point[64]! % 2 === 0 ? 2 : 3, ...point.subarray(1, 33)]);
      for (const [label, key] of [
        ["compressed hex", bytesToHex(compressed)],
        ["compressed bytes", compressed],
        ["64-byte", bytesToHex(point.subarray(1))],
        ["uncompressed bytes", point],
      ] as const) {
        const decrypted = decryptWithTeeKey(hexToBytes(teeKey), hexToBytes(encryptForTee(key, data)));
        expect(bytesToHex(decrypted), `decrypted with a ${label} public key`).to.equal(bytesToHex(data));
      }
    });

    it("keeps eciesjs' wire format: each side opens what the other encrypted (eciesjs as a dev dependency)", function () {
      const text = "the dataset's resource file";
      const ours = hexToBytes(encryptForTee(publicKey, text));
      expect(
        new TextDecoder().decode(eciesjsDecrypt(hexToBytes(teeKey), ours)),
        "eciesjs opens ours",
      ).to.equal(text);
      const theirs = eciesjsEncrypt(hexToBytes(publicKey), stringToBytes(text));
      expect(new TextDecoder().decode(decryptWithTeeKey(teeKey, theirs)), "we open eciesjs'").to.equal(text);
      expect(ours.length, "same size as eciesjs' ciphertext").to.equal(theirs.length);
    });

    it("a ciphertext whose ephemeral key is not a point fails with a DecryptionError", function () {
      const ciphertext = hexToBytes(encryptForTee(publicKey, "secret"));
      ciphertext.set(new Uint8Array(64), 1);
      expect(() => decryptWithTeeKey(teeKey, ciphertext)).to.throw(DecryptionError, "another public key");
    });

    it("takes a hex-looking string as text, not as bytes", function () {
      expect(
        new TextDecoder().decode(decryptWithTeeKey(teeKey, encryptForTee(publicKey, "0xcafe"))),
        "text",
      ).to.equal("0xcafe");
    });

    it("gives a different ciphertext every time", function () {
      expect(encryptForTee(publicKey, "same"), "second ciphertext").to.not.equal(
        encryptForTee(publicKey, "same"),
      );
    });

    it("fails with a DecryptionError, keeping the cause, for the wrong key or an altered ciphertext", function () {
      const ciphertext = encryptForTee(publicKey, "secret");
      for (const [label, key, data] of [
        ["another key", generatePrivateKey(), ciphertext],
        [
          "an altered ciphertext",
          teeKey,
          `${ciphertext.slice(0, -2)}${ciphertext.endsWith("00") ? "01" : "00"}`,
        ],
      ] as const) {
        let error: unknown;
        try {
          decryptWithTeeKey(key, data as `0x${string}`);
        } catch (e) {
          error = e;
        }
        expect(error, `error for ${label}`).to.be.instanceOf(DecryptionError);
        expect(error, `error for ${label}`).to.be.instanceOf(MarketplaceError);
        expect((error as DecryptionError).cause, `cause for ${label}`).to.be.instanceOf(Error);
        expect((error as DecryptionError).message, `message for ${label}`).to.match(/another public key/);
      }
    });

    it("rejects malformed public keys and ciphertexts with an InputError naming them", function () {
      expect(() => encryptForTee(`0x04${"00".repeat(64)}`, "x"))
        .to.throw(InputError, "publicKey: ")
        .and.match(/not a point on the curve/);
      expect(() => encryptForTee("0x1234", "x"))
        .to.throw(InputError, "publicKey: ")
        .and.match(/got 2 bytes/);
      expect(() => decryptWithTeeKey(teeKey, "0x1234")).to.throw(InputError, "ciphertext: is 2 bytes");
      expect(() => decryptWithTeeKey(teeKey, "zz" as `0x${string}`)).to.throw(InputError, "ciphertext: ");
    });
  });
});
