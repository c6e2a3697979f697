/**
 * What an attacker who reads the chain tries against round 2's rules, on a Hardhat node through
 * the SDK (docs/security.md, "the five holes"): repricing a slot under a consumer, copying a data
 * owner's hand-over into another order, naming another enclave, forging or truncating a result
 * receipt, and a workflow left Blocked forever. Each attempt is refused, on-chain or by the
 * enclave's envelope checks; the honest paths around them still work.
 */
import { expect } from "chai";
import { readFile } from "node:fs/promises";

import type { Address, Hex } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { simulateContract } from "viem/actions";

import {
  EnvelopeMismatchError,
  InputError,
  type MarketplaceCall,
  OrderStatus,
  RuntimeType,
  contractErrorFrom,
  generateEciesKey,
} from "../../src/index.js";
import {
  ALICE_RESULT_KEY,
  DEPOSIT,
  type Listing,
  type Marketplace,
  RESULT_RESOURCE,
  completeDone,
  createDataOffer,
  placeWorkflow,
  publishTcb,
  setUpProviders,
  startMarketplace,
} from "../support/marketplace.js";
import { fixture } from "../support/paths.js";
import { caught, expectContractError } from "../support/rejections.js";
import { attestTee } from "../../../scripts/lib/scenario.js";

