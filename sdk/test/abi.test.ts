import { expect } from "chai";
import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";

import { repoRoot } from "./support/paths.js";

const run = promisify(execFile);

/** What scripts/generate-sdk-abi.ts would write from the current artifacts, by path. */
async function generated(): Promise<Record<string, string>> {
  const tsx = path.join(repoRoot, "node_modules", ".bin", "tsx");
  const { stdout } = await run(tsx, ["scripts/generate-sdk-abi.ts", "--stdout"], {
    cwd: repoRoot,
    maxBuffer: 64 * 1024 * 1024,
  });
  return JSON.parse(stdout) as Record<string, string>;
}

/** The committed content of a file, or undefined outside a git checkout or when it is not tracked. */
async function committed(file: string): Promise<string | undefined> {
  try {
    const { stdout } = await run("git", ["show", `HEAD:${file}`], {
      cwd: repoRoot,
      maxBuffer: 64 * 1024 * 1024,
    });
    return stdout;
  } catch {
    return undefined;
  }
}

async function insideGit(): Promise<boolean> {
  try {
    await run("git", ["rev-parse", "--is-inside-work-tree"], { cwd: repoRoot });
    return true;
  } catch {
    return false;
  }
}

describe("generated ABIs, caps and enums (sdk/src/abi)", function () {
  this.timeout(120_000);

  it("are what scripts/generate-sdk-abi.ts makes from the current artifacts, and are committed", async function () {
    const files = await generated();
    expect(Object.keys(files).sort(), "generated files").to.deep.equal(
      ["attestationVerifier", "errors", "index", "offerRegistry", "orders", "protocol", "tcbRegistry"].map(
        (name) => `sdk/src/abi/${name}.ts`,
      ),
    );
    const git = await insideGit();
    for (const [file, content] of Object.entries(files)) {
      const onDisk = await readFile(path.join(repoRoot, file), "utf8").catch(() => undefined);
      expect(
        onDisk === content,
        `${file} matches the artifacts (run \`npm run sdk:abi\` after \`hardhat build\`)`,
      ).to.equal(true);
      if (git) {
        expect(
          (await committed(file)) === content,
          `${file} as committed matches the artifacts (commit the output of \`npm run sdk:abi\`)`,
        ).to.equal(true);
      }
    }
  });
});
