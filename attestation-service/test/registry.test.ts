/**
 * End to end on a real chain: a Hardhat node on 127.0.0.1 with the marketplace deployed (its TEE
 * attested once through the test support's own service), and a second service configured as an
 * operator would (collateral files in a directory), whose signer the admin allows on the verifier.
 * The stand-in TEE makes a real-layout TDX quote over the registry's report data, the service
 * verifies and signs it, and the TCB registry (through Eip712AttestationVerifier) accepts the
 * proof: the TCB is published with the measurement the service attested. A quote off the
 * service's list gets no proof, so nothing reaches the chain.
 */
import { expect } from "chai";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { type Hex, bytesToHex, keccak256, stringToHex } from "viem";
import { generatePrivateKey } from "viem/accounts";

import { TEST_TD_MEASUREMENT, TEST_TD_REGISTRY_MEASUREMENT, buildTdxQuote } from "../../mocks/tdxQuote.js";
import { type Marketplace, setUpProviders, startMarketplace } from "../../sdk/test/support/marketplace.js";
import { type AttestationService, parseConfig, startAttestationService } from "../src/index.js";
import { errorCode, post } from "./support.js";

describe("attestation service: the TCB registry accepts its proofs", function () {
  this.timeout(180_000);
  const signingKey = generatePrivateKey();
  let market: Marketplace | undefined;
  let service: AttestationService | undefined;
  let dir: string;
  let teeOfferId: bigint;

  before(async function () {
    market = await startMarketplace();
    ({ teeOfferId } = await setUpProviders(market));
    const { pki } = market.attestation;

    dir = await mkdtemp(path.join(tmpdir(), "attestation-registry-"));
    await mkdir(path.join(dir, "collateral"));
    await writeFile(path.join(dir, "collateral", "tdx.json"), JSON.stringify(pki.collateral()));
    const { deployment } = market;
    service = await startAttestationService({
      config: parseConfig(
        {
          port: 0,
          chains: [
            {
              chainId: deployment.chainId,
              verifier: deployment.contracts.attestationVerifier,
              registry: deployment.contracts.tcbRegistry,
            },
          ],
          measurements: [TEST_TD_REGISTRY_MEASUREMENT],
          collateral: { dir: "collateral" },
          // Longer than the first attestation's: a key's attestations must expire ever later.
          expirySeconds: 2 * 86_400,
        },
        dir,
      ),
      signingKey,
      rootCa: pki.rootCaPem,
    });
    await market.as(market.cast.admin).tcb.setAttestationSigner({ signer: service.signer, allowed: true });
  });

  after(async function () {
    await service?.close();
    await market?.stop();
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });

  /** What the TEE sends: its quote over the registry's report data for its keys, and the claim. */
  function request(
    m: Marketplace,
    measurement: Partial<typeof TEST_TD_MEASUREMENT> = {},
  ): { quote: Hex; body: object } {
    const reportData = m.reader.tee.attestationReportData({
      teeOfferId,
      teeKey: m.tee.account.address,
      publicKey: m.tee.publicKey,
    });
    const quote = bytesToHex(buildTdxQuote(m.attestation.pki, { reportData, measurement }));
    return {
      quote,
      body: {
        quote,
        chainId: m.deployment.chainId.toString(),
        registry: m.deployment.contracts.tcbRegistry,
        teeOfferId: teeOfferId.toString(),
        teeKey: m.tee.account.address,
        publicKey: m.tee.publicKey,
      },
    };
  }

  it("refreshes the TCB with the service's proof, at the attested measurement", async function () {
    const m = market!;
    const { quote, body } = request(m);
    const { status, json } = await post(service!.url, body);
    expect(status, `status (${JSON.stringify(json)})`).to.equal(200);
    const carolAction = m.as(m.cast.carolAction);
    const { tcbId, measurement } = await carolAction.tcb.upload({
      teeOfferId,
      deviceId: keccak256(stringToHex("carol-tdx-device")),
      teeKey: m.tee.account.address,
      publicKey: m.tee.publicKey,
      quote,
      benchmark: 1000n,
      proof: json["proof"] as Hex,
    });
    expect(measurement, "published measurement").to.equal(TEST_TD_REGISTRY_MEASUREMENT);
    expect((await m.reader.tcb.active({ teeOfferId }))?.id, "the offer's active TCB").to.equal(tcbId);
  });

  it("a TD measured otherwise gets no proof", async function () {
    const { body } = request(market!, { rtmr3: TEST_TD_MEASUREMENT.rtmr0 });
    const { status, json } = await post(service!.url, body);
    expect([status, errorCode(json)], "answer").to.deep.equal([422, "MeasurementNotAllowed"]);
  });
});
