/**
 * The agent refuses a configuration that does not fit the chain, before it attests anything: an
 * unknown offer, an offer that is not a TEE offer, a key that is not the offer's operator, a
 * storage that refuses writes, an RPC of another chain, a container runner without an engine.
 */
import { writeFile } from "node:fs/promises";
import path from "node:path";

import { expect } from "chai";
import { generatePrivateKey } from "viem/accounts";

import { InputError, StateError, StorageError } from "@tee-marketplace/sdk";

import { startAgent } from "../src/index.js";
import { type World, startWorld } from "./support/world.js";

describe("agent: refusals at start", function () {
  this.timeout(120_000);
  let world: World;

  before(async () => {
    world = await startWorld();
  });
  after(async () => {
    await world?.stop();
  });

  async function refusal(overrides: Record<string, unknown>, key = world.operatorKey): Promise<Error> {
    const error = await startAgent({
      config: world.config(overrides),
      env: { TEE_MARKET_AGENT_PRIVATE_KEY: key },
    }).then(
      async (agent) => {
        await agent.stop();
        return new Error("the agent started");
      },
      (e: unknown) => e as Error,
    );
    return error;
  }

  it("refuses an unknown offer", async () => {
    const error = await refusal({ teeOfferId: "999" });
    expect(error, "the error").to.be.instanceOf(StateError);
    expect(error.message, "the message").to.match(/TEE offer 999 does not exist/);
  });

  it("refuses an offer that is not a TEE offer", async () => {
    const error = await refusal({ teeOfferId: world.bob.offerId.toString() });
    expect(error.message, "the message").to.match(/is a Data offer, not a TEE offer/);
  });

  it("refuses a key that is not the offer's operator", async () => {
    const error = await refusal({}, generatePrivateKey());
    expect(error, "the error").to.be.instanceOf(StateError);
    expect(error.message, "the message").to.match(/is neither the authority nor the action account/);
  });

  it("refuses a storage that refuses writes", async () => {
    // A file where the storage's directory should be: no account, root included, can write there.
    const file = path.join(world.dir, "not-a-directory");
    await writeFile(file, "x");
    const error = await refusal({ storage: { type: "FS", directory: path.join(file, "results") } });
    expect(error, "the error").to.be.instanceOf(StorageError);
    expect(error.message, "the message").to.include("not-a-directory");
  });

  it("refuses an RPC of another chain than the deployment's", async () => {
    const error = await refusal({ deployment: { ...world.m.deployment, chainId: 5611 } });
    expect(error.message, "the message").to.match(/The RPC is on chain 31337, the deployment on chain 5611/);
  });

  it("refuses the container runner when no engine answers", async () => {
    const error = await refusal({
      runner: { type: "container", engine: "no-such-engine", workDirectory: path.join(world.dir, "w") },
    });
    expect(error, "the error").to.be.instanceOf(InputError).with.property("field", "runner.type");
  });

  it("refuses a missing RPC URL when no transport is given", async () => {
    const config = world.config();
    const { rpcUrl: _, ...rest } = config;
    const error = await startAgent({
      config: rest,
      env: { TEE_MARKET_AGENT_PRIVATE_KEY: world.operatorKey },
    }).catch((e: unknown) => e as Error);
    expect(error, "the error").to.be.instanceOf(InputError).with.property("field", "rpcUrl");
  });
});
