/**
 * Super Protocol's `offer-info.json` (docs/design.md §6) turned into the contract's `OfferParams`.
 */
import { type Address, type Hex, stringToHex, zeroHash } from "viem";

import {
  MAX_ALLOWED_ACCOUNTS,
  MAX_OFFER_INFO_SIZE,
  MAX_RESTRICTED_OFFERS,
  MAX_RESULT_RESOURCE_SIZE,
} from "./abi/protocol.js";
import { checkDiscoveryFields } from "./datasets.js";
import { OfferGroup, OfferType, TeeType, enumName, offerGroupOf, parseEnum } from "./enums.js";
import { InputError } from "./errors.js";
import { arrayAt, describe, fieldPath, isObject, objectAt, rootObject } from "./internal/fields.js";
import { canonicalJson } from "./json.js";
import { type ContentHashInput, toContentHash } from "./resourceFile.js";
import { toAddress, toHexBytes, toUint } from "./validate.js";

/** What `createOffer` takes (`IOffers.OfferParams`). */
export interface OfferParams {
  /** Kind of offer. */
  offerType: OfferType;
  /** Subtype: a {@link TeeType} for TEE offers, otherwise a free uint8 (0 by default). */
  subType: number;
  /** Whether a consumer may cancel a Processing order of this TEE offer. */
  cancelable: boolean;
  /** sha256 of the solution image or dataset; zero for TEE and storage offers without one. */
  contentHash: Hex;
  /** Restriction: offers this one may be combined with. */
  allowedOfferIds: bigint[];
  /** Restriction: offer types this one may be combined with. */
  allowedOfferTypes: OfferType[];
  /** If non-empty, only these accounts may order the offer. */
  allowedAccounts: Address[];
  /** Public result resource; `"0x"` for none. Non-empty makes the offer complete without its owner. */
  resultResource: Hex;
  /** The info blob: UTF-8 bytes of the canonical JSON text of the whole offer-info.json. */
  info: Hex;
}

/**
 * Reads Super Protocol's `offer-info.json` (parsed, or as JSON text) into the contract's
 * `OfferParams`.
 *
 * - `offerType` (required), `subType` (default 0; for TEE offers a {@link TeeType}), `group`
 *   (optional; checked against the offer type) and the numbers in `restrictions` may be numbers or
 *   numeric strings; enum fields also take names (`"Data"`).
 * - `restrictions.offers` are offer ids (positive integers), `restrictions.types` offer types;
 *   `restrictions.versions` is ignored. `allowedAccounts` are addresses.
 * - `resultResource`: absent, `null` or `""` gives `"0x"` (the owner completes suborders by hand);
 *   a string gives its UTF-8 bytes; an object gives the UTF-8 bytes of its canonical JSON text. Any
 *   non-empty value, even a template with empty fields such as `spctl`'s example, makes the offer
 *   auto-complete.
 * - `argsPublicKey` may be a string or an object; it stays in the info blob.
 * - `keywords` (optional): up to 32 keywords for dataset discovery; `dataset` (optional): the
 *   data's metadata `{ records, timeRange: { from, to }, format, license, languages, modalities,
 *   size }` (Super Protocol's `DatasetAttributesSchema` names where they fit). Both stay in the info
 *   blob, where indexers and `offers.search` read them (`./datasets.ts`).
 * - `info` is the whole file as canonical JSON ({@link canonicalJson}: sorted keys, no
 *   whitespace), so key order and layout do not change the on-chain info hash.
 *
 * The content hash is not part of offer-info.json: pass it as `contentHash`, as a hash or as the
 * content's `*.resource.json`. Solution and Data offers need one.
 *
 * @param json The offer-info.json content: a parsed object or its JSON text.
 * @param options `contentHash`: sha256 of the offer's content, or its resource file.
 * @example
 * const params = parseOfferInfo(offerInfoJson, { contentHash: datasetResourceJson });
 * // { offerType: 3, subType: 0, cancelable: false, contentHash: "0x8598...", allowedOfferIds: [], ... }
 * @throws {InputError} naming the field (`"offerType"`, `"restrictions.offers[1]"`, `"contentHash"`,
 * `"keywords[0]"`, `"dataset.timeRange.to"`, ...) when a field is missing or malformed, a list or blob exceeds the contract's cap, or a
 * Solution or Data offer has no content hash.
 */
