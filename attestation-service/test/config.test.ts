/**
 * The configuration file: defaults, paths relative to the file, and an error naming the file and
 * the field for every wrong setting.
 */
import { expect } from "chai";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { FileFormatError, InputError } from "@tee-marketplace/sdk";

import { TEST_TD_MEASUREMENT, TEST_TD_REGISTRY_MEASUREMENT } from "../../mocks/tdxQuote.js";
import { parseConfig, readConfig } from "../src/index.js";
import { REGISTRY, VERIFIER } from "./support.js";

const MINIMAL = {
  port: 8645,
  chains: [{ chainId: 5611, verifier: VERIFIER, registry: REGISTRY }],
  measurements: [TEST_TD_REGISTRY_MEASUREMENT],
  collateral: { pccsUrl: "https://api.trustedservices.intel.com" },
};

describe("attestation service: configuration", function () {
  it("fills the defaults: 127.0.0.1, UpToDate only, 60 requests a minute, one hour", function () {
    const config = parseConfig(MINIMAL, "/srv");
    expect(config, "config").to.deep.equal({
      address: "127.0.0.1",
      port: 8645,
      chains: [{ chainId: 5611n, verifier: VERIFIER, registry: REGISTRY }],
      acceptedStatuses: ["UpToDate"],
      measurements: [TEST_TD_REGISTRY_MEASUREMENT],
      collateral: { pccsUrl: "https://api.trustedservices.intel.com" },
      rateLimit: { requests: 60, perSeconds: 60 },
      expirySeconds: 3600,
    });
  });

  it("resolves paths against the configuration's directory", function () {
    const config = parseConfig(
      {
        ...MINIMAL,
        collateral: { dir: "collateral" },
        rootCa: "../test-root.pem",
        keystore: "/keys/service.json",
      },
      "/srv/attestation",
    );
    expect([config.collateral, config.rootCa, config.keystore], "paths").to.deep.equal([
      { dir: "/srv/attestation/collateral" },
      "/srv/test-root.pem",
      "/keys/service.json",
    ]);
  });

  it("takes MRTDs (48 bytes) and registry measurements (32 bytes) in the list", function () {
    const config = parseConfig(
      { ...MINIMAL, measurements: [TEST_TD_MEASUREMENT.mrTd, TEST_TD_REGISTRY_MEASUREMENT] },
      "/",
    );
    expect(config.measurements, "measurements").to.deep.equal([
      TEST_TD_MEASUREMENT.mrTd,
      TEST_TD_REGISTRY_MEASUREMENT,
    ]);
  });

  it("names every wrong setting", function () {
    const cases: [Record<string, unknown>, string][] = [
      [{ ...MINIMAL, port: undefined }, "port"],
      [{ ...MINIMAL, port: 65536 }, "port"],
      [{ ...MINIMAL, chains: [] }, "chains"],
      [{ ...MINIMAL, chains: [{ chainId: 0, verifier: VERIFIER, registry: REGISTRY }] }, "chains[0].chainId"],
      [{ ...MINIMAL, chains: [{ chainId: 1, verifier: "0x12", registry: REGISTRY }] }, "chains[0].verifier"],
      [{ ...MINIMAL, chains: [MINIMAL.chains[0], MINIMAL.chains[0]] }, "chains[1]"],
      [{ ...MINIMAL, acceptedStatuses: ["UpToDate", "Revoked"] }, "acceptedStatuses[1]"],
      [{ ...MINIMAL, measurements: [] }, "measurements"],
      [{ ...MINIMAL, measurements: ["0x1234"] }, "measurements[0]"],
      [{ ...MINIMAL, collateral: { file: "a.json", dir: "b" } }, "collateral"],
      [{ ...MINIMAL, collateral: { pccsUrl: "ftp://pccs" } }, "collateral.pccsUrl"],
      [{ ...MINIMAL, rateLimit: { requests: 0, perSeconds: 60 } }, "rateLimit.requests"],
      [{ ...MINIMAL, expirySeconds: 30 * 86_400 + 1 }, "expirySeconds"],
      [{ ...MINIMAL, privateKey: "0x01" }, "privateKey"],
    ];
    for (const [json, field] of cases) {
      expect(() => parseConfig(json, "/"), field)
        .to.throw(InputError)
        .with.property("field", field);
    }
    expect(parseConfig({ ...MINIMAL, expirySeconds: 30 * 86_400 }, "/").expirySeconds, "30 days").to.equal(
      2_592_000,
    );
  });

  it("readConfig names the file in its errors", async function () {
    const dir = await mkdtemp(path.join(tmpdir(), "attestation-config-"));
    try {
      const file = path.join(dir, "attestation-service.json");
      await writeFile(file, JSON.stringify({ ...MINIMAL, port: "8645" }));
      const error = await readConfig(file).catch((e: unknown) => e);
      expect(error, "error").to.be.instanceOf(FileFormatError);
      expect((error as FileFormatError).message, "message").to.equal(
        `${file}: port: expected an integer from 0 to 65535, got "8645"`,
      );
      await writeFile(file, "{");
      expect(await readConfig(file).catch((e: unknown) => e), "not JSON").to.be.instanceOf(FileFormatError);
      const missing = await readConfig(path.join(dir, "none.json")).catch((e: unknown) => e);
      expect(missing, "missing").to.be.instanceOf(InputError).with.property("field", "config");
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
