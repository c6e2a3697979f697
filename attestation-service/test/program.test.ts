/**
 * The `tee-attestation-service` program as an operator runs it: the launcher, a configuration
 * file, the key from the environment or a keystore; it serves until SIGTERM and exits 0; a wrong
 * setting stops it at start-up with the file and field named; a fresh checkout builds on first run.
 */
import { expect } from "chai";
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { cp, mkdtemp, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { encryptKeystoreJsonSync } from "ethers";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";

import { TEST_TD_REGISTRY_MEASUREMENT } from "../../mocks/tdxQuote.js";
import { CHAIN_ID, REGISTRY, VERIFIER, type TestTee, collateralDir, post, testTee } from "./support.js";
import { KEYSTORE_PASSWORD_ENV, PRIVATE_KEY_ENV } from "../src/index.js";

const packageRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const launcher = path.join(packageRoot, "bin", "tee-attestation-service.js");

/** Starts the program and waits for its start-up line; `stop()` sends SIGTERM and returns the exit code. */
async function run(
  configFile: string,
  env: Record<string, string>,
): Promise<{ url: string; signer: string; stop(): Promise<number | null> }> {
  const child: ChildProcess = spawn(process.execPath, [launcher, "--config", configFile], {
    env: { PATH: process.env["PATH"] ?? "", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
  const line = await new Promise<RegExpExecArray>((resolve, reject) => {
    child.stdout?.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
      const match = /signer (0x[0-9a-fA-F]{40}) listening on (http:\/\/\S+)/.exec(stdout);
      if (match !== null) resolve(match);
    });
    void exited.then((code) => reject(new Error(`exited with ${code}: ${stderr}`)));
  });
  return {
    signer: line[1]!,
    url: line[2]!,
    stop: async () => {
      child.kill("SIGTERM");
      return exited;
    },
  };
}

describe("attestation service: the program", function () {
  this.timeout(120_000);
  let tee: TestTee;
  let files: Awaited<ReturnType<typeof collateralDir>>;
  let configFile: string;

  before(async function () {
    tee = testTee();
    files = await collateralDir(tee.pki);
    configFile = path.join(files.dir, "attestation-service.json");
  });
  after(async function () {
    await files.remove();
  });

  async function writeConfig(extra: Record<string, unknown> = {}): Promise<void> {
    const config = {
      port: 0,
      chains: [{ chainId: Number(CHAIN_ID), verifier: VERIFIER, registry: REGISTRY }],
      measurements: [TEST_TD_REGISTRY_MEASUREMENT],
      collateral: { dir: "collateral" },
      rootCa: "test-root.pem",
      ...extra,
    };
    await writeFile(configFile, JSON.stringify(config));
  }

  it("serves with the key from the environment, signs a genuine quote, and exits 0 on SIGTERM", async function () {
    await writeConfig();
    const key = generatePrivateKey();
    const program = await run(configFile, { [PRIVATE_KEY_ENV]: key });
    try {
      expect(program.signer, "signer").to.equal(privateKeyToAccount(key).address);
      expect(program.url, "listens on 127.0.0.1").to.match(/^http:\/\/127\.0\.0\.1:\d+$/);
      const { status, json } = await post(program.url, tee.body(tee.quote()));
      expect(status, `status (${JSON.stringify(json)})`).to.equal(200);
      expect(json["signer"], "signer").to.equal(program.signer);
    } finally {
      expect(await program.stop(), "exit code").to.equal(0);
    }
  });

  it("serves with the key from a keystore named in the configuration", async function () {
    const key = generatePrivateKey();
    const account = { address: privateKeyToAccount(key).address, privateKey: key };
    await writeFile(
      path.join(files.dir, "key.json"),
      encryptKeystoreJsonSync(account, "pw", { scrypt: { N: 1024 } }),
    );
    await writeConfig({ keystore: "key.json" });
    const program = await run(configFile, { [KEYSTORE_PASSWORD_ENV]: "pw" });
    expect(program.signer, "signer").to.equal(account.address);
    expect(await program.stop(), "exit code").to.equal(0);
  });

  it("a wrong setting stops the start-up with the file and field named (exit 1)", async function () {
    await writeConfig({ expirySeconds: -1 });
    const result = spawnSync(process.execPath, [launcher, "--config", configFile], {
      env: { PATH: process.env["PATH"] ?? "", [PRIVATE_KEY_ENV]: generatePrivateKey() },
      encoding: "utf8",
    });
    expect(result.status, "exit code").to.equal(1);
    expect(result.stderr, "message").to.include(`${configFile}: expirySeconds: expected an integer`);
  });

  it("the installed node_modules/.bin/tee-attestation-service runs the program", function () {
    const bin = path.join(packageRoot, "..", "node_modules", ".bin", "tee-attestation-service");
    const result = spawnSync(bin, ["--help"], { encoding: "utf8" });
    expect(result.status, `exit code (stderr: ${result.stderr})`).to.equal(0);
    expect(result.stdout, "usage").to.match(/^Usage: tee-attestation-service/);
  });

  it("refuses a key on the command line (exit 2)", function () {
    const result = spawnSync(process.execPath, [launcher, "--private-key", "0x01"], { encoding: "utf8" });
    expect(result.status, "exit code").to.equal(2);
    expect(result.stderr, "message").to.include("keys come from the environment");
  });

  it("the launcher builds the service first when it was never built (a fresh clone after npm ci)", async function () {
    // A copy of the package without dist/, inside the repository so that it resolves the
    // checkout's node_modules (TypeScript, the SDK, viem) as the package itself does.
    const copy = await mkdtemp(path.join(packageRoot, ".launcher-test-"));
    try {
      for (const part of ["bin", "src", "package.json", "tsconfig.json"]) {
        await cp(path.join(packageRoot, part), path.join(copy, part), { recursive: true });
      }
      const first = spawnSync(
        process.execPath,
        [path.join(copy, "bin", "tee-attestation-service.js"), "--help"],
        {
          encoding: "utf8",
        },
      );
      expect(first.status, `first run's exit code (stderr: ${first.stderr})`).to.equal(0);
      expect(first.stderr, "first run says it builds").to.include("building the attestation service");
      expect(first.stdout, "usage").to.match(/^Usage: tee-attestation-service/);
      const second = spawnSync(
        process.execPath,
        [path.join(copy, "bin", "tee-attestation-service.js"), "--help"],
        {
          encoding: "utf8",
        },
      );
      expect(second.stderr, "second run builds nothing").to.equal("");
    } finally {
      await rm(copy, { recursive: true, force: true });
    }
  });
});