export function parseOfferInfo(json: unknown, options: { contentHash?: ContentHashInput } = {}): OfferParams {
  const raw = rootObject(json, "the offer-info.json object");
  const offerType = parseEnum(OfferType, raw["offerType"], "offerType");

  const group = raw["group"];
  if (group !== undefined && group !== "") {
    const parsedGroup = parseEnum(OfferGroup, group, "group");
    const expectedGroup = offerGroupOf(offerType);
    if (parsedGroup !== expectedGroup) {
      throw new InputError(
        "group",
        `${describe(group)} does not match the offer type: ${enumName(OfferType, offerType)} offers are in group ` +
          `${enumName(OfferGroup, expectedGroup)} (${expectedGroup}); fix the group or leave it out`,
      );
    }
  }

  const rawSubType = raw["subType"];
  let subType = 0;
  if (rawSubType !== undefined && rawSubType !== "") {
    subType =
      offerType === OfferType.TeeOffer
        ? parseEnum(TeeType, rawSubType, "subType")
        : Number(toUint(rawSubType, "subType", { bits: 8 }));
  }

  const restrictions = objectAt(raw, "", "restrictions", true) ?? {};
  const offers = arrayAt(restrictions, "restrictions", "offers");
  checkLength(offers, "restrictions.offers", MAX_RESTRICTED_OFFERS, "offer ids");
  const allowedOfferIds = offers.map((value, i) =>
    toUint(value, `restrictions.offers[${i}]`, { min: 1n, expected: "an offer id (a positive integer)" }),
  );
  const allowedOfferTypes = arrayAt(restrictions, "restrictions", "types").map((value, i) =>
    parseEnum(OfferType, value, `restrictions.types[${i}]`),
  );

  const accounts = arrayAt(raw, "", "allowedAccounts");
  checkLength(accounts, "allowedAccounts", MAX_ALLOWED_ACCOUNTS, "accounts");
  const allowedAccounts = accounts.map((value, i) => toAddress(value, fieldPath("allowedAccounts", i)));

  const argsPublicKey = raw["argsPublicKey"];
  if (
    argsPublicKey !== undefined &&
    argsPublicKey !== null &&
    typeof argsPublicKey !== "string" &&
    !isObject(argsPublicKey)
  ) {
    throw new InputError(
      "argsPublicKey",
      `expected a string or an object { algo, encoding, key }, got ${describe(argsPublicKey)}`,
    );
  }

  checkDiscoveryFields(raw);

  const resultResource = toHexBytes(resultResourceBytes(raw["resultResource"]), "resultResource", {
    maxSize: MAX_RESULT_RESOURCE_SIZE,
  });
  const info = toHexBytes(stringToHex(canonicalJson(raw)), "info", { maxSize: MAX_OFFER_INFO_SIZE });

  let contentHash: Hex = zeroHash;
  if (options.contentHash !== undefined) contentHash = toContentHash(options.contentHash, "contentHash");
  if ((offerType === OfferType.Solution || offerType === OfferType.Data) && contentHash === zeroHash) {
    throw new InputError(
      "contentHash",
      `a ${enumName(OfferType, offerType)} offer needs the sha256 of its content; pass it as contentHash ` +
        `(the hash, or the content's *.resource.json)`,
    );
  }

  return {
    offerType,
    subType,
    cancelable: parseBoolean(raw["cancelable"], "cancelable"),
    contentHash,
    allowedOfferIds,
    allowedOfferTypes,
    allowedAccounts,
    resultResource,
    info,
  };
}

function resultResourceBytes(value: unknown): Hex {
  if (value === undefined || value === null || value === "") return "0x";
  if (typeof value === "string") return stringToHex(value);
  if (typeof value === "object") return stringToHex(canonicalJson(value));
  throw new InputError(
    "resultResource",
    `expected a string, an object or "" (no public result), got ${describe(value)}`,
  );
}

function parseBoolean(value: unknown, field: string): boolean {
  if (value === undefined || value === null) return false;
  if (value === true || value === "true") return true;
  if (value === false || value === "false") return false;
  throw new InputError(field, `expected true or false, got ${describe(value)}`);
}

function checkLength(list: readonly unknown[], field: string, max: number, what: string): void {
  if (list.length > max) {
    throw new InputError(field, `${list.length} ${what}, more than the contract's cap of ${max}`);
  }
}
