/**
 * The repository stands alone: a plain clone has no folder beside it, so nothing the product or its
 * tests read may live there; and every environment variable the code reads is in the README. (That
 * `tee-market` works right after the install command is the CLI package's test.)
 */
import { expect } from "chai";
import { readFile, readdir } from "node:fs/promises";
import path from "node:path";

import { repoRoot } from "../support/paths.js";

/** The developers' brief sits in a sibling folder of the checkout; spelled in two parts so this file does not name it. */
const SIBLING_FOLDER = ["..", "shared"].join("/");

/** Generated, installed or built trees: not the repository's sources. */
const SKIPPED_DIRS = new Set([".git", "node_modules", "artifacts", "cache", "types", "dist", "coverage"]);
/** Files the product, its tests, scripts and configuration are made of (Markdown is prose: checked separately). */
const SOURCE_FILE = /\.(ts|js|mjs|cjs|json|sol|sh|ya?ml)$|^run$/;

async function sourceFiles(dir: string): Promise<string[]> {
  const files: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      const relative = path.relative(repoRoot, full);
      if (!SKIPPED_DIRS.has(entry.name) && relative !== path.join("ignition", "deployments")) {
        files.push(...(await sourceFiles(full)));
      }
    } else if (SOURCE_FILE.test(entry.name) || entry.name.endsWith(".md")) {
      files.push(full);
    }
  }
  return files;
}

describe("repository: stands alone", function () {
  it(`no source, test, script, config or doc file names ${SIBLING_FOLDER}`, async function () {
    const files = await sourceFiles(repoRoot);
    expect(files.length, "files scanned").to.be.greaterThan(100);
    const naming: string[] = [];
    for (const file of files) {
      if ((await readFile(file, "utf8")).includes(SIBLING_FOLDER)) naming.push(path.relative(repoRoot, file));
    }
    expect(naming, `files naming ${SIBLING_FOLDER}`).to.deep.equal([]);
  });
});

describe("repository: the README names every environment variable read", function () {
  /** `configVariable("X"`, `process.env.X`, `env["X"]` and `..._ENV = "X"` in what a user runs. */
  const READS = [
    /configVariable\("([A-Z][A-Z0-9_]+)"/g,
    /process\.env\.([A-Z][A-Z0-9_]+)/g,
    /env\["([A-Z][A-Z0-9_]+)"\]/g,
    /_ENV = "([A-Z][A-Z0-9_]+)"/g,
  ];
  const PLACES = ["hardhat.config.ts", "scripts", "sdk/src", "cli/src", "attestation-service/src"];

  it("hardhat.config.ts, scripts/ and the sources of the SDK, the CLI and the attestation service read no variable the README leaves out", async function () {
    const files: string[] = [];
    for (const place of PLACES) {
      const full = path.join(repoRoot, place);
      files.push(...(place.endsWith(".ts") ? [full] : await sourceFiles(full)));
    }
    const names = new Set<string>();
    for (const file of files) {
      const text = await readFile(file, "utf8");
      for (const pattern of READS) for (const match of text.matchAll(pattern)) names.add(match[1]!);
    }
    expect([...names], "variables found").to.include.members([
      "LOCALHOST_RPC_URL",
      "TEE_MARKET_PRIVATE_KEY",
      "TEE_ATTESTATION_SERVICE_PRIVATE_KEY",
    ]);
    const readme = await readFile(path.join(repoRoot, "README.md"), "utf8");
    const missing = [...names].filter((name) => !readme.includes(`\`${name}\``));
    expect(missing, "variables the README does not name").to.deep.equal([]);
  });
});
