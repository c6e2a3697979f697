/**
 * docs/design.md §1 end to end on a Hardhat node, through the SDK alone: Bob and Carol list, the TEE
 * publishes a TCB, Alice places a workflow, Bob's wrong hash is refused without a transaction and
 * the right one accepted, the TEE runs and reports, everyone is paid, Alice verifies the report.
 * Then the round trips of the batched reads.
 */
import { expect } from "chai";
import { readFile, stat } from "node:fs/promises";
import { createPublicClient, createWalletClient, encodeFunctionData, http } from "viem";

import {
  ContractError,
  OrderStatus,
  type OrderStatusUpdate,
  RuntimeType,
  SolutionHashMismatchError,
  TcbStatus,
  InputError,
  canonicalJson,
  createMarketplaceClient,
  enumName,
  generateEciesKey,
} from "../../src/index.js";
import { readResourceFile } from "../../src/node/index.js";
import { reportQuoteChecker, verifyTcbQuote } from "../../src/dcap/index.js";
import {
  DATA_PRICE,
  DEPOSIT,
  type Listing,
  type Marketplace,
  TEE_MIN_MINUTES,
  TEE_PRICE_PER_HOUR,
  TOKEN,
  ALICE_RESULT_KEY,
  MEASUREMENT,
  RESULT_RESOURCE,
  completeDone,
  placeWorkflow,
  setUpProviders,
  startMarketplace,
} from "../support/marketplace.js";
import { fixture } from "../support/paths.js";

const WRONG_SOLUTION = "ee".repeat(32);

