/**
 * Parts of the agent on their own: the attestation service's client against the real service (a
 * refusal is final, no answer is worth retrying), the runners' refusals and the container runner's
 * arguments, the retry policy's classification, the result's delivery (pointers within the
 * contract's cap, an empty pointer for a key off the curve).
 */
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { expect } from "chai";
import { HttpRequestError, createPublicClient, http, keccak256, stringToHex } from "viem";
import { hardhat } from "viem/chains";

import {
  InputError,
  MAX_RESULT_POINTER_SIZE,
  StateError,
  createMarketplaceContext,
  generateEciesKey,
} from "@tee-marketplace/sdk";
import { createStorage } from "@tee-marketplace/sdk/node";

import { type LocalAttestation, localAttestation } from "../../mocks/localAttestation.js";
import { AttestationServiceError, containerRunArguments } from "../src/index.js";
import { requestAttestation } from "../src/attestationService.js";
import { deliverOutput } from "../src/delivery.js";
import { isTransient } from "../src/retry.js";
import { processRunner } from "../src/runners/processRunner.js";

const ADDRESS = "0x5FbDB2315678afecb367f032d93F642f64180aa3";

describe("agent: parts", function () {
  this.timeout(60_000);
  let attestation: LocalAttestation;
  let dir: string;

  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "tee-market-agent-parts-"));
    attestation = localAttestation();
    await attestation.start({
      chainId: 31337,
      contracts: { attestationVerifier: ADDRESS, tcbRegistry: ADDRESS },
    });
  });
  after(async () => {
    await attestation?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("reports the attestation service's refusal with its code, as final", async () => {
    const error = await requestAttestation(attestation.url, {
      quote: "0x0400",
      chainId: 5611,
      registry: ADDRESS,
      teeOfferId: 1n,
      teeKey: ADDRESS,
      publicKey: `0x04${"11".repeat(64)}`,
    }).catch((e: unknown) => e);
    expect(error, "the error").to.be.instanceOf(AttestationServiceError);
    expect((error as AttestationServiceError).code, "the service's code").to.equal("DeploymentNotServed");
    expect((error as AttestationServiceError).transient, "retry it?").to.equal(false);
  });

  it("reports an attestation service that does not answer as worth retrying", async () => {
    const error = await requestAttestation("http://127.0.0.1:9", {
      quote: "0x00",
      chainId: 31337,
      registry: ADDRESS,
      teeOfferId: 1n,
      teeKey: ADDRESS,
      publicKey: "0x00",
    }).catch((e: unknown) => e);
    expect((error as AttestationServiceError).code, "the code").to.equal("Unreachable");
    expect((error as AttestationServiceError).transient, "retry it?").to.equal(true);
  });

  it("refuses to run a solution without an entrypoint", async () => {
    const error = await processRunner()
      .run({
        orderId: 1n,
        solution: { path: dir, unpacked: true },
        layout: { workDirectory: dir, inputs: dir, output: dir, certs: dir },
        args: null,
        signal: new AbortController().signal,
      })
      .catch((e: unknown) => e);
    expect(error, "the error").to.be.instanceOf(StateError);
    expect((error as Error).message, "the message").to.match(/has no entrypoint file/);
  });

  it("runs containers without network, with the inputs and the report read-only at /sp", () => {
    const args = containerRunArguments(
      "tee-market-order-7",
      "sha256:abc",
      { workDirectory: "/w", inputs: "/w/sp/inputs", output: "/w/sp/output", certs: "/w/sp/certs" },
      '{"top":5}',
    );
    expect(args.join(" "), "the arguments").to.equal(
      "run --rm --name tee-market-order-7 --network none --volume /w/sp/inputs:/sp/inputs:ro " +
        "--volume /w/sp/output:/sp/output --volume /w/sp/certs:/sp/certs:ro --env SP_INPUTS=/sp/inputs " +
        '--env SP_OUTPUT=/sp/output --env SP_CERTS=/sp/certs --env SP_ARGS={"top":5} sha256:abc',
    );
  });

  it("retries the network's failures, 429 and 5xx, not a 400", () => {
    const http = (status?: number) =>
      new HttpRequestError({ url: "http://127.0.0.1:1", ...(status === undefined ? {} : { status }) });
    expect(isTransient(http()), "no answer").to.equal(true);
    expect(isTransient(http(429)), "429").to.equal(true);
    expect(isTransient(http(503)), "503").to.equal(true);
    expect(isTransient(http(400)), "400").to.equal(false);
    expect(isTransient(Object.assign(new Error("x"), { code: "ECONNRESET" })), "a reset connection").to.equal(
      true,
    );
    expect(isTransient(new Error(keccak256(stringToHex("other")))), "anything else").to.equal(false);
  });

  it("delivers a pointer per recipient, an empty one for a key off the curve, and refuses pointers over the cap", async () => {
    const ctx = createMarketplaceContext({
      publicClient: createPublicClient({ chain: hardhat, transport: http("http://127.0.0.1:9") }),
      deployment: {
        chainId: 31337,
        contracts: {
          orders: ADDRESS,
          offerRegistry: ADDRESS,
          tcbRegistry: ADDRESS,
          attestationVerifier: ADDRESS,
          paymentToken: ADDRESS,
        },
        blocks: { deployed: 0n },
      },
    });
    const output = path.join(dir, "output");
    await mkdir(output, { recursive: true });
    await writeFile(path.join(output, "answer.json"), "{}\n");
    const recipients = [generateEciesKey().publicKey, `0x02${"ff".repeat(32)}` as const];
    const deliver = (directory: string) =>
      deliverOutput(
        {
          ctx,
          orderId: 7n,
          recipients,
          storage: createStorage({ type: "FS", directory }),
          signal: new AbortController().signal,
        },
        output,
      );

    const delivered = await deliver(path.join(dir, "storage"));
    expect(delivered.pointers, "one per recipient").to.have.length(2);
    expect((delivered.pointers[0]!.length - 2) / 2, "a sealed pointer within the cap")
      .to.be.greaterThan(0)
      .and.at.most(MAX_RESULT_POINTER_SIZE);
    expect(delivered.pointers[1], "the key off the curve gets none").to.equal("0x");
    expect(delivered.unsealed, "and is named")
      .to.have.length(1)
      .and.match(/^recipient 1: /);

    // The resource file in each pointer names the storage's directory: a long one makes it too big.
    const deep = path.join(dir, "d".repeat(200), "e".repeat(200), "f".repeat(200), "g".repeat(200));
    const refused = await deliver(deep).catch((e: unknown) => e);
    expect(refused, "over the cap").to.be.instanceOf(InputError).with.property("field", "storage");
    expect((refused as Error).message, "the fix").to.match(/over the contract's cap of 1024/);
  });
});
