/**
 * The CLI as a package: `tee-market` is on the PATH right after the README's install command (its
 * launcher builds what is missing, offline), and its sources import the SDK only through the SDK's
 * public entry points.
 */
import { expect } from "chai";
import { spawnSync } from "node:child_process";
import { cp, mkdir, mkdtemp, readFile, readdir, rm, symlink } from "node:fs/promises";
import path from "node:path";

import { repoRoot } from "../../sdk/test/support/paths.js";
import { cliRoot } from "./support/cli.js";

/** What the CLI's sources may import: the SDK's public entries (main, node, dcap, indexer), viem, the keystore decoder, Node's built-ins, its own files. */
const ALLOWED_IMPORT =
  /^(@tee-marketplace\/sdk(\/node|\/dcap|\/indexer)?|@ethereumjs\/wallet|viem(\/[a-z]+)?|node:[a-z/_]+|\.\.?\/(commands\/)?[a-zA-Z]+\.js)$/;

function runHelp(bin: string, cwd = repoRoot): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [bin, "--help"], { cwd, encoding: "utf8" });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Records the heavy modules a run loads (test/support/recordHeavyModules.mjs). */
const RECORD_HEAVY_MODULES = path.join(cliRoot, "test", "support", "recordHeavyModules.mjs");

function heavyModulesLoaded(args: string[]): string[] {
  const result = spawnSync(
    process.execPath,
    ["--import", RECORD_HEAVY_MODULES, path.join(cliRoot, "bin", "tee-market.js"), ...args],
    {
      cwd: repoRoot,
      encoding: "utf8",
    },
  );
  return result.stderr.split("\n").filter((line) => line.startsWith("LOADED "));
}

describe("cli package", function () {
  it("tee-market --help loads neither viem nor the SDK (a command does)", function () {
    this.timeout(60_000);
    expect(heavyModulesLoaded(["--help"]), "modules loaded by --help").to.deep.equal([]);
    expect(heavyModulesLoaded(["orders", "complete", "--help"]), "by a command's --help").to.deep.equal([]);
    const loaded = heavyModulesLoaded(["files", "hash", "package.json"]);
    expect(
      loaded.some((line) => line.includes("/sdk/dist/")),
      `files hash loads the SDK: ${loaded.length} modules`,
    ).to.equal(true);
  });

  it("the installed node_modules/.bin/tee-market runs our CLI", function () {
    this.timeout(60_000);
    const bin = path.join(repoRoot, "node_modules", ".bin", "tee-market");
    const result = spawnSync(bin, ["--help"], { cwd: repoRoot, encoding: "utf8" });
    expect(result.status, `exit code (stderr: ${result.stderr})`).to.equal(0);
    expect(result.stdout, "usage").to.match(/^Usage: tee-market <group> <command> \[options\]/);
    expect(result.stdout, "a command group").to.include("workflows");
  });

  it("the launcher builds the SDK and the CLI first when neither was built (a fresh clone after npm ci)", async function () {
    this.timeout(180_000);
    // Copies of both packages without dist/, inside the repository so that they resolve the
    // checkout's node_modules (TypeScript, viem); the CLI's copy finds the SDK's copy through a
    // node_modules/@tee-marketplace/sdk link of its own, as the workspace links them.
    const dir = await mkdtemp(path.join(repoRoot, ".launcher-test-"));
    try {
      for (const [pkg, parts] of [
        ["sdk", ["src", "launcher.js", "launcher.d.ts", "package.json", "tsconfig.json"]],
        ["cli", ["bin", "src", "package.json", "tsconfig.json"]],
      ] as const) {
        for (const part of parts) {
          await cp(path.join(repoRoot, pkg, part), path.join(dir, pkg, part), { recursive: true });
        }
      }
      await mkdir(path.join(dir, "node_modules", "@tee-marketplace"), { recursive: true });
      await symlink(path.join(dir, "sdk"), path.join(dir, "node_modules", "@tee-marketplace", "sdk"), "dir");
      const bin = path.join(dir, "cli", "bin", "tee-market.js");

      const first = runHelp(bin);
      expect(first.status, `first run's exit code (stderr: ${first.stderr})`).to.equal(0);
      expect(first.stderr, "first run says what it builds").to.include("building the SDK and the CLI");
      expect(first.stdout, "first run's usage").to.match(/^Usage: tee-market/);
      const second = runHelp(bin);
      expect(second.status, "second run's exit code").to.equal(0);
      expect(second.stderr, "second run builds nothing").to.equal("");

      await rm(path.join(dir, "cli", "dist"), { recursive: true });
      const third = runHelp(bin);
      expect(third.status, `exit code with only the CLI missing (stderr: ${third.stderr})`).to.equal(0);
      expect(third.stderr, "only the CLI is rebuilt").to.include("building the CLI").and.not.include("SDK");
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("its sources import the SDK only through its public entries (@tee-marketplace/sdk, /node, /dcap, /indexer)", async function () {
    const dir = path.join(cliRoot, "src");
    const imports: string[] = [];
    const files = (await readdir(dir, { recursive: true })).filter((name) => name.endsWith(".ts"));
    for (const name of files) {
      const text = await readFile(path.join(dir, name), "utf8");
      for (const match of text.matchAll(/(?:^|\n)\s*(?:import|export)[^;]*?from\s+"([^"]+)"/g)) {
        imports.push(`${name}: ${match[1]}`);
      }
      for (const match of text.matchAll(/import\("([^"]+)"\)/g)) imports.push(`${name}: ${match[1]}`);
    }
    expect(imports.length, "imports found").to.be.greaterThan(20);
    const outside = imports.filter((entry) => !ALLOWED_IMPORT.test(entry.slice(entry.indexOf(": ") + 2)));
    expect(outside, "imports of anything but the SDK's public entries, viem and node").to.deep.equal([]);
    expect(
      imports.some((entry) => entry.endsWith(": @tee-marketplace/sdk")),
      "the CLI imports the SDK",
    ).to.equal(true);
  });

  it("the SDK package has no bin: the command is the CLI package's", async function () {
    const sdk = JSON.parse(await readFile(path.join(repoRoot, "sdk", "package.json"), "utf8")) as object;
    const cli = JSON.parse(await readFile(path.join(cliRoot, "package.json"), "utf8")) as {
      bin?: Record<string, string>;
    };
    expect(sdk, "the SDK's package.json").not.to.have.property("bin");
    expect(cli.bin, "the CLI's bin").to.deep.equal({ "tee-market": "./bin/tee-market.js" });
  });
});
