// The launcher of our workspace programs (`tee-market`, `tee-market-agent`, `tee-attestation-service`).
// A program's bin runs its compiled `dist/main.js`. In a source checkout where nothing was built
// yet (right after `npm ci`), it first compiles what is missing, the SDK the program imports and
// then the program, with the TypeScript compiler the checkout installed: the command works offline
// and never needs a registry package. Plain JavaScript, so that it runs before anything is built.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

/** The SDK's entry points: one compilation writes them all. */
const SDK_ENTRIES = ["index.js", "node/index.js", "dcap/index.js", "indexer/index.js"];

/**
 * Builds what is missing, then runs the program.
 * @param {{ command: string, name: string, packageUrl: URL }} program `command`: the bin's name,
 *   for messages; `name`: what the program is ("the CLI"); `packageUrl`: its package directory.
 * @returns {Promise<void>} When the program's main module has run.
 */
export async function launch({ command, name, packageUrl }) {
  const require = createRequire(import.meta.url);
  const sdkDir = fileURLToPath(new URL(".", import.meta.url));
  const packageDir = fileURLToPath(packageUrl);
  const main = path.join(packageDir, "dist", "main.js");
  const missing = [
    {
      name: "the SDK",
      dir: sdkDir,
      built: SDK_ENTRIES.every((entry) => existsSync(path.join(sdkDir, "dist", entry))),
    },
    { name, dir: packageDir, built: existsSync(main) },
  ].filter((unit) => !unit.built);

  if (missing.length > 0) {
    let tsc;
    try {
      tsc = require.resolve("typescript/bin/tsc");
    } catch {
      process.stderr.write(
        `Error: ${command} is not built (no dist/) and TypeScript is not installed to build it: run \`npm run build\`.\n`,
      );
      process.exit(2);
    }
    const names = missing.map((unit) => unit.name).join(" and ");
    process.stderr.write(`${command}: first run in this checkout, building ${names} (a few seconds)...\n`);
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
  await import(pathToFileURL(main).href);
}
