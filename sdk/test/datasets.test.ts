import { expect } from "chai";
import fc from "fast-check";
import { createPublicClient, hexToString } from "viem";

import {
  MAX_KEYWORDS,
  MAX_KEYWORD_LENGTH,
  MAX_YEAR_SPAN,
  OfferType,
  checkDiscoveryFields,
  coveredYears,
  keywordSimilarity,
  normalizeKeyword,
  parseKeywords,
  parseOfferInfo,
  readDatasetInfo,
  similarityOf,
  createMarketplaceContext,
  similarityThreshold,
  updateOfferInfoCall,
} from "../src/index.js";
import { fixtureJson } from "./support/json.js";
import { OFFLINE_DEPLOYMENT, OFFLINE_TRANSPORT } from "./support/offline.js";
import { inputErrorOf } from "./support/rejections.js";

const DATASET_HASH = "0x8598805cd2136a4beff17559a7228854f6a8cc0b027856ea5c196fb8d0602501";
const DATASET = {
  records: 50000,
  timeRange: { from: "2025-01-01", to: "2025-12-31" },
  format: "csv",
  license: "cc-by-4.0",
  languages: ["en"],
  modalities: "Tabular",
  size: "7340032",
};

describe("datasets", function () {
  describe("normalizeKeyword and parseKeywords", function () {
    it("compares keywords by NFKC, trimmed, single-spaced, lower-case text", function () {
      expect(normalizeKeyword("  Customer \t Feedback "), "spaces and case").to.equal("customer feedback");
      expect(normalizeKeyword("ﬁle"), "NFKC folds the ligature").to.equal("file");
      expect(parseKeywords(["Feedback", "feedback ", "2025"], "keywords"), "duplicates").to.deep.equal([
        "feedback",
        "2025",
      ]);
      expect(parseKeywords("feedback, 2025", "keywords"), "a comma-separated string").to.deep.equal([
        "feedback",
        "2025",
      ]);
    });

    it("refuses empty, too long, too many, non-string keywords and control characters, naming the field", function () {
      expect(inputErrorOf(() => parseKeywords(["ok", "  "], "keywords")).field, "empty").to.equal(
        "keywords[1]",
      );
      const longest = "k".repeat(MAX_KEYWORD_LENGTH);
      expect(parseKeywords([longest], "keywords"), "at the length cap").to.deep.equal([longest]);
      expect(inputErrorOf(() => parseKeywords([`${longest}k`], "keywords")).field, "over the cap").to.equal(
        "keywords[0]",
      );
      const many = Array.from({ length: MAX_KEYWORDS }, (_, i) => `k${i}`);
      expect(parseKeywords(many, "keywords"), "at the count cap").to.have.length(MAX_KEYWORDS);
      expect(
        inputErrorOf(() => parseKeywords([...many, "one more"], "keywords")).field,
        "over the count",
      ).to.equal("keywords");
      expect(inputErrorOf(() => parseKeywords(["a", 3], "keywords")).field, "a number").to.equal(
        "keywords[1]",
      );
      expect(inputErrorOf(() => parseKeywords({ a: 1 }, "keywords")).field, "an object").to.equal("keywords");
      expect(inputErrorOf(() => parseKeywords(["nul\u0000byte"], "q")).message, "NUL").to.match(
        /control characters/,
      );
    });
  });

  describe("checkDiscoveryFields (parseOfferInfo, updateOfferInfo)", function () {
    it("accepts an offer-info.json with keywords and dataset metadata, which stay in the info blob", function () {
      const json = { ...fixtureJson("offer-info.json"), keywords: ["feedback"], dataset: DATASET };
      const params = parseOfferInfo(json, { contentHash: DATASET_HASH });
      expect(params.offerType, "offer type").to.equal(OfferType.Data);
      expect(JSON.parse(hexToString(params.info)), "info blob").to.deep.equal(json);
    });

    it("keeps files without the new fields valid", function () {
      expect(() =>
        parseOfferInfo(fixtureJson("offer-info.json"), { contentHash: DATASET_HASH }),
      ).not.to.throw();
      expect(() => checkDiscoveryFields({}), "no discovery fields").not.to.throw();
    });

    it("refuses malformed metadata before anything is sent, naming the field", function () {
      const cases: [Record<string, unknown>, string][] = [
        [{ dataset: "csv" }, "dataset"],
        [{ dataset: { records: -1 } }, "dataset.records"],
        [{ dataset: { records: "many" } }, "dataset.records"],
        [{ dataset: { size: 1.5 } }, "dataset.size"],
        [{ dataset: { timeRange: { from: "2025-13-01", to: "2026" } } }, "dataset.timeRange.from"],
        [{ dataset: { timeRange: { from: "2025-02-30", to: "2026" } } }, "dataset.timeRange.from"],
        [{ dataset: { timeRange: { from: "2025", to: "2024-12-31" } } }, "dataset.timeRange.to"],
        [{ dataset: { timeRange: { from: "2025" } } }, "dataset.timeRange.to"],
        [{ dataset: { format: "" } }, "dataset.format"],
        [{ dataset: { license: "x".repeat(65) } }, "dataset.license"],
        [{ dataset: { languages: "en" } }, "dataset.languages"],
        [{ dataset: { languages: ["en", 7] } }, "dataset.languages[1]"],
        [{ keywords: "feedback" }, "keywords"],
        [{ keywords: ["feedback", ""] }, "keywords[1]"],
      ];
      for (const [fields, field] of cases) {
        const json = { ...fixtureJson("offer-info.json"), ...fields };
        expect(
          inputErrorOf(() => parseOfferInfo(json, { contentHash: DATASET_HASH })).field,
          JSON.stringify(fields),
        ).to.equal(field);
      }
      // Nothing listens there: the check runs before any request.
      const ctx = createMarketplaceContext({
        publicClient: createPublicClient({ transport: OFFLINE_TRANSPORT }),
        deployment: OFFLINE_DEPLOYMENT,
      });
      expect(
        inputErrorOf(() => updateOfferInfoCall(ctx, { offerId: 1n, offerInfo: { keywords: [""] } })).field,
        "updateOfferInfo checks them too",
      ).to.equal("keywords[0]");
    });
  });

  describe("readDatasetInfo", function () {
    it("reads what any info blob says, skipping what is malformed, never throwing", function () {
      expect(
        readDatasetInfo({ keywords: ["Feedback", 7, "", "x\u0000y", "feedback"], dataset: DATASET }),
        "a good blob",
      ).to.deep.equal({
        keywords: ["feedback"],
        dataset: { ...DATASET, records: 50000n, size: 7340032n },
      });
      expect(
        readDatasetInfo({
          keywords: "feedback",
          dataset: { records: "lots", format: "csv", timeRange: { from: "2026", to: "2025" } },
        }),
        "a bad blob",
      ).to.deep.equal({ keywords: [], dataset: { format: "csv" } });
      for (const info of [undefined, null, "text", 3, []]) {
        expect(readDatasetInfo(info), `${JSON.stringify(info)}`).to.deep.equal({ keywords: [], dataset: {} });
      }
      const many = Array.from({ length: MAX_KEYWORDS + 5 }, (_, i) => `k${i}`);
      expect(readDatasetInfo({ keywords: many }).keywords, "at most the cap").to.have.length(MAX_KEYWORDS);
    });
  });

  describe("coveredYears and keywordSimilarity", function () {
    it("lists the years of a range up to the span cap, none beyond", function () {
      expect(coveredYears({ from: "2024-06", to: "2025-02-01" }), "two years").to.deep.equal([
        "2024",
        "2025",
      ]);
      expect(coveredYears(undefined), "no range").to.deep.equal([]);
      const last = 1900 + MAX_YEAR_SPAN - 1;
      expect(coveredYears({ from: "1900", to: String(last) }), "at the cap").to.have.length(MAX_YEAR_SPAN);
      expect(coveredYears({ from: "1900", to: String(last + 1) }), "over the cap").to.deep.equal([]);
    });

    it("scores the seeds' example: feedback,2025 against feedback, satisfaction, support from 2025 is 0.5", function () {
      const dataset = {
        keywords: ["feedback", "satisfaction", "support"],
        timeRange: { from: "2025-01-01", to: "2025-12-31" },
      };
      expect(keywordSimilarity(["feedback", "2025"], dataset), "feedback,2025").to.equal(2 / 4);
      expect(keywordSimilarity(["feedback", "2024"], dataset), "another year").to.equal(1 / 4);
      expect(keywordSimilarity(["clicks"], dataset), "nothing shared").to.equal(0);
      expect(
        keywordSimilarity(["feedback", "satisfaction", "support"], { keywords: dataset.keywords }),
        "the same set",
      ).to.equal(1);
      expect(
        keywordSimilarity(["2025"], { keywords: ["2025"], timeRange: dataset.timeRange }),
        "a year listed as a keyword counts once",
      ).to.equal(1);
    });

    it("is the Jaccard index of the query and the dataset's keywords plus the query's covered years", function () {
      const word = fc.constantFrom("a", "b", "c", "d", "2024", "2025", "2026");
      fc.assert(
        fc.property(
          fc.uniqueArray(word, { minLength: 1 }),
          fc.uniqueArray(word),
          fc.option(fc.constantFrom({ from: "2025", to: "2025" }, { from: "2024-01", to: "2026-12" }), {
            nil: undefined,
          }),
          (query, keywords, timeRange) => {
            const years = coveredYears(timeRange);
            const terms = new Set([...keywords, ...query.filter((term) => years.includes(term))]);
            const shared = query.filter((term) => terms.has(term)).length;
            const union = new Set([...query, ...terms]).size;
            expect(keywordSimilarity(query, { keywords, timeRange }), "similarity").to.equal(
              shared === 0 ? 0 : shared / union,
            );
          },
        ),
      );
    });

    it("similarityOf gives what keywordSimilarity gives from its counts", function () {
      expect(
        similarityOf({ queryTerms: 2, keywords: 3, sharedKeywords: 1, sharedYears: 1 }),
        "seeds",
      ).to.equal(0.5);
      expect(
        similarityOf({ queryTerms: 2, keywords: 3, sharedKeywords: 0, sharedYears: 0 }),
        "none",
      ).to.equal(0);
    });

    it("takes thresholds from 0 to 1 only", function () {
      expect(similarityThreshold(undefined, "minSimilarity"), "default").to.equal(0);
      expect(similarityThreshold(1, "minSimilarity"), "1").to.equal(1);
      for (const bad of [-0.01, 1.01, Number.NaN, "0.3"]) {
        expect(inputErrorOf(() => similarityThreshold(bad, "minSimilarity")).field, String(bad)).to.equal(
          "minSimilarity",
        );
      }
    });
  });
});
