/**
 * `npm run demo` (scripts/demo.ts) keeps working: on the in-process network, and against a running
 * node given with `--network localhost`. The demo checks the story itself and exits non-zero when a
 * check fails; here its exit code and the transcript's key lines are checked.
 */
import { expect } from "chai";

import { type LocalNode, spawnHardhat, startHardhatNode } from "../support/hardhatNode.js";

const DEMO = ["run", "scripts/demo.ts"];

function expectStory(code: number | null, output: string): void {
  expect(code, `exit code; transcript:\n${output}`).to.equal(0);
  for (const line of [
    "[Bob] registers as a provider",
    "[Carol's agent] makes its enclave's keys in memory",
    "is Blocked",
    "refused with SolutionHashMismatch(suborderId, expected, provided)",
    "no transaction was sent",
    "is New (no blocking suborder left)",
    "started (Processing)",
    "is Done",
    "payouts: Carol 10 TEST, Bob 5 TEST, Dave 5 TEST, Alice 180 TEST",
    "✓ the downloaded result's sha256 is the receipt's result hash",
    "✓ signature",
    "Every check held (26 steps).",
  ]) {
    expect(output, "transcript").to.include(line);
  }
  expect(output, "transcript").to.not.include("✗");
}

describe("integration: npm run demo", function () {
  this.timeout(120_000);

  let node: LocalNode | undefined;

  after(async function () {
    await node?.stop();
  });

  it("plays the story on the in-process network and exits 0", async function () {
    const { code, output } = await spawnHardhat(DEMO, {});
    expectStory(code, output);
    expect(output, "network line").to.include("network: default (in-process), chain 31337");
  });

  it("plays it against a running node with --network localhost, deploying its own copy there", async function () {
    node = await startHardhatNode();
    const { code, output } = await spawnHardhat([...DEMO, "--network", "localhost"], {
      LOCALHOST_RPC_URL: node.url,
    });
    expectStory(code, output);
    expect(output, "network line").to.include("network: localhost (JSON-RPC), chain 31337");
    expect(output, "throwaway journal").to.include("journal: none kept (throwaway deployment)");
  });
});
