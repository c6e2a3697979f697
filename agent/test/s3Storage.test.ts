/**
 * The agent with S3 storage, end to end: an S3-compatible server (s3rver) on 127.0.0.1 holds the
 * solution and takes the agent's results; the agent writes with its own key (its secret from the
 * environment), the result pointers carry the read keys of its configuration instead, and the
 * consumer and a data owner download the result with the SDK (`downloadResult`) using those keys.
 */
import { createRequire } from "node:module";
import { readFile } from "node:fs/promises";
import path from "node:path";

import { expect } from "chai";

import { OrderStatus, parseResourceFile } from "@tee-marketplace/sdk";
import { downloadResult, uploadFile } from "@tee-marketplace/sdk/node";

import { type S3Server, S3RVER_KEYS, startS3Server } from "../../sdk/test/support/storage.js";
import { S3_SECRET_ENV } from "../src/index.js";
import {
  type RunningAgent,
  TEST_SOLUTION,
  type World,
  handOver,
  orderEvent,
  placeOrder,
  runAgent,
  startWorld,
} from "./support/world.js";

/**
 * s3rver's one account, from its own module (its package declares no types for it): the test adds a
 * second key pair to it, the "read keys" result pointers carry, so a download that works proves the
 * pointer named them (s3rver has no permissions: in production they are a read-only key).
 */
const s3rverAccount = (
  createRequire(import.meta.url)("s3rver/lib/models/account.js") as {
    DUMMY_ACCOUNT: {
      createKeyPair(accessKeyId: string, secretAccessKey: string): void;
      revokeAccessKey(accessKeyId: string): void;
    };
  }
).DUMMY_ACCOUNT;
const READ_KEYS = { accessKeyId: "RESULTREADER", secretKey: "result-reader-secret" } as const;

describe("agent: S3 storage (s3rver on 127.0.0.1), end to end", function () {
  this.timeout(300_000);
  let world: World;
  let s3: S3Server;
  let running: RunningAgent | undefined;

  before(async () => {
    world = await startWorld();
    s3 = await startS3Server(path.join(world.dir, "s3rver"));
    s3rverAccount.createKeyPair(READ_KEYS.accessKeyId, READ_KEYS.secretKey);
  });
  after(async () => {
    await running?.agent.stop();
    s3rverAccount.revokeAccessKey(READ_KEYS.accessKeyId);
    await s3?.stop();
    await world?.stop();
  });

  it("checks the bucket at start, uploads the result there and the recipients download it with the read keys", async () => {
    running = await runAgent(
      world,
      world.config({
        storage: {
          type: "S3",
          bucket: s3.bucket,
          prefix: "agent-results",
          endpoint: s3.endpoint,
          accessKeyId: S3RVER_KEYS.accessKeyId,
          readCredentials: READ_KEYS,
        },
      }),
      { env: { [S3_SECRET_ENV]: S3RVER_KEYS.secretAccessKey } },
    );
    const started = await running.waitFor("agent-started");
    expect(started.message, "the storage it announces").to.match(/storage: S3$/);
    const probes = s3.requests.filter((r) => r.includes("/agent-results/.tee-market-agent-probe-"));
    const methods = probes.map((r) => r.split(" ")[0]);
    expect(
      [methods[0], methods.at(-1)],
      `the start-up write check in the bucket, a probe written then deleted: ${probes.join(", ")}`,
    ).to.deep.equal(["PUT", "DELETE"]);

    const solution = await uploadFile(TEST_SOLUTION, {
      storage: {
        type: "S3",
        bucket: s3.bucket,
        endpoint: s3.endpoint,
        prefix: "solutions",
        ...S3RVER_KEYS,
      },
    });
    const created = await placeOrder(world, { solution, owners: [world.bob] });
    await handOver(world, created, [world.bob], parseResourceFile(solution).hash);
    const end = await running.waitFor("order-completed", orderEvent(created.orderId));
    expect(end.details?.["status"], `order ${created.orderId}'s ending: ${end.message}`).to.equal("Done");
    expect(
      s3.requests.some((r) => r.startsWith(`GET /${s3.bucket}/solutions/`)),
      "the agent fetched the solution from the bucket",
    ).to.equal(true);
    const uploads = s3.requests.filter((r) =>
      new RegExp(`^PUT /${s3.bucket}/agent-results/orders/${created.orderId}/result-\\d+\\.tar\\.gz`).test(r),
    );
    expect(uploads, "the result's upload to the bucket, under the configured prefix").to.have.length(1);

    const result = await world.m.reader.orders.getResult({ orderId: created.orderId });
    expect(result.status, "the receipt's status").to.equal(OrderStatus.Done);
    const { resource } = world.m.reader.results.open({
      result,
      privateKey: world.alice.resultKey.privateKey,
    });
    expect(
      (resource as { resource: { storageType: string; credentials: unknown } }).resource,
      "where Alice's pointer says the result is, with the read keys only",
    ).to.deep.include({
      storageType: "S3",
      credentials: {
        bucket: s3.bucket,
        prefix: "agent-results",
        endpoint: s3.endpoint,
        accessKeyId: READ_KEYS.accessKeyId,
        secretKey: READ_KEYS.secretKey,
      },
    });

    const requestsBefore = s3.requests.length;
    for (const [who, key] of [
      ["alice", world.alice.resultKey.privateKey],
      ["bob", world.bob.resultKey.privateKey],
    ] as const) {
      const downloaded = await downloadResult(world.m.reader.context, {
        orderId: created.orderId,
        privateKey: key,
        destination: path.join(world.dir, `${who}-result`),
      });
      expect(downloaded.resultHash, `${who}'s download's sha256`).to.equal(result.resultHash);
      expect(downloaded.unpacked, `${who}'s result unpacked`).to.equal(true);
      const summary = JSON.parse(await readFile(path.join(downloaded.path, "summary.json"), "utf8")) as {
        inputs: Record<string, unknown[]>;
        report: unknown;
      };
      expect(Object.keys(summary.inputs), `the inputs the solution saw (${who}'s copy)`).to.deep.equal([
        "input-0001",
      ]);
      expect(summary.report, `the report in /sp/certs (${who}'s copy)`).to.not.equal(null);
    }
    expect(
      s3.requests
        .slice(requestsBefore)
        .filter((r) => r.startsWith(`GET /${s3.bucket}/agent-results/orders/`)),
      "the two downloads read the result's object from the bucket",
    ).to.have.length(2);
  });
});
