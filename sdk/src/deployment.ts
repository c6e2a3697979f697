/**
 * Where the marketplace is deployed on one chain: what `deployments/<network>.json` holds (written
 * by `scripts/deploy.ts`) and what {@link createMarketplaceClient} needs.
 */
import type { Address } from "viem";

import { InputError } from "./errors.js";
import { describe, objectAt, rootObject } from "./internal/fields.js";
import { toAddress, toUint } from "./validate.js";

/** The marketplace's contracts on one chain. */
export interface Deployment {
  /** The chain (5611 for opBNB testnet, 204 for opBNB, 31337 for a local Hardhat node). */
  readonly chainId: number;
  readonly contracts: {
    /** Orders: workflows, suborders, reports, escrow. */
    readonly orders: Address;
    /** OfferRegistry: providers, offers, slots. */
    readonly offerRegistry: Address;
    /** TcbRegistry: TEE attestations and the measurement allow-list. */
    readonly tcbRegistry: Address;
    /** Eip712AttestationVerifier: the attestation verifier the TCB registry was deployed with. */
    readonly attestationVerifier: Address;
    /** The ERC-20 deposits are paid in. */
    readonly paymentToken: Address;
  };
  readonly blocks: {
    /** First block of the deployment: log scans start here. */
    readonly deployed: bigint;
  };
  /** Version of the Ignition module that deployed it (`MODULE_VERSION`), when known. */
  readonly moduleVersion?: string;
}

const CONTRACT_NAMES = [
  "orders",
  "offerRegistry",
  "tcbRegistry",
  "attestationVerifier",
  "paymentToken",
] as const;

/**
 * Reads and checks a deployment: the content of `deployments/<network>.json` (parsed, or as JSON
 * text), or a {@link Deployment} built in code.
 *
 * - `chainId`: a positive integer (number or decimal string).
 * - `contracts.orders`, `.offerRegistry`, `.tcbRegistry`, `.attestationVerifier`, `.paymentToken`:
 *   addresses, returned checksummed.
 * - `blocks.deployed`: the first block to scan logs from (number, decimal string or bigint).
 * - `moduleVersion`: optional string.
 *
 * Other fields (`network`, `deployer`, ...) are ignored.
 *
 * @param json The deployment: a parsed object, its JSON text, or a {@link Deployment}.
 * @example
 * const deployment = parseDeployment(await (await fetch("/deployments/opbnbTestnet.json")).text());
 * @throws {InputError} naming the field (`"contracts.orders"`, `"blocks.deployed"`, ...) that is
 * missing or malformed.
 */
export function parseDeployment(json: unknown): Deployment {
  const raw = rootObject(json, "a deployment object { chainId, contracts, blocks }");
  const chainId = toUint(raw["chainId"], "chainId", {
    min: 1n,
    bits: 53,
    expected: "a chain id (a positive integer)",
  });
  const contractsRaw = objectAt(raw, "", "contracts");
  const contracts = Object.fromEntries(
    CONTRACT_NAMES.map((name) => [name, toAddress(contractsRaw[name], `contracts.${name}`)]),
  ) as Record<(typeof CONTRACT_NAMES)[number], Address>;
  const blocks = objectAt(raw, "", "blocks");
  const deployed = toUint(blocks["deployed"], "blocks.deployed", {
    bits: 64,
    expected: "the block number the deployment starts at",
  });
  const moduleVersion = raw["moduleVersion"];
  if (moduleVersion !== undefined && typeof moduleVersion !== "string") {
    throw new InputError("moduleVersion", `expected a string, got ${describe(moduleVersion)}`);
  }
  const deployment: Deployment = { chainId: Number(chainId), contracts, blocks: { deployed } };
  return moduleVersion === undefined ? deployment : { ...deployment, moduleVersion };
}
