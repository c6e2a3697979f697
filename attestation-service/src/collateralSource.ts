/**
 * Where the service gets a quote's collateral: fetched from a PCCS (Intel's PCS or a local one) and
 * kept until its TCB info or QE identity is due for renewal (at most an hour), or read at start-up
 * from one file or from every `*.json` file of a directory (looked up by the quote's TEE type and
 * FMSPC). A file's collateral is only as fresh as the file: when it expires, quotes are refused as
 * `CollateralExpired` until the file is replaced and the service restarted.
 */
import { readdir } from "node:fs/promises";
import path from "node:path";

import { type QuoteCollateral, fetchCollateral, quotePlatform } from "@tee-marketplace/sdk/dcap";
import { readCollateralFile } from "@tee-marketplace/sdk/node";

import type { CollateralConfig } from "./config.js";

/** Gives the collateral for a quote. */
export type CollateralSource = (quote: Uint8Array) => Promise<QuoteCollateral>;

/** How long fetched collateral is kept at most, in milliseconds. */
const CACHE_MS = 3_600_000;

/**
 * Builds the collateral source the configuration names (reading files now, so a bad file stops
 * the start-up).
 *
 * @param config The `collateral` setting.
 * @param now The clock, in milliseconds (for the cache).
 * @example
 * const source = await collateralSource({ pccsUrl: "https://api.trustedservices.intel.com" });
 * const collateral = await source(quote);
 * @throws {InputError} or {FileFormatError} when a file or the directory cannot be read or is not collateral.
 */
export async function collateralSource(
  config: CollateralConfig,
  now: () => number = Date.now,
): Promise<CollateralSource> {
  if ("pccsUrl" in config) return pccsSource(config.pccsUrl, now);
  if ("file" in config) {
    const collateral = await readCollateralFile(config.file);
    return () => Promise.resolve(collateral);
  }
  const byPlatform = new Map<string, QuoteCollateral>();
  const files = (await readdir(config.dir)).filter((name) => name.endsWith(".json")).sort();
  for (const name of files) {
    const collateral = await readCollateralFile(path.join(config.dir, name));
    const tcbInfo = JSON.parse(collateral.tcb_info) as { id?: unknown; fmspc?: unknown };
    byPlatform.set(platformKey(String(tcbInfo.id ?? "SGX"), String(tcbInfo.fmspc)), collateral);
  }
  return (quote) => {
    const { teeType, fmspc } = quotePlatform(quote);
    const collateral = byPlatform.get(platformKey(teeType, fmspc));
    if (collateral === undefined) {
      return Promise.reject(
        new CollateralNotFoundError(
          `no collateral file in ${config.dir} is for ${teeType} platforms with FMSPC ${fmspc}`,
        ),
      );
    }
    return Promise.resolve(collateral);
  };
}

/** The service has no collateral for a quote's platform. */
export class CollateralNotFoundError extends Error {
  override name = "CollateralNotFoundError";
}

function pccsSource(pccsUrl: string, now: () => number): CollateralSource {
  const cache = new Map<string, { collateral: QuoteCollateral; until: number }>();
  return async (quote) => {
    const { teeType, fmspc, pckCa } = quotePlatform(quote);
    const key = `${platformKey(teeType, fmspc)}:${pckCa}`;
    const cached = cache.get(key);
    if (cached !== undefined && cached.until > now()) return cached.collateral;
    const collateral = await fetchCollateral(quote, { pccsUrl });
    const due = [collateral.tcb_info, collateral.qe_identity].map((json) =>
      Date.parse(String((JSON.parse(json) as { nextUpdate?: unknown }).nextUpdate)),
    );
    cache.set(key, { collateral, until: Math.min(now() + CACHE_MS, ...due) });
    return collateral;
  };
}

function platformKey(teeType: string, fmspc: string): string {
  return `${teeType.toUpperCase()}:${fmspc.toUpperCase()}`;
}
