/**
 * The service's configuration file (JSON): where it listens, which deployments it attests for (the
 * EIP-712 domain of each: chain id and verifier address, and the TCB registry whose binding it
 * checks), what it accepts (TCB statuses, measurements), where collateral comes from, the rate
 * limit and how long a signed attestation stays usable. Every field is checked at start-up; an
 * error names the file and the field. Paths in it are relative to the file.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";

import type { Address, Hex } from "viem";

import { FileFormatError, InputError, toAddress, toUint } from "@tee-marketplace/sdk";
import {
  QUOTE_TCB_STATUSES,
  type QuoteTcbStatus,
  isQuoteTcbStatus,
  toMeasurement,
} from "@tee-marketplace/sdk/dcap";

/** One deployment the service attests for. */
export interface ServedChain {
  chainId: bigint;
  /** The Eip712AttestationVerifier: the EIP-712 domain's verifying contract. */
  verifier: Address;
  /** The TCB registry whose report data binding requests must carry. */
  registry: Address;
}

/** Where collateral comes from: a PCCS (Intel's PCS or a local one), one file, or a directory of files. */
export type CollateralConfig = { pccsUrl: string } | { file: string } | { dir: string };

/** The checked configuration. */
export interface ServiceConfig {
  /** The address to listen on; default 127.0.0.1 (only this machine). */
  address: string;
  /** The TCP port (0: any free port). */
  port: number;
  chains: ServedChain[];
  /** TCB statuses that are attested; default `["UpToDate"]`. */
  acceptedStatuses: QuoteTcbStatus[];
  /** Allowed measurements: 32 bytes (registry measurement; MRENCLAVE for SGX) or 48 bytes (MRTD). */
  measurements: Hex[];
  collateral: CollateralConfig;
  /** A root CA file to trust instead of Intel's (local networks and tests only). */
  rootCa?: string;
  /** At most `requests` requests per client address per `perSeconds` seconds. */
  rateLimit: { requests: number; perSeconds: number };
  /** Seconds a signed attestation is usable (also bounded by the collateral's freshness). */
  expirySeconds: number;
  /** An Ethereum v3 keystore with the signing key (its password from the environment). */
  keystore?: string;
}

const KEYS = [
  "address",
  "port",
  "chains",
  "acceptedStatuses",
  "measurements",
  "collateral",
  "rootCa",
  "rateLimit",
  "expirySeconds",
  "keystore",
] as const;

/** The longest usable life of an attestation: 30 days. */
const MAX_EXPIRY_SECONDS = 30 * 86_400;

/**
 * Reads and checks a configuration file.
 *
 * @param file The JSON file.
 * @example
 * const config = await readConfig("attestation-service.json");
 * @throws {InputError} naming `config` when the file cannot be read.
 * @throws {FileFormatError} naming the file and the field that is wrong.
 */
export async function readConfig(file: string): Promise<ServiceConfig> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    throw new InputError("config", `cannot read ${file} (${(error as Error).message})`, { cause: error });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new FileFormatError(file, "", `not valid JSON: ${(error as Error).message}`, { cause: error });
  }
  try {
    return parseConfig(json, path.dirname(path.resolve(file)));
  } catch (error) {
    if (error instanceof InputError)
      throw new FileFormatError(file, error.field, error.detail, { cause: error });
    throw error;
  }
}

/**
 * Checks a configuration object; relative paths are resolved against `baseDir`.
 *
 * @param json The parsed configuration.
 * @param baseDir The directory relative paths start from.
 * @example
 * const config = parseConfig({ port: 8645, chains: [...], measurements: [...], collateral: { pccsUrl } }, process.cwd());
 * @throws {InputError} naming the field that is missing or wrong.
 */
