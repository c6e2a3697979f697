/**
 * The configuration file and the operator's key: every setting checked before anything is touched,
 * an error naming the file and the field; keys only from the environment or a keystore.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { expect } from "chai";
import { generatePrivateKey } from "viem/accounts";

import { FileFormatError, InputError } from "@tee-marketplace/sdk";

import { parseAgentConfig, readAgentConfig } from "../src/index.js";
import { loadOperatorKey } from "../src/operatorKey.js";

const deployment = {
  chainId: 31337,
  contracts: {
    orders: "0x5FbDB2315678afecb367f032d93F642f64180aa3",
    offerRegistry: "0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512",
    tcbRegistry: "0x9fE46736679d2D9a65F0992F2272dE9f3c7fa6e0",
    attestationVerifier: "0xCf7Ed3AccA5a467e9e704C703E8D87F634fB0Fc9",
    paymentToken: "0xDc64a140Aa3E981100a9becA4E685f962f0cF6C9",
  },
  blocks: { deployed: "1" },
};
const minimal = {
  rpcUrl: "http://127.0.0.1:8545",
  deployment,
  teeOfferId: "2",
  attestationService: "http://127.0.0.1:8645",
  storage: { type: "FS", directory: "./results" },
};

function refusal(json: unknown): InputError {
  try {
    parseAgentConfig(json, "/base");
  } catch (error) {
    if (error instanceof InputError) return error;
    throw error;
  }
  throw new Error("no refusal");
}

describe("agent: configuration", () => {
  it("fills the defaults and resolves paths against the file's directory", () => {
    const config = parseAgentConfig(minimal, "/base");
    expect(config.storage, "storage").to.deep.equal({ type: "FS", directory: "/base/results", prefix: "" });
    expect(config.quotes, "quotes").to.deep.equal({
      source: "auto",
      configfsPath: "/sys/kernel/config/tsm/report",
    });
    expect(config.runner.type, "runner").to.equal("auto");
    expect(config.logBlockRange, "logBlockRange").to.equal(5000n);
    expect(config.pollIntervalMs, "pollIntervalMs").to.equal(2000);
    expect(config.maxConcurrentOrders, "maxConcurrentOrders").to.equal(1);
    expect(config.teeOfferId, "teeOfferId").to.equal(2n);
    expect(config.deviceId, "deviceId").to.match(/^0x[0-9a-f]{64}$/);
  });

  const cases: [string, Record<string, unknown>, string, RegExp][] = [
    ["an unknown setting", { ...minimal, rpc: "x" }, "rpc", /is not a setting/],
    ["no deployment", { ...minimal, deployment: undefined }, "deployment", /is required/],
    [
      "a malformed deployment",
      { ...minimal, deployment: { ...deployment, chainId: "x" } },
      "deployment.chainId",
      /chain id/,
    ],
    ["no TEE offer", { ...minimal, teeOfferId: undefined }, "teeOfferId", /TEE offer/],
    [
      "no storage",
      { ...minimal, storage: undefined },
      "storage",
      /is required: where results and logs are uploaded/,
    ],
    ["an unknown storage type", { ...minimal, storage: { type: "STORJ" } }, "storage.type", /"FS" or "S3"/],
    [
      "S3 without read-only keys",
      { ...minimal, storage: { type: "S3", bucket: "b", accessKeyId: "k" } },
      "storage.readCredentials",
      /read-only keys/,
    ],
    [
      "a storage setting of another type",
      { ...minimal, storage: { type: "FS", directory: "d", bucket: "b" } },
      "storage.bucket",
      /not a setting of storage/,
    ],
    ["a bad RPC URL", { ...minimal, rpcUrl: "localhost:8545" }, "rpcUrl", /http\(s\) URL/],
    [
      "no attestation service",
      { ...minimal, attestationService: undefined },
      "attestationService",
      /non-empty string/,
    ],
    [
      "an unknown quote source",
      { ...minimal, quotes: { source: "sgx" } },
      "quotes.source",
      /"auto", "configfs-tsm" or "stand-in"/,
    ],
    [
      "an unknown runner",
      { ...minimal, runner: { type: "vm" } },
      "runner.type",
      /"auto", "container" or "process"/,
    ],
    ["a poll interval too short", { ...minimal, pollIntervalMs: 10 }, "pollIntervalMs", /from 50 to/],
    ["no HTTP port", { ...minimal, http: {} }, "http.port", /integer from 0 to 65535/],
    ["a zero log range", { ...minimal, logBlockRange: 0 }, "logBlockRange", /number of blocks/],
  ];
  for (const [what, json, field, message] of cases) {
    it(`refuses ${what}, naming ${field}`, () => {
      const error = refusal(json);
      expect(error.field, "the field").to.equal(field);
      expect(error.detail, "the detail").to.match(message);
    });
  }

  it("names the file when reading one, and reads the deployment file it names", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "tee-market-agent-config-"));
    try {
      await writeFile(path.join(dir, "deployment.json"), JSON.stringify(deployment));
      await writeFile(
        path.join(dir, "agent.json"),
        JSON.stringify({ ...minimal, deployment: "deployment.json" }),
      );
      const config = await readAgentConfig(path.join(dir, "agent.json"));
      expect(config.deployment.chainId, "the deployment's chain").to.equal(31337);
      await writeFile(path.join(dir, "bad.json"), JSON.stringify({ ...minimal, storage: undefined }));
      const error = await readAgentConfig(path.join(dir, "bad.json")).catch((e: unknown) => e);
      expect(error, "the error").to.be.instanceOf(FileFormatError).with.property("field", "storage");
      expect((error as Error).message, "the message").to.include(path.join(dir, "bad.json"));
      await writeFile(path.join(dir, "broken.json"), "{");
      expect(
        await readAgentConfig(path.join(dir, "broken.json")).catch((e: unknown) => (e as Error).message),
      ).to.match(/not valid JSON/);
      await writeFile(
        path.join(dir, "nodeploy.json"),
        JSON.stringify({ ...minimal, deployment: "none.json" }),
      );
      const missing = await readAgentConfig(path.join(dir, "nodeploy.json")).catch((e: unknown) => e);
      expect(missing, "a missing deployment file")
        .to.be.instanceOf(FileFormatError)
        .with.property("field", "deployment");
      const unread = await readAgentConfig(path.join(dir, "absent.json")).catch((e: unknown) => e);
      expect(unread, "a missing file").to.be.instanceOf(InputError).with.property("field", "config");
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  describe("the operator's key", () => {
    it("comes from TEE_MARKET_AGENT_PRIVATE_KEY", async () => {
      const key = generatePrivateKey();
      expect(
        await loadOperatorKey(undefined, { TEE_MARKET_AGENT_PRIVATE_KEY: key.slice(2) }),
        "the key",
      ).to.equal(key);
    });
    it("is required", async () => {
      const error = await loadOperatorKey(undefined, {}).catch((e: unknown) => e);
      expect(error, "the error")
        .to.be.instanceOf(InputError)
        .with.property("field", "TEE_MARKET_AGENT_PRIVATE_KEY");
    });
    it("must be a key", async () => {
      const error = await loadOperatorKey(undefined, { TEE_MARKET_AGENT_PRIVATE_KEY: "0x1234" }).catch(
        (e: unknown) => e,
      );
      expect((error as Error).message, "the message").to.match(/not a secp256k1 private key/);
    });
    it("comes from one source only", async () => {
      const error = await loadOperatorKey("/k.json", {
        TEE_MARKET_AGENT_PRIVATE_KEY: generatePrivateKey(),
      }).catch((e: unknown) => e);
      expect((error as Error).message, "the message").to.match(/keep one source/);
    });
    it("needs the keystore's password", async () => {
      const error = await loadOperatorKey("/k.json", {}).catch((e: unknown) => e);
      expect(error, "the error")
        .to.be.instanceOf(InputError)
        .with.property("field", "TEE_MARKET_AGENT_KEYSTORE_PASSWORD");
    });
  });
});
