import { expect } from "chai";
import { hexToString } from "viem";

import { InputError, canonicalJson, parseProviderInfo } from "../src/index.js";
import { fixtureJson } from "./support/json.js";

const ACCOUNT = "0x71bE63f3384f5fb98995898A86B02Fb2426c5788";

describe("providerInfo", function () {
  describe("parseProviderInfo", function () {
    it("reads spctl's provider example: the whole file as info, the two accounts checksummed", function () {
      const json = fixtureJson("ctl.providerInfo.example.json");
      const params = parseProviderInfo({ ...json, actionAccount: ACCOUNT.toLowerCase() });
      expect(params.actionAccount, "actionAccount").to.equal(ACCOUNT);
      expect(params.tokenReceiver, "tokenReceiver").to.equal(ACCOUNT);
      expect(hexToString(params.info), "info").to.equal(
        canonicalJson({ ...json, actionAccount: ACCOUNT.toLowerCase() }),
      );
    });

    it("rejects a missing or malformed account and an oversized file, naming the field", function () {
      const json = fixtureJson("ctl.providerInfo.example.json");
      expect(() => parseProviderInfo({ ...json, tokenReceiver: "" })).to.throw(
        InputError,
        'tokenReceiver: expected an address (0x and 40 hex digits), got ""',
      );
      expect(() => parseProviderInfo({ ...json, actionAccount: undefined })).to.throw(
        InputError,
        "actionAccount: expected an address",
      );
      expect(() => parseProviderInfo({ ...json, description: "x".repeat(5000) })).to.throw(
        InputError,
        "info: is ",
      );
      expect(() => parseProviderInfo("null")).to.throw(
        InputError,
        "expected the provider info object, got null",
      );
    });
  });
});
