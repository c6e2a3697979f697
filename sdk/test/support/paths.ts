import path from "node:path";
import { fileURLToPath } from "node:url";

/** The repository root (the directory holding `sdk/` and `contracts/`). */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");

/** The SDK package directory. */
export const sdkRoot = path.join(repoRoot, "sdk");

/** Super Protocol file fixtures, in the repository (`test/fixtures/superprotocol`). */
export const fixturesDir = path.join(repoRoot, "test/fixtures/superprotocol");

/** Absolute path of a fixture file. */
export function fixture(name: string): string {
  return path.join(fixturesDir, name);
}
