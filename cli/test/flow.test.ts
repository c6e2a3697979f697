/**
 * Super Protocol's flow with the `tee-market` CLI, command for command, on a Hardhat node: Bob and
 * Carol register and list offers from spctl's files, Carol publishes a TCB, Alice places a workflow,
 * Bob's wrong hash is refused without a transaction and the right one accepted, the TEE (through
 * the SDK: the CLI is the user side) runs and reports, Alice saves and validates the report,
 * withdraws her refund and cancels a second workflow. Runs the built CLI in child processes.
 */
import { expect } from "chai";
import { mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { type Address, type Hex, createWalletClient, http, keccak256, parseEther, stringToHex } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { getTransactionCount, sendTransaction, waitForTransactionReceipt } from "viem/actions";

import {
  OfferType,
  OrderStatus,
  PriceType,
  RuntimeType,
  decodeAttestationProof,
  tcbReportData,
  teePublicKeyFromPrivateKey,
} from "@tee-marketplace/sdk";
import { readResourceFile } from "@tee-marketplace/sdk/node";
import { type CliRun, requireBuiltCli, runCli, writeKeystore } from "./support/cli.js";
import {
  MEASUREMENT,
  TOKEN,
  type Marketplace,
  startMarketplace,
} from "../../sdk/test/support/marketplace.js";
import { fixture } from "../../sdk/test/support/paths.js";
import { TEE_PRICE_PER_HOUR, teeSlotInfo } from "../../scripts/lib/scenario.js";

const BOB_PASSWORD = "correct horse battery staple (test only)";
const WRONG_SOLUTION = "ee".repeat(32);

/** A person with a key the CLI uses. */
interface User {
  key: Hex;
  address: Address;
  env: Record<string, string>;
  args: string[];
}

function parse<T>(run: CliRun): T {
  expect(run.code, `exit code (stderr: ${run.stderr})`).to.equal(0);
  return JSON.parse(run.stdout) as T;
}

function ok(run: CliRun): string {
  expect(run.code, `exit code (stderr: ${run.stderr})`).to.equal(0);
  return run.stdout;
}

describe("cli: Super Protocol's flow on a Hardhat node", function () {
  this.timeout(120_000);

  let m: Marketplace | undefined;
  let market: Marketplace;
  let tmp: string;
  let alice: User;
  let bob: User;
  let carol: User;
  const teeKey = generatePrivateKey();
  const teeAccount = privateKeyToAccount(teeKey);
  const eciesKey = generatePrivateKey();
  const publicKey = teePublicKeyFromPrivateKey(eciesKey);

  let dataOfferId: bigint;
  let dataSlotId: bigint;
  let teeOfferId: bigint;
  let teeSlotId: bigint;
  let orderId: bigint;
  let suborderId: bigint;

  const cli = (user: User | undefined, args: string[]) =>
    runCli([...args, ...(user?.args ?? [])], { cwd: tmp, env: user?.env ?? {} });

  before(async function () {
    this.timeout(300_000);
    requireBuiltCli();
    m = await startMarketplace();
    market = m;
    tmp = await mkdtemp(path.join(tmpdir(), "tee-market-cli-flow-"));

    const admin = createWalletClient({
      account: market.cast.admin,
      chain: market.chain,
      transport: http(market.node.url),
    });
    const user = async (env: (key: Hex) => Record<string, string>, args: string[] = []): Promise<User> => {
      const key = generatePrivateKey();
      const address = privateKeyToAccount(key).address;
      const hash = await sendTransaction(admin, { to: address, value: parseEther("10") });
      await waitForTransactionReceipt(market.publicClient, { hash });
      return { key, address, env: env(key), args };
    };
    alice = await user((key) => ({ TEE_MARKET_PRIVATE_KEY: key }));
    carol = await user((key) => ({ TEE_MARKET_PRIVATE_KEY: key }));
    bob = await user(
      () => ({ TEE_MARKET_KEYSTORE_PASSWORD: BOB_PASSWORD }),
      ["--keystore", "bob.keystore.json"],
    );
    await writeKeystore(path.join(tmp, "bob.keystore.json"), bob.key, BOB_PASSWORD);

    // The CLI finds ./tee-market.json in its working directory.
    await writeFile(
      path.join(tmp, "deployment.json"),
      JSON.stringify(market.deployment, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v)),
    );
    await writeFile(
      path.join(tmp, "tee-market.json"),
      JSON.stringify({ network: "localhost", rpcUrl: market.node.url, deployment: "deployment.json" }),
    );
    await writeFile(path.join(tmp, "tee-slot.json"), JSON.stringify(teeSlotInfo()));
  });

  after(async function () {
    await m?.stop();
    if (tmp !== undefined) await rm(tmp, { recursive: true, force: true });
  });

  it("providers register: Bob (keystore) from spctl's provider info, Carol (environment key) with --json", async function () {
    const bobRun = ok(
      await cli(bob, ["providers", "register", "--info", fixture("ctl.providerInfo.example.json")]),
    );
    expect(bobRun, "Bob's output: spctl's line").to.include(
      `Provider with wallet address ${bob.address} is registered`,
    );
    const fileAccounts = "0x71bE63f3384f5fb98995898A86B02Fb2426c5788";
    const bobProvider = await market.reader.providers.get({ authority: bob.address });
    expect(bobProvider.tokenReceiver, "Bob's token receiver, from the file").to.equal(fileAccounts);

    const carolRun = parse<{ authority: string; tokenReceiver: string }>(
      await cli(carol, [
        "providers",
        "register",
        "--info",
        fixture("ctl.providerInfo.example.json"),
        "--action-account",
        carol.address,
        "--token-receiver",
        carol.address,
        "--json",
      ]),
    );
    expect(carolRun, "Carol's JSON").to.include({ authority: carol.address, tokenReceiver: carol.address });
  });

  it("offers create: a Data offer without its content hash is refused before any transaction", async function () {
    const nonce = await getTransactionCount(market.publicClient, { address: bob.address });
    const run = await cli(bob, [
      "offers",
      "create",
      "--offer",
      fixture("offer-info.json"),
      "--slot",
      fixture("slot-info.json"),
    ]);
    expect(run.code, "exit code").to.equal(2);
    expect(run.errors, "error lines").to.have.length(1);
    expect(run.errors[0], "message").to.include("Data offer needs").and.include("--resource");
    expect(await getTransactionCount(market.publicClient, { address: bob.address }), "Bob's nonce").to.equal(
      nonce,
    );
  });

  it("offers create: Bob's Data offer from offer-info.json, slot-info.json and dataset.resource.json prints the slot line", async function () {
    const output = ok(
      await cli(bob, [
        "offers",
        "create",
        "--offer",
        fixture("offer-info.json"),
        "--slot",
        fixture("slot-info.json"),
        "--resource",
        fixture("dataset.resource.json"),
      ]),
    );
    const offer = /^Offer was created with id (\d+)$/m.exec(output);
    const slot = /^Slot was created with id (\d+)$/m.exec(output);
    expect(offer, `spctl's offer line in ${output}`).not.to.equal(null);
    expect(slot, `spctl's slot line in ${output}`).not.to.equal(null);
    dataOfferId = BigInt(offer?.[1] ?? 0);
    dataSlotId = BigInt(slot?.[1] ?? 0);
    expect((await market.reader.slots.get({ slotId: dataSlotId })).offerId, "the slot's offer").to.equal(
      dataOfferId,
    );

    const dataset = await readResourceFile(fixture("dataset.resource.json"));
    const onChain = await market.reader.offers.get({ offerId: dataOfferId });
    expect(onChain.offerType, "offer type").to.equal(OfferType.Data);
    expect(onChain.contentHash, "content hash").to.equal(dataset.hash);
    const { info } = await market.reader.offers.getInfo({ offerId: dataOfferId });
    expect(info, "info blob").to.deep.equal(JSON.parse(await readFile(fixture("offer-info.json"), "utf8")));
  });

  it("offers create: Carol's TEE offer from spctl's teeOfferInfo file, with --json", async function () {
    const created = parse<{ offerId: string; offerType: string; slots: { slotId: string }[] }>(
      await cli(carol, [
        "offers",
        "create",
        "--offer",
        fixture("ctl.teeOfferInfo.example.json"),
        "--slot",
        "tee-slot.json",
        "--json",
      ]),
    );
    expect(created.offerType, "offer type").to.equal("TeeOffer");
    expect(created.slots, "slots").to.have.length(1);
    teeOfferId = BigInt(created.offerId);
    teeSlotId = BigInt(created.slots[0]?.slotId ?? 0);
    const { info } = await market.reader.offers.getInfo({ offerId: teeOfferId });
    expect(info, "info blob: the file as is").to.deep.equal(
      JSON.parse(await readFile(fixture("ctl.teeOfferInfo.example.json"), "utf8")),
    );
    const slot = await market.reader.slots.get({ slotId: teeSlotId });
    expect(slot.usage, "TEE slot usage").to.deep.include({
      price: TEE_PRICE_PER_HOUR,
      priceType: PriceType.PerHour,
    });
  });

  it("offers get and offers list show the offers", async function () {
    const output = ok(await cli(undefined, ["offers", "get", String(dataOfferId)]));
    expect(output, "offer line").to.include(`Offer ${dataOfferId}: Data, enabled`);
    expect(output, "slot row").to.match(new RegExp(`^  ${dataSlotId}\\s+0 TEST\\s+order`, "m"));
    const listed = parse<{ offers: { id: string; offerType: string }[] }>(
      await cli(undefined, ["offers", "list", "--json"]),
    );
    expect(
      listed.offers.map((o) => [o.id, o.offerType]),
      "listed offers",
    ).to.deep.equal([
      [String(dataOfferId), "Data"],
      [String(teeOfferId), "TeeOffer"],
    ]);
  });

  it("tcb upload: Carol publishes the TEE's TCB with the proof file, then with the proof's parts", async function () {
    await market.as(market.cast.admin).tcb.setMeasurement({ measurement: MEASUREMENT, allowed: true });
    const reportData = ok(
      await cli(undefined, [
        "tcb",
        "report-data",
        "--tee-key",
        teeAccount.address,
        "--public-key",
        publicKey,
      ]),
    ).trim();
    expect(reportData, "report data").to.equal(
      tcbReportData({
        teeKey: teeAccount.address,
        publicKey,
        chainId: market.deployment.chainId,
        registry: market.deployment.contracts.tcbRegistry,
      }),
    );

    const quote = Buffer.from(`stand-in TDX quote ${Date.now()}`);
    await writeFile(path.join(tmp, "quote.bin"), quote);
    const proof = await market.attestor.attest({
      client: market.reader,
      quote: `0x${quote.toString("hex")}`,
      teeKey: teeAccount.address,
      publicKey,
      measurement: MEASUREMENT,
    });
    await writeFile(path.join(tmp, "proof.hex"), `${proof}\n`);
    const deviceId = keccak256(stringToHex("carol-device-1"));
    const common = ["--tee-offer", String(teeOfferId), "--quote", "quote.bin", "--public-key", publicKey];
    const keys = ["--tee-key", teeAccount.address, "--device-id", deviceId, "--benchmark", "1000"];
    const first = ok(await cli(carol, ["tcb", "upload", ...common, ...keys, "--proof", "proof.hex"]));
    expect(first, "output").to.match(
      new RegExp(`^TCB 1 for TEE offer ${teeOfferId} has been published$`, "m"),
    );

    const { measurement, expiry, signature } = decodeAttestationProof(proof);
    const parts = ["--measurement", measurement, "--expiry", String(expiry), "--signature", signature];
    const second = parse<{ tcbId: string; teeKey: string }>(
      await cli(carol, ["tcb", "upload", ...common, ...keys, ...parts, "--json"]),
    );
    expect(second, "second TCB").to.include({ tcbId: "2", teeKey: teeAccount.address });
    const active = await market.reader.tcb.active({ teeOfferId });
    expect(active?.id, "active TCB").to.equal(2n);
    expect(active?.teeKey, "its TEE key").to.equal(teeAccount.address);
  });

  it("workflows create: Alice's workflow approves the deposit and prints the TEE order id", async function () {
    await market.mint(alice.address, 300n * TOKEN);
    const run = await cli(alice, [
      "workflows",
      "create",
      "--solution",
      fixture("solution.resource.json"),
      "--data",
      `${dataOfferId},${dataSlotId}`,
      "--tee",
      String(teeOfferId),
      "--deposit",
      "200",
    ]);
    const output = ok(run);
    const match = /^Workflow was created, TEE order id: \["(\d+)"\]$/m.exec(output);
    expect(match, `TEE order id in ${output}`).not.to.equal(null);
    orderId = BigInt(match?.[1] ?? 0);
    suborderId = orderId + 1n;
    expect(run.stderr, "progress lines name the transactions").to.match(
      /Approving 200 TEST .*: transaction 0x[0-9a-f]{64} sent/,
    );

    const { order, suborders } = await market.reader.orders.get({ orderId });
    expect(order.status, "parent status").to.equal(OrderStatus.Blocked);
    expect(order.teeSlotId, "the TEE offer's first slot").to.equal(teeSlotId);
    expect(order.deposit, "deposit").to.equal(200n * TOKEN);
    expect(order.solutionHash, "committed solution").to.equal(
      (await readResourceFile(fixture("solution.resource.json"))).hash,
    );
    expect(
      suborders.map((s) => [s.id, s.offerId, s.slotId]),
      "suborders",
    ).to.deep.equal([[suborderId, dataOfferId, dataSlotId]]);
  });

  it("orders get --suborders --suborders_fields id,type,status shows the data suborder", async function () {
    const args = ["orders", "get", String(orderId), "--suborders", "--suborders_fields", "id,type,status"];
    const output = ok(await cli(undefined, args));
    expect(output, "order line").to.include(`Order ${orderId}: Blocked`);
    expect(output, "suborder table").to.match(
      new RegExp(`^  id\\s+type\\s+status\\n  ${suborderId}\\s+Data\\s+New$`, "m"),
    );
    const document = parse<{ order: { id: string; status: string }; suborders: unknown[] }>(
      await cli(undefined, [...args, "--json"]),
    );
    expect(document.order, "order").to.include({ id: String(orderId), status: "Blocked" });
    expect(document.suborders, "suborders").to.deep.equal([
      { id: String(suborderId), type: "Data", status: "New" },
    ]);
  });

  it("orders complete with the wrong solution hash is refused before any transaction: exit 1, one line", async function () {
    const nonce = await getTransactionCount(market.publicClient, { address: bob.address });
    const args = ["orders", "complete", String(suborderId), "--result", fixture("dataset.resource.json")];
    const run = await cli(bob, [...args, "--status", "done", "--solution-hash", WRONG_SOLUTION]);
    const committed = (await readResourceFile(fixture("solution.resource.json"))).hash;
    expect(run.code, "exit code").to.equal(1);
    expect(run.stdout, "stdout").to.equal("");
    expect(run.stderr.trimEnd().split("\n"), "stderr: one line").to.have.length(1);
    expect(run.errors[0], "the mismatch, with both hashes")
      .to.include(`SolutionHashMismatch(${suborderId}, ${committed}, 0x${WRONG_SOLUTION})`)
      .and.include("nothing was sent");
    expect(await getTransactionCount(market.publicClient, { address: bob.address }), "Bob's nonce").to.equal(
      nonce,
    );

    const json = await cli(bob, [...args, "--status", "done", "--solution-hash", WRONG_SOLUTION, "--json"]);
    expect(json.code, "exit code with --json").to.equal(1);
    expect(JSON.parse(json.stdout), "JSON error").to.deep.include({
      error: {
        name: "SolutionHashMismatchError",
        message: json.errors[0]?.replace(/^Error: /, ""),
        errorName: "SolutionHashMismatch",
        args: [String(suborderId), committed, `0x${WRONG_SOLUTION}`],
      },
    });
    expect(await getTransactionCount(market.publicClient, { address: bob.address }), "Bob's nonce").to.equal(
      nonce,
    );
  });

  it("orders complete with the right solution hash hands the dataset over: the order is New", async function () {
    const output = ok(
      await cli(bob, [
        "orders",
        "complete",
        String(suborderId),
        "--result",
        fixture("dataset.resource.json"),
        "--status",
        "done",
        "--solution-hash",
        fixture("solution.resource.json"),
      ]),
    );
    expect(output, "spctl's line").to.include(
      `Order ${suborderId} has been completed successfully: status=Done`,
    );
    expect(output, "order line").to.match(new RegExp(`order\\s+${orderId}: New`));
    const { order, suborders } = await market.reader.orders.get({ orderId });
    expect(order.status, "parent").to.equal(OrderStatus.New);
    const dataset = await readResourceFile(fixture("dataset.resource.json"));
    expect(suborders[0]?.dataHash, "pinned data hash").to.equal(dataset.hash);
  });

  it("the TEE (through the SDK) starts the order, publishes its report and completes it", async function () {
    const tee = market.as(privateKeyToAccount(carol.key));
    const { encryptedResult } = await tee.suborders.getResult({ suborderId });
    const resource = JSON.parse(
      new TextDecoder().decode(tee.tee.decryptInput({ privateKey: eciesKey, ciphertext: encryptedResult })),
    );
    expect(resource, "the dataset resource, decrypted by the TEE").to.deep.equal(
      JSON.parse(await readFile(fixture("dataset.resource.json"), "utf8")),
    );
    await tee.orders.start({ orderId });
    const solution = await readResourceFile(fixture("solution.resource.json"));
    const dataset = await readResourceFile(fixture("dataset.resource.json"));
    await tee.reports.publish({
      orderId,
      signer: teeKey,
      runtimeInfo: [
        {
          runtimeType: RuntimeType.Image,
          size: BigInt((await stat(fixture("solution.bin"))).size),
          hash: solution.hash,
        },
        { runtimeType: RuntimeType.Data, size: 46n, hash: dataset.hash },
      ],
    });
    await tee.orders.complete({ orderId, status: "Done" });
    expect((await market.reader.orders.get({ orderId })).order.status, "order status").to.equal(
      OrderStatus.Done,
    );
  });

  it("orders get-report --save-to writes Super Protocol's JSON shape of the report", async function () {
    const output = ok(
      await cli(undefined, ["orders", "get-report", String(orderId), "--save-to", "report.json"]),
    );
    expect(output, "output").to.include(`The report of order ${orderId} has been saved to report.json`);
    const saved = JSON.parse(await readFile(path.join(tmp, "report.json"), "utf8")) as Record<
      string,
      unknown
    >;
    const expected = JSON.parse(
      JSON.stringify(market.reader.reports.toJson(await market.reader.reports.get({ orderId }))),
    ) as Record<string, unknown>;
    expect(saved, "saved report").to.deep.equal(expected);
    expect(saved["workloadInfo"], "runtime entries").to.have.nested.property("runtimeInfo[0].type", "Image");
    const printed = parse<Record<string, unknown>>(
      await cli(undefined, ["orders", "get-report", String(orderId), "--json"]),
    );
    expect(printed, "--json report").to.deep.equal(expected);
  });

  it("orders validate-report passes every check on the saved report", async function () {
    const run = await cli(undefined, [
      "orders",
      "validate-report",
      "report.json",
      "--solution",
      fixture("solution.resource.json"),
      "--data",
      fixture("dataset.resource.json"),
    ]);
    const output = ok(run);
    const lines = output.trimEnd().split("\n");
    const checks = lines.slice(0, -1);
    for (const name of [
      "signature",
      "tcbValidAtPublication",
      "imageIsExpectedSolution",
      "expectedDataHashes",
      "fileTcb",
    ]) {
      expect(
        checks.some((line) => new RegExp(`^ok\\s+${name}\\s`).test(line)),
        `${name} is ok`,
      ).to.equal(true);
    }
    expect(
      checks.every((line) => line.startsWith("ok")),
      `every check ok:\n${output}`,
    ).to.equal(true);
    expect(lines.at(-1), "summary").to.equal(
      `The report of order ${orderId} in report.json is valid: all ${checks.length} checks passed`,
    );
  });

  it("orders validate-report fails a tampered file: the FAIL lines, exit 1, one error line", async function () {
    const report = JSON.parse(await readFile(path.join(tmp, "report.json"), "utf8")) as {
      workloadInfo: { runtimeInfo: { hash: { hash: string } }[] };
    };
    const data = report.workloadInfo.runtimeInfo[1];
    if (data === undefined) throw new Error("the report has a Data entry");
    data.hash.hash = "11".repeat(32);
    await writeFile(path.join(tmp, "tampered.json"), JSON.stringify(report));
    const run = await cli(undefined, ["orders", "validate-report", "tampered.json"]);
    expect(run.code, "exit code").to.equal(1);
    expect(run.stdout, "failed checks: the SDK's own, on the file's report")
      .to.match(/^FAIL\s+reportHash\s/m)
      .and.match(/^FAIL\s+signature\s/m);
    expect(run.stdout, "what the file does not change still passes").to.match(
      /^ok\s+tcbValidAtPublication\s/m,
    );
    expect(run.errors, "error lines").to.have.length(1);
    expect(run.errors[0], "error").to.include("is NOT valid").and.include("reportHash");

    const json = await cli(undefined, ["orders", "validate-report", "tampered.json", "--json"]);
    expect(json.code, "exit code with --json").to.equal(1);
    const document = JSON.parse(json.stdout) as { ok: boolean; checks: { name: string; ok: boolean }[] };
    expect(document.ok, "ok").to.equal(false);
    expect(
      document.checks.filter((c) => !c.ok).map((c) => c.name),
      "failed checks",
    ).to.deep.equal(["reportHash", "signature", "pinnedDataHashes"]);
  });

  it("orders withdraw pays Alice her refund (deposit minus the TEE's 10 minutes)", async function () {
    const before = await market.reader.payments.balance({ account: alice.address });
    expect(before.withdrawable, "Alice's withdrawable balance").to.equal(190n * TOKEN);
    const document = parse<{ account: string; amount: string }>(
      await cli(alice, ["orders", "withdraw", "--json"]),
    );
    expect(document, "withdrawal").to.include({ account: alice.address, amount: String(190n * TOKEN) });
    const after = await market.reader.payments.balance({ account: alice.address });
    expect(after.withdrawable, "withdrawable after").to.equal(0n);
    expect(after.token - before.token, "tokens received").to.equal(190n * TOKEN);
  });

  it("orders cancel cancels Alice's second (Blocked) workflow", async function () {
    const created = parse<{ orderId: string; status: string }>(
      await cli(alice, [
        "workflows",
        "create",
        "--solution",
        fixture("solution.resource.json"),
        "--data",
        String(dataOfferId),
        "--tee",
        `${teeOfferId},${teeSlotId}`,
        "--deposit",
        "50.5",
        "--json",
      ]),
    );
    expect(created.status, "status").to.equal("Blocked");
    const second = BigInt(created.orderId);
    expect((await market.reader.orders.get({ orderId: second })).order.deposit, "deposit").to.equal(
      (505n * TOKEN) / 10n,
    );
    const output = ok(await cli(alice, ["orders", "cancel", String(second)]));
    expect(output, "spctl's line").to.include(`Order ${second} was canceled successfully`);
    const { order, suborders } = await market.reader.orders.get({ orderId: second });
    expect(order.status, "order").to.equal(OrderStatus.Canceled);
    expect(suborders[0]?.status, "suborder").to.equal(OrderStatus.Canceled);
  });

  it("a pbkdf2 keystore works too, and flags work without a config file", async function () {
    const other = await mkdtemp(path.join(tmpdir(), "tee-market-cli-flags-"));
    try {
      await writeKeystore(path.join(other, "bob.json"), bob.key, "pbkdf2 password", "pbkdf2");
      const run = await runCli(
        [
          "providers",
          "get",
          "--keystore",
          "bob.json",
          "--network",
          "localhost",
          "--rpc-url",
          market.node.url,
          "--deployment",
          path.join(tmp, "deployment.json"),
        ],
        { cwd: other, env: { TEE_MARKET_KEYSTORE_PASSWORD: "pbkdf2 password" } },
      );
      expect(ok(run), "Bob's provider").to.include(`Provider ${bob.address}`).and.include("Spctl Provider");
    } finally {
      await rm(other, { recursive: true, force: true });
    }
  });
});
