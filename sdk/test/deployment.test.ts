import { expect } from "chai";
import { mkdtemp, mkdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { FileFormatError, InputError, parseDeployment } from "../src/index.js";
import { readDeployment } from "../src/node/index.js";

const ADDRESSES = {
  orders: "0xcf7ed3acca5a467e9e704c703e8d87f634fb0fc9",
  offerRegistry: "0xe7f1725e7734ce288f8367e1bb143e90bb3f0512",
  tcbRegistry: "0x9fe46736679d2d9a65f0992f2272de9f3c7fa6e0",
  attestationVerifier: "0x9fe46736679d2d9a65f0992f2272de9f3c7fa6e1",
  paymentToken: "0x5fbdb2315678afecb367f032d93f642f64180aa3",
};
/** What scripts/deploy.ts writes. */
const FILE = {
  network: "localhost",
  chainId: 31337,
  moduleId: "TestMarketplace",
  moduleVersion: "1",
  contracts: ADDRESSES,
  paymentTokenIsTestToken: true,
  blocks: { deployed: 1 },
  deployer: "0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266",
};

function withContract(name: string, value: unknown) {
  return { ...FILE, contracts: { ...ADDRESSES, [name]: value } };
}

describe("deployment", function () {
  describe("parseDeployment", function () {
    it("reads the deploy script's file: chain id, checksummed addresses, deployment block as bigint, module version", function () {
      const deployment = parseDeployment(FILE);
      expect(deployment.chainId, "chainId").to.equal(31337);
      expect(deployment.contracts.orders, "orders").to.equal("0xCf7Ed3AccA5a467e9e704C703E8D87F634fB0Fc9");
      expect(deployment.contracts.paymentToken, "paymentToken").to.equal(
        "0x5FbDB2315678afecb367f032d93F642f64180aa3",
      );
      expect(deployment.blocks.deployed, "blocks.deployed").to.equal(1n);
      expect(deployment.moduleVersion, "moduleVersion").to.equal("1");
      expect(Object.keys(deployment), "fields kept").to.deep.equal([
        "chainId",
        "contracts",
        "blocks",
        "moduleVersion",
      ]);
    });

    it("accepts JSON text, numbers as decimal strings, bigints, and no module version", function () {
      const { moduleVersion: _, ...rest } = FILE;
      const text = JSON.stringify({ ...rest, chainId: "5611", blocks: { deployed: "48123456" } });
      const deployment = parseDeployment(text);
      expect(deployment.chainId, "chainId").to.equal(5611);
      expect(deployment.blocks.deployed, "blocks.deployed").to.equal(48123456n);
      expect("moduleVersion" in deployment, "moduleVersion absent").to.equal(false);
      expect(parseDeployment(deployment), "a parsed deployment parses to itself").to.deep.equal(deployment);
    });

    it("names the field that is missing or malformed", function () {
      const cases: [unknown, string][] = [
        [withContract("orders", undefined), "contracts.orders"],
        [withContract("tcbRegistry", "0x1234"), "contracts.tcbRegistry"],
        [
          withContract("paymentToken", "0xCF7ED3ACCA5A467E9E704C703E8D87F634FB0FC9".replace("CF", "Cf")),
          "contracts.paymentToken",
        ],
        [{ ...FILE, chainId: 0 }, "chainId"],
        [{ ...FILE, chainId: "opbnb" }, "chainId"],
        [{ ...FILE, blocks: { deployed: -1 } }, "blocks.deployed"],
        [{ ...FILE, blocks: undefined }, "blocks"],
        [{ ...FILE, contracts: [] }, "contracts"],
        [{ ...FILE, moduleVersion: 1 }, "moduleVersion"],
        ["{ not json", ""],
        [[FILE], ""],
      ];
      for (const [input, field] of cases) {
        let caught: unknown;
        try {
          parseDeployment(input);
        } catch (error) {
          caught = error;
        }
        expect(caught, `error for ${field || "the whole input"}`).to.be.instanceOf(InputError);
        expect((caught as InputError).field, `field of ${JSON.stringify(input)?.slice(0, 60)}`).to.equal(
          field,
        );
      }
    });
  });

  describe("readDeployment", function () {
    let root: string;
    before(async function () {
      root = await mkdtemp(path.join(tmpdir(), "sdk-deployment-"));
      await mkdir(path.join(root, "deployments"));
      await writeFile(path.join(root, "deployments", "localhost.json"), JSON.stringify(FILE));
      await writeFile(
        path.join(root, "deployments", "broken.json"),
        JSON.stringify(withContract("orders", "0x12")),
      );
      await writeFile(path.join(root, "deployments", "notjson.json"), "{");
    });
    after(async function () {
      await rm(root, { recursive: true, force: true });
    });

    it("reads deployments/<network>.json under the root for a network name", async function () {
      const deployment = await readDeployment("localhost", root);
      expect(deployment.chainId, "chainId").to.equal(31337);
    });

    it("reads a file path, relative to the root or absolute", async function () {
      expect((await readDeployment("deployments/localhost.json", root)).chainId, "relative").to.equal(31337);
      expect(
        (await readDeployment(path.join(root, "deployments", "localhost.json"))).chainId,
        "absolute",
      ).to.equal(31337);
    });

    it("says how to deploy when the network has no file", async function () {
      const error = await readDeployment("opbnbTestnet", root).catch((e: unknown) => e);
      expect(error, "error").to.be.instanceOf(InputError);
      expect((error as InputError).message, "message").to.include("scripts/deploy.ts --network opbnbTestnet");
    });

    it("names the file and the field of a malformed deployment", async function () {
      const broken = await readDeployment("broken", root).catch((e: unknown) => e);
      expect(broken, "bad address").to.be.instanceOf(FileFormatError);
      expect((broken as FileFormatError).field, "field").to.equal("contracts.orders");
      expect((broken as FileFormatError).path, "path").to.equal(
        path.join(root, "deployments", "broken.json"),
      );
      const notJson = await readDeployment("notjson", root).catch((e: unknown) => e);
      expect(notJson, "not JSON").to.be.instanceOf(FileFormatError);
    });
  });
});
