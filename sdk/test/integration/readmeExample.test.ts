/**
 * The README's "Using the SDK" example, taken from the README as a user copies it, run twice
 * against the same node: a user tries it more than once, and a second run must not crash.
 */
import { expect } from "chai";
import { spawnSync } from "node:child_process";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";

import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";

import { type LocalNode, startHardhatNode } from "../support/hardhatNode.js";
import { repoRoot } from "../support/paths.js";

/** The example's RPC URL, which the test points at its own node. */
const README_RPC_URL = "http://127.0.0.1:8545";

async function readmeExample(): Promise<string> {
  const readme = await readFile(path.join(repoRoot, "README.md"), "utf8");
  const section = readme.slice(readme.indexOf("## Using the SDK"));
  const match = /```ts\n([\s\S]*?)```/.exec(section);
  if (match?.[1] === undefined) throw new Error("README.md has no ```ts block under 'Using the SDK'");
  return match[1];
}

describe("integration: the README's SDK example", function () {
  this.timeout(180_000);

  let node: LocalNode | undefined;
  let dir: string | undefined;

  before(async function () {
    node = await startHardhatNode();
    const deployment = await node.deploy({
      attestationSigner: privateKeyToAccount(generatePrivateKey()).address,
    });
    // Inside the repository, so that `@tee-marketplace/sdk` resolves as it does for the example's reader.
    dir = await mkdtemp(path.join(repoRoot, "sdk", ".readme-example-"));
    await mkdir(path.join(dir, "deployments"));
    await writeFile(
      path.join(dir, "deployments", "localhost.json"),
      JSON.stringify(deployment, (_key, value: unknown) =>
        typeof value === "bigint" ? Number(value) : value,
      ),
    );
    const example = await readmeExample();
    expect(example, "the example's RPC URL").to.include(README_RPC_URL);
    await writeFile(path.join(dir, "example.ts"), example.replaceAll(README_RPC_URL, node.url));
  });

  after(async function () {
    await node?.stop();
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });

  const run = () =>
    spawnSync(path.join(repoRoot, "node_modules", ".bin", "tsx"), ["example.ts"], {
      cwd: dir,
      encoding: "utf8",
    });

  it("runs, and runs again on the same node", function () {
    const first = run();
    expect(first.status, `first run's exit code (stderr: ${first.stderr})`).to.equal(0);
    expect(first.stdout, "first run lists the offer").to.match(/offer 1 with slot 1:/);
    expect(first.stdout, "first run registers Bob").not.to.include("ProviderAlreadyRegistered");

    const second = run();
    expect(second.status, `second run's exit code (stderr: ${second.stderr})`).to.equal(0);
    expect(second.stdout, "second run finds Bob registered").to.include("ProviderAlreadyRegistered");
    expect(second.stdout, "second run lists its own offer").to.match(/offer 2 with slot 2:/);
  });
});