describe("integration: round 2 against an attacker who reads the chain", function () {
  this.timeout(180_000);

  let m: Marketplace | undefined;
  let market: Marketplace;
  let listing: Listing;

  /** Sends a prepared call as `account` through a simulation, as a modified client would: the revert, decoded. */
  async function simulated(call: MarketplaceCall, account: Address): Promise<unknown> {
    return caught(
      simulateContract(market.publicClient, { ...call, account } as never).catch((error: unknown) => {
        throw contractErrorFrom(error) ?? error;
      }),
    );
  }

  /** Alice holds and allows `amount` more of the payment token. */
  async function fundAlice(amount: bigint) {
    const alice = market.as(market.cast.alice);
    await market.mint(market.cast.alice, amount);
    const { allowance } = await alice.payments.balance();
    await alice.payments.approve({ amount: allowance + amount });
    return alice;
  }

  /** Bob completes the suborder with Done, the TEE starts the order and reports it. */
  async function throughReport(orderId: bigint) {
    await market.as(market.cast.bob).suborders.complete({
      suborderId: orderId + 1n,
      status: "Done",
      solutionHash: listing.solution,
      resourceFile: listing.dataset,
    });
    const tee = market.as(market.tee.account);
    await tee.orders.start({ orderId });
    await tee.reports.publish({
      orderId,
      signer: market.tee.privateKey,
      runtimeInfo: [
        { runtimeType: RuntimeType.Image, size: 10n, hash: listing.solution.hash },
        { runtimeType: RuntimeType.Data, size: 46n, hash: listing.dataset.hash },
      ],
    });
  }

  before(async function () {
    this.timeout(300_000);
    m = await startMarketplace();
    market = m;
    listing = await setUpProviders(market);
  });

  after(async function () {
    await m?.stop();
  });

  it("a slot repriced after Alice read its terms refuses her workflow: SlotTermsChanged; her read terms pass when unchanged", async function () {
    const bob = market.as(market.cast.bob);
    const { slotId } = await bob.slots.add({
      offerId: listing.dataOfferId,
      slot: { ...(await bob.slots.get({ slotId: listing.dataSlotId })) },
    });
    const seen = await market.reader.slots.get({ slotId });
    await bob.slots.update({
      slotId,
      slot: { ...seen, usage: { ...seen.usage, price: seen.usage.price * 3n } },
    });
    const now = await market.reader.slots.get({ slotId });
    const alice = await fundAlice(DEPOSIT);
    const workflow = {
      teeOfferId: listing.teeOfferId,
      teeSlotId: listing.teeSlotId,
      solution: listing.solution,
      deposit: DEPOSIT,
      resultRecipients: [ALICE_RESULT_KEY.publicKey],
    };
    const refused = await caught(
      alice.orders.createWorkflow({
        ...workflow,
        inputs: [{ offerId: listing.dataOfferId, slotId, termsHash: seen.termsHash }],
      }),
    );
    expectContractError(refused, "SlotTermsChanged", [slotId, seen.termsHash, now.termsHash]);
    const { status } = await alice.orders.createWorkflow({
      ...workflow,
      inputs: [{ offerId: listing.dataOfferId, slotId, termsHash: now.termsHash }],
    });
    expect(status, "with the terms she now accepts").to.equal(OrderStatus.Blocked);
  });

  it("a hand-over copied from another order's suborder is accepted by the chain but refused by the enclave: EnvelopeMismatchError", async function () {
    const { orderId: first } = await placeWorkflow(market, listing);
    const bobs = await market.as(market.cast.bob).suborders.complete({
      suborderId: first + 1n,
      status: "Done",
      solutionHash: listing.solution,
      resourceFile: listing.dataset,
    });
    // Eve lists a Data offer of her own and, when Alice orders it, hands over Bob's ciphertext, read from the chain.
    const eve = market.as(market.cast.stranger);
    const providerInfo = JSON.parse(await readFile(fixture("ctl.providerInfo.example.json"), "utf8"));
    await eve.providers.register({
      info: { ...providerInfo, name: "Eve" },
      actionAccount: market.cast.stranger,
      tokenReceiver: market.cast.stranger,
    });
    const eveOffer = await createDataOffer(eve);
    const { orderId: second } = await placeWorkflow(market, listing, [eveOffer]);
    const copied = (await market.reader.suborders.getResult({ suborderId: first + 1n })).encryptedResult;
    expect(copied, "the ciphertext Eve read").to.equal(bobs.encryptedResult);
    await eve.suborders.complete({
      suborderId: second + 1n,
      status: "Done",
      solutionHash: listing.solution,
      encryptedResult: copied,
    });
    const tee = market.as(market.tee.account);
    const { order } = await tee.orders.get({ orderId: second });
    const error = (() => {
      try {
        tee.tee.openHandOver({
          privateKey: market.tee.eciesKey,
          ciphertext: copied,
          suborderId: second + 1n,
          parentId: second,
          solutionHash: order.solutionHash,
          teeKey: order.teeKey,
        });
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error, "the enclave's refusal").to.be.instanceOf(EnvelopeMismatchError);
    expect((error as EnvelopeMismatchError).field, "the first field that differs").to.equal("suborderId");
    expect((error as EnvelopeMismatchError).actual, "the suborder it was sealed for").to.equal(
      String(first + 1n),
    );
  });

  it("a completion naming another enclave than the order's is refused: SuborderTeeKeyMismatch", async function () {
    const { orderId } = await placeWorkflow(market, listing);
    const call = await market.as(market.cast.bob).calls.completeSuborder({
      suborderId: orderId + 1n,
      status: "Done",
      solutionHash: listing.solution,
      resourceFile: listing.dataset,
    });
    const [suborderId, status, solutionHash, dataHash, , encryptedResult] = call.args;
    const other = privateKeyToAccount(generatePrivateKey()).address;
    const error = await simulated(
      { ...call, args: [suborderId, status, solutionHash, dataHash, other, encryptedResult] },
      market.cast.bob,
    );
    expectContractError(error, "SuborderTeeKeyMismatch", [suborderId, market.tee.account.address, other]);
    await market.as(market.cast.alice).orders.cancel({ orderId });
  });

  it("a receipt signed by another key, or missing a recipient's pointer, is refused; Done without a signer fails before any RPC", async function () {
    const bob = generateEciesKey();
    const alice = await fundAlice(DEPOSIT);
    const { orderId } = await alice.orders.createWorkflow({
      teeOfferId: listing.teeOfferId,
      teeSlotId: listing.teeSlotId,
      solution: listing.solution,
      inputs: [{ offerId: listing.dataOfferId, slotId: listing.dataSlotId }],
      deposit: DEPOSIT,
      resultRecipients: [ALICE_RESULT_KEY.publicKey, bob.publicKey],
    });
    await throughReport(orderId);
    const tee = market.as(market.tee.account);
    const resultHash: Hex = `0x${RESULT_RESOURCE.hash.hash}`;
    const pointers = [ALICE_RESULT_KEY.publicKey, bob.publicKey].map((publicKey) =>
      tee.tee.sealResultPointer({ publicKey, orderId, resultHash, resource: RESULT_RESOURCE }),
    );
    const forger = generatePrivateKey();
    const forged = await caught(
      tee.orders.complete({ orderId, status: "Done", resultHash, pointers, signer: forger }),
    );
    expectContractError(forged, "OrderReceiptSignerMismatch", [
      orderId,
      privateKeyToAccount(forger).address,
      market.tee.account.address,
    ]);
    const short = await caught(
      tee.orders.complete({
        orderId,
        status: "Done",
        resultHash,
        pointers: pointers.slice(0, 1),
        signer: market.tee.privateKey,
      }),
    );
    expectContractError(short, "OrderReceiptPointerCount", [orderId, 1n, 2n]);
    const { client, counter } = market.counted(market.tee.account);
    counter.reset();
    const unsigned = await caught(client.orders.complete({ orderId, status: "Done", resultHash, pointers }));
    expect(unsigned, "Done without a signer").to.be.instanceOf(InputError);
    expect((unsigned as InputError).field, "field").to.equal("signer");
    expect(counter.requests, "JSON-RPC requests").to.equal(0);

    await completeDone(market, orderId);
    const result = await market.reader.orders.getResult({ orderId });
    const opened = market.reader.results.open({ result, privateKey: bob.privateKey });
    expect(opened.recipientIndex, "Bob, the second recipient").to.equal(1);
    expect(opened.resource, "Bob's pointer names the same result").to.deep.equal(RESULT_RESOURCE);
  });

  it("after the TEE offer moves to a new enclave, a workflow prepared for the old one is refused: OrderTeeKeyNotActive; the old enclave's orders stay its own", async function () {
    const old = market.tee;
    const { orderId: bound } = await placeWorkflow(market, listing);
    await fundAlice(DEPOSIT);
    const stale = await market.as(market.cast.alice).calls.createWorkflow({
      teeOfferId: listing.teeOfferId,
      teeSlotId: listing.teeSlotId,
      solution: listing.solution,
      inputs: [{ offerId: listing.dataOfferId, slotId: listing.dataSlotId }],
      deposit: DEPOSIT,
      resultRecipients: [ALICE_RESULT_KEY.publicKey],
    });
    const fresh = await market.newEnclave();
    const freshTcb = await publishTcb(market, listing.teeOfferId);
    const error = await simulated(stale, market.cast.alice);
    expectContractError(error, "OrderTeeKeyNotActive", [
      listing.teeOfferId,
      old.account.address,
      fresh.account.address,
    ]);

    // Bob still hands over to the order's own enclave (still valid), and only it may report.
    const completed = await market.as(market.cast.bob).suborders.complete({
      suborderId: bound + 1n,
      status: "Done",
      solutionHash: listing.solution,
      resourceFile: listing.dataset,
    });
    expect(completed.teeKey, "sealed for the order's enclave").to.equal(old.account.address);
    await market.as(market.cast.carolAction).orders.start({ orderId: bound });
    const runtimeInfo = [
      { runtimeType: RuntimeType.Image, size: 10n, hash: listing.solution.hash },
      { runtimeType: RuntimeType.Data, size: 46n, hash: listing.dataset.hash },
    ];
    const byNewEnclave = await caught(
      market
        .as(market.cast.carolAction)
        .reports.publish({ orderId: bound, signer: fresh.privateKey, runtimeInfo }),
    );
    expectContractError(byNewEnclave, "OrderReportTeeNotApproved", [
      bound,
      freshTcb,
      fresh.account.address,
      old.account.address,
    ]);
    await market.as(old.account).reports.publish({ orderId: bound, signer: old.privateKey, runtimeInfo });
    expect((await market.reader.reports.verify(bound)).ok, "the old enclave's report verifies").to.equal(
      true,
    );
  });

  it("a workflow its data owner never answers: anyone expires it after blockedTimeout, Alice is refunded in full", async function () {
    const { orderId } = await placeWorkflow(market, listing);
    const deadline = await market.reader.orders.blockedDeadline({ orderId });
    const keeper = market.as(market.cast.stranger);
    const early = await caught(keeper.orders.expire({ orderId }));
    expectContractError(early, "OrderDeadlineNotReached", [orderId, deadline]);
    const { timestamp } = await market.publicClient.getBlock();
    await market.increaseTime(Number(deadline - timestamp));
    const alice = market.as(market.cast.alice);
    const before = (await alice.payments.balance()).withdrawable;
    const { status } = await keeper.orders.expire({ orderId });
    expect(status, "status").to.equal(OrderStatus.Canceled);
    expect((await alice.payments.balance()).withdrawable - before, "refund").to.equal(DEPOSIT);
    const again = await caught(keeper.orders.expire({ orderId }));
    expectContractError(again, "OrderNotBlocked", [orderId, OrderStatus.Canceled]);
  });

  it("a new enclave publishes its own first TCB only once Carol authorizes its key; the authorization is used up, the refresh needs none", async function () {
    const enclave = await market.newEnclave();
    const attest = (claim: Parameters<Marketplace["attestation"]["attest"]>[0]) =>
      market.attestation.attest(claim);
    const own = market.as(enclave.account);
    const unauthorized = await caught(
      attestTee({ client: own, attest, tee: enclave, teeOfferId: listing.teeOfferId }),
    );
    expectContractError(unauthorized, "TcbCallerNotAuthorized", [
      listing.teeOfferId,
      enclave.account.address,
    ]);

    await market.as(market.cast.carol).tcb.authorizeTeeKey({
      teeOfferId: listing.teeOfferId,
      teeKey: enclave.account.address,
      authorized: true,
    });
    const authorized = () =>
      market.reader.tcb.isTeeKeyAuthorized({
        teeOfferId: listing.teeOfferId,
        teeKey: enclave.account.address,
      });
    expect(await authorized(), "authorized").to.equal(true);
    const first = await attestTee({ client: own, attest, tee: enclave, teeOfferId: listing.teeOfferId });
    expect(await authorized(), "the authorization is used up").to.equal(false);
    market.attestation.advanceClock(1);
    const refresh = await attestTee({ client: own, attest, tee: enclave, teeOfferId: listing.teeOfferId });
    const key = await market.reader.tcb.teeKey({ teeKey: enclave.account.address });
    expect(
      [key.teeOfferId, key.latestTcbId, key.valid, refresh.tcbId > first.tcbId],
      "the key's record after its refresh",
    ).to.deep.equal([listing.teeOfferId, refresh.tcbId, true, true]);
    const stranger = await caught(
      market.as(market.cast.stranger).tcb.authorizeTeeKey({
        teeOfferId: listing.teeOfferId,
        teeKey: market.cast.stranger,
        authorized: true,
      }),
    );
    expectContractError(stranger, "TcbCallerNotAuthorized", [listing.teeOfferId, market.cast.stranger]);
  });
});
