import { expect } from "chai";

import { InputError, PriceType, parseSlotInfo } from "../src/index.js";
import { fixtureJson } from "./support/json.js";

type Json = Record<string, Record<string, unknown>>;

function slotInfo(section: "info" | "usage" | "option", changes: Record<string, unknown>): Json {
  const json = fixtureJson("slot-info.json") as Json;
  return { ...json, [section]: { ...json[section], ...changes } };
}

describe("slotInfo", function () {
  describe("parseSlotInfo", function () {
    it("turns the guide's slot-info.json into the contract's structs", function () {
      expect(parseSlotInfo(fixtureJson("slot-info.json")), "slot").to.deep.equal({
        info: { cpuCores: 0, gpuCores: 0, diskUsage: 10485760n, ram: 0n, vram: 0n },
        usage: { price: 0n, priceType: PriceType.Fixed, minTimeMinutes: 15000, maxTimeMinutes: 0 },
        option: { bandwidth: 0n, traffic: 0n, externalPort: 0 },
      });
    });

    it("reads spctl's examples: option absent gives zeros, gpuCores and vram absent give 0", function () {
      const zeros = {
        info: { cpuCores: 0, gpuCores: 0, diskUsage: 0n, ram: 0n, vram: 0n },
        usage: { price: 0n, priceType: PriceType.PerHour, minTimeMinutes: 0, maxTimeMinutes: 0 },
        option: { bandwidth: 0n, traffic: 0n, externalPort: 0 },
      };
      expect(
        parseSlotInfo(fixtureJson("ctl.teeOfferSlot.example.json")),
        "TEE slot without option",
      ).to.deep.equal(zeros);
      expect(parseSlotInfo(fixtureJson("ctl.valueOfferSlot.example.json")), "value slot").to.deep.equal(
        zeros,
      );
    });

    it("takes numbers as strings, names and the full width of each type", function () {
      const json = {
        info: { cpuCores: "4294967295", gpuCores: 2, diskUsage: "18446744073709551615", ram: "8", vram: 16 },
        usage: {
          price: "79228162514264337593543950335",
          priceType: "PerHour",
          minTimeMinutes: "60",
          maxTimeMinutes: 120,
        },
        option: { bandwidth: "1000000", traffic: 5, externalPort: "4294967295" },
      };
      expect(parseSlotInfo(JSON.stringify(json)), "slot").to.deep.equal({
        info: { cpuCores: 4294967295, gpuCores: 2, diskUsage: 2n ** 64n - 1n, ram: 8n, vram: 16n },
        usage: {
          price: 2n ** 96n - 1n,
          priceType: PriceType.PerHour,
          minTimeMinutes: 60,
          maxTimeMinutes: 120,
        },
        option: { bandwidth: 1000000n, traffic: 5n, externalPort: 4294967295 },
      });
    });

    it("rejects values beyond the Solidity widths, naming the field", function () {
      expect(() => parseSlotInfo(slotInfo("info", { cpuCores: 2 ** 32 }))).to.throw(
        InputError,
        "info.cpuCores: expected a non-negative integer (uint32), got 4294967296: more than the uint32 maximum",
      );
      expect(() => parseSlotInfo(slotInfo("info", { diskUsage: "18446744073709551616" }))).to.throw(
        InputError,
        "info.diskUsage: ",
      );
      expect(() => parseSlotInfo(slotInfo("usage", { price: (2n ** 96n).toString() }))).to.throw(
        InputError,
        "usage.price: expected a non-negative integer (uint96)",
      );
      expect(parseSlotInfo(slotInfo("usage", { price: (2n ** 96n - 1n).toString() })).usage.price).to.equal(
        2n ** 96n - 1n,
      );
      expect(() => parseSlotInfo(slotInfo("option", { externalPort: 2 ** 32 }))).to.throw(
        InputError,
        "option.externalPort: ",
      );
    });

    it("rejects fractions, negatives and missing required fields with a clear message", function () {
      expect(() => parseSlotInfo(slotInfo("usage", { minTimeMinutes: 1.5 }))).to.throw(
        InputError,
        "usage.minTimeMinutes: expected a non-negative integer (uint32), got 1.5: fractions are not allowed",
      );
      expect(() => parseSlotInfo(slotInfo("usage", { price: "0.5" }))).to.throw(
        InputError,
        'usage.price: expected a non-negative integer (uint96), got "0.5": fractions are not allowed',
      );
      expect(() => parseSlotInfo(slotInfo("info", { ram: -1 }))).to.throw(InputError, "info.ram: ");
      expect(() => parseSlotInfo(slotInfo("info", { cpuCores: undefined }))).to.throw(
        InputError,
        "info.cpuCores: expected a non-negative integer (uint32), got nothing (the field is missing)",
      );
      expect(() => parseSlotInfo(slotInfo("option", { traffic: undefined }))).to.throw(
        InputError,
        "option.traffic: ",
      );
      expect(() => parseSlotInfo(slotInfo("usage", { priceType: "2" }))).to.throw(
        InputError,
        'usage.priceType: "2" is not one of PerHour=0, Fixed=1.',
      );
      const json = fixtureJson("slot-info.json");
      delete json["usage"];
      expect(() => parseSlotInfo(json)).to.throw(InputError, "usage: expected an object, got nothing");
    });

    it("rejects a minimum time above a non-zero maximum", function () {
      expect(() => parseSlotInfo(slotInfo("usage", { minTimeMinutes: 120, maxTimeMinutes: 60 }))).to.throw(
        InputError,
        "usage.minTimeMinutes: 120 is more than usage.maxTimeMinutes 60",
      );
      expect(
        parseSlotInfo(slotInfo("usage", { minTimeMinutes: 120, maxTimeMinutes: 0 })).usage.maxTimeMinutes,
        "no maximum",
      ).to.equal(0);
    });
  });
});
