/**
 * Failure paths a user can hit, on a Hardhat node through the SDK: writes without a wallet, bad
 * files, a disabled offer, the wrong caller, forged and wrong reports, revoked and expired TCBs,
 * cancellations. Contract reverts surface as ContractError before any gas is spent.
 */
import { expect } from "chai";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";

import {
  ContractError,
  FileFormatError,
  InputError,
  OrderStatus,
  RuntimeType,
  StateError,
  TcbStatus,
} from "../../src/index.js";
import { readOfferInfoFile, readResourceFile, readSlotInfoFile } from "../../src/node/index.js";
import {
  DEPOSIT,
  type Listing,
  ALICE_RESULT_KEY,
  MEASUREMENT,
  TEE_MAX_MINUTES,
  TOKEN,
  type Marketplace,
  placeWorkflow,
  publishTcb,
  setUpProviders,
  startMarketplace,
} from "../support/marketplace.js";
import { fixture } from "../support/paths.js";
import { caught, expectContractError } from "../support/rejections.js";

const TCB_LIFETIME = 3600;

describe("integration: failure paths", function () {
  this.timeout(120_000);

  let m: Marketplace | undefined;
  let market: Marketplace;
  let listing: Listing;
  let tmp: string;
  /** The order whose report is published under the first TCB (in "a workflow in progress"). */
  let reportedOrderId: bigint;

  before(async function () {
    this.timeout(300_000);
    tmp = await mkdtemp(path.join(tmpdir(), "sdk-failures-"));
    m = await startMarketplace({ tcbLifetime: TCB_LIFETIME });
    market = m;
    listing = await setUpProviders(market);
  });

  after(async function () {
    await m?.stop();
    if (tmp !== undefined) await rm(tmp, { recursive: true, force: true });
  });

  it("a write without a wallet is an InputError naming walletClient, before any RPC; reads work", async function () {
    const { client, counter } = market.counted();
    counter.reset();
    const error = await caught(client.orders.cancel({ orderId: 1n }));
    expect(error, "error").to.be.instanceOf(InputError);
    expect((error as InputError).field, "field").to.equal("walletClient");
    expect(counter.requests, "JSON-RPC requests").to.equal(0);
    expect((await client.offers.get({ offerId: listing.dataOfferId })).enabled, "a read").to.equal(true);
  });

  it("bad files and inputs are InputErrors naming the field, before any RPC", async function () {
    const offerInfo = JSON.parse(await readFile(fixture("offer-info.json"), "utf8")) as Record<
      string,
      unknown
    >;
    const badOffer = path.join(tmp, "offer-info.json");
    await writeFile(badOffer, JSON.stringify({ ...offerInfo, offerType: "9" }));
    const fileError = await caught(readOfferInfoFile(badOffer, { contentHash: listing.dataset }));
    expect(fileError, "offer-info.json with offerType 9").to.be.instanceOf(FileFormatError);
    expect((fileError as FileFormatError).field, "field").to.equal("offerType");
    expect((fileError as FileFormatError).path, "path").to.equal(badOffer);

    const { client, counter } = market.counted();
    counter.reset();
    const cases: [Promise<unknown>, string][] = [
      [
        client.slots.add({
          offerId: listing.dataOfferId,
          slot: {
            info: { cpuCores: 1, diskUsage: 1, ram: 1 },
            usage: { price: "-5", priceType: "1", minTimeMinutes: 0, maxTimeMinutes: 0 },
          },
        }),
        "usage.price",
      ],
      [client.offers.create({ offerInfo: { ...offerInfo, offerType: "3" } }), "contentHash"],
      [
        client.orders.createWorkflow({
          teeOfferId: listing.teeOfferId,
          teeSlotId: listing.teeSlotId,
          solutionHash: "xyz",
          inputs: [],
          deposit: DEPOSIT,
          resultRecipients: [ALICE_RESULT_KEY.publicKey],
        }),
        "solutionHash",
      ],
      [
        client.orders.createWorkflow({
          teeOfferId: listing.teeOfferId,
          teeSlotId: listing.teeSlotId,
          solutionHash: listing.solution,
          inputs: [{ offerId: listing.dataOfferId, slotId: 0 }],
          deposit: DEPOSIT,
          resultRecipients: [ALICE_RESULT_KEY.publicKey],
        }),
        "inputs[0].slotId",
      ],
      [
        client.orders.createWorkflow({
          teeOfferId: listing.teeOfferId,
          teeSlotId: listing.teeSlotId,
          solutionHash: listing.solution,
          inputs: [],
          deposit: DEPOSIT,
          resultRecipients: [`0x02${"00".repeat(32)}`],
        }),
        "resultRecipients[0]",
      ],
      [
        client.suborders.complete({
          suborderId: 2n,
          status: "Done",
          solutionHash: listing.solution,
          resourceFile: { ...listing.dataset.raw, hash: { algo: "md5", encoding: "hex", hash: "00" } },
        }),
        "resourceFile.hash.algo",
      ],
      [
        client.suborders.complete({ suborderId: 2n, status: "Processing", solutionHash: listing.solution }),
        "status",
      ],
      [
        client.tcb.upload({
          teeOfferId: 1n,
          deviceId: "0x12",
          teeKey: market.tee.account.address,
          publicKey: "0x",
          quote: "0x",
          benchmark: 0,
          proof: "0x",
        }),
        "deviceId",
      ],
    ];
    for (const [promise, field] of cases) {
      const error = await caught(promise);
      expect(error, `error for ${field}`).to.be.instanceOf(InputError);
      expect((error as InputError).field, "field").to.equal(field);
    }
    expect(counter.requests, "JSON-RPC requests").to.equal(0);
  });

  it("a disabled offer: createWorkflow fails with the registry's OfferDisabled, decoded through Orders", async function () {
    const bob = market.as(market.cast.bob);
    await bob.offers.setEnabled({ offerId: listing.dataOfferId, enabled: false });
    const error = await caught(placeWorkflow(market, listing));
    expectContractError(error, "OfferDisabled", [listing.dataOfferId]);
    await bob.offers.setEnabled({ offerId: listing.dataOfferId, enabled: true });
  });

  describe("a workflow in progress", function () {
    let orderId: bigint;
    let suborderId: bigint;

    before(async function () {
      ({ orderId } = await placeWorkflow(market, listing));
      suborderId = orderId + 1n;
      reportedOrderId = orderId;
    });

    it("someone else than the consumer cannot cancel it: OrderCallerNotConsumer", async function () {
      const error = await caught(market.as(market.cast.stranger).orders.cancel({ orderId }));
      expectContractError(error, "OrderCallerNotConsumer", [orderId, market.cast.stranger]);
    });

    it("a caller who is not the data offer's operator cannot complete the suborder: SuborderCallerNotOperator, no gas", async function () {
      const before = await market.chainState(market.cast.stranger);
      const error = await caught(
        market.as(market.cast.stranger).suborders.complete({
          suborderId,
          status: "Done",
          solutionHash: listing.solution,
          resourceFile: listing.dataset,
        }),
      );
      expectContractError(error, "SuborderCallerNotOperator", [suborderId, market.cast.stranger]);
      expect(await market.chainState(market.cast.stranger), "stranger's nonce and the block").to.deep.equal(
        before,
      );
    });

    it("the TEE cannot start it while Blocked: OrderInvalidTransition", async function () {
      const error = await caught(market.as(market.tee.account).orders.start({ orderId }));
      expectContractError(error, "OrderInvalidTransition", [
        orderId,
        OrderStatus.Blocked,
        OrderStatus.Processing,
      ]);
    });

    it("a report signed by another key cannot be published: OrderReportSignerMismatch", async function () {
      await market.as(market.cast.bob).suborders.complete({
        suborderId,
        status: "Done",
        solutionHash: listing.solution,
        resourceFile: listing.dataset,
      });
      const tee = market.as(market.tee.account);
      await tee.orders.start({ orderId });
      const forger = generatePrivateKey();
      const runtimeInfo = [
        { runtimeType: RuntimeType.Image, size: 10n, hash: listing.solution.hash },
        { runtimeType: RuntimeType.Data, size: 46n, hash: listing.dataset.hash },
      ];
      const forged = await caught(
        tee.reports.publish({ orderId, signer: forger, runtimeInfo, tcbId: listing.tcbId }),
      );
      expectContractError(forged, "OrderReportSignerMismatch", [
        orderId,
        privateKeyToAccount(forger).address,
        market.tee.account.address,
      ]);

      const wrongImage = await caught(
        tee.reports.publish({
          orderId,
          signer: market.tee.privateKey,
          runtimeInfo: [{ ...runtimeInfo[0]!, hash: `0x${"ee".repeat(32)}` }, runtimeInfo[1]!],
        }),
      );
      expectContractError(wrongImage, "OrderReportImageMismatch", [
        orderId,
        listing.solution.hash,
        `0x${"ee".repeat(32)}`,
      ]);

      const noData = await caught(
        tee.reports.publish({ orderId, signer: market.tee.privateKey, runtimeInfo: [runtimeInfo[0]!] }),
      );
      expectContractError(noData, "OrderReportDataMissing", [orderId, suborderId, listing.dataset.hash]);

      await tee.reports.publish({ orderId, signer: market.tee.privateKey, runtimeInfo });
      expect((await market.reader.reports.verify(orderId)).ok, "the genuine report verifies").to.equal(true);
    });

    it("a report stays valid when its enclave is revoked later (no log scan); a measurement taken off the allow-list fails its check", async function () {
      await market.as(market.cast.carolAction).tcb.revoke({ tcbId: listing.tcbId });
      expect((await market.reader.tcb.get({ tcbId: listing.tcbId })).status, "TCB status").to.equal(
        TcbStatus.Revoked,
      );
      const key = await market.reader.tcb.teeKey({ teeKey: market.tee.account.address });
      expect([key.valid, key.revokedBlock > 0n], "the key: valid, revoked").to.deep.equal([false, true]);
      const { client, counter } = market.counted(undefined, { logBlockRange: 2n });
      counter.reset();
      const afterRevocation = await client.reports.verify(orderId);
      expect(
        afterRevocation.checks.filter((c) => !c.ok),
        "failing checks after a later revocation",
      ).to.deep.equal([]);
      const validity = afterRevocation.checks.find((c) => c.name === "tcbValidAtPublication");
      expect(validity?.detail, "validity detail").to.include(`revoked later, at block ${key.revokedBlock}`);
      // The key's revocation block is stored: the only log read is the report's own event.
      expect(
        counter.methods.filter((method) => method === "eth_getLogs").length,
        "eth_getLogs requests",
      ).to.equal(1);
      expect(counter.roundTrips, "round trips").to.be.at.most(3);

      const admin = market.as(market.cast.admin);
      await admin.tcb.setMeasurement({ measurement: MEASUREMENT, allowed: false });
      const disallowed = await market.reader.reports.verify(orderId);
      expect(disallowed.ok, "ok").to.equal(false);
      expect(
        disallowed.checks.filter((c) => !c.ok).map((c) => c.name),
        "failing checks",
      ).to.deep.equal(["measurementAllowed"]);
      await admin.tcb.setMeasurement({ measurement: MEASUREMENT, allowed: true });

      const again = await caught(market.as(market.cast.carolAction).tcb.revoke({ tcbId: listing.tcbId }));
      expectContractError(again, "TcbTeeKeyRevoked", [market.tee.account.address, key.revokedBlock]);
      const stranger = await caught(market.as(market.cast.stranger).tcb.revoke({ tcbId: listing.tcbId }));
      expectContractError(stranger, "TcbCallerCannotRevoke", [listing.tcbId, market.cast.stranger]);
      const republish = await caught(publishTcb(market, listing.teeOfferId));
      expectContractError(republish, "TcbTeeKeyRevoked", [market.tee.account.address, key.revokedBlock]);

      // A revoked key is ended for good: Carol starts a new enclave for the workflows to come.
      await market.newEnclave();
      listing = { ...listing, tcbId: await publishTcb(market, listing.teeOfferId) };
    });
  });

  describe("a provider's housekeeping", function () {
    it("Bob updates his offer's info and publishes a new content version; orders keep their committed hash", async function () {
      const bob = market.as(market.cast.bob);
      const offerInfo = JSON.parse(await readFile(fixture("offer-info.json"), "utf8")) as Record<
        string,
        unknown
      >;
      await bob.offers.updateInfo({
        offerId: listing.dataOfferId,
        offerInfo: { ...offerInfo, description: "v1, updated" },
      });
      expect(
        (await bob.offers.getInfo({ offerId: listing.dataOfferId })).info,
        "updated info",
      ).to.deep.include({
        description: "v1, updated",
      });
      const newHash = `0x${"42".repeat(32)}` as const;
      const { version, contentHash } = await bob.offers.newVersion({
        offerId: listing.dataOfferId,
        contentHash: newHash,
        offerInfo: { ...offerInfo, description: "v2" },
      });
      expect([version, contentHash], "new version").to.deep.equal([2, newHash]);
      const offer = await bob.offers.get({ offerId: listing.dataOfferId });
      expect([offer.version, offer.contentHash], "offer after").to.deep.equal([2, newHash]);
      expect((await bob.offers.getInfo({ offerId: listing.dataOfferId })).info, "info of v2").to.deep.include(
        {
          description: "v2",
        },
      );
      const stranger = await caught(
        market.as(market.cast.stranger).offers.setEnabled({ offerId: listing.dataOfferId, enabled: false }),
      );
      expectContractError(stranger, "OfferCallerNotProvider", [listing.dataOfferId, market.cast.stranger]);
    });

    it("a slot used by an open order can be neither updated nor removed: SlotInUse; a free one can", async function () {
      const bob = market.as(market.cast.bob);
      const { slotId: spare } = await bob.slots.add({
        offerId: listing.dataOfferId,
        slot: await readSlotInfoFile(fixture("slot-info.json")),
      });
      const { orderId } = await placeWorkflow(market, listing, [
        { offerId: listing.dataOfferId, slotId: spare },
      ]);
      const inUse = await caught(bob.slots.remove({ slotId: spare }));
      expectContractError(inUse, "SlotInUse", [spare, 1n]);
      await market.as(market.cast.alice).orders.cancel({ orderId });
      await bob.slots.update({
        slotId: spare,
        slot: {
          ...(await readSlotInfoFile(fixture("slot-info.json"))),
          usage: { price: 7n, priceType: "Fixed", minTimeMinutes: 0, maxTimeMinutes: 0 },
        },
      });
      expect((await bob.slots.get({ slotId: spare })).usage.price, "updated price").to.equal(7n);
      await bob.slots.remove({ slotId: spare });
      const gone = await caught(market.reader.slots.get({ slotId: spare }));
      expectContractError(gone, "SlotNotFound", [spare]);
    });
  });

  describe("an expired TCB", function () {
    let orderId: bigint;

    before(async function () {
      listing = { ...listing, tcbId: await publishTcb(market, listing.teeOfferId) };
      ({ orderId } = await placeWorkflow(market, listing));
      await market.increaseTime(TCB_LIFETIME + 60);
    });

    it("the TCB reads as Expired and Bob's completion stops before sealing for the enclave, without a transaction", async function () {
      expect((await market.reader.tcb.get({ tcbId: listing.tcbId })).status, "TCB status").to.equal(
        TcbStatus.Expired,
      );
      const before = await market.chainState(market.cast.bob);
      const error = await caught(
        market.as(market.cast.bob).suborders.complete({
          suborderId: orderId + 1n,
          status: "Done",
          solutionHash: listing.solution,
          resourceFile: await readResourceFile(fixture("dataset.resource.json")),
        }),
      );
      expect(error, "error").to.be.instanceOf(StateError);
      expect((error as StateError).message, "message")
        .to.include(
          `The enclave of order ${orderId} (TEE key ${market.tee.account.address}) is no longer valid`,
        )
        .and.include("its newest TCB expired at");
      expect(await market.chainState(market.cast.bob), "Bob's nonce and the block").to.deep.equal(before);
    });

    it("a report published before the expiry still verifies (valid at its block)", async function () {
      const { ok, checks } = await market.reader.reports.verify(reportedOrderId);
      expect(
        checks.filter((c) => !c.ok),
        "failing checks",
      ).to.deep.equal([]);
      expect(ok, "ok").to.equal(true);
    });

    it("Bob can still decline (Error): the workflow is canceled and Alice refunded in full", async function () {
      const alice = market.as(market.cast.alice);
      const before = (await alice.payments.balance()).withdrawable;
      const { parentStatus, unblocked } = await market
        .as(market.cast.bob)
        .suborders.complete({ suborderId: orderId + 1n, status: "Error" });
      expect(parentStatus, "parent status").to.equal(OrderStatus.Canceled);
      expect(unblocked, "a decline does not unblock the parent").to.equal(false);
      expect((await alice.payments.balance()).withdrawable - before, "refund").to.equal(DEPOSIT);
      const error = await caught(alice.orders.cancel({ orderId }));
      expectContractError(error, "OrderInvalidTransition", [
        orderId,
        OrderStatus.Canceled,
        OrderStatus.Canceled,
      ]);
    });

    it("the consumer cancels a Blocked order at once, with a full refund", async function () {
      const fresh = await publishTcb(market, listing.teeOfferId);
      expect(fresh > listing.tcbId, "a new TCB").to.equal(true);
      const { orderId: another } = await placeWorkflow(market, listing);
      const alice = market.as(market.cast.alice);
      const before = (await alice.payments.balance()).withdrawable;
      const { status } = await alice.orders.cancel({ orderId: another });
      expect(status, "status").to.equal(OrderStatus.Canceled);
      expect((await alice.payments.balance()).withdrawable - before, "refund").to.equal(DEPOSIT);
      const { suborders } = await alice.orders.get({ orderId: another });
      expect(
        suborders.map((s) => s.status),
        "suborders",
      ).to.deep.equal([OrderStatus.Canceled]);
    });

    it("a TEE that never finishes: the consumer refills, then forces the refund after the slot's max time", async function () {
      const { orderId: stuck } = await placeWorkflow(market, listing);
      await market.as(market.cast.bob).suborders.complete({
        suborderId: stuck + 1n,
        status: "Done",
        solutionHash: listing.solution,
        resourceFile: listing.dataset,
      });
      const alice = market.as(market.cast.alice);
      await market.mint(market.cast.alice, TOKEN);
      await alice.payments.approve({ amount: TOKEN });
      const { deposit } = await alice.orders.refill({ orderId: stuck, amount: TOKEN });
      expect(deposit, "deposit after the refill").to.equal(DEPOSIT + TOKEN);
      await market.as(market.cast.carolAction).orders.start({ orderId: stuck });
      const early = await caught(alice.orders.forceRefund({ orderId: stuck }));
      expectContractError(early, "OrderDeadlineNotReached");
      expect((early as ContractError).message, "message").to.include("force the refund after");
      await market.increaseTime(TEE_MAX_MINUTES * 60 + 1);
      const before = (await alice.payments.balance()).withdrawable;
      const { status } = await alice.orders.forceRefund({ orderId: stuck });
      expect(status, "status").to.equal(OrderStatus.Canceled);
      expect((await alice.payments.balance()).withdrawable - before, "refund").to.equal(DEPOSIT + TOKEN);
    });
  });
});
