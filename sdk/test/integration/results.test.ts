/**
 * node's `downloadResult` against a Hardhat node and an FS storage: the stand-in enclave
 * (support/teeRun.ts) completes orders with a real uploaded result, and Alice downloads hers with
 * her result key. Then every way it must refuse, each leaving nothing at the destination: another
 * key, a destination that exists, a truncated object, an enclave whose pointer describes another
 * result than its receipt, an order without a result. An Error order's logs download too.
 */
import { expect } from "chai";
import { mkdtemp, readdir, rm, truncate } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { generatePrivateKey } from "viem/accounts";

import {
  ContentHashMismatchError,
  DecryptionError,
  InputError,
  OrderStatus,
  StateError,
} from "../../src/index.js";
import { downloadResult } from "../../src/node/index.js";
import {
  ALICE_RESULT_KEY,
  type Listing,
  type Marketplace,
  placeWorkflow,
  setUpProviders,
  startMarketplace,
} from "../support/marketplace.js";
import { caught, readTree, writeTree } from "../support/storage.js";
import { runOrderInTee } from "../support/teeRun.js";

const OUTPUT = {
  "totals.json": '{"rows": 12}\n',
  "plots/": "",
  "plots/rain.csv": "month,mm\n1,40\n",
};

describe("integration: downloadResult (node)", function () {
  this.timeout(120_000);

  let m: Marketplace | undefined;
  let market: Marketplace;
  let listing: Listing;
  let scratch: string;
  let store: string;

  /** A workflow of Alice's, Bob's suborder completed: a New order for the enclave. */
  async function newOrder(): Promise<bigint> {
    const { orderId, suborderIds } = await placeWorkflow(market, listing);
    await market.as(market.cast.bobAction).suborders.complete({
      suborderId: suborderIds[0] ?? 0n,
      status: "Done",
      solutionHash: listing.solution,
      resourceFile: listing.dataset,
    });
    return orderId;
  }

  before(async function () {
    this.timeout(300_000);
    m = await startMarketplace();
    market = m;
    listing = await setUpProviders(market);
    scratch = await mkdtemp(path.join(tmpdir(), "tee-marketplace-results-"));
    store = path.join(scratch, "store");
    await writeTree(path.join(scratch, "output"), OUTPUT);
  });

  after(async function () {
    await m?.stop();
    if (scratch !== undefined) await rm(scratch, { recursive: true, force: true });
  });

  it("downloads, checks against the receipt and unpacks a Done order's result for its recipient", async function () {
    const orderId = await newOrder();
    const run = await runOrderInTee(market, {
      orderId,
      output: path.join(scratch, "output"),
      storage: { type: "FS", directory: store },
      downloadInputs: false,
    });
    const destination = path.join(scratch, "alice", "result");
    const downloaded = await downloadResult(market.reader.context, {
      orderId,
      privateKey: ALICE_RESULT_KEY.privateKey,
      destination,
    });
    expect(downloaded.status, "status").to.equal(OrderStatus.Done);
    expect(downloaded.resultHash, "the receipt's result hash").to.equal(run.resultHash);
    expect(downloaded.unpacked, "a tar.gz is unpacked").to.equal(true);
    expect(downloaded.recipientIndex, "Alice is the first recipient").to.equal(0);
    expect(
      downloaded.checks.map((c) => [c.name, c.ok]),
      "the receipt's checks",
    ).to.deep.equal([
      ["receiptSigned", true],
      ["pointerPerRecipient", true],
      ["pointerOpens", true],
    ]);
    expect(await readTree(destination), "the enclave's output, byte for byte").to.deep.equal(OUTPUT);

    const again = await caught(() =>
      downloadResult(market.reader.context, {
        orderId,
        privateKey: ALICE_RESULT_KEY.privateKey,
        destination,
      }),
    );
    expect(again, "an existing destination").to.be.instanceOf(InputError);
    expect((again as InputError).field, "field").to.equal("destination");

    const kept = await downloadResult(market.reader.context, {
      orderId,
      privateKey: ALICE_RESULT_KEY.privateKey,
      destination: path.join(scratch, "alice", "archive"),
      unpack: false,
    });
    expect(kept.unpacked, "unpack: false keeps the archive").to.equal(false);
    expect(await readdir(kept.path), "one archive file").to.have.length(1);
  });

  it("refuses a key that is not a recipient, and a truncated object, leaving nothing behind", async function () {
    const orderId = await newOrder();
    const directory = path.join(scratch, "store-truncated");
    const run = await runOrderInTee(market, {
      orderId,
      output: path.join(scratch, "output"),
      storage: { type: "FS", directory },
      downloadInputs: false,
    });
    const stranger = await caught(() =>
      downloadResult(market.reader.context, {
        orderId,
        privateKey: generatePrivateKey(),
        destination: path.join(scratch, "stranger", "result"),
      }),
    );
    expect(stranger, "a key the workflow did not name").to.be.instanceOf(InputError);
    expect((stranger as InputError).field, "field").to.equal("privateKey");

    const object = (run.uploaded.resource as { filepath: string }).filepath;
    await truncate(path.join(directory, object), 100);
    const parent = path.join(scratch, "truncated");
    const truncated = await caught(() =>
      downloadResult(market.reader.context, {
        orderId,
        privateKey: ALICE_RESULT_KEY.privateKey,
        destination: path.join(parent, "result"),
      }),
    );
    expect(truncated, "a truncated object").to.be.instanceOf(DecryptionError);
    expect(await readdir(scratch), "no directory was left for the failed downloads").not.to.include.members([
      "stranger",
      "truncated",
    ]);
  });

  it("refuses a pointer whose resource describes another result than the receipt, before downloading", async function () {
    const orderId = await newOrder();
    const other = `0x${"ab".repeat(32)}` as const;
    await runOrderInTee(market, {
      orderId,
      output: path.join(scratch, "output"),
      storage: { type: "FS", directory: path.join(scratch, "store-other") },
      downloadInputs: false,
      resultHash: () => other,
    });
    const error = await caught(() =>
      downloadResult(market.reader.context, {
        orderId,
        privateKey: ALICE_RESULT_KEY.privateKey,
        destination: path.join(scratch, "other", "result"),
      }),
    );
    expect(error, "error").to.be.instanceOf(ContentHashMismatchError);
    expect((error as ContentHashMismatchError).expected, "the receipt's hash").to.equal(other);
    expect(await readdir(scratch), "nothing downloaded").not.to.include("other");
  });

  it("downloads the logs of an Error order, and says a canceled or unfinished order has none", async function () {
    const orderId = await newOrder();
    await writeTree(path.join(scratch, "logs"), { "stderr.log": "Traceback: no /sp/inputs/input-0001\n" });
    await runOrderInTee(market, {
      orderId,
      output: path.join(scratch, "logs", "stderr.log"),
      storage: { type: "FS", directory: path.join(scratch, "store-logs") },
      status: "Error",
      downloadInputs: false,
    });
    const downloaded = await downloadResult(market.reader.context, {
      orderId,
      privateKey: ALICE_RESULT_KEY.privateKey,
      destination: path.join(scratch, "error-logs"),
    });
    expect(downloaded.status, "status").to.equal(OrderStatus.Error);
    expect(downloaded.unpacked, "a single file is kept as is").to.equal(false);
    expect(await readTree(downloaded.path), "the logs").to.deep.equal({
      "stderr.log": "Traceback: no /sp/inputs/input-0001\n",
    });
    expect(
      downloaded.checks.find((c) => c.name === "receiptSigned")?.ok,
      "an Error receipt is not signed",
    ).to.equal(false);

    const pending = await newOrder();
    const none = await caught(() =>
      downloadResult(market.reader.context, {
        orderId: pending,
        privateKey: ALICE_RESULT_KEY.privateKey,
        destination: path.join(scratch, "pending"),
      }),
    );
    expect(none, "an order without a result").to.be.instanceOf(StateError);
    expect((none as Error).message, "message").to.include(`Order ${pending} has no result`);
  });

  it("says a canceled order (settled by its TEE) has neither result nor logs", async function () {
    const orderId = await newOrder();
    const tee = market.as(market.tee.account);
    await tee.orders.start({ orderId });
    await market.as(market.cast.alice).orders.cancel({ orderId });
    await tee.orders.complete({ orderId, status: "Canceled" });
    const error = await caught(() =>
      downloadResult(market.reader.context, {
        orderId,
        privateKey: ALICE_RESULT_KEY.privateKey,
        destination: path.join(scratch, "canceled"),
      }),
    );
    expect(error, "error").to.be.instanceOf(StateError);
    expect((error as Error).message, "message").to.include(
      `Order ${orderId} is Canceled: it has no result and no logs`,
    );
    expect(await readdir(scratch), "nothing written").not.to.include("canceled");
  });
});
