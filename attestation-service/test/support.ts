/**
 * Test support: the stand-in platform (mocks/testPki.ts, mocks/tdxQuote.ts) with a TEE's keys and
 * the claim its quote binds, a configuration serving it from a collateral directory, and a JSON
 * HTTP client.
 */
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { type Address, type Hex, bytesToHex } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";

import { tcbReportData, teePublicKeyFromPrivateKey } from "@tee-marketplace/sdk";

import { type TdxQuoteOptions, TEST_TD_REGISTRY_MEASUREMENT, buildTdxQuote } from "../../mocks/tdxQuote.js";
import { type TestPki, createTestPki } from "../../mocks/testPki.js";
import { type ServiceConfig, parseConfig } from "../src/index.js";

export const CHAIN_ID = 5611n;
export const VERIFIER: Address = "0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512";
export const REGISTRY: Address = "0x9fE46736679d2D9a65F0992F2272dE9f3c7fa6e0";

/** A TEE on the stand-in platform: its keys, the claim its quotes bind, a quote maker. */
export interface TestTee {
  pki: TestPki;
  claim: { chainId: bigint; registry: Address; teeOfferId: bigint; teeKey: Address; publicKey: Hex };
  /** A quote over the claim's report data (or other report data). */
  quote(options?: Partial<TdxQuoteOptions>): Hex;
  /** The request body for a quote. */
  body(quote: Hex, claim?: Partial<TestTee["claim"]>): Record<string, unknown>;
}

export function testTee(pki: TestPki = createTestPki()): TestTee {
  const claim = {
    chainId: CHAIN_ID,
    registry: REGISTRY,
    teeOfferId: 1n,
    teeKey: privateKeyToAccount(generatePrivateKey()).address,
    publicKey: teePublicKeyFromPrivateKey(generatePrivateKey()),
  };
  return {
    pki,
    claim,
    quote: (options = {}) => bytesToHex(buildTdxQuote(pki, { reportData: tcbReportData(claim), ...options })),
    body: (quote, override = {}) => {
      const all = { ...claim, ...override };
      return { ...all, chainId: all.chainId.toString(), teeOfferId: all.teeOfferId.toString(), quote };
    },
  };
}

/**
 * A temporary directory for a service: `collateral/` with the test PKI's collateral, and the test
 * root CA (`test-root.pem`); `remove()` deletes it.
 */
export async function collateralDir(pki: TestPki): Promise<{ dir: string; remove(): Promise<void> }> {
  const dir = await mkdtemp(path.join(tmpdir(), "attestation-service-"));
  await mkdir(path.join(dir, "collateral"));
  await writeFile(path.join(dir, "collateral", "tdx-90C06F000000.json"), JSON.stringify(pki.collateral()));
  await writeFile(path.join(dir, "test-root.pem"), pki.rootCaPem);
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

/** A configuration for the test deployment in `dir` (collateral from its `collateral/`), with `overrides`. */
export function testConfig(dir: string, overrides: Record<string, unknown> = {}): ServiceConfig {
  return parseConfig(
    {
      port: 0,
      chains: [{ chainId: Number(CHAIN_ID), verifier: VERIFIER, registry: REGISTRY }],
      acceptedStatuses: ["UpToDate", "SWHardeningNeeded"],
      measurements: [TEST_TD_REGISTRY_MEASUREMENT],
      collateral: { dir: "collateral" },
      rateLimit: { requests: 1000, perSeconds: 60 },
      expirySeconds: 600,
      ...overrides,
    },
    dir,
  );
}

/** POSTs JSON (or a raw string) and returns the status, headers and parsed body. */
export async function post(
  url: string,
  body: unknown,
  headers: Record<string, string> = { "content-type": "application/json" },
): Promise<{ status: number; headers: Headers; json: Record<string, unknown> }> {
  const response = await fetch(`${url}/v1/attestations`, {
    method: "POST",
    headers,
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    json: JSON.parse(text) as Record<string, unknown>,
  };
}

/** The error code of a refusal body. */
export function errorCode(json: Record<string, unknown>): string | undefined {
  return (json["error"] as { code?: string } | undefined)?.code;
}