describe("integration: the workflow story (docs/design.md §1)", function () {
  this.timeout(120_000);

  let m: Marketplace | undefined;
  let market: Marketplace;
  let listing: Listing;
  let orderId: bigint;
  let suborderId: bigint;
  const updates: OrderStatusUpdate[] = [];
  let unwatch: (() => void) | undefined;

  before(async function () {
    this.timeout(300_000);
    m = await startMarketplace();
    market = m;
  });

  after(async function () {
    unwatch?.();
    await m?.stop();
  });

  it("Bob and Carol register, list offers and slots from the fixture files, and the TEE publishes a TCB", async function () {
    listing = await setUpProviders(market);
    const { reader, cast } = market;

    const bob = await reader.providers.get({ authority: cast.bob });
    expect(bob.actionAccount, "Bob's action account").to.equal(cast.bobAction);
    expect(bob.tokenReceiver, "Bob's token receiver").to.equal(cast.bobReceiver);
    const { info } = await reader.providers.getInfo({ authority: cast.bob });
    expect((info as { name: string }).name, "Bob's provider info name").to.equal("Spctl Provider");

    const dataOffer = await reader.offers.get({ offerId: listing.dataOfferId });
    expect(dataOffer.contentHash, "data offer content hash").to.equal(listing.dataset.hash);
    expect(dataOffer.autoComplete, "data offer needs manual completion").to.equal(false);
    const offerInfo = await reader.offers.getInfo({ offerId: listing.dataOfferId });
    expect(offerInfo.info, "data offer info").to.deep.equal(
      JSON.parse(await readFile(fixture("offer-info.json"), "utf8")),
    );
    const { slots } = await reader.slots.list({ offerId: listing.dataOfferId });
    expect(
      slots.map((s) => s.id),
      "data offer slots",
    ).to.deep.equal([listing.dataSlotId]);
    expect(slots[0]?.info.diskUsage, "slot disk from slot-info.json").to.equal(10485760n);
    expect(slots[0]?.usage.price, "slot price").to.equal(DATA_PRICE);
    expect(
      await reader.slots.minCost({ slotId: listing.dataSlotId }),
      "data slot's minimum: its price",
    ).to.equal(DATA_PRICE);
    expect(
      await reader.slots.minCost({ slotId: listing.teeSlotId }),
      "TEE slot's minimum: its minimum time",
    ).to.equal((TEE_PRICE_PER_HOUR * BigInt(TEE_MIN_MINUTES)) / 60n);

    const tcb = await reader.tcb.active({ teeOfferId: listing.teeOfferId });
    expect(tcb?.id, "active TCB").to.equal(listing.tcbId);
    expect(tcb?.status, "TCB status").to.equal(TcbStatus.Active);
    expect(tcb?.teeKey, "TCB TEE key").to.equal(market.tee.account.address);
    const publication = await reader.tcb.publication({ tcbId: listing.tcbId });
    expect(publication.publicKey, "published ECIES key").to.equal(market.tee.publicKey);
    expect(await reader.payments.token(), "the payment token").to.deep.equal({
      address: market.deployment.contracts.paymentToken,
      decimals: 18,
      symbol: "TEST",
    });
  });

  it("Alice's workflow without an allowance fails before sending, with the approval to make", async function () {
    const alice = market.as(market.cast.alice);
    await market.mint(market.cast.alice, DEPOSIT);
    const before = await market.chainState(market.cast.alice);
    const error = await alice.orders
      .createWorkflow({
        teeOfferId: listing.teeOfferId,
        teeSlotId: listing.teeSlotId,
        solutionHash: listing.solution,
        inputs: [{ offerId: listing.dataOfferId, slotId: listing.dataSlotId }],
        deposit: DEPOSIT,
        resultRecipients: [ALICE_RESULT_KEY.publicKey],
      })
      .catch((e: unknown) => e);
    expect(error, "error").to.be.instanceOf(ContractError);
    expect((error as ContractError).errorName, "errorName").to.equal("ERC20InsufficientAllowance");
    expect((error as ContractError).args, "args").to.deep.equal([
      market.deployment.contracts.orders,
      0n,
      DEPOSIT,
    ]);
    expect((error as ContractError).message, "message").to.include("payments.approve");
    expect(await market.chainState(market.cast.alice), "nonce and block").to.deep.equal(before);
  });

  it("Alice places the workflow: the parent is Blocked, Bob's data suborder New, the order bound to the TEE's enclave", async function () {
    const created = await placeWorkflow(market, listing);
    orderId = created.orderId;
    expect(created.suborderIds, "suborder ids").to.deep.equal([orderId + 1n]);
    suborderId = orderId + 1n;
    expect(created.status, "parent status").to.equal(OrderStatus.Blocked);
    expect(created.teeKey, "the order's enclave").to.equal(market.tee.account.address);
    unwatch = market.reader.orders.watch({
      orderIds: [orderId, suborderId],
      onUpdate: (update) => updates.push(update),
      pollingInterval: 50,
    });

    const { order, suborders } = await market.reader.orders.get({ orderId });
    expect(order.consumer, "consumer").to.equal(market.cast.alice);
    expect(order.status, "parent status").to.equal(OrderStatus.Blocked);
    expect(order.solutionHash, "committed solution hash").to.equal(listing.solution.hash);
    expect(order.deposit, "deposit").to.equal(DEPOSIT);
    expect(order.teeKey, "the order's enclave").to.equal(market.tee.account.address);
    expect(order.recipientCount, "result recipients").to.equal(1);
    const params = await market.reader.orders.getParams({ orderId });
    expect(params.resultRecipients, "recipients, Alice's key first").to.deep.equal([
      ALICE_RESULT_KEY.publicKey,
    ]);
    const [teeSlot, dataSlot] = await Promise.all([
      market.reader.slots.get({ slotId: listing.teeSlotId }),
      market.reader.slots.get({ slotId: listing.dataSlotId }),
    ]);
    expect(
      [params.teeTermsHash, params.inputs[0]?.termsHash],
      "the terms pinned: the slots' terms hashes",
    ).to.deep.equal([teeSlot.termsHash, dataSlot.termsHash]);
    expect(
      suborders.map((s) => [s.id, s.offerId, s.status]),
      "suborders",
    ).to.deep.equal([[suborderId, listing.dataOfferId, OrderStatus.New]]);
    const { orderIds } = await market.reader.orders.list({ consumer: market.cast.alice });
    expect(orderIds, "Alice's orders").to.deep.equal([orderId]);
    const [many] = await market.reader.orders.getMany({ orderIds });
    expect(many, "orders.getMany: the same order as orders.get").to.deep.equal(order);
  });

  it("Bob finds the suborder waiting for him", async function () {
    const { suborders } = await market.reader.suborders.list({ provider: market.cast.bob, status: "New" });
    expect(
      suborders.map((s) => s.id),
      "Bob's New suborders",
    ).to.deep.equal([suborderId]);
    const page = await market.reader.suborders.list({ offerId: listing.dataOfferId });
    expect(
      page.suborders.map((s) => s.id),
      "suborders of the data offer",
    ).to.deep.equal([suborderId]);
    expect(page.nextCursor, "no next page").to.equal(undefined);
  });

  it("Bob's wrong solution hash is refused locally: SolutionHashMismatch, no transaction", async function () {
    const bobAction = market.as(market.cast.bobAction);
    const before = await market.chainState(market.cast.bobAction);
    const error = await bobAction.suborders
      .complete({
        suborderId,
        status: "Done",
        solutionHash: WRONG_SOLUTION,
        resourceFile: await readResourceFile(fixture("dataset.resource.json")),
      })
      .catch((e: unknown) => e);
    expect(error, "error").to.be.instanceOf(SolutionHashMismatchError);
    expect(error, "a ContractError too").to.be.instanceOf(ContractError);
    expect((error as ContractError).errorName, "errorName").to.equal("SolutionHashMismatch");
    expect((error as ContractError).args, "args, as the contract's").to.deep.equal([
      suborderId,
      listing.solution.hash,
      `0x${WRONG_SOLUTION}`,
    ]);
    expect(await market.chainState(market.cast.bobAction), "Bob's nonce and the block height").to.deep.equal(
      before,
    );
    const { suborders } = await market.reader.orders.get({ orderId });
    expect(suborders[0]?.status, "suborder status").to.equal(OrderStatus.New);
  });

  it("Bob completes with the right hash: his resource is sealed for the order's enclave, the suborder is Done and the parent New", async function () {
    const result = await market.as(market.cast.bobAction).suborders.complete({
      suborderId,
      status: "Done",
      solutionHash: await readResourceFile(fixture("solution.resource.json")),
      resourceFile: await readResourceFile(fixture("dataset.resource.json")),
    });
    expect(result.parentStatus, "parent status").to.equal(OrderStatus.New);
    expect(result.parentId, "parent order").to.equal(orderId);
    expect(result.unblocked, "this completion unblocked the parent").to.equal(true);
    expect(result.tcbId, "sealed with the public key of").to.equal(listing.tcbId);
    expect(result.teeKey, "sealed for").to.equal(market.tee.account.address);
    expect(result.dataHash, "pinned data hash (the resource file's)").to.equal(listing.dataset.hash);
    const { order, suborders } = await market.reader.orders.get({ orderId });
    expect(order.status, "parent status").to.equal(OrderStatus.New);
    expect(suborders[0]?.status, "suborder status").to.equal(OrderStatus.Done);
    expect(suborders[0]?.dataHash, "stored data hash").to.equal(listing.dataset.hash);
  });

  it("the enclave opens Bob's hand-over and Alice's arguments, each bound to this order", async function () {
    const tee = market.as(market.tee.account);
    const { encryptedResult, operator } = await tee.suborders.getResult({ suborderId });
    expect(operator, "completed by").to.equal(market.cast.bobAction);
    const { order } = await tee.orders.get({ orderId });
    const { resource } = tee.tee.openHandOver({
      privateKey: market.tee.eciesKey,
      ciphertext: encryptedResult,
      suborderId,
      parentId: orderId,
      solutionHash: order.solutionHash,
      teeKey: order.teeKey,
    });
    expect(canonicalJson(resource), "Bob's resource file").to.equal(canonicalJson(listing.dataset.raw));
    const params = await tee.orders.getParams({ orderId });
    const opened = tee.tee.openArgs({
      privateKey: market.tee.eciesKey,
      ciphertext: params.encryptedArgs,
      consumer: params.consumer,
      solutionHash: params.solutionHash,
      teeKey: params.teeKey,
    });
    expect(canonicalJson(opened.solution), "Alice's solution resource").to.equal(
      canonicalJson(listing.solution.raw),
    );
    expect(opened.args, "Alice's arguments").to.deep.equal({ threshold: 0.5 });
  });

  it("the TEE starts the order and publishes a report signed with the order's enclave key", async function () {
    const tee = market.as(market.tee.account);
    await tee.orders.start({ orderId });
    const solutionSize = BigInt((await stat(fixture("solution.bin"))).size);
    const { receipt, report, reportHash } = await tee.reports.publish({
      orderId,
      signer: market.tee.privateKey,
      runtimeInfo: [
        { runtimeType: RuntimeType.Image, size: solutionSize, hash: listing.solution.hash },
        { runtimeType: RuntimeType.Data, size: 46n, hash: listing.dataset.hash },
      ],
    });
    expect(report.tcbId, "report's TCB (the key's newest by default)").to.equal(listing.tcbId);
    const { order } = await market.reader.orders.get({ orderId });
    expect(order.status, "status").to.equal(OrderStatus.Processing);
    expect(order.reportBlock, "stored report block").to.equal(receipt.blockNumber);
    const published = await market.reader.reports.get({ orderId });
    expect(published.reportHash, "report hash of OrderReportPublished").to.equal(reportHash);
  });

  it("the TEE completes the order with its signed receipt: each provider is paid its slot, Alice gets the rest back, and they withdraw", async function () {
    await market.increaseTime(5 * 60);
    const { payments } = await completeDone(market, orderId);
    const teeCost = (TEE_PRICE_PER_HOUR * BigInt(TEE_MIN_MINUTES)) / 60n;
    expect(payments, "credits").to.deep.equal([
      { account: market.cast.carolReceiver, amount: teeCost },
      { account: market.cast.bobReceiver, amount: DATA_PRICE },
      { account: market.cast.alice, amount: DEPOSIT - teeCost - DATA_PRICE },
    ]);
    const { order } = await market.reader.orders.get({ orderId });
    expect(order.status, "status").to.equal(OrderStatus.Done);

    const bobReceiver = market.as(market.cast.bobReceiver);
    expect((await bobReceiver.payments.balance()).withdrawable, "Bob's withdrawable").to.equal(DATA_PRICE);
    const { amount } = await bobReceiver.payments.withdraw();
    expect(amount, "Bob withdrew").to.equal(DATA_PRICE);
    const after = await bobReceiver.payments.balance();
    expect([after.withdrawable, after.token], "Bob's balances after").to.deep.equal([0n, DATA_PRICE]);
    const alice = market.as(market.cast.alice);
    expect((await alice.payments.withdraw()).amount, "Alice's refund").to.equal(
      DEPOSIT - teeCost - DATA_PRICE,
    );
    expect((await market.as(market.cast.carolReceiver).payments.withdraw()).amount, "Carol's pay").to.equal(
      10n * TOKEN,
    );
  });

  it("Alice opens her result pointer with her result key; the receipt checks hold; a stranger's key is no recipient", async function () {
    const alice = market.as(market.cast.alice);
    const result = await alice.orders.getResult({ orderId });
    expect([result.status, result.resultHash], "the receipt").to.deep.equal([
      OrderStatus.Done,
      `0x${RESULT_RESOURCE.hash.hash}`,
    ]);
    const { resource, recipientIndex } = alice.results.open({
      result,
      privateKey: ALICE_RESULT_KEY.privateKey,
    });
    expect(recipientIndex, "Alice's position").to.equal(0);
    expect(resource, "the result's resource file").to.deep.equal(RESULT_RESOURCE);
    const { ok, checks } = await alice.results.verify({ result, privateKey: ALICE_RESULT_KEY.privateKey });
    expect(
      checks.map((c) => [c.name, c.ok]),
      "result checks",
    ).to.deep.equal([
      ["receiptSigned", true],
      ["pointerPerRecipient", true],
      ["pointerOpens", true],
    ]);
    expect(ok, "ok").to.equal(true);
    const stranger = generateEciesKey();
    expect(() => alice.results.open({ result, privateKey: stranger.privateKey }), "a stranger's key")
      .to.throw(InputError)
      .with.property("field", "privateKey");
    const forged = await alice.results.verify({
      result: { ...result, teeKey: market.cast.stranger },
      privateKey: stranger.privateKey,
    });
    expect(
      forged.checks.filter((c) => !c.ok).map((c) => c.name),
      "checks failing for another enclave and a stranger's key",
    ).to.deep.equal(["receiptSigned", "pointerOpens"]);
  });

  it("Alice reads the report, writes it in Super Protocol's JSON shape and verifies every check", async function () {
    const alice = market.as(market.cast.alice);
    const published = await alice.reports.get({ orderId });
    expect(published.report.orderId, "report order").to.equal(orderId);
    expect(published.tcb.id, "report TCB").to.equal(listing.tcbId);
    const json = alice.reports.toJson(published);
    expect(json.orderId, "JSON orderId").to.equal(String(orderId));
    expect(json.tcb.id, "JSON tcb.id").to.equal(String(listing.tcbId));
    expect(json.tcb["teeKey"], "JSON tcb.teeKey").to.equal(market.tee.account.address);
    expect(
      json.workloadInfo.runtimeInfo.map((e) => [e.type, e.hash.hash]),
      "JSON runtime info",
    ).to.deep.equal([
      ["Image", listing.solution.hash.slice(2)],
      ["Data", listing.dataset.hash.slice(2)],
    ]);

    const verification = await alice.reports.verify(orderId, {
      solutionHash: await readResourceFile(fixture("solution.resource.json")),
      dataHashes: [await readResourceFile(fixture("dataset.resource.json"))],
    });
    const failed = verification.checks.filter((c) => !c.ok);
    expect(failed, "failed checks").to.deep.equal([]);
    expect(verification.ok, "ok").to.equal(true);
    expect(
      verification.checks.map((c) => c.name),
      "checks made",
    ).to.deep.equal([
      "reportPublished",
      "reportHash",
      "signature",
      "tcbOfOrderEnclave",
      "tcbValidAtPublication",
      "measurementAllowed",
      "imageIsCommittedSolution",
      "imageIsExpectedSolution",
      "pinnedDataHashes",
      "expectedDataHashes",
    ]);

    const wrong = await alice.reports.verify({
      orderId,
      solutionHash: WRONG_SOLUTION,
      dataHashes: [WRONG_SOLUTION],
    });
    expect(wrong.ok, "ok with other expectations").to.equal(false);
    expect(
      wrong.checks.filter((c) => !c.ok).map((c) => c.name),
      "failing checks",
    ).to.deep.equal(["imageIsExpectedSolution", "expectedDataHashes"]);
  });

  it("anyone can check the report's TCB quote up to the root (here the test PKI's): genuine, up to date, the expected measurement", async function () {
    const pki = market.attestation.pki;
    const checker = reportQuoteChecker(pki.collateral(), {
      rootCa: pki.rootCaPem,
      measurements: [MEASUREMENT],
    });
    const verification = await market.reader.reports.verify({ orderId, quote: checker });
    expect(
      verification.checks.filter((c) =>
        ["quoteGenuine", "tcbStatus", "measurementExpected"].includes(c.name),
      ),
      "the quote's checks",
    ).to.have.length(3);
    expect(
      verification.checks.filter((c) => !c.ok),
      "failed checks",
    ).to.deep.equal([]);

    const otherMeasurement = await market.reader.reports.verify({
      orderId,
      quote: reportQuoteChecker(pki.collateral(), {
        rootCa: pki.rootCaPem,
        measurements: [`0x${"aa".repeat(32)}`],
      }),
    });
    expect(
      otherMeasurement.checks.filter((c) => !c.ok).map((c) => c.name),
      "a measurement the reader does not accept",
    ).to.deep.equal(["measurementExpected"]);
    const intelRoot = await market.reader.reports.verify({
      orderId,
      quote: reportQuoteChecker(pki.collateral()),
    });
    expect(
      intelRoot.checks.filter((c) => !c.ok).map((c) => c.name),
      "the stand-in's quote under Intel's root",
    ).to.deep.equal(["quoteGenuine", "tcbStatus"]);

    const tcbCheck = await verifyTcbQuote(market.reader.context, {
      tcbId: listing.tcbId,
      collateral: async () => pki.collateral(),
      rootCa: pki.rootCaPem,
    });
    expect(tcbCheck.ok, `tcb quote (${JSON.stringify(tcbCheck.checks)})`).to.equal(true);
    expect(tcbCheck.verified?.registryMeasurement, "the quote's own measurement").to.equal(MEASUREMENT);
  });

  it("the watcher saw every status change of the order and its suborder, in order", async function () {
    const deadline = Date.now() + 10_000;
    while (updates.length < 4 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    unwatch?.();
    expect(
      updates.map((u) => `${u.orderId}:${enumName(OrderStatus, u.from)}->${enumName(OrderStatus, u.to)}`),
      "status changes",
    ).to.deep.equal([
      `${suborderId}:New->Done`,
      `${orderId}:Blocked->New`,
      `${orderId}:New->Processing`,
      `${orderId}:Processing->Done`,
    ]);
  });

  describe("round trips (JSON-RPC batching on)", function () {
    it("orders.get is one call: at most 3 round trips (1 request)", async function () {
      const { client, counter } = market.counted();
      counter.reset();
      await client.orders.get({ orderId });
      expect(counter.roundTrips, "HTTP round trips of orders.get").to.be.at.most(3);
      expect(counter.requests, "JSON-RPC requests of orders.get").to.equal(1);
    });

    it("suborders.complete takes at most 5 round trips", async function () {
      const { orderId: another } = await placeWorkflow(market, listing);
      const { client, counter } = market.counted(market.cast.bobAction);
      counter.reset();
      await client.suborders.complete({
        suborderId: another + 1n,
        status: "Done",
        solutionHash: listing.solution,
        resourceFile: listing.dataset,
      });
      expect(
        counter.roundTrips,
        `HTTP round trips of suborders.complete (${counter.methods.join(", ")})`,
      ).to.be.at.most(5);
      await market.as(market.cast.alice).orders.cancel({ orderId: another });
    });

    it("reports.verify takes at most 3 round trips", async function () {
      const { client, counter } = market.counted();
      counter.reset();
      const { ok } = await client.reports.verify(orderId);
      expect(ok, "verified").to.equal(true);
      expect(
        counter.roundTrips,
        `HTTP round trips of reports.verify (${counter.methods.join(", ")})`,
      ).to.be.at.most(3);
    });
  });

  describe("writes", function () {
    it("send the request they simulated, and a call built with client.calls is that request", async function () {
      const bodies: { method: string; params: unknown[] }[] = [];
      const transport = http(`${market.node.url}#recorded`, {
        fetchFn: async (input, init) => {
          if (typeof init?.body === "string") {
            const parsed = JSON.parse(init.body) as unknown;
            bodies.push(...((Array.isArray(parsed) ? parsed : [parsed]) as typeof bodies));
          }
          return fetch(input, init);
        },
      });
      const alice = createMarketplaceClient({
        publicClient: createPublicClient({ chain: market.chain, transport, pollingInterval: 50 }),
        walletClient: createWalletClient({
          account: market.cast.alice,
          chain: market.chain,
          transport,
          pollingInterval: 50,
        }),
        deployment: market.deployment,
      });
      await alice.payments.approve({ amount: 7n });
      const simulated = bodies.find((b) => b.method === "eth_call")?.params[0] as {
        to: string;
        data: string;
      };
      const sent = bodies.find((b) => b.method === "eth_sendTransaction")?.params[0] as {
        to: string;
        data: string;
      };
      expect(sent, "a transaction was sent").not.to.equal(undefined);
      expect([sent.to, sent.data], "the transaction's target and data").to.deep.equal([
        simulated.to,
        simulated.data,
      ]);
      const call = alice.calls.approvePaymentToken({ amount: 7n });
      expect(encodeFunctionData(call), "the call builder's data").to.equal(sent.data);
    });
  });
});
