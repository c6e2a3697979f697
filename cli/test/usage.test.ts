/**
 * The `tee-market` CLI without a chain: usage, help, exit codes, where keys may come from, and
 * `files hash`. Runs the built CLI (sdk/dist/cli/main.js) in child processes.
 */
import { expect } from "chai";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { generatePrivateKey } from "viem/accounts";

import { sha256Path } from "@tee-marketplace/sdk/node";
import { requireBuiltCli, runCli, writeKeystore } from "./support/cli.js";
import { fixture } from "../../sdk/test/support/paths.js";

/** A deployment file for chain 31337 whose node is never reached: the tests fail before any RPC. */
const FAKE_DEPLOYMENT = {
  chainId: 31337,
  contracts: {
    orders: "0x0000000000000000000000000000000000000001",
    offerRegistry: "0x0000000000000000000000000000000000000002",
    tcbRegistry: "0x0000000000000000000000000000000000000003",
    attestationVerifier: "0x0000000000000000000000000000000000000004",
    paymentToken: "0x0000000000000000000000000000000000000005",
  },
  blocks: { deployed: 1 },
};
/** Nothing listens there. */
const DEAD_RPC = "http://127.0.0.1:9";

describe("cli: usage, keys and files hash (no chain)", function () {
  let tmp: string;
  let chainArgs: string[];

  before(async function () {
    requireBuiltCli();
    tmp = await mkdtemp(path.join(tmpdir(), "tee-market-cli-"));
    await writeFile(path.join(tmp, "deployment.json"), JSON.stringify(FAKE_DEPLOYMENT));
    chainArgs = ["--deployment", "deployment.json", "--rpc-url", DEAD_RPC];
  });

  after(async function () {
    await rm(tmp, { recursive: true, force: true });
  });

  const cli = (args: string[], env?: Record<string, string>) =>
    runCli(args, { cwd: tmp, ...(env === undefined ? {} : { env }) });

  describe("help", function () {
    it("tee-market --help lists every command and how keys and networks are given", async function () {
      const run = await cli(["--help"]);
      expect(run.code, "exit code").to.equal(0);
      for (const command of [
        "providers register",
        "offers create",
        "offers get",
        "offers list",
        "tcb upload",
        "workflows create",
        "orders get",
        "orders complete",
        "orders get-report",
        "orders validate-report",
        "orders cancel",
        "orders withdraw",
        "files hash",
      ]) {
        expect(run.stdout, `help lists ${command}`).to.include(command);
      }
      expect(run.stdout, "help names the key variable").to.include("TEE_MARKET_PRIVATE_KEY");
      expect(run.stdout, "help names the networks").to.include("opbnbTestnet|opbnb|localhost");
      expect(run.stderr, "stderr").to.equal("");
    });

    it("<command> --help prints the command's usage and options", async function () {
      const run = await cli(["orders", "complete", "--help"]);
      expect(run.code, "exit code").to.equal(0);
      expect(run.stdout, "usage line").to.match(
        /^Usage: tee-market orders complete <suborderId...> --status/,
      );
      expect(run.stdout, "options").to.include("--solution-hash <sha256|file>");
      const group = await cli(["offers", "--help"]);
      expect(group.code, "group help exit code").to.equal(0);
      expect(group.stdout, "group help").to.include("offers add-slot");
      const aliased = await cli(["providers", "--help"]);
      expect(aliased.stdout, "an alias is shown").to.include("providers register (create)");
    });

    it("an unknown command or option, or a missing one, is a usage error: exit 2, one line", async function () {
      for (const args of [
        ["nonsense"],
        ["offers", "delete", "1"],
        ["offers", "get", "1", "--bogus"],
        ["offers", "create"],
      ]) {
        const run = await cli(args);
        expect(run.code, `exit code of ${args.join(" ")}`).to.equal(2);
        expect(run.errors, `error lines of ${args.join(" ")}`).to.have.length(1);
        expect(run.stdout, `stdout of ${args.join(" ")}`).to.equal("");
      }
      const missing = await cli(["offers", "create"]);
      expect(missing.errors[0], "names the missing option").to.include("--offer");
    });
  });

  describe("keys", function () {
    it("rejects --private-key, saying where keys go, without echoing the key", async function () {
      const key = generatePrivateKey();
      for (const args of [
        ["orders", "withdraw", "--private-key", key],
        ["orders", "withdraw", `--private-key=${key}`],
      ]) {
        const run = await cli([...args, ...chainArgs]);
        expect(run.code, "exit code").to.equal(2);
        expect(run.errors, "error lines").to.have.length(1);
        expect(run.errors[0], "says where keys go")
          .to.include("TEE_MARKET_PRIVATE_KEY")
          .and.include("--keystore");
        expect(run.stderr + run.stdout, "the key is not echoed").not.to.include(key.slice(2));
      }
    });

    it("a write without a key fails before any RPC with one line naming the ways to give one", async function () {
      const run = await cli(["orders", "withdraw", ...chainArgs]);
      expect(run.code, "exit code").to.equal(2);
      expect(run.errors, "error lines").to.deep.equal([run.stderr.trimEnd()]);
      expect(run.errors[0], "message")
        .to.include("no key is configured")
        .and.include("TEE_MARKET_PRIVATE_KEY");
    });

    it("--json puts the error in one JSON document on stdout too", async function () {
      const run = await cli(["orders", "withdraw", "--json", ...chainArgs]);
      expect(run.code, "exit code").to.equal(2);
      const document = JSON.parse(run.stdout) as { error: { name: string; message: string } };
      expect(document.error.name, "error name").to.equal("UsageError");
      expect(document.error.message, "error message").to.include("TEE_MARKET_PRIVATE_KEY");
    });

    it("a malformed TEE_MARKET_PRIVATE_KEY fails without echoing it", async function () {
      const bad = "0x" + "ab".repeat(31);
      const run = await cli(["orders", "withdraw", ...chainArgs], { TEE_MARKET_PRIVATE_KEY: bad });
      expect(run.code, "exit code").to.equal(1);
      expect(run.errors[0], "message").to.include("TEE_MARKET_PRIVATE_KEY is not a private key");
      expect(run.stderr, "the value is not echoed").not.to.include(bad.slice(2));
    });

    it("a keystore with the wrong password fails with one line (MAC mismatch)", async function () {
      const file = path.join(tmp, "wrong-password.json");
      await writeKeystore(file, generatePrivateKey(), "right password");
      const run = await cli(["orders", "withdraw", "--keystore", file, ...chainArgs], {
        TEE_MARKET_KEYSTORE_PASSWORD: "wrong password",
      });
      expect(run.code, "exit code").to.equal(1);
      expect(run.errors, "error lines").to.have.length(1);
      expect(run.errors[0], "message").to.include("wrong password for keystore");
    });

    it("a keystore whose section is spelled Crypto (older geth files) decrypts too", async function () {
      const file = path.join(tmp, "capital-crypto.json");
      await writeKeystore(file, generatePrivateKey(), "pw", "pbkdf2");
      const { crypto, ...rest } = JSON.parse(await readFile(file, "utf8")) as Record<string, unknown>;
      await writeFile(file, JSON.stringify({ ...rest, Crypto: crypto }));
      const run = await cli(["orders", "withdraw", "--keystore", file, ...chainArgs], {
        TEE_MARKET_KEYSTORE_PASSWORD: "pw",
      });
      expect(run.errors[0], "decrypted: the RPC is reached for").to.include("cannot reach the RPC");
    });

    it("a keystore without a password and without a terminal says how to give one", async function () {
      const file = path.join(tmp, "no-password.json");
      await writeKeystore(file, generatePrivateKey(), "pw");
      const run = await cli(["orders", "withdraw", "--keystore", file, ...chainArgs]);
      expect(run.code, "exit code").to.equal(2);
      expect(run.errors[0], "message").to.include("TEE_MARKET_KEYSTORE_PASSWORD");
    });

    it("takes --keystore, else TEE_MARKET_PRIVATE_KEY, else the config file's keystore", async function () {
      const keystore = path.join(tmp, "config-keystore.json");
      await writeKeystore(keystore, generatePrivateKey(), "right password");
      const config = path.join(tmp, "with-keystore.json");
      await writeFile(
        config,
        JSON.stringify({ keystore: "config-keystore.json", deployment: "deployment.json" }),
      );
      const args = ["orders", "withdraw", "--config", config, "--rpc-url", DEAD_RPC];
      const password = { TEE_MARKET_KEYSTORE_PASSWORD: "wrong password" };

      const fromConfig = await cli(args, password);
      expect(fromConfig.errors[0], "the config file's keystore is used").to.include(
        `wrong password for keystore ${keystore}`,
      );
      const fromEnv = await cli(args, { ...password, TEE_MARKET_PRIVATE_KEY: generatePrivateKey() });
      expect(fromEnv.errors[0], "the variable wins over the config file (the RPC is reached for)").to.include(
        "cannot reach the RPC",
      );
      const other = path.join(tmp, "flag-keystore.json");
      await writeKeystore(other, generatePrivateKey(), "flag password");
      const fromFlag = await cli([...args, "--keystore", other], {
        ...password,
        TEE_MARKET_PRIVATE_KEY: generatePrivateKey(),
      });
      expect(fromFlag.errors[0], "--keystore wins over the variable").to.include(
        `wrong password for keystore ${other}`,
      );
    });

    it("a config file with a private key is refused", async function () {
      const config = path.join(tmp, "with-key.json");
      await writeFile(config, JSON.stringify({ network: "localhost", privateKey: generatePrivateKey() }));
      const run = await cli(["offers", "list", "--config", config]);
      expect(run.code, "exit code").to.equal(2);
      expect(run.errors[0], "message").to.include('"privateKey" is not accepted');
    });
  });

  describe("network and deployment", function () {
    it("without a deployment file says where it looked and how to give one", async function () {
      const run = await cli(["offers", "list", "--network", "opbnbTestnet"]);
      expect(run.code, "exit code").to.equal(2);
      expect(run.errors[0], "message")
        .to.include(path.join("deployments", "opbnbTestnet.json"))
        .and.include("--deployment");
    });

    it("refuses a deployment of another chain than the network's", async function () {
      const run = await cli(["offers", "list", "--network", "opbnb", "--deployment", "deployment.json"]);
      expect(run.code, "exit code").to.equal(2);
      expect(run.errors[0], "message").to.include("is on chain 31337, network opbnb is chain 204");
    });

    it("an unreachable RPC is one line, exit 1", async function () {
      const run = await cli(["offers", "list", ...chainArgs]);
      expect(run.code, "exit code").to.equal(1);
      expect(run.errors, "error lines").to.have.length(1);
      expect(run.errors[0], "message").to.include(`cannot reach the RPC at ${DEAD_RPC}`);
    });
  });

  describe("files hash", function () {
    it("prints sha256:<hex> of a file (the content's) and of a directory (spctl's hash), the path after each", async function () {
      const run = await cli(["files", "hash", fixture("solution.bin"), fixture("dataset")]);
      expect(run.code, "exit code").to.equal(0);
      const file = await sha256Path(fixture("solution.bin"));
      const directory = await sha256Path(fixture("dataset"));
      expect(run.stdout, "output").to.equal(
        `sha256:${file.slice(2)}  ${fixture("solution.bin")}\nsha256:${directory.slice(2)}  ${fixture("dataset")}/\n`,
      );
      const resource = JSON.parse(await readFile(fixture("solution.resource.json"), "utf8")) as {
        hash: { hash: string };
      };
      expect(file.slice(2), "solution.bin's hash is solution.resource.json's").to.equal(resource.hash.hash);
      const one = await cli(["files", "calculate-hash", fixture("dataset")]);
      expect(one.stdout, "one path, spctl's command name: the hash alone").to.equal(
        `sha256:${directory.slice(2)}\n`,
      );
    });

    it("--json prints one document with the hashes", async function () {
      const run = await cli(["files", "hash", "--json", fixture("dataset")]);
      expect(run.code, "exit code").to.equal(0);
      expect(JSON.parse(run.stdout), "document").to.deep.equal({
        files: [
          {
            path: fixture("dataset"),
            kind: "directory",
            algo: "sha256",
            hash: await sha256Path(fixture("dataset")),
          },
        ],
      });
    });

    it("a missing path is a usage error: exit 2, one line", async function () {
      const run = await cli(["files", "hash", "no-such-file"]);
      expect(run.code, "exit code").to.equal(2);
      expect(run.errors[0], "message").to.include("no-such-file");
    });
  });
});
