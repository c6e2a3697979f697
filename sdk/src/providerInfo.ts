/**
 * Super Protocol's provider info file (`spctl`'s `providerInfo.example.json`) turned into what
 * `registerProvider(info, actionAccount, tokenReceiver)` takes.
 */
import { type Address, type Hex, stringToHex } from "viem";

import { MAX_PROVIDER_INFO_SIZE } from "./abi/protocol.js";
import { rootObject } from "./internal/fields.js";
import { canonicalJson } from "./json.js";
import { toAddress, toHexBytes } from "./validate.js";

/** What `registerProvider` and `updateProvider` take. */
export interface ProviderParams {
  /** The info blob: UTF-8 bytes of the canonical JSON text of the whole provider info file. */
  info: Hex;
  /** Account that may make operational calls for the provider. */
  actionAccount: Address;
  /** Account that receives the provider's payouts. */
  tokenReceiver: Address;
}

/**
 * Reads a provider info file (parsed, or as JSON text): `{ name, description, tokenReceiver,
 * actionAccount, metadata }`. `actionAccount` and `tokenReceiver` are required addresses; the
 * whole file becomes the info blob as canonical JSON ({@link canonicalJson}).
 *
 * @param json The file's content: a parsed object or its JSON text.
 * @example
 * parseProviderInfo({
 *   name: "Bob's data",
 *   description: "",
 *   tokenReceiver: "0x71bE63f3384f5fb98995898A86B02Fb2426c5788",
 *   actionAccount: "0x71bE63f3384f5fb98995898A86B02Fb2426c5788",
 *   metadata: "",
 * });
 * // { info: "0x7b22616374...", actionAccount: "0x71bE...", tokenReceiver: "0x71bE..." }
 * @throws {InputError} naming `actionAccount` or `tokenReceiver` when it is missing or not an
 * address, or `info` when the file is larger than the contract's cap.
 */
export function parseProviderInfo(json: unknown): ProviderParams {
  const raw = rootObject(json, "the provider info object");
  return {
    info: toHexBytes(stringToHex(canonicalJson(raw)), "info", { maxSize: MAX_PROVIDER_INFO_SIZE }),
    actionAccount: toAddress(raw["actionAccount"], "actionAccount"),
    tokenReceiver: toAddress(raw["tokenReceiver"], "tokenReceiver"),
  };
}
