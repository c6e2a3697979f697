import { expect } from "chai";

import {
  InputError,
  MarketplaceError,
  OfferGroup,
  OfferType,
  OrderStatus,
  PriceType,
  RuntimeType,
  TcbStatus,
  enumName,
  offerGroupOf,
  parseEnum,
} from "../src/index.js";

describe("enums", function () {
  it("the contracts' enums carry Super Protocol's values (docs/design.md §2), as the compiler numbers them", function () {
    expect(OfferType, "OfferType").to.deep.equal({ TeeOffer: 0, Storage: 1, Solution: 2, Data: 3 });
    expect(PriceType, "PriceType").to.deep.equal({ PerHour: 0, Fixed: 1 });
    expect(OrderStatus, "OrderStatus").to.deep.equal({
      New: 0,
      Processing: 1,
      Canceling: 2,
      Canceled: 3,
      Done: 4,
      Error: 5,
      Blocked: 6,
      Suspended: 7,
    });
    expect(RuntimeType, "RuntimeType").to.deep.equal({ Image: 0, Solution: 1, Data: 2 });
    expect(TcbStatus, "TcbStatus").to.deep.equal({ Active: 0, Superseded: 1, Expired: 2, Revoked: 3 });
  });

  describe("offerGroupOf", function () {
    it("puts Solution and Data in Input, TeeOffer in Processing, Storage in Output", function () {
      expect(offerGroupOf(OfferType.Solution), "group of Solution").to.equal(OfferGroup.Input);
      expect(offerGroupOf(OfferType.Data), "group of Data").to.equal(OfferGroup.Input);
      expect(offerGroupOf(OfferType.TeeOffer), "group of TeeOffer").to.equal(OfferGroup.Processing);
      expect(offerGroupOf(OfferType.Storage), "group of Storage").to.equal(OfferGroup.Output);
    });
  });

  describe("parseEnum", function () {
    it("accepts numbers, numeric strings and names", function () {
      expect(parseEnum(OfferType, 3, "offerType")).to.equal(OfferType.Data);
      expect(parseEnum(OfferType, "3", "offerType")).to.equal(OfferType.Data);
      expect(parseEnum(PriceType, "Fixed", "priceType")).to.equal(PriceType.Fixed);
    });

    it("rejects an unknown value, naming the field and the allowed values", function () {
      expect(() => parseEnum(OfferType, "9", "offer.offerType")).to.throw(
        InputError,
        'offer.offerType: "9" is not one of TeeOffer=0, Storage=1, Solution=2, Data=3.',
      );
      expect(() => parseEnum(PriceType, "hourly", "usage.priceType")).to.throw(InputError, "usage.priceType");
      expect(() => parseEnum(PriceType, null, "usage.priceType")).to.throw(InputError, "usage.priceType");
    });

    it("throws an InputError that carries the field and is a MarketplaceError", function () {
      let caught: unknown;
      try {
        parseEnum(OfferType, 1.5, "offerType");
      } catch (error) {
        caught = error;
      }
      expect(caught, "the error").to.be.instanceOf(MarketplaceError);
      expect((caught as InputError).field, "the error's field").to.equal("offerType");
      expect(() => parseEnum(OfferType, undefined, "offerType")).to.throw(
        InputError,
        "offerType: nothing is not",
      );
    });

    it("does not take inherited object keys for names", function () {
      expect(() => parseEnum(OrderStatus, "toString", "status")).to.throw(InputError, "status");
    });
  });

  describe("enumName", function () {
    it("names a value and rejects an unknown one", function () {
      expect(enumName(OrderStatus, 6)).to.equal("Blocked");
      expect(() => enumName(OrderStatus, 8)).to.throw(RangeError, "8 is not one of New=0");
    });
  });
});
