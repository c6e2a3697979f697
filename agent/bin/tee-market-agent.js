#!/usr/bin/env node
// The `tee-market-agent` command. It runs the compiled program in dist/; in a source checkout where
// it was not built yet (right after `npm ci`), it compiles the SDK (when its dist/ is missing) and
// then the agent first, with the TypeScript compiler the checkout installed.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

const require = createRequire(import.meta.url);
const program = new URL("../dist/main.js", import.meta.url);

function build(what, tsconfig) {
  let tsc;
  try {
    tsc = require.resolve("typescript/bin/tsc");
  } catch {
    process.stderr.write(
      `Error: ${what} is not built (no dist/) and TypeScript is not installed to build it: run \`npm run build\`.\n`,
    );
    process.exit(2);
  }
  process.stderr.write(`tee-market-agent: first run in this checkout, building ${what} (a few seconds)...\n`);
  const result = spawnSync(process.execPath, [tsc, "-p", tsconfig], { stdio: ["ignore", 2, 2] });
  if (result.status !== 0) {
    process.stderr.write(`Error: building ${what} failed (output above); \`npm run build\` shows why.\n`);
    process.exit(2);
  }
}

if (!existsSync(program)) {
  const sdkRoot = path.dirname(require.resolve("@tee-marketplace/sdk/package.json"));
  const sdkBuilt = ["index.js", "node/index.js", "dcap/index.js"].every((f) =>
    existsSync(path.join(sdkRoot, "dist", f)),
  );
  if (!sdkBuilt) build("the SDK", path.join(sdkRoot, "tsconfig.json"));
  build("the agent", fileURLToPath(new URL("../tsconfig.json", import.meta.url)));
}

await import(program.href);
