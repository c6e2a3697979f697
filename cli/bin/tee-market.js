#!/usr/bin/env node
// The `tee-market` command. It runs the compiled CLI in dist/. In a source checkout where a package
// was not built yet (right after `npm ci`), it first compiles what is missing, the SDK the CLI
// imports and then the CLI, with the TypeScript compiler the checkout installed: the command works
// offline and never needs a registry package.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const require = createRequire(import.meta.url);
const cliDir = fileURLToPath(new URL("..", import.meta.url));
const sdkDir = path.dirname(require.resolve("@tee-marketplace/sdk/package.json"));
const cliMain = path.join(cliDir, "dist", "main.js");

/** What to build, in order: a package whose entry points are missing from its dist/. */
const missing = [
  {
    name: "the SDK",
    dir: sdkDir,
    built: ["dist/index.js", "dist/node/index.js"].every((f) => existsSync(path.join(sdkDir, f))),
  },
  { name: "the CLI", dir: cliDir, built: existsSync(cliMain) },
].filter((unit) => !unit.built);

if (missing.length > 0) {
  let tsc;
  try {
    tsc = require.resolve("typescript/bin/tsc");
  } catch {
    process.stderr.write(
      "Error: tee-market is not built (no dist/) and TypeScript is not installed to build it: run `npm run build`.\n",
    );
    process.exit(2);
  }
  const names = missing.map((unit) => unit.name).join(" and ");
  process.stderr.write(`tee-market: first run in this checkout, building ${names} (a few seconds)...\n`);
  for (const unit of missing) {
    const tsconfig = path.join(unit.dir, "tsconfig.json");
    const build = spawnSync(process.execPath, [tsc, "-p", tsconfig], { stdio: ["ignore", 2, 2] });
    if (build.status !== 0) {
      process.stderr.write(
        `Error: building ${unit.name} failed (output above); \`npm run build\` shows why.\n`,
      );
      process.exit(2);
    }
  }
}

await import(pathToFileURL(cliMain).href);
