/**
 * node's `downloadResult` refusing what it must not trust, on a Hardhat node with the stand-in
 * enclave (support/teeRun.ts) completing orders with a real uploaded result:
 *
 * - a Done receipt altered by the RPC endpoint (support/lyingRpc.ts, a proxy in front of the node
 *   that rewrites the order's `OrderCompleted` log): a flipped signature, a flipped result hash,
 *   another order's pointer, a dropped pointer, a Done turned Error;
 * - a storage that fails in the middle of the object (a server on 127.0.0.1 that sends the headers
 *   and part of the body, then destroys the socket), through the URL and the S3 storage kinds the
 *   recipient's pointer names.
 *
 * Each refusal leaves the destination's parent as it was: no result, no partial or temporary file.
 */
import { expect } from "chai";
import { randomBytes } from "node:crypto";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { type Server, createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";

import { createPublicClient, http } from "viem";

import {
  type MarketplaceClient,
  OrderStatus,
  type ResourceFileJson,
  ResultReceiptError,
  StateError,
  StorageError,
  createMarketplaceClient,
} from "../../src/index.js";
import { type TransferProgress, downloadResult } from "../../src/node/index.js";
import {
  type OrderCompletedFields,
  alterOrderCompleted,
  flipHexByte,
  startLyingRpc,
} from "../support/lyingRpc.js";
import {
  ALICE_RESULT_KEY,
  type Listing,
  type Marketplace,
  placeWorkflow,
  setUpProviders,
  startMarketplace,
} from "../support/marketplace.js";
import { caught, listing, readTree, writeTree } from "../support/storage.js";
import { runOrderInTee } from "../support/teeRun.js";

const OUTPUT = { "totals.json": '{"rows": 12}\n', "plots/": "", "plots/rain.csv": "month,mm\n1,40\n" };

describe("integration: downloadResult refuses a lying RPC and a failing storage", function () {
  this.timeout(120_000);

  let m: Marketplace | undefined;
  let market: Marketplace;
  let listingOf: Listing;
  let scratch: string;
  let store: string;

  /** A workflow of Alice's with Bob's suborder completed, run to its end by the stand-in enclave. */
  async function doneOrder(output: string, publish?: (uploaded: ResourceFileJson) => unknown) {
    const { orderId, suborderIds } = await placeWorkflow(market, listingOf);
    await market.as(market.cast.bobAction).suborders.complete({
      suborderId: suborderIds[0] ?? 0n,
      status: "Done",
      solutionHash: listingOf.solution,
      resourceFile: listingOf.dataset,
    });
    const run = await runOrderInTee(market, {
      orderId,
      output,
      storage: { type: "FS", directory: store },
      downloadInputs: false,
      ...(publish === undefined ? {} : { publish }),
    });
    return { orderId, run };
  }

  /** An empty directory to download into (as `<it>/result`): what is in it afterwards was left behind. */
  async function emptyParent(name: string): Promise<string> {
    const parent = path.join(scratch, name);
    await mkdir(parent);
    return parent;
  }

  before(async function () {
    this.timeout(300_000);
    m = await startMarketplace();
    market = m;
    listingOf = await setUpProviders(market);
    scratch = await mkdtemp(path.join(tmpdir(), "tee-marketplace-result-refusals-"));
    store = path.join(scratch, "store");
    await writeTree(path.join(scratch, "output"), OUTPUT);
  });

  after(async function () {
    await m?.stop();
    if (scratch !== undefined) await rm(scratch, { recursive: true, force: true });
  });

  describe("a Done receipt altered by the RPC endpoint", function () {
    let orderId: bigint;
    let otherPointer: `0x${string}`;

    /** Alice's client, reading through a proxy that rewrites the order's OrderCompleted log with `change`. */
    async function throughLyingRpc(change: (fields: OrderCompletedFields) => OrderCompletedFields) {
      const rpc = await startLyingRpc(
        market.node.url,
        alterOrderCompleted(market.deployment.contracts.orders, orderId, change),
      );
      const publicClient = createPublicClient({
        chain: market.chain,
        transport: http(rpc.url, { batch: true }),
      });
      const client: MarketplaceClient = createMarketplaceClient({
        publicClient,
        deployment: market.deployment,
      });
      return { rpc, client };
    }

    /**
     * Alice downloads through a proxy that rewrites the log with `change`, into an empty directory
     * named `name`: the error she gets, once the proxy is seen to have altered the log and the
     * directory to hold nothing.
     */
    async function downloadThroughLie(
      change: (fields: OrderCompletedFields) => OrderCompletedFields,
      name: string,
    ): Promise<unknown> {
      const { rpc, client } = await throughLyingRpc(change);
      try {
        const parent = await emptyParent(name);
        const error = await caught(() =>
          downloadResult(client.context, {
            orderId,
            privateKey: ALICE_RESULT_KEY.privateKey,
            destination: path.join(parent, "result"),
          }),
        );
        expect(rpc.altered, "logs the proxy altered").to.be.greaterThan(0);
        expect(await listing(parent), "what was left in the destination's parent").to.deep.equal([]);
        return error;
      } finally {
        await rpc.stop();
      }
    }

    before(async function () {
      ({ orderId } = await doneOrder(path.join(scratch, "output")));
      const other = await doneOrder(path.join(scratch, "output"));
      const [pointer] = (await market.reader.orders.getResult({ orderId: other.orderId })).pointers;
      otherPointer = pointer ?? "0x";
    });

    it("downloads through the proxy while it alters nothing", async function () {
      const { rpc, client } = await throughLyingRpc((fields) => fields);
      try {
        const destination = path.join(await emptyParent("honest-rpc"), "result");
        const downloaded = await downloadResult(client.context, {
          orderId,
          privateKey: ALICE_RESULT_KEY.privateKey,
          destination,
        });
        expect(rpc.altered, "logs the proxy rewrote (to the same fields)").to.be.greaterThan(0);
        expect(downloaded.status, "status").to.equal(OrderStatus.Done);
        expect(await readTree(destination), "the enclave's output").to.deep.equal(OUTPUT);
      } finally {
        await rpc.stop();
      }
    });

    const alterations: {
      what: string;
      change: (fields: OrderCompletedFields) => OrderCompletedFields;
      failed: string[];
    }[] = [
      {
        what: "a flipped byte of the signature",
        change: (f) => ({ ...f, signature: flipHexByte(f.signature, 10) }),
        failed: ["receiptSigned"],
      },
      {
        what: "a flipped byte of the result hash",
        change: (f) => ({ ...f, resultHash: flipHexByte(f.resultHash, 31) }),
        failed: ["receiptSigned", "pointerOpens"],
      },
      {
        what: "the pointer of another order of Alice's in place of hers",
        change: (f) => ({ ...f, pointers: [otherPointer] }),
        failed: ["receiptSigned", "pointerOpens"],
      },
      {
        what: "no pointer at all",
        change: (f) => ({ ...f, pointers: [] }),
        failed: ["receiptSigned", "pointerPerRecipient", "pointerOpens"],
      },
    ];
    for (const [i, { what, change, failed }] of alterations.entries()) {
      it(`refuses ${what}, naming the failed checks and downloading nothing`, async function () {
        const error = await downloadThroughLie(change, `lying-rpc-${i}`);
        expect(error, "error").to.be.instanceOf(ResultReceiptError);
        const refusal = error as ResultReceiptError;
        expect(refusal.orderId, "orderId").to.equal(orderId);
        expect(
          refusal.failed.map((c) => c.name),
          "the checks that failed",
        ).to.deep.equal(failed);
        expect(refusal.message, "message names the checks").to.include(failed[0]);
        expect(refusal.message, "message says what to do").to.include("another RPC endpoint");
      });
    }

    it("refuses a Done receipt whose status the RPC endpoint changed (to an unsigned Error, to no status)", async function () {
      for (const [status, name] of [
        [OrderStatus.Error, "Error"],
        [200, "200"],
      ] as const) {
        const error = await downloadThroughLie((f) => ({ ...f, status }), `lying-rpc-status-${status}`);
        expect(error, `error for status ${name}`).to.be.instanceOf(StateError);
        expect((error as Error).message, "message").to.include(
          `Order ${orderId} is Done, but the OrderCompleted event the RPC endpoint returned says ${name}`,
        );
      }
    });
  });

  describe("a storage that fails in the middle of the object", function () {
    const BUCKET = "files";
    let server: Server;
    let base: string;
    /** Bytes of the body the server sent before destroying the socket, per request. */
    const sent: number[] = [];

    before(async function () {
      // Serves the FS store's objects at /files/<filepath> (an S3 path-style GET of bucket "files"
      // too): the headers with the whole length, half the body, then the socket destroyed once
      // that half is on its way.
      server = createServer((request, response) => {
        const key = decodeURIComponent(new URL(request.url ?? "/", "http://x").pathname).slice(
          `/${BUCKET}/`.length,
        );
        void readFile(path.join(store, key)).then(
          (object) => {
            const half = object.subarray(0, Math.floor(object.length / 2));
            response.writeHead(200, {
              "content-length": object.length,
              "content-type": "application/octet-stream",
            });
            response.write(half, () => {
              sent.push(half.length);
              response.destroy();
            });
          },
          () => {
            response.writeHead(404);
            response.end();
          },
        );
      });
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
      base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      // A result large enough to arrive in many chunks before the cut.
      await writeTree(path.join(scratch, "large-output"), OUTPUT);
      await writeFile(path.join(scratch, "large-output", "samples.bin"), randomBytes(600_000));
    });

    after(async function () {
      await new Promise((resolve) => server?.close(resolve));
    });

    const kinds = [
      {
        kind: "URL",
        unpack: true,
        publish: (uploaded: ResourceFileJson) => ({
          ...uploaded,
          resource: {
            type: "URL",
            url: `${base}/${BUCKET}/${(uploaded.resource as { filepath: string }).filepath}`,
          },
        }),
      },
      {
        kind: "S3",
        unpack: false,
        publish: (uploaded: ResourceFileJson) => ({
          ...uploaded,
          resource: {
            type: "STORAGE_PROVIDER",
            storageType: "S3",
            filepath: (uploaded.resource as { filepath: string }).filepath,
            credentials: { bucket: BUCKET, endpoint: base, accessKeyId: "reader", secretKey: "reader" },
          },
        }),
      },
    ] as const;
    for (const { kind, unpack, publish } of kinds) {
      it(`says the ${kind} storage failed, and leaves nothing behind (unpack: ${unpack})`, async function () {
        const { orderId } = await doneOrder(path.join(scratch, "large-output"), publish);
        const parent = await emptyParent(`cut-${kind}`);
        const progress: TransferProgress[] = [];
        const requests = sent.length;
        const error = await caught(() =>
          downloadResult(market.reader.context, {
            orderId,
            privateKey: ALICE_RESULT_KEY.privateKey,
            destination: path.join(parent, "result"),
            unpack,
            onProgress: (event) => progress.push(event),
          }),
        );
        expect(sent.length, "requests the server answered").to.be.greaterThan(requests);
        const received = Math.max(0, ...progress.map((p) => p.bytes));
        expect(received, "bytes the SDK received before the cut").to.be.greaterThan(0);
        expect(received, "bytes the SDK received, at most what was sent").to.be.at.most(sent.at(-1) ?? 0);
        expect(
          progress.some((p) => p.done),
          "a progress event saying done",
        ).to.equal(false);
        expect(error, "error").to.be.instanceOf(StorageError);
        expect((error as StorageError).storageType, "storageType").to.equal(kind);
        expect((error as Error).message, "message says what failed").to.match(
          /^Reading .* from the \w+ storage failed/,
        );
        expect(await listing(parent), "what was left in the destination's parent").to.deep.equal([]);
      });
    }
  });
});
