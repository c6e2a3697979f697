import { expect } from "chai";
import { hexToString, zeroHash } from "viem";

import {
  InputError,
  MAX_ALLOWED_ACCOUNTS,
  MAX_RESTRICTED_OFFERS,
  OfferType,
  TeeType,
  canonicalJson,
  parseOfferInfo,
  parseResourceFile,
} from "../src/index.js";
import { fixtureJson } from "./support/json.js";

const DATASET_HASH = "0x8598805cd2136a4beff17559a7228854f6a8cc0b027856ea5c196fb8d0602501";
const ACCOUNT = "0x71bE63f3384f5fb98995898A86B02Fb2426c5788";

function offerInfo(changes: Record<string, unknown> = {}): Record<string, unknown> {
  return { ...fixtureJson("offer-info.json"), ...changes };
}

describe("offerInfo", function () {
  describe("parseOfferInfo", function () {
    it("turns the guide's data offer-info.json into OfferParams", function () {
      const json = offerInfo();
      const params = parseOfferInfo(json, { contentHash: fixtureJson("dataset.resource.json") });
      expect(params, "params").to.deep.equal({
        offerType: OfferType.Data,
        subType: 0,
        cancelable: false,
        contentHash: DATASET_HASH,
        allowedOfferIds: [],
        allowedOfferTypes: [],
        allowedAccounts: [],
        resultResource: "0x",
        info: params.info,
      });
      expect(hexToString(params.info), "info").to.equal(canonicalJson(json));
    });

    it("reads spctl's solution offer example, with object argsPublicKey and resultResource", function () {
      const json = fixtureJson("ctl.offerInfo.example.json");
      const params = parseOfferInfo(json, { contentHash: DATASET_HASH.slice(2) });
      expect(params.offerType, "offerType").to.equal(OfferType.Solution);
      expect(params.subType, "subType when absent").to.equal(0);
      expect(hexToString(params.resultResource), "resultResource").to.equal(
        canonicalJson(json["resultResource"]),
      );
      expect(JSON.parse(hexToString(params.info)), "info").to.deep.equal(json);
    });

    it("gives the same info for the same content in another key order or layout", function () {
      const json = offerInfo();
      const reordered = Object.fromEntries(Object.entries(json).reverse());
      const a = parseOfferInfo(json, { contentHash: DATASET_HASH });
      const b = parseOfferInfo(JSON.stringify(reordered, null, 4), { contentHash: DATASET_HASH });
      expect(b.info, "info").to.equal(a.info);
    });

    it("takes a string resultResource as its UTF-8 bytes, and null or absent as none", function () {
      const text = "storj://bucket/result.tar.gz";
      const params = parseOfferInfo(offerInfo({ resultResource: text }), { contentHash: DATASET_HASH });
      expect(hexToString(params.resultResource), "string resultResource").to.equal(text);
      const json = offerInfo();
      delete json["resultResource"];
      expect(parseOfferInfo(json, { contentHash: DATASET_HASH }).resultResource, "absent").to.equal("0x");
      expect(
        parseOfferInfo(offerInfo({ resultResource: null }), { contentHash: DATASET_HASH }).resultResource,
        "null",
      ).to.equal("0x");
      expect(() => parseOfferInfo(offerInfo({ resultResource: 5 }), { contentHash: DATASET_HASH })).to.throw(
        InputError,
        "resultResource: expected a string, an object",
      );
    });

    it("reads restrictions, allowed accounts and cancelable, with numbers as strings", function () {
      const params = parseOfferInfo(
        offerInfo({
          cancelable: "true",
          restrictions: { offers: ["7", 12], types: ["0", 2, "Data"], versions: [] },
          allowedAccounts: [ACCOUNT.toLowerCase()],
        }),
        { contentHash: DATASET_HASH },
      );
      expect(params.cancelable, "cancelable").to.equal(true);
      expect(params.allowedOfferIds, "allowedOfferIds").to.deep.equal([7n, 12n]);
      expect(params.allowedOfferTypes, "allowedOfferTypes").to.deep.equal([
        OfferType.TeeOffer,
        OfferType.Solution,
        OfferType.Data,
      ]);
      expect(params.allowedAccounts, "allowedAccounts").to.deep.equal([ACCOUNT]);
    });

    it("names the bad restriction entry", function () {
      const restrictions = { offers: ["1", "abc"], types: [] };
      expect(() => parseOfferInfo(offerInfo({ restrictions }), { contentHash: DATASET_HASH })).to.throw(
        InputError,
        'restrictions.offers[1]: expected an offer id (a positive integer), got "abc"',
      );
      expect(() =>
        parseOfferInfo(offerInfo({ restrictions: { offers: [0] } }), { contentHash: DATASET_HASH }),
      ).to.throw(InputError, "restrictions.offers[0]: expected an offer id (a positive integer), got 0");
      expect(() =>
        parseOfferInfo(offerInfo({ restrictions: { types: ["1", "7"] } }), { contentHash: DATASET_HASH }),
      ).to.throw(InputError, 'restrictions.types[1]: "7" is not one of TeeOffer=0');
      expect(() =>
        parseOfferInfo(offerInfo({ restrictions: { offers: "1" } }), { contentHash: DATASET_HASH }),
      ).to.throw(InputError, 'restrictions.offers: expected an array, got "1"');
      expect(() =>
        parseOfferInfo(offerInfo({ allowedAccounts: [ACCOUNT, "0x12"] }), { contentHash: DATASET_HASH }),
      ).to.throw(InputError, "allowedAccounts[1]: expected an address");
    });

    it("enforces the contract's caps on lists and blobs", function () {
      const offers = Array.from({ length: MAX_RESTRICTED_OFFERS + 1 }, (_, i) => i + 1);
      expect(() =>
        parseOfferInfo(offerInfo({ restrictions: { offers } }), { contentHash: DATASET_HASH }),
      ).to.throw(InputError, "restrictions.offers: 17 offer ids, more than the contract's cap of 16");
      const allowedAccounts = Array.from({ length: MAX_ALLOWED_ACCOUNTS + 1 }, () => ACCOUNT);
      expect(() => parseOfferInfo(offerInfo({ allowedAccounts }), { contentHash: DATASET_HASH })).to.throw(
        InputError,
        "allowedAccounts: 33 accounts, more than the contract's cap of 32",
      );
      expect(() =>
        parseOfferInfo(offerInfo({ description: "x".repeat(9000) }), { contentHash: DATASET_HASH }),
      ).to.throw(InputError, "info: is ");
      expect(() =>
        parseOfferInfo(offerInfo({ resultResource: "x".repeat(2049) }), { contentHash: DATASET_HASH }),
      ).to.throw(InputError, "resultResource: is 2049 bytes, more than the contract's cap of 2048 bytes");
    });

    it("requires a content hash for Solution and Data offers, not for TEE offers", function () {
      expect(() => parseOfferInfo(offerInfo())).to.throw(
        InputError,
        "contentHash: a Data offer needs the sha256 of its content",
      );
      expect(() => parseOfferInfo(offerInfo(), { contentHash: zeroHash })).to.throw(
        InputError,
        "contentHash: ",
      );
      expect(() => parseOfferInfo(offerInfo(), { contentHash: "0x1234" })).to.throw(
        InputError,
        "contentHash: expected a 32-byte hash",
      );
      const tee = parseOfferInfo(offerInfo({ offerType: "0", group: "1", subType: "TDX" }));
      expect(tee.contentHash, "TEE content hash").to.equal(zeroHash);
      expect(tee.subType, "TEE subtype").to.equal(TeeType.TDX);
      const withResource = parseOfferInfo(offerInfo(), {
        contentHash: parseResourceFile(fixtureJson("dataset.resource.json")),
      });
      expect(withResource.contentHash, "content hash from a parsed resource file").to.equal(DATASET_HASH);
    });

    it("rejects a bad offer type, subtype, group, cancelable or argsPublicKey, naming the field", function () {
      const options = { contentHash: DATASET_HASH };
      expect(() => parseOfferInfo(offerInfo({ offerType: "9" }), options)).to.throw(
        InputError,
        'offerType: "9" is not one of TeeOffer=0, Storage=1, Solution=2, Data=3.',
      );
      const json = offerInfo();
      delete json["offerType"];
      expect(() => parseOfferInfo(json, options)).to.throw(InputError, "offerType: nothing is not one of");
      expect(() => parseOfferInfo(offerInfo({ group: "1" }), options)).to.throw(
        InputError,
        'group: "1" does not match the offer type: Data offers are in group Input (0)',
      );
      expect(() => parseOfferInfo(offerInfo({ subType: "256" }), options)).to.throw(InputError, "subType: ");
      expect(() => parseOfferInfo(offerInfo({ offerType: "0", group: "1", subType: "9" }))).to.throw(
        InputError,
        'subType: "9" is not one of Default=0, SGX=1',
      );
      expect(() => parseOfferInfo(offerInfo({ cancelable: "yes" }), options)).to.throw(
        InputError,
        'cancelable: expected true or false, got "yes"',
      );
      expect(() => parseOfferInfo(offerInfo({ argsPublicKey: 1 }), options)).to.throw(
        InputError,
        "argsPublicKey: expected a string or an object",
      );
      expect(() => parseOfferInfo("[]", options)).to.throw(InputError, "expected the offer-info.json object");
    });
  });
});