export function parseConfig(json: unknown, baseDir: string): ServiceConfig {
  const raw = object(json, "");
  for (const key of Object.keys(raw)) {
    if (!(KEYS as readonly string[]).includes(key)) {
      throw new InputError(key, `is not a setting; the settings are ${KEYS.join(", ")}`);
    }
  }
  const config: ServiceConfig = {
    address: raw["address"] === undefined ? "127.0.0.1" : nonEmptyString(raw["address"], "address"),
    port: integer(raw["port"], "port", 0, 65_535),
    chains: list(raw["chains"], "chains").map((entry, i) => chain(entry, `chains[${i}]`)),
    acceptedStatuses:
      raw["acceptedStatuses"] === undefined
        ? ["UpToDate"]
        : list(raw["acceptedStatuses"], "acceptedStatuses").map((status, i) => tcbStatus(status, i)),
    measurements: list(raw["measurements"], "measurements").map((m, i) =>
      toMeasurement(m, `measurements[${i}]`),
    ),
    collateral: collateral(raw["collateral"], baseDir),
    rateLimit: rateLimit(raw["rateLimit"]),
    expirySeconds:
      raw["expirySeconds"] === undefined
        ? 3600
        : integer(raw["expirySeconds"], "expirySeconds", 1, MAX_EXPIRY_SECONDS),
  };
  if (raw["rootCa"] !== undefined)
    config.rootCa = path.resolve(baseDir, nonEmptyString(raw["rootCa"], "rootCa"));
  if (raw["keystore"] !== undefined)
    config.keystore = path.resolve(baseDir, nonEmptyString(raw["keystore"], "keystore"));
  const seen = new Set<string>();
  config.chains.forEach(({ chainId, registry }, i) => {
    const key = `${chainId}:${registry}`;
    if (seen.has(key))
      throw new InputError(`chains[${i}]`, `registry ${registry} on chain ${chainId} is listed twice`);
    seen.add(key);
  });
  return config;
}

function chain(value: unknown, field: string): ServedChain {
  const entry = object(value, field);
  return {
    chainId: toUint(entry["chainId"], `${field}.chainId`, {
      min: 1n,
      expected: "a chain id (a positive integer)",
    }),
    verifier: toAddress(entry["verifier"], `${field}.verifier`),
    registry: toAddress(entry["registry"], `${field}.registry`),
  };
}

function tcbStatus(value: unknown, i: number): QuoteTcbStatus {
  if (!isQuoteTcbStatus(value)) {
    throw new InputError(
      `acceptedStatuses[${i}]`,
      `expected one of ${QUOTE_TCB_STATUSES.join(", ")}, got ${JSON.stringify(value)}`,
    );
  }
  return value;
}

function collateral(value: unknown, baseDir: string): CollateralConfig {
  const entry = object(value, "collateral");
  const keys = Object.keys(entry);
  if (keys.length !== 1 || !["pccsUrl", "file", "dir"].includes(keys[0]!)) {
    throw new InputError(
      "collateral",
      'expected exactly one of { "pccsUrl": url }, { "file": path }, { "dir": path }',
    );
  }
  if (entry["pccsUrl"] !== undefined) {
    const url = nonEmptyString(entry["pccsUrl"], "collateral.pccsUrl");
    if (!/^https?:\/\//.test(url))
      throw new InputError("collateral.pccsUrl", `expected an http(s) URL, got ${JSON.stringify(url)}`);
    return { pccsUrl: url };
  }
  if (entry["file"] !== undefined)
    return { file: path.resolve(baseDir, nonEmptyString(entry["file"], "collateral.file")) };
  return { dir: path.resolve(baseDir, nonEmptyString(entry["dir"], "collateral.dir")) };
}

function rateLimit(value: unknown): ServiceConfig["rateLimit"] {
  if (value === undefined) return { requests: 60, perSeconds: 60 };
  const entry = object(value, "rateLimit");
  return {
    requests: integer(entry["requests"], "rateLimit.requests", 1, 1_000_000),
    perSeconds: integer(entry["perSeconds"], "rateLimit.perSeconds", 1, 86_400),
  };
}

function object(value: unknown, field: string): Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new InputError(field, `expected an object, got ${JSON.stringify(value) ?? "nothing"}`);
  }
  return value as Record<string, unknown>;
}

function list(value: unknown, field: string): unknown[] {
  if (!Array.isArray(value) || value.length === 0) throw new InputError(field, "expected a non-empty array");
  return value;
}

function nonEmptyString(value: unknown, field: string): string {
  if (typeof value !== "string" || value === "") throw new InputError(field, "expected a non-empty string");
  return value;
}

function integer(value: unknown, field: string, min: number, max: number): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
    throw new InputError(
      field,
      `expected an integer from ${min} to ${max}, got ${JSON.stringify(value) ?? "nothing"}`,
    );
  }
  return value;
}
