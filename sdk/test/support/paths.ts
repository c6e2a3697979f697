import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

/** The repository root (the directory holding `sdk/` and `contracts/`). */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");

/** The SDK package directory. */
export const sdkRoot = path.join(repoRoot, "sdk");

/** Super Protocol file fixtures, shared beside the repository (`../shared`). */
export const fixturesDir = path.resolve(repoRoot, "../shared/fixtures/superprotocol");

if (!existsSync(fixturesDir)) {
  throw new Error(
    `Fixtures not found at ${fixturesDir}: the SDK tests expect ../shared beside the repository root ` +
      `(in a git worktree, link it: ln -s <main checkout>/../shared ${path.resolve(repoRoot, "../shared")}).`,
  );
}

/** Absolute path of a fixture file. */
export function fixture(name: string): string {
  return path.join(fixturesDir, name);
}
