/**
 * The commands spctl users know, beyond the main flow (flow.test.ts), each run as the built bin
 * against a Hardhat node: providers register/create with only a name, update, get, list; offers
 * update, enable/disable, update-slot/delete-slot, add-version, get --fields --save-to,
 * download-content; the admin's measurement allow-list, attestation signers and revocation; the
 * TEE's tcb upload (a stand-in enclave's quote, the real attestation service's proof) and refresh,
 * tcb get with the key's record, tcb authorize, start, report and complete with its receipt;
 * workflows create without --deposit and replenish-deposit; orders get with the enclave, orders
 * list with --status/--offers/--fields; orders cancel with several ids; tokens balance and approve;
 * and the error paths: CLI commands named in hints, input files as usage errors.
 */
import { expect } from "chai";
import { mkdtemp, readFile, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import {
  type AbiFunction,
  type Address,
  type Hex,
  createWalletClient,
  getAbiItem,
  http,
  parseEther,
  toFunctionSelector,
} from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { sendTransaction, waitForTransactionReceipt } from "viem/actions";

import { OrderStatus, decodeAttestationProof, ordersAbi } from "@tee-marketplace/sdk";
import { readResourceFile, uploadFile } from "@tee-marketplace/sdk/node";

import {
  DATA_PRICE,
  TEE_MIN_MINUTES,
  TEE_PRICE_PER_HOUR,
  TOKEN,
  dataOfferInfo,
  dataSlotInfo,
  teeOfferInfo,
  teeSlotInfo,
} from "../../scripts/lib/scenario.js";
import { mockTee } from "../../mocks/tee.js";
import { type Marketplace, startMarketplace } from "../../sdk/test/support/marketplace.js";
import { fixture } from "../../sdk/test/support/paths.js";
import { type CliRun, requireBuiltCli, runCli } from "./support/cli.js";
import { startRpcProxy } from "./support/rpcProxy.js";

/** Hardhat's first development account: the deployer, holding the admin roles (its key is public). */
const HARDHAT_ACCOUNT_0 = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";

function ok(run: CliRun): string {
  expect(run.code, `exit code (stderr: ${run.stderr})`).to.equal(0);
  return run.stdout;
}

function json<T>(run: CliRun): T {
  return JSON.parse(ok(run)) as T;
}

describe("cli: the commands spctl users know", function () {
  this.timeout(120_000);

  let m: Marketplace | undefined;
  let market: Marketplace;
  let tmp: string;
  const keys = {
    admin: HARDHAT_ACCOUNT_0 as Hex,
    alice: generatePrivateKey(),
    bob: generatePrivateKey(),
    carol: generatePrivateKey(),
  };
  const address = (key: Hex): Address => privateKeyToAccount(key).address;
  let teeKey: Hex;
  let dataOfferId: bigint;
  let teeOfferId: bigint;
  let orderId: bigint;

  const as = (key: Hex | undefined, args: string[]) =>
    runCli(args, { cwd: tmp, env: key === undefined ? {} : { TEE_MARKET_PRIVATE_KEY: key } });

  /**
   * The TEE's quote binding its keys to TEE offer `offerId` (the stand-in enclave's, under the test
   * root) and the attestation service's proof of it, written to files. The service's clock moves a
   * second first: each attestation of a key must expire later than the last.
   */
  async function attestation(name: string, offerId = teeOfferId): Promise<string[]> {
    const { tee } = market;
    const reportData = market.reader.tee.attestationReportData({
      teeOfferId: offerId,
      teeKey: tee.account.address,
      publicKey: tee.publicKey,
    });
    const quote = tee.quote(reportData);
    market.attestation.advanceClock(1);
    const proof = await market.attestation.attest({
      quote,
      teeOfferId: offerId,
      teeKey: tee.account.address,
      publicKey: tee.publicKey,
    });
    await writeFile(path.join(tmp, `${name}.quote`), quote);
    await writeFile(path.join(tmp, `${name}.proof`), proof);
    return ["--quote", `${name}.quote`, "--proof", `${name}.proof`];
  }

  before(async function () {
    this.timeout(300_000);
    requireBuiltCli();
    m = await startMarketplace();
    market = m;
    teeKey = market.tee.privateKey;
    tmp = await mkdtemp(path.join(tmpdir(), "tee-market-cli-commands-"));
    const funder = createWalletClient({
      account: market.cast.admin,
      chain: market.chain,
      transport: http(market.node.url),
    });
    for (const key of [keys.alice, keys.bob, keys.carol]) {
      const hash = await sendTransaction(funder, { to: address(key), value: parseEther("10") });
      await waitForTransactionReceipt(market.publicClient, { hash });
    }
    await writeFile(
      path.join(tmp, "deployment.json"),
      JSON.stringify(market.deployment, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v)),
    );
    await writeFile(
      path.join(tmp, "tee-market.json"),
      JSON.stringify({ network: "localhost", rpcUrl: market.node.url, deployment: "deployment.json" }),
    );
    const files: Record<string, unknown> = {
      "data-offer.json": dataOfferInfo("Weather 2024", "Monthly temperatures"),
      "data-offer-v2.json": dataOfferInfo("Weather 2024, v2", "Monthly temperatures and rainfall"),
      "tee-offer.json": teeOfferInfo("TDX box", "4 cores"),
      "data-slot.json": dataSlotInfo(),
      "tee-slot.json": teeSlotInfo(),
      "cheap-slot.json": { ...dataSlotInfo(), usage: { ...dataSlotInfo().usage, price: "1" } },
    };
    for (const [name, content] of Object.entries(files)) {
      await writeFile(path.join(tmp, name), JSON.stringify(content));
    }
    await writeFile(path.join(tmp, "broken.json"), "{ not json");
  });

  after(async function () {
    await m?.stop();
    if (tmp !== undefined) await rm(tmp, { recursive: true, force: true });
  });

  describe("providers", function () {
    it("providers register with only a name and a description: action account and token receiver are the caller", async function () {
      const output = ok(
        await as(keys.bob, [
          "providers",
          "register",
          "--name",
          "Bob's data",
          "--description",
          "Weather data",
        ]),
      );
      expect(output, "spctl's line").to.include(
        `Provider with wallet address ${address(keys.bob)} is registered`,
      );
      const provider = await market.reader.providers.get({ authority: address(keys.bob) });
      expect(provider.actionAccount, "action account").to.equal(address(keys.bob));
      expect(provider.tokenReceiver, "token receiver").to.equal(address(keys.bob));
      const { info } = await market.reader.providers.getInfo({ authority: address(keys.bob) });
      expect(info, "info").to.include({ name: "Bob's data", description: "Weather data" });
    });

    it("providers create is the same command (spctl's name)", async function () {
      const output = ok(await as(keys.carol, ["providers", "create", "--name", "Carol's TEE"]));
      expect(output, "spctl's line").to.include(
        `Provider with wallet address ${address(keys.carol)} is registered`,
      );
    });

    it("a second registration fails with the revert, and its hint names the CLI's command", async function () {
      const run = await as(keys.bob, ["providers", "register", "--name", "again"]);
      expect(run.code, "exit code").to.equal(1);
      expect(run.errors[0], "error")
        .to.include("ProviderAlreadyRegistered")
        .and.include("tee-market providers update");
      expect(run.errors[0], "not the SDK's name").not.to.include("providers.update");
    });

    it("providers register without a name or a file is a usage error; an unreadable info file too (exit 2)", async function () {
      const bare = await as(keys.alice, ["providers", "register"]);
      expect(bare.code, "exit code without a name").to.equal(2);
      expect(bare.errors[0], "message").to.include("--name");
      const broken = await as(keys.alice, ["providers", "register", "--info", "broken.json"]);
      expect(broken.code, "exit code of a file that is not JSON").to.equal(2);
      expect(broken.errors[0], "names the file").to.include("broken.json");
      const missing = await as(keys.alice, ["providers", "register", "--info", "missing.json"]);
      expect(missing.code, "exit code of a missing file").to.equal(2);
    });

    it("providers update changes what is given and keeps the rest", async function () {
      const receiver = address(generatePrivateKey());
      const output = ok(
        await as(keys.bob, [
          "providers",
          "update",
          "--description",
          "Curated weather",
          "--token-receiver",
          receiver,
        ]),
      );
      expect(output, "line").to.include(`Provider with wallet address ${address(keys.bob)} was updated`);
      const { info } = await market.reader.providers.getInfo({ authority: address(keys.bob) });
      expect(info, "info").to.include({ name: "Bob's data", description: "Curated weather" });
      expect((await market.reader.providers.get({ authority: address(keys.bob) })).tokenReceiver).to.equal(
        receiver,
      );
    });
  });

  describe("offers", function () {
    it("offers create prints spctl's lines", async function () {
      const bob = ok(
        await as(keys.bob, [
          "offers",
          "create",
          "--offer",
          "data-offer.json",
          "--slot",
          "data-slot.json",
          "--resource",
          fixture("dataset.resource.json"),
        ]),
      );
      const created = /^Offer was created with id (\d+)$/m.exec(bob);
      expect(created, `offer line in ${bob}`).not.to.equal(null);
      expect(bob, "slot line").to.match(/^Slot was created with id \d+$/m);
      dataOfferId = BigInt(created?.[1] ?? 0);
      const carol = json<{ offerId: string }>(
        await as(keys.carol, [
          "offers",
          "create",
          "--offer",
          "tee-offer.json",
          "--slot",
          "tee-slot.json",
          "--json",
        ]),
      );
      teeOfferId = BigInt(carol.offerId);
    });

    it("providers list and providers get --fields --save-to", async function () {
      const listed = json<{ providers: { address: string; name: string; offers: number }[] }>(
        await as(undefined, ["providers", "list", "--fields", "address,name,offers", "--json"]),
      );
      expect(listed.providers, "providers").to.deep.include.members([
        { address: address(keys.bob), name: "Bob's data", offers: 1 },
        { address: address(keys.carol), name: "Carol's TEE", offers: 1 },
      ]);
      const output = ok(
        await as(undefined, [
          "providers",
          "get",
          address(keys.bob),
          "--fields",
          "name,description",
          "--save-to",
          "bob.json",
        ]),
      );
      expect(output.trim(), "line").to.equal("The result has been saved to bob.json");
      const saved = JSON.parse(await readFile(path.join(tmp, "bob.json"), "utf8")) as { provider: object };
      expect(saved.provider, "saved fields").to.deep.equal({
        name: "Bob's data",
        description: "Curated weather",
      });
      const bad = await as(undefined, ["providers", "get", address(keys.bob), "--fields", "name,bogus"]);
      expect(bad.code, "unknown field: exit code").to.equal(2);
      expect(bad.errors[0], "lists the fields").to.include("bogus").and.include("token_receiver");
    });

    it("offers get --fields --save-to", async function () {
      const fields = ok(
        await as(undefined, ["offers", "get", String(dataOfferId), "--fields", "id,type,enabled"]),
      );
      expect(fields, "fields")
        .to.match(/type\s+Data/)
        .and.match(/enabled\s+yes/);
      ok(await as(undefined, ["offers", "get", String(teeOfferId), "--save-to", "tee-offer-read.json"]));
      const saved = JSON.parse(await readFile(path.join(tmp, "tee-offer-read.json"), "utf8")) as {
        offer: { offerType: string };
      };
      expect(saved.offer.offerType, "saved offer").to.equal("TeeOffer");
    });

    it("offers disable and enable, saying when there is nothing to do", async function () {
      expect(ok(await as(keys.bob, ["offers", "disable", String(dataOfferId)])), "disable").to.include(
        `Offer ${dataOfferId} was disabled`,
      );
      expect(ok(await as(keys.bob, ["offers", "disable", String(dataOfferId)])), "again").to.include(
        `Offer ${dataOfferId} is already disabled`,
      );
      expect((await market.reader.offers.get({ offerId: dataOfferId })).enabled, "on-chain").to.equal(false);
      expect(ok(await as(keys.bob, ["offers", "enable", String(dataOfferId)])), "enable").to.include(
        `Offer ${dataOfferId} was enabled`,
      );
      const stranger = await as(keys.alice, ["offers", "disable", String(dataOfferId)]);
      expect(stranger.code, "someone else's offer: exit code").to.equal(1);
      expect(stranger.errors[0], "error").to.include("OfferCallerNotProvider");
    });

    it("offers update replaces the info", async function () {
      expect(
        ok(await as(keys.bob, ["offers", "update", String(dataOfferId), "--offer", "data-offer-v2.json"])),
        "line",
      ).to.include(`Offer ${dataOfferId} was updated successfully`);
      const { info } = await market.reader.offers.getInfo({ offerId: dataOfferId });
      expect(info, "info").to.include({ name: "Weather 2024, v2" });
      const broken = await as(keys.bob, ["offers", "update", String(dataOfferId), "--offer", "broken.json"]);
      expect(broken.code, "not JSON: a usage error").to.equal(2);
    });

    it("offers update-slot and delete-slot, by offer and slot as spctl takes them", async function () {
      const added = json<{ slots: { slotId: string }[] }>(
        await as(keys.bob, ["offers", "add-slot", String(dataOfferId), "--slot", "data-slot.json", "--json"]),
      );
      const slotId = added.slots[0]?.slotId ?? "";
      const updated = ok(
        await as(keys.bob, [
          "offers",
          "update-slot",
          "--offer",
          String(dataOfferId),
          "--slot",
          slotId,
          "--path",
          "cheap-slot.json",
        ]),
      );
      expect(updated, "line").to.include(`Slot ${slotId} was updated successfully`);
      expect((await market.reader.slots.get({ slotId })).usage.price, "price").to.equal(1n);
      const wrong = await as(keys.bob, [
        "offers",
        "delete-slot",
        "--offer",
        String(teeOfferId),
        "--slot",
        slotId,
      ]);
      expect(wrong.code, "a slot of another offer: exit code").to.equal(1);
      expect(wrong.errors[0], "error").to.include(`belongs to offer ${dataOfferId}`);
      const deleted = ok(
        await as(keys.bob, ["offers", "delete-slot", "--offer", String(dataOfferId), "--slot", slotId]),
      );
      expect(deleted, "line").to.include(`Slot ${slotId} was deleted from offer ${dataOfferId}`);
    });

    it("offers download-content downloads a Data offer's public content, checked against its content hash", async function () {
      await writeFile(path.join(tmp, "public.csv"), "month,celsius\n1,3.5\n".repeat(100));
      ok(
        await as(undefined, [
          "files",
          "upload",
          "public.csv",
          "--output",
          "public.resource.json",
          "--skip-encryption",
        ]),
      );
      const publicResource = JSON.parse(
        await readFile(path.join(tmp, "public.resource.json"), "utf8"),
      ) as object;
      await writeFile(
        path.join(tmp, "public-offer.json"),
        JSON.stringify({
          ...dataOfferInfo("Open weather", "Public"),
          resultResource: JSON.stringify(publicResource),
        }),
      );
      const created = json<{ offerId: string }>(
        await as(keys.bob, [
          "offers",
          "create",
          "--offer",
          "public-offer.json",
          "--slot",
          "data-slot.json",
          "--resource",
          "public.resource.json",
          "--json",
        ]),
      );
      const output = ok(
        await as(undefined, ["offers", "download-content", created.offerId, "--save-to", "downloaded"]),
      );
      expect(output, "line").to.include(
        `The content of offer ${created.offerId} was downloaded to downloaded/public.csv`,
      );
      expect(await readFile(path.join(tmp, "downloaded", "public.csv"), "utf8"), "content").to.equal(
        await readFile(path.join(tmp, "public.csv"), "utf8"),
      );

      const stale = json<{ offerId: string }>(
        await as(keys.bob, [
          "offers",
          "create",
          "--offer",
          "public-offer.json",
          "--slot",
          "data-slot.json",
          "--content-hash",
          `0x${"c1".repeat(32)}`,
          "--json",
        ]),
      );
      const mismatch = await as(undefined, [
        "offers",
        "download-content",
        stale.offerId,
        "--save-to",
        "stale",
      ]);
      expect(mismatch.code, "a public resource of other content: exit code").to.equal(1);
      expect(mismatch.errors[0], "message").to.include(`The public resource of offer ${stale.offerId}`);
      await writeFile(
        path.join(tmp, "garbled-offer.json"),
        JSON.stringify({
          ...dataOfferInfo("Garbled", "Public, not JSON"),
          resultResource: "https://example.org/x",
        }),
      );
      const garbled = json<{ offerId: string }>(
        await as(keys.bob, [
          "offers",
          "create",
          "--offer",
          "garbled-offer.json",
          "--slot",
          "data-slot.json",
          "--content-hash",
          `0x${"c2".repeat(32)}`,
          "--json",
        ]),
      );
      const notJson = await as(undefined, ["offers", "download-content", garbled.offerId]);
      expect(notJson.code, "a resultResource that is not a resource file: exit code").to.equal(1);
      expect(notJson.errors[0], "message").to.include("is not a resource file (not JSON)");
      const closed = await as(undefined, ["offers", "download-content", String(dataOfferId)]);
      expect(closed.code, "content that is not public: exit code").to.equal(1);
      expect(closed.errors[0], "message").to.include("is not public");
      const tee = await as(undefined, ["offers", "download-content", String(teeOfferId)]);
      expect(tee.errors[0], "a TEE offer").to.include("only Solution and Data offers have content");
      expect(await readdir(tmp), "nothing downloaded for the refusals").not.to.include("stale");
    });

    it("offers add-version publishes a new content hash (spctl's offer version add)", async function () {
      const hash = `0x${"c0".repeat(32)}`;
      const output = ok(
        await as(keys.bob, [
          "offers",
          "add-version",
          String(dataOfferId),
          "--offer",
          "data-offer-v2.json",
          "--content-hash",
          hash,
        ]),
      );
      expect(output, "spctl's line").to.include("Version 2 added successfully");
      const offer = await market.reader.offers.get({ offerId: dataOfferId });
      expect([offer.version, offer.contentHash], "version and content hash").to.deep.equal([2, hash]);
      const without = await as(keys.bob, [
        "offers",
        "add-version",
        String(dataOfferId),
        "--offer",
        "data-offer.json",
      ]);
      expect(without.code, "without a content hash: exit code").to.equal(2);
      // Back to the dataset the tests order.
      const dataset = (await readResourceFile(fixture("dataset.resource.json"))).hash;
      ok(
        await as(keys.bob, [
          "offers",
          "add-version",
          String(dataOfferId),
          "--offer",
          "data-offer.json",
          "--content-hash",
          dataset,
        ]),
      );
    });
  });

  describe("the admin and the TEE", function () {
    it("a TCB with a measurement not allowed fails, and the hint names tee-market tcb set-measurement", async function () {
      const run = await as(keys.carol, [
        "tcb",
        "upload",
        "--tee-offer",
        String(teeOfferId),
        ...(await attestation("first")),
        "--public-key",
        market.tee.publicKey,
        "--tee-key",
        market.tee.account.address,
        "--device-id",
        market.tee.deviceId,
      ]);
      expect(run.code, "exit code").to.equal(1);
      expect(run.errors[0], "hint")
        .to.include("TcbMeasurementNotAllowed")
        .and.include("tee-market tcb set-measurement");
      expect(run.errors[0], "not the SDK's name").not.to.include("tcb.setMeasurement");
    });

    it("tcb set-measurement is the admin's: someone else is refused", async function () {
      const refused = await as(keys.alice, ["tcb", "set-measurement", market.tee.measurement]);
      expect(refused.code, "exit code").to.equal(1);
      expect(refused.errors[0], "error").to.include("AccessControlUnauthorizedAccount");
      const output = ok(await as(keys.admin, ["tcb", "set-measurement", market.tee.measurement]));
      expect(output, "line").to.include(`Measurement ${market.tee.measurement} is allowed`);
      expect(await market.reader.tcb.isMeasurementAllowed({ measurement: market.tee.measurement })).to.equal(
        true,
      );
    });

    it("tcb set-signer allows and disallows an attestation service's signer", async function () {
      const signer = address(generatePrivateKey());
      expect(ok(await as(keys.admin, ["tcb", "set-signer", signer])), "allow").to.include(
        `Attestation signer ${signer} is allowed`,
      );
      expect(await market.reader.tcb.isAttestationSigner({ signer }), "allowed").to.equal(true);
      expect(ok(await as(keys.admin, ["tcb", "set-signer", signer, "--disallow"])), "disallow").to.include(
        "no longer allowed",
      );
      expect(await market.reader.tcb.isAttestationSigner({ signer }), "disallowed").to.equal(false);
    });

    it("tcb upload, then tcb refresh by the enclave's own key with a fresh quote", async function () {
      ok(
        await as(keys.carol, [
          "tcb",
          "upload",
          "--tee-offer",
          String(teeOfferId),
          ...(await attestation("second")),
          "--public-key",
          market.tee.publicKey,
          "--tee-key",
          market.tee.account.address,
          "--device-id",
          market.tee.deviceId,
        ]),
      );
      const before = await market.reader.tcb.active({ teeOfferId });
      const output = ok(
        await as(teeKey, [
          "tcb",
          "refresh",
          "--tee-offer",
          String(teeOfferId),
          ...(await attestation("third")),
        ]),
      );
      const after = await market.reader.tcb.active({ teeOfferId });
      expect(output, "line").to.include(`replacing TCB ${before?.id}`);
      expect(after?.id, "a new active TCB").to.equal((before?.id ?? 0n) + 1n);
      expect(after?.teeKey, "the same TEE key").to.equal(market.tee.account.address);
      const none = await as(teeKey, [
        "tcb",
        "refresh",
        "--tee-offer",
        String(dataOfferId),
        ...(await attestation("x", dataOfferId)),
      ]);
      expect(none.code, "an offer without a TCB: exit code").to.equal(1);
      const { measurement } = decodeAttestationProof(
        (await readFile(path.join(tmp, "third.proof"), "utf8")) as Hex,
      );
      expect(measurement, "the proof's measurement").to.equal(market.tee.measurement);
    });

    it("tcb get shows the TCB and its TEE key's record; --save-to writes them", async function () {
      const text = ok(await as(undefined, ["tcb", "get", "--tee-offer", String(teeOfferId)]));
      expect(text, "the key's line").to.match(
        new RegExp(`^TEE key ${market.tee.account.address}: valid until `, "m"),
      );
      expect(text, "its newest TCB and attestation")
        .to.match(/newest TCB\s+\d+/)
        .and.match(/attested until\s+20\d\d-/);
      expect(text, "not revoked").to.match(/revoked\s+no$/m);
      ok(await as(undefined, ["tcb", "get", "--tee-offer", String(teeOfferId), "--save-to", "tcb.json"]));
      const saved = JSON.parse(await readFile(path.join(tmp, "tcb.json"), "utf8")) as {
        tcb: { status: string; id: string };
        teeKey: {
          address: string;
          valid: boolean;
          latestTcbId: string;
          revokedBlock: string;
          attestedUntil: string;
        };
      };
      expect(saved.tcb.status, "status").to.equal("Active");
      const key = await market.reader.tcb.teeKey({ teeKey: market.tee.account.address });
      expect(saved.teeKey, "the key record").to.deep.include({
        address: market.tee.account.address,
        valid: true,
        latestTcbId: saved.tcb.id,
        revokedBlock: "0",
        attestedUntil: String(key.attestedUntil),
      });
    });
  });

  describe("tokens, workflows and orders", function () {
    it("tokens balance shows the payment token and the native token, as spctl does", async function () {
      await market.mint(address(keys.alice), 300n * TOKEN);
      const output = ok(await as(keys.alice, ["tokens", "balance"]));
      expect(output, "token line").to.include(`Balance of ${address(keys.alice)}: 300 TEST`);
      expect(output, "native line").to.match(new RegExp(`Balance of ${address(keys.alice)}: [0-9.]+ ETH`));
      const other = json<{ account: string; token: { balance: string } }>(
        await as(undefined, ["tokens", "balance", "--account", address(keys.bob), "--json"]),
      );
      expect(other, "another account, no key needed").to.deep.include({ account: address(keys.bob) });
      expect(other.token.balance, "Bob's tokens").to.equal("0");
    });

    it("tokens approve sets the allowance", async function () {
      ok(await as(keys.alice, ["tokens", "approve", "1.5"]));
      expect((await market.reader.payments.balance({ account: address(keys.alice) })).allowance).to.equal(
        (15n * TOKEN) / 10n,
      );
    });

    it("a workflow with a disabled offer fails with the revert, and its hint names offers enable", async function () {
      ok(await as(keys.bob, ["offers", "disable", String(dataOfferId)]));
      const refused = await as(keys.alice, [
        "workflows",
        "create",
        "--solution",
        fixture("solution.resource.json"),
        "--data",
        String(dataOfferId),
        "--tee",
        String(teeOfferId),
      ]);
      expect(refused.code, "exit code").to.equal(1);
      expect(refused.errors[0], "hint").to.include("OfferDisabled").and.include("tee-market offers enable");
      ok(await as(keys.bob, ["offers", "enable", String(dataOfferId)]));
    });

    it("workflows create without --deposit deposits the slots' minimum and says so", async function () {
      const output = ok(
        await as(keys.alice, [
          "workflows",
          "create",
          "--solution",
          fixture("solution.resource.json"),
          "--data",
          String(dataOfferId),
          "--tee",
          String(teeOfferId),
        ]),
      );
      const created = /^Workflow was created, TEE order id: \["(\d+)"\]$/m.exec(output);
      expect(created, `spctl's line in ${output}`).not.to.equal(null);
      orderId = BigInt(created?.[1] ?? 0);
      const minimum = (TEE_PRICE_PER_HOUR * BigInt(TEE_MIN_MINUTES)) / 60n + DATA_PRICE;
      expect(output, "the deposit used")
        .to.include(`${Number(minimum / TOKEN)} TEST`)
        .and.include("minimum");
      expect((await market.reader.orders.get({ orderId })).order.deposit, "on-chain deposit").to.equal(
        minimum,
      );
    });

    it("workflows replenish-deposit adds to the deposit", async function () {
      const before = (await market.reader.orders.get({ orderId })).order.deposit;
      const output = ok(await as(keys.alice, ["workflows", "replenish-deposit", String(orderId), "2.5"]));
      expect(output, "line").to.include(`Deposit for order ${orderId} was replenished with 2.5 TEST`);
      expect((await market.reader.orders.get({ orderId })).order.deposit - before, "added").to.equal(
        (25n * TOKEN) / 10n,
      );
      const bad = await as(keys.alice, ["workflows", "replenish-deposit", String(orderId), "lots"]);
      expect(bad.code, "not an amount: exit code").to.equal(2);
    });

    it("orders list filters by --status and --offers and shows --fields", async function () {
      const blocked = json<{ orders: { id: string; status: string; offers: string }[] }>(
        await as(keys.alice, [
          "orders",
          "list",
          "--status",
          "blocked,new",
          "--fields",
          "id,status,offers",
          "--json",
        ]),
      );
      expect(blocked.orders, "Blocked orders").to.deep.equal([
        { id: String(orderId), status: "Blocked", offers: `${teeOfferId},${dataOfferId}` },
      ]);
      const done = json<{ orders: unknown[] }>(
        await as(keys.alice, ["orders", "list", "--status", "done", "--json"]),
      );
      expect(done.orders, "Done orders").to.deep.equal([]);
      const byOffer = json<{ orders: unknown[] }>(
        await as(keys.alice, ["orders", "list", "--offers", String(dataOfferId + 100n), "--json"]),
      );
      expect(byOffer.orders, "orders of another offer").to.deep.equal([]);
      const text = ok(await as(keys.alice, ["orders", "list", "--fields", "id,status"]));
      expect(text, "table").to.match(new RegExp(`^id\\s+status\\n${orderId}\\s+Blocked$`, "m"));
      const bad = await as(keys.alice, ["orders", "list", "--status", "finished"]);
      expect(bad.code, "unknown status: exit code").to.equal(2);
    });

    it("orders list reads the orders 100 to an eth_call (getOrders), the workflows only for --offers or the offers column", async function () {
      const proxy = await startRpcProxy(market.node.url);
      try {
        const selector = (name: "getOrders" | "getWorkflow") =>
          `eth_call:${toFunctionSelector(getAbiItem({ abi: ordersAbi, name }) as AbiFunction)}`;
        const count = (name: "getOrders" | "getWorkflow") =>
          proxy.requests.filter((r) => r === selector(name)).length;
        const listed = json<{ orders: unknown[] }>(
          await as(keys.alice, ["orders", "list", "--rpc-url", proxy.url, "--json"]),
        );
        expect(listed.orders.length, "Alice's orders").to.be.greaterThan(0);
        expect(
          [count("getOrders"), count("getWorkflow")],
          "getOrders calls, getWorkflow calls",
        ).to.deep.equal([1, 0]);
        proxy.requests.length = 0;
        const withOffers = json<{ orders: unknown[] }>(
          await as(keys.alice, ["orders", "list", "--rpc-url", proxy.url, "--fields", "id,offers", "--json"]),
        );
        expect([count("getOrders"), count("getWorkflow")], "with the offers column").to.deep.equal([
          1,
          withOffers.orders.length,
        ]);
      } finally {
        await proxy.stop();
      }
    });

    it("orders get --fields --save-to", async function () {
      ok(
        await as(undefined, [
          "orders",
          "get",
          String(orderId),
          "--fields",
          "id,status,sub_orders_count",
          "--save-to",
          "o.json",
        ]),
      );
      const saved = JSON.parse(await readFile(path.join(tmp, "o.json"), "utf8")) as { order: object };
      expect(saved.order, "saved").to.deep.equal({
        id: String(orderId),
        status: "Blocked",
        suborderCount: 1,
      });
    });

    it("orders get shows the order's enclave and whether its key is valid", async function () {
      const text = ok(await as(undefined, ["orders", "get", String(orderId)]));
      expect(text, "the enclave").to.match(
        new RegExp(`enclave\\s+${market.tee.account.address} \\(valid, TCB \\d+\\)`),
      );
      expect(text, "no result yet").to.match(/result\s+none$/m);
      const document = json<{ enclave: { teeKey: string; valid: boolean } }>(
        await as(undefined, ["orders", "get", String(orderId), "--json"]),
      );
      expect(document.enclave, "JSON").to.include({ teeKey: market.tee.account.address, valid: true });
    });

    it("the TEE runs the order: tee start, tee report, tee complete", async function () {
      ok(
        await as(keys.bob, [
          "orders",
          "complete",
          String(orderId + 1n),
          "--status",
          "done",
          "--result",
          fixture("dataset.resource.json"),
          "--solution-hash",
          fixture("solution.resource.json"),
        ]),
      );
      expect(ok(await as(teeKey, ["tee", "start", String(orderId)])), "start").to.include(
        `Order ${orderId} was started`,
      );
      const reported = ok(
        await as(teeKey, [
          "tee",
          "report",
          String(orderId),
          "--image",
          `${fixture("solution.resource.json")}:32`,
          "--data",
          fixture("dataset.resource.json"),
        ]),
      );
      expect(reported, "report line").to.include(`The report of order ${orderId} has been published`);
      const verification = await market.reader.reports.verify(orderId);
      expect(verification.ok, JSON.stringify(verification.checks.filter((c) => !c.ok))).to.equal(true);
      // The enclave's output, uploaded, and a pointer for Alice's result key (generated by workflows create).
      await writeFile(path.join(tmp, "totals.json"), '{"rows":12}\n');
      const resource = await uploadFile(path.join(tmp, "totals.json"), {
        storage: { type: "FS", directory: path.join(tmp, "enclave-storage") },
      });
      const resultHash = `0x${resource.hash.hash}` as Hex;
      const aliceKey = JSON.parse(await readFile(path.join(tmp, "tee-market.result-key.json"), "utf8")) as {
        publicKey: Hex;
      };
      const pointer = market.reader.tee.sealResultPointer({
        publicKey: aliceKey.publicKey,
        orderId,
        resultHash,
        resource,
      });
      await writeFile(path.join(tmp, "pointer.hex"), pointer);
      const without = await as(teeKey, ["tee", "complete", String(orderId), "--status", "done"]);
      expect(without.code, "Done without a pointer per recipient: exit code").to.equal(1);
      expect(without.errors[0], "the contract's refusal").to.include("OrderReceiptPointerCount");
      const completed = ok(
        await as(teeKey, [
          "tee",
          "complete",
          String(orderId),
          "--status",
          "done",
          "--result-hash",
          resultHash,
          "--pointer",
          "pointer.hex",
        ]),
      );
      expect(completed, "spctl's line").to.include(
        `Order ${orderId} has been completed successfully: status=Done`,
      );
      expect((await market.reader.orders.get({ orderId })).order.status, "order").to.equal(OrderStatus.Done);
      const result = await market.reader.orders.getResult({ orderId });
      expect([result.resultHash, result.pointers], "the receipt").to.deep.equal([resultHash, [pointer]]);
    });

    it("orders cancel takes several ids: each is tried, a failure is listed and the exit code is 1", async function () {
      const second = json<{ orderId: string }>(
        await as(keys.alice, [
          "workflows",
          "create",
          "--solution",
          fixture("solution.resource.json"),
          "--data",
          String(dataOfferId),
          "--tee",
          String(teeOfferId),
          "--json",
        ]),
      );
      const run = await as(keys.alice, ["orders", "cancel", second.orderId, String(orderId)]);
      expect(run.code, "exit code").to.equal(1);
      expect(run.stdout, "the canceled one").to.include(`Order ${second.orderId} was canceled successfully`);
      expect(run.stdout, "the refused one").to.include(`Order ${orderId} was not canceled:`);
      expect(run.errors, "one error line").to.deep.equal([`Error: 1 of 2 cancellations failed: ${orderId}`]);
      expect((await market.reader.orders.get({ orderId: second.orderId })).order.status).to.equal(
        OrderStatus.Canceled,
      );
      const third = json<{ orderId: string }>(
        await as(keys.alice, [
          "workflows",
          "create",
          "--solution",
          fixture("solution.resource.json"),
          "--data",
          String(dataOfferId),
          "--tee",
          String(teeOfferId),
          "--json",
        ]),
      );
      const one = json<{ orderId: string; status: string }>(
        await as(keys.alice, ["orders", "cancel", third.orderId, "--json"]),
      );
      expect(one, "one id: the result itself, not a list").to.include({
        orderId: third.orderId,
        status: "Canceled",
      });
    });

    it("tcb revoke by the admin", async function () {
      const tcb = await market.reader.tcb.active({ teeOfferId });
      const output = ok(await as(keys.admin, ["tcb", "revoke", String(tcb?.id)]));
      expect(output, "line").to.include(`TCB ${tcb?.id} was revoked`);
      expect(
        (await market.reader.tcb.get({ tcbId: tcb?.id ?? 0n })).revokedBlock,
        "revoked at a block",
      ).not.to.equal(0n);
    });
  });

  describe("enclave keys", function () {
    it("tcb authorize lets a new enclave key publish its first TCB itself; without it the hint names the command", async function () {
      const enclave = mockTee({ pki: market.attestation.pki, device: "carol-second-machine" });
      const funder = createWalletClient({
        account: market.cast.admin,
        chain: market.chain,
        transport: http(market.node.url),
      });
      await waitForTransactionReceipt(market.publicClient, {
        hash: await sendTransaction(funder, { to: enclave.account.address, value: parseEther("1") }),
      });
      const reportData = market.reader.tee.attestationReportData({
        teeOfferId,
        teeKey: enclave.account.address,
        publicKey: enclave.publicKey,
      });
      const quote = enclave.quote(reportData);
      market.attestation.advanceClock(1);
      const proof = await market.attestation.attest({
        quote,
        teeOfferId,
        teeKey: enclave.account.address,
        publicKey: enclave.publicKey,
      });
      await writeFile(path.join(tmp, "enclave.quote"), quote);
      await writeFile(path.join(tmp, "enclave.proof"), proof);
      const upload = [
        "tcb",
        "upload",
        "--tee-offer",
        String(teeOfferId),
        "--quote",
        "enclave.quote",
        "--proof",
        "enclave.proof",
        "--public-key",
        enclave.publicKey,
        "--device-id",
        enclave.deviceId,
      ];
      const refused = await as(enclave.privateKey, upload);
      expect(refused.code, "unauthorized: exit code").to.equal(1);
      expect(refused.errors[0], "the hint")
        .to.include("TcbCallerNotAuthorized")
        .and.include("tee-market tcb authorize");

      const stranger = await as(keys.alice, [
        "tcb",
        "authorize",
        String(teeOfferId),
        enclave.account.address,
      ]);
      expect(stranger.code, "not the offer's provider: exit code").to.equal(1);
      const output = ok(
        await as(keys.carol, ["tcb", "authorize", String(teeOfferId), enclave.account.address]),
      );
      expect(output, "line").to.include(
        `TEE key ${enclave.account.address} may publish its first TCB for TEE offer ${teeOfferId}`,
      );
      expect(
        await market.reader.tcb.isTeeKeyAuthorized({ teeOfferId, teeKey: enclave.account.address }),
        "authorized",
      ).to.equal(true);
      ok(await as(enclave.privateKey, upload));
      expect(
        (await market.reader.tcb.active({ teeOfferId }))?.teeKey,
        "the new enclave serves the offer",
      ).to.equal(enclave.account.address);

      const other = address(generatePrivateKey());
      ok(await as(keys.carol, ["tcb", "authorize", String(teeOfferId), other]));
      const withdrawn = ok(await as(keys.carol, ["tcb", "authorize", String(teeOfferId), other, "--revoke"]));
      expect(withdrawn, "line").to.include("may no longer publish a first TCB");
      expect(await market.reader.tcb.isTeeKeyAuthorized({ teeOfferId, teeKey: other }), "withdrawn").to.equal(
        false,
      );
    });
  });

  it("every new command has its --help", async function () {
    for (const command of [
      ["providers", "update"],
      ["providers", "list"],
      ["offers", "update"],
      ["offers", "enable"],
      ["offers", "disable"],
      ["offers", "update-slot"],
      ["offers", "delete-slot"],
      ["offers", "add-version"],
      ["workflows", "replenish-deposit"],
      ["tokens", "balance"],
      ["tokens", "approve"],
      ["tcb", "refresh"],
      ["tcb", "set-measurement"],
      ["tcb", "set-signer"],
      ["tcb", "revoke"],
      ["tee", "start"],
      ["tee", "report"],
      ["tee", "complete"],
      ["tcb", "verify"],
      ["tcb", "authorize"],
      ["files", "upload"],
      ["files", "download"],
      ["files", "delete"],
      ["files", "hash"],
      ["quotes", "validate"],
      ["workflows", "generate-key"],
      ["orders", "download-result"],
      ["orders", "verify-result"],
      ["offers", "download-content"],
    ]) {
      const run = await as(undefined, [...command, "--help"]);
      expect(run.code, `${command.join(" ")} --help`).to.equal(0);
      expect(run.stdout, `${command.join(" ")} usage`).to.match(
        new RegExp(`^Usage: tee-market ${command.join(" ")}`),
      );
    }
  });
});
