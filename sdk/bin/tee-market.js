#!/usr/bin/env node
// The `tee-market` command. It runs the compiled CLI in dist/; in a source checkout where the SDK
// was not built yet (right after `npm ci`), it compiles the SDK first with the TypeScript compiler
// the checkout installed, so the command works offline and never needs a registry package.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

const cli = new URL("../dist/cli/main.js", import.meta.url);

if (!existsSync(cli)) {
  const tsconfig = fileURLToPath(new URL("../tsconfig.json", import.meta.url));
  let tsc;
  try {
    tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
  } catch {
    process.stderr.write(
      "Error: the SDK is not built (no dist/) and TypeScript is not installed to build it: run `npm run build`.\n",
    );
    process.exit(2);
  }
  process.stderr.write("tee-market: first run in this checkout, building the SDK (a few seconds)...\n");
  const build = spawnSync(process.execPath, [tsc, "-p", tsconfig], { stdio: ["ignore", 2, 2] });
  if (build.status !== 0 || !existsSync(cli)) {
    process.stderr.write("Error: building the SDK failed (output above); `npm run build` shows why.\n");
    process.exit(2);
  }
}

await import(cli.href);
