/**
 * Parts of the agent on their own: the attestation service's client against the real service (a
 * refusal is final, no answer is worth retrying), the runners' refusals and the container runner's
 * arguments, the retry policy's classification.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { expect } from "chai";
import { HttpRequestError, keccak256, stringToHex } from "viem";

import { StateError } from "@tee-marketplace/sdk";

import { type LocalAttestation, localAttestation } from "../../mocks/localAttestation.js";
import { AttestationServiceError, containerRunArguments } from "../src/index.js";
import { requestAttestation } from "../src/attestationService.js";
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
});
