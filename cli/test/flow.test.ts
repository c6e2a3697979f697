/**
 * Super Protocol's confidential-collaboration guide with the `tee-market` CLI, command for command,
 * on a Hardhat node, once with each kind of storage: FS (local directories), S3 (s3rver on
 * 127.0.0.1) and URL (a file server on 127.0.0.1 publishing the uploaded objects). Alice uploads her
 * solution and sends its resource file to Bob, who downloads it for review; Bob uploads his dataset
 * and lists it; Alice places the workflow; Bob's wrong solution hash is refused without a
 * transaction and the right one accepted; the enclave (the stand-in TEE through the SDK: the CLI is
 * the users' side) opens what it was handed, downloads it, reports, uploads its output and seals a
 * pointer for each recipient; Alice (and Bob, whom she named a recipient) downloads the result and
 * finds the enclave's output byte for byte; both save and validate the report. Alice, Bob and Carol
 * each work in a directory of their own, as on their own machines, and run the built bin.
 */
import { expect } from "chai";
import { randomBytes } from "node:crypto";
import { copyFile, mkdir, mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { Value } from "@sinclair/typebox/value";
import dto from "@super-protocol/dto-js";
import { type Address, type Hex, createWalletClient, http, parseEther } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { getTransactionCount, sendTransaction, waitForTransactionReceipt } from "viem/actions";

import { OrderStatus } from "@tee-marketplace/sdk";
import { type StorageOptions, readResourceFile, sha256File } from "@tee-marketplace/sdk/node";

import { TEE_MIN_MINUTES, TEE_PRICE_PER_HOUR, TOKEN, teeSlotInfo } from "../../scripts/lib/scenario.js";
import { type Marketplace, MEASUREMENT, startMarketplace } from "../../sdk/test/support/marketplace.js";
import { fixture } from "../../sdk/test/support/paths.js";
import {
  type S3Server,
  S3RVER_KEYS,
  readTree,
  startS3Server,
  writeTree,
} from "../../sdk/test/support/storage.js";
import { runOrderInTee } from "../../sdk/test/support/teeRun.js";
import { type CliRun, requireBuiltCli, runCli, writeKeystore } from "./support/cli.js";
import { type FileServer, startFileServer } from "./support/fileServer.js";

/** Hardhat's first development account: the deployer, holding the admin roles (its key is public). */
const HARDHAT_ACCOUNT_0: Hex = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";
const BOB_PASSWORD = "correct horse battery staple (test only)";
const WRONG_SOLUTION = "ee".repeat(32);
const DATASET = {
  "temperatures-2024.csv": "month,celsius\n1,3.5\n2,4.1\n3,7.9\n",
  "rainfall/": "",
  "rainfall/2024.csv": "month,mm\n1,41\n2,37\n3,52\n",
};
/** What the solution writes to /sp/output. */
const OUTPUT = {
  "totals.json": '{"files":2,"rows":6}\n',
  "model/": "",
  "model/weights.bin": "fine-tuned weights\n".repeat(1000),
};

/** A person at a machine: a key, a working directory with its config file. */
interface User {
  address: Address;
  env: Record<string, string>;
  args: string[];
  dir: string;
}

/**
 * A dto-js schema as typebox's checker takes it. dto-js is CommonJS and its declarations name
 * typebox's CommonJS types, this file imports typebox's ES module: the same schema objects, two
 * declarations of typebox's `Kind` symbol.
 */
type Schema = Parameters<typeof Value.Check>[0];
const WORKLOAD_INFO_SCHEMA = dto.WorkloadInfoSchema as unknown as Schema;
const ORDER_REPORT_SCHEMA = dto.OrderReportSchema as unknown as Schema;

function ok(run: CliRun): string {
  expect(run.code, `exit code (stderr: ${run.stderr})`).to.equal(0);
  return run.stdout;
}

function parse<T>(run: CliRun): T {
  return JSON.parse(ok(run)) as T;
}

describe("cli: Super Protocol's collaboration guide with each kind of storage", function () {
  this.timeout(180_000);

  let m: Marketplace | undefined;
  let market: Marketplace;
  let tmp: string;
  let s3: S3Server;
  let web: FileServer;
  const keys = { alice: generatePrivateKey(), bob: generatePrivateKey(), carol: generatePrivateKey() };
  let teeOfferId: bigint;

  const cli = (user: User | undefined, args: string[], env: Record<string, string> = {}) =>
    runCli([...args, ...(user?.args ?? [])], { cwd: user?.dir ?? tmp, env: { ...user?.env, ...env } });

  /** The users' directories for one storage kind, each with a config file naming the chain and the storage. */
  async function users(
    kind: string,
    storage: (name: string) => Record<string, string>,
  ): Promise<Record<"alice" | "bob" | "carol", User>> {
    const make = async (name: "alice" | "bob" | "carol"): Promise<User> => {
      const dir = path.join(tmp, kind, name);
      await mkdir(dir, { recursive: true });
      await writeFile(
        path.join(dir, "tee-market.json"),
        JSON.stringify({
          network: "localhost",
          rpcUrl: market.node.url,
          deployment: "../../deployment.json",
          storage: storage(name),
        }),
      );
      const address = privateKeyToAccount(keys[name]).address;
      return name === "bob"
        ? {
            address,
            dir,
            env: { TEE_MARKET_KEYSTORE_PASSWORD: BOB_PASSWORD },
            args: ["--keystore", path.join(tmp, "bob.keystore.json")],
          }
        : { address, dir, env: { TEE_MARKET_PRIVATE_KEY: keys[name] }, args: [] };
    };
    return { alice: await make("alice"), bob: await make("bob"), carol: await make("carol") };
  }

  before(async function () {
    this.timeout(300_000);
    requireBuiltCli();
    m = await startMarketplace();
    market = m;
    tmp = await mkdtemp(path.join(tmpdir(), "tee-market-cli-guide-"));
    s3 = await startS3Server(path.join(tmp, "s3rver"));
    await mkdir(path.join(tmp, "www"));
    web = await startFileServer(path.join(tmp, "www"));
    const funder = createWalletClient({
      account: market.cast.admin,
      chain: market.chain,
      transport: http(market.node.url),
    });
    for (const key of Object.values(keys)) {
      const hash = await sendTransaction(funder, {
        to: privateKeyToAccount(key).address,
        value: parseEther("10"),
      });
      await waitForTransactionReceipt(market.publicClient, { hash });
    }
    await market.mint(privateKeyToAccount(keys.alice).address, 1000n * TOKEN);
    await writeKeystore(path.join(tmp, "bob.keystore.json"), keys.bob, BOB_PASSWORD);
    await writeFile(
      path.join(tmp, "deployment.json"),
      JSON.stringify(market.deployment, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v)),
    );
    await writeFile(path.join(tmp, "tee-slot.json"), JSON.stringify(teeSlotInfo()));
  });

  after(async function () {
    await m?.stop();
    await web?.stop();
    await s3?.stop();
    if (tmp !== undefined) await rm(tmp, { recursive: true, force: true });
  });

  it("Bob and Carol register as providers; Carol lists her TEE and publishes its TCB; the admin allows its measurement", async function () {
    const { bob, carol } = await users("setup", () => ({ type: "FS" }));
    ok(
      await cli(bob, ["providers", "register", "--name", "Bob's data", "--description", "Weather datasets"]),
    );
    ok(await cli(carol, ["providers", "create", "--name", "Carol's TEE"]));
    const created = parse<{ offerId: string }>(
      await cli(carol, [
        "offers",
        "create",
        "--offer",
        fixture("ctl.teeOfferInfo.example.json"),
        "--slot",
        path.join(tmp, "tee-slot.json"),
        "--json",
      ]),
    );
    teeOfferId = BigInt(created.offerId);

    const admin = {
      address: market.deployment.contracts.orders,
      dir: carol.dir,
      env: { TEE_MARKET_PRIVATE_KEY: HARDHAT_ACCOUNT_0 },
      args: [],
    };
    ok(await cli(admin, ["tcb", "set-measurement", MEASUREMENT]));
    const tee = market.tee;
    const reportData = ok(
      await cli(undefined, [
        "tcb",
        "report-data",
        "--tee-offer",
        String(teeOfferId),
        "--tee-key",
        tee.account.address,
        "--public-key",
        tee.publicKey,
        "--deployment",
        path.join(tmp, "deployment.json"),
        "--rpc-url",
        market.node.url,
      ]),
    ).trim() as Hex;
    const quote = tee.quote(reportData);
    const proof = await market.attestation.attest({
      quote,
      teeOfferId,
      teeKey: tee.account.address,
      publicKey: tee.publicKey,
    });
    await writeFile(path.join(carol.dir, "quote.hex"), quote);
    await writeFile(path.join(carol.dir, "proof.hex"), proof);
    const published = ok(
      await cli(carol, [
        "tcb",
        "upload",
        "--tee-offer",
        String(teeOfferId),
        "--quote",
        "quote.hex",
        "--proof",
        "proof.hex",
        "--public-key",
        tee.publicKey,
        "--tee-key",
        tee.account.address,
        "--device-id",
        tee.deviceId,
      ]),
    );
    expect(published, "spctl-like line").to.match(
      new RegExp(`^TCB \\d+ for TEE offer ${teeOfferId} has been published$`, "m"),
    );
    expect((await market.reader.tcb.active({ teeOfferId }))?.teeKey, "the TEE's key").to.equal(
      tee.account.address,
    );
  });

  for (const kind of ["FS", "S3", "URL"] as const) {
    describe(`the guide with ${kind} storage`, function () {
      let alice: User;
      let bob: User;
      let storageEnv: Record<string, string>;
      let enclaveStorage: StorageOptions;
      let dataOfferId: bigint;
      let dataSlotId: bigint;
      let orderId: bigint;
      let suborderId: bigint;
      let bobPublicKey: Hex | undefined;
      let outputDir: string;

      /** URL storage: the object an upload stored in the web root, its resource file pointed at its URL. */
      const publish = async (user: User, name: string): Promise<void> => {
        if (kind !== "URL") return;
        const file = path.join(user.dir, name);
        const resource = JSON.parse(await readFile(file, "utf8")) as { resource: { filepath: string } };
        const url = `${web.url}/${path.basename(user.dir)}/${resource.resource.filepath}`;
        await writeFile(file, JSON.stringify({ ...resource, resource: { type: "URL", url } }, null, 2));
      };

      before(async function () {
        const storage = (name: string): Record<string, string> =>
          kind === "FS"
            ? { type: "FS" }
            : kind === "S3"
              ? { type: "S3", bucket: s3.bucket, endpoint: s3.endpoint, prefix: name }
              : { type: "FS", directory: path.join(tmp, "www", name) };
        ({ alice, bob } = await users(kind, storage));
        storageEnv =
          kind === "S3"
            ? {
                TEE_MARKET_S3_ACCESS_KEY_ID: S3RVER_KEYS.accessKeyId,
                TEE_MARKET_S3_SECRET_ACCESS_KEY: S3RVER_KEYS.secretAccessKey,
              }
            : {};
        enclaveStorage =
          kind === "S3"
            ? { type: "S3", bucket: s3.bucket, endpoint: s3.endpoint, prefix: "enclave", ...S3RVER_KEYS }
            : { type: "FS", directory: path.join(tmp, kind === "URL" ? "www" : kind, "enclave") };
        await writeFile(path.join(alice.dir, "solution.tar.gz"), randomBytes(300 * 1024));
        await writeTree(path.join(bob.dir, "dataset"), DATASET);
        outputDir = path.join(tmp, kind, "sp-output");
        await writeTree(outputDir, OUTPUT);
      });

      it("Alice uploads her solution; Bob downloads it for review and finds the same bytes", async function () {
        const upload = await cli(
          alice,
          [
            "files",
            "upload",
            "solution.tar.gz",
            "--output",
            "solution.resource.json",
            "--filename",
            "solution.tar.gz",
            "--use-addon",
          ],
          storageEnv,
        );
        expect(ok(upload), "line").to.include("Resource file was saved to solution.resource.json");
        expect(upload.stderr, "progress").to.match(/Uploading solution\.tar\.gz: .*done$/m);
        await publish(alice, "solution.resource.json");
        await copyFile(
          path.join(alice.dir, "solution.resource.json"),
          path.join(bob.dir, "solution.resource.json"),
        );

        const review = ok(
          await cli(bob, ["files", "download", "solution.resource.json", ".", "--use-addon"]),
        );
        expect(review, "line").to.include("File was downloaded to solution.tar.gz");
        expect(
          (await readFile(path.join(bob.dir, "solution.tar.gz"))).equals(
            await readFile(path.join(alice.dir, "solution.tar.gz")),
          ),
          "Bob reviews Alice's bytes",
        ).to.equal(true);
        const { hash } = await readResourceFile(path.join(bob.dir, "solution.resource.json"));
        expect(hash, "the solution hash Bob will approve").to.equal(
          await sha256File(path.join(alice.dir, "solution.tar.gz")),
        );
      });

      it("Bob uploads his dataset directory and lists it as a Data offer with its resource file", async function () {
        ok(
          await cli(
            bob,
            ["files", "upload", "dataset", "--output", "dataset.resource.json", "--use-addon"],
            storageEnv,
          ),
        );
        await publish(bob, "dataset.resource.json");
        const output = ok(
          await cli(bob, [
            "offers",
            "create",
            "--offer",
            fixture("offer-info.json"),
            "--slot",
            fixture("slot-info.json"),
            "--resource",
            "dataset.resource.json",
          ]),
        );
        const offer = /^Offer was created with id (\d+)$/m.exec(output);
        const slot = /^Slot was created with id (\d+)$/m.exec(output);
        expect(offer, `spctl's offer line in ${output}`).not.to.equal(null);
        expect(slot, `spctl's slot line in ${output}`).not.to.equal(null);
        dataOfferId = BigInt(offer?.[1] ?? 0);
        dataSlotId = BigInt(slot?.[1] ?? 0);
        const dataset = await readResourceFile(path.join(bob.dir, "dataset.resource.json"));
        expect(
          (await market.reader.offers.get({ offerId: dataOfferId })).contentHash,
          "content hash",
        ).to.equal(dataset.hash);
      });

      it("Alice places the workflow: her result key is named first (generated beside her config, or made before)", async function () {
        const keyFile = path.join(alice.dir, "tee-market.result-key.json");
        if (kind === "S3") {
          // Bob asks for the result too: he makes a result key and gives Alice its public key; Alice
          // made hers beforehand, and names both.
          bobPublicKey = parse<{ publicKey: Hex }>(
            await cli(bob, ["workflows", "generate-key", "--json"]),
          ).publicKey;
          expect(ok(await cli(alice, ["workflows", "generate-key"])), "line").to.include(
            "Result key was saved to tee-market.result-key.json",
          );
        }
        const run = await cli(alice, [
          "workflows",
          "create",
          "--solution",
          "solution.resource.json",
          "--data",
          `${dataOfferId},${dataSlotId}`,
          "--tee",
          String(teeOfferId),
          ...(bobPublicKey === undefined
            ? []
            : ["--result-key", keyFile, "--result-recipient", bobPublicKey]),
        ]);
        const output = ok(run);
        const match = /^Workflow was created, TEE order id: \["(\d+)"\]$/m.exec(output);
        expect(match, `spctl's line in ${output}`).not.to.equal(null);
        orderId = BigInt(match?.[1] ?? 0);
        expect(run.stderr, "where the result key is").to.include(
          kind === "S3" ? `Result key: ${keyFile}` : `Generated the result key ${keyFile} (mode 0600)`,
        );
        expect((await stat(keyFile)).mode & 0o777, "the key file's mode").to.equal(0o600);
        const aliceKey = JSON.parse(await readFile(keyFile, "utf8")) as { publicKey: Hex };
        const params = await market.reader.orders.getParams({ orderId });
        expect(params.resultRecipients, "the recipients: Alice's key first").to.deep.equal(
          bobPublicKey === undefined ? [aliceKey.publicKey] : [aliceKey.publicKey, bobPublicKey],
        );
        const minimum = (TEE_PRICE_PER_HOUR * BigInt(TEE_MIN_MINUTES)) / 60n;
        expect(params.deposit, "the slots' minimum deposit").to.equal(minimum);
      });

      it("Alice finds the Data suborder for Bob", async function () {
        const document = parse<{
          order: { status: string };
          suborders: { id: string; type: string; status: string }[];
        }>(
          await cli(alice, [
            "orders",
            "get",
            String(orderId),
            "--suborders",
            "--suborders_fields",
            "id,type,status",
            "--json",
          ]),
        );
        expect(document.order.status, "the order waits for Bob").to.equal("Blocked");
        expect(
          document.suborders.map((s) => [s.type, s.status]),
          "the data suborder",
        ).to.deep.equal([["Data", "New"]]);
        suborderId = BigInt(document.suborders[0]?.id ?? 0);
      });

      it("Bob's completion with another solution hash is refused before any transaction; with the reviewed one it goes through", async function () {
        const nonce = await getTransactionCount(market.publicClient, { address: bob.address });
        const args = [
          "orders",
          "complete",
          String(suborderId),
          "--result",
          "dataset.resource.json",
          "--status",
          "done",
        ];
        const wrong = await cli(bob, [...args, "--solution-hash", WRONG_SOLUTION]);
        expect(wrong.code, "exit code").to.equal(1);
        expect(wrong.errors, "one line").to.have.length(1);
        expect(wrong.errors[0], "the mismatch")
          .to.include("SolutionHashMismatch")
          .and.include("nothing was sent");
        expect(
          await getTransactionCount(market.publicClient, { address: bob.address }),
          "Bob's nonce",
        ).to.equal(nonce);

        const output = ok(await cli(bob, [...args, "--solution-hash", "solution.resource.json"]));
        expect(output, "spctl's line").to.include(
          `Order ${suborderId} has been completed successfully: status=Done`,
        );
        expect((await market.reader.orders.get({ orderId })).order.status, "the order").to.equal(
          OrderStatus.New,
        );
      });

      it("the enclave (through the SDK) downloads what it was handed, reports it, uploads its output and completes", async function () {
        const run = await runOrderInTee(market, {
          orderId,
          output: outputDir,
          storage: enclaveStorage,
          ...(kind === "URL"
            ? {
                publish: (uploaded) => ({
                  ...uploaded,
                  resource: {
                    type: "URL",
                    url: `${web.url}/enclave/${(uploaded.resource as { filepath: string }).filepath}`,
                  },
                }),
              }
            : {}),
        });
        const solution = await readResourceFile(path.join(alice.dir, "solution.resource.json"));
        expect(
          run.runtimeInfo.map((e) => e.hash),
          "what ran: Alice's solution and Bob's dataset",
        ).to.deep.equal([
          solution.hash,
          (await readResourceFile(path.join(bob.dir, "dataset.resource.json"))).hash,
        ]);
        const shown = ok(await cli(alice, ["orders", "get", String(orderId)]));
        expect(shown, "status").to.include(`Order ${orderId}: Done`);
        const recipients = bobPublicKey === undefined ? 1 : 2;
        expect(shown, "the result line").to.match(
          new RegExp(
            `result\\s+Done, hash ${run.resultHash}, ${recipients} pointers? for ${recipients} recipients?`,
          ),
        );
      });

      it("Alice downloads the result: the enclave's output, byte for byte, checked against the receipt", async function () {
        const output = ok(
          await cli(alice, ["orders", "download-result", String(orderId), "--save-to", "result"]),
        );
        expect(output, "spctl's line").to.include("Order result was downloaded successfully to result");
        expect(await readTree(path.join(alice.dir, "result")), "the output").to.deep.equal(OUTPUT);
        const verified = ok(await cli(alice, ["orders", "verify-result", String(orderId)]));
        for (const name of ["receiptSigned", "pointerPerRecipient", "pointerOpens"]) {
          expect(verified, `${name} passes`).to.match(new RegExp(`^ok\\s+${name}\\s`, "m"));
        }
        if (bobPublicKey !== undefined) {
          ok(await cli(bob, ["orders", "download-result", String(orderId)]));
          expect(await readTree(path.join(bob.dir, `order-${orderId}-result`)), "Bob's copy").to.deep.equal(
            OUTPUT,
          );
        }
      });

      it("Alice and Bob save the report in Super Protocol's types and validate it against their resource files", async function () {
        ok(await cli(alice, ["orders", "get-report", String(orderId), "--save-to", "report.json"]));
        const report = JSON.parse(await readFile(path.join(alice.dir, "report.json"), "utf8")) as {
          workloadInfo: { created: unknown; runtimeInfo: { type: string; size: unknown }[] };
        };
        expect(
          Value.Check(WORKLOAD_INFO_SCHEMA, report.workloadInfo),
          "dto-js's WorkloadInfoSchema",
        ).to.equal(true);
        expect(
          [...Value.Errors(ORDER_REPORT_SCHEMA, report)].map((e) => e.path),
          "dto-js's OrderReportSchema: only its certificate is missing",
        ).to.deep.equal(["/certificate", "/certificate"]);
        expect(
          report.workloadInfo.runtimeInfo.map((e) => e.type),
          "entries",
        ).to.deep.equal(["Image", "Data"]);
        expect(report.workloadInfo.runtimeInfo[0]?.size, "the solution's size, a number").to.equal(
          300 * 1024,
        );

        await copyFile(path.join(alice.dir, "report.json"), path.join(bob.dir, "report.json"));
        for (const user of [alice, bob]) {
          const run = await cli(user, [
            "orders",
            "validate-report",
            "report.json",
            "--solution",
            "solution.resource.json",
            ...(user === bob ? ["--data", "dataset.resource.json"] : []),
          ]);
          const output = ok(run);
          expect(output, "every check passes").to.match(/is valid: all \d+ checks passed$/m);
          expect(output, "the solution check").to.match(/^ok\s+imageIsExpectedSolution\s/m);
        }
      });
    });
  }
});
