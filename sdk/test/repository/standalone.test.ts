/**
 * The repository stands alone: a plain clone has no folder beside it, so nothing the product or its
 * tests read may live there, and the commands the README names work right after its install
 * command.
 */
import { expect } from "chai";
import { spawnSync } from "node:child_process";
import { cp, mkdtemp, readFile, readdir, rm } from "node:fs/promises";
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

function runLauncher(bin: string): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [bin, "--help"], { cwd: repoRoot, encoding: "utf8" });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
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

  it("the installed node_modules/.bin/tee-market runs our CLI", function () {
    this.timeout(60_000);
    const bin = path.join(repoRoot, "node_modules", ".bin", "tee-market");
    const result = spawnSync(bin, ["--help"], { cwd: repoRoot, encoding: "utf8" });
    expect(result.status, `exit code (stderr: ${result.stderr})`).to.equal(0);
    expect(result.stdout, "usage").to.match(/^Usage: tee-market <group> <command> \[options\]/);
    expect(result.stdout, "a command group").to.include("workflows");
  });

  it("the launcher builds the CLI first when the package was never built (a fresh clone after npm ci)", async function () {
    this.timeout(120_000);
    // A copy of the SDK package without dist/, inside the repository so that it resolves the
    // checkout's node_modules (TypeScript, viem) as the package itself does.
    const copy = await mkdtemp(path.join(repoRoot, "sdk", ".launcher-test-"));
    try {
      for (const part of ["bin", "src", "package.json", "tsconfig.json"]) {
        await cp(path.join(repoRoot, "sdk", part), path.join(copy, part), { recursive: true });
      }
      const first = runLauncher(path.join(copy, "bin", "tee-market.js"));
      expect(first.status, `first run's exit code (stderr: ${first.stderr})`).to.equal(0);
      expect(first.stderr, "first run says it builds").to.include("building the SDK");
      expect(first.stdout, "first run's usage").to.match(/^Usage: tee-market/);
      const second = runLauncher(path.join(copy, "bin", "tee-market.js"));
      expect(second.status, "second run's exit code").to.equal(0);
      expect(second.stderr, "second run builds nothing").to.equal("");
    } finally {
      await rm(copy, { recursive: true, force: true });
    }
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
  const PLACES = ["hardhat.config.ts", "scripts", "sdk/src", "attestation-service/src"];

  it("hardhat.config.ts, scripts/, the SDK's and the attestation service's sources read no variable the README leaves out", async function () {
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
