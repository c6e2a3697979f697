/**
 * Inputs that complete without their owner, on a real node: a Solution or Data offer created with a
 * public `resultResource` (its "auto-complete" flag) has its suborders created Done, with no
 * hand-over sealed for the enclave. The agent then takes the resource file from the offer's info
 * (as JSON, or as a string of JSON text, as spctl's offer files hold it), checks that it describes
 * the offer's content hash, downloads it (in the clear or encrypted, as the file says) and runs.
 */
import { mkdir, readFile, readdir, writeFile } from "node:fs/promises";
import path from "node:path";

import { expect } from "chai";

import {
  type CreateWorkflowParameters,
  OfferType,
  OrderStatus,
  type ResourceFileJson,
  enumName,
  parseResourceFile,
} from "@tee-marketplace/sdk";
import { downloadResult, uploadFile } from "@tee-marketplace/sdk/node";

import { dataOfferInfo, dataSlotInfo } from "../../scripts/lib/scenario.js";
import {
  type DataOwner,
  type RunningAgent,
  TEST_SOLUTION,
  type World,
  orderEvent,
  placeWorkflow,
  runAgent,
  startWorld,
} from "./support/world.js";

describe("agent: inputs that complete without their owner (public result resource)", function () {
  this.timeout(300_000);
  let world: World;
  let running: RunningAgent;

  before(async () => {
    world = await startWorld();
    running = await runAgent(world, world.config());
  });
  after(async () => {
    await running?.agent.stop();
    await world?.stop();
  });

  /** Uploads `lines` as a dataset directory `name` to the world's storage. */
  async function uploadDataset(name: string, lines: string[], encrypt: boolean): Promise<ResourceFileJson> {
    const directory = path.join(world.dir, "public", name);
    await mkdir(directory, { recursive: true });
    await writeFile(path.join(directory, "records.txt"), `${lines.join("\n")}\n`);
    return uploadFile(directory, { storage: { type: "FS", directory: world.storageDir }, encrypt });
  }

  /**
   * `owner` creates an auto-complete offer of `offerType` for `content`, publishing `published` (a
   * resource file, or its JSON text) as its `resultResource`, with the scenario's data slot.
   */
  async function publicOffer(
    owner: DataOwner,
    offerType: OfferType,
    content: ResourceFileJson,
    published: ResourceFileJson | string,
  ): Promise<{ offerId: bigint; slotId: bigint }> {
    const { offerId } = await owner.client.offers.create({
      offerInfo: {
        ...dataOfferInfo(`${enumName(OfferType, offerType)} offer in the open`, "public content"),
        offerType: String(offerType),
        resultResource: published,
      },
      contentHash: content,
    });
    const offer = await owner.client.offers.get({ offerId });
    expect(offer.autoComplete, `offer ${offerId} completes by itself`).to.equal(true);
    const { slotId } = await owner.client.slots.add({ offerId, slot: dataSlotInfo() });
    return { offerId, slotId };
  }

  /** Alice places a workflow on these inputs, recipients her and Bob. */
  function placeOn(params: Pick<CreateWorkflowParameters, "inputs" | "solutionHash" | "solution">) {
    return placeWorkflow(world, {
      ...params,
      resultRecipients: [world.alice.resultKey.publicKey, world.bob.resultKey.publicKey],
    });
  }

  it("runs a workflow whose solution and one dataset come from offers' public resource files, beside a hand-over", async () => {
    // Bob's solution in the clear, published as a string of JSON; Dave's dataset encrypted, its
    // resource file (key included) published as JSON.
    const solution = await uploadFile(TEST_SOLUTION, {
      storage: { type: "FS", directory: world.storageDir },
      encrypt: false,
    });
    const solutionOffer = await publicOffer(
      world.bob,
      OfferType.Solution,
      solution,
      JSON.stringify(solution),
    );
    const lines = ["open data: 1", "open data: 2"];
    const dataset = await uploadDataset("dave-open", lines, true);
    expect(dataset["encryption"], "the public dataset is stored encrypted").to.not.equal(undefined);
    const dataOffer = await publicOffer(world.dave, OfferType.Data, dataset, dataset);

    const created = await placeOn({
      inputs: [solutionOffer, dataOffer, { offerId: world.bob.offerId, slotId: world.bob.slotId }],
      solutionHash: solution,
    });
    const placed = await world.m.reader.orders.get({ orderId: created.orderId });
    expect(
      placed.suborders.map((s) => s.status),
      "the suborders: two public inputs Done at creation, Bob's waiting for him",
    ).to.deep.equal([OrderStatus.Done, OrderStatus.Done, OrderStatus.New]);
    expect(
      placed.suborders.map((s) => s.resultBlock),
      "no hand-over for the public inputs",
    ).to.deep.equal([0n, 0n, 0n]);
    expect(placed.order.status, "the order waits for Bob").to.equal(OrderStatus.Blocked);
    const bobsSuborder = created.suborderIds[2];
    if (bobsSuborder === undefined) throw new Error("no third suborder");
    await world.bob.client.suborders.complete({
      suborderId: bobsSuborder,
      status: "Done",
      solutionHash: parseResourceFile(solution).hash,
      resourceFile: world.bob.dataset,
    });

    const end = await running.waitFor("order-completed", orderEvent(created.orderId));
    expect(end.details?.["status"], `order ${created.orderId}'s ending: ${end.message}`).to.equal("Done");
    expect(
      running.of(created.orderId).filter((type) => type === "input-checked"),
      "checked inputs: the solution and two datasets",
    ).to.have.length(3);
    const report = await world.m.reader.reports.get({ orderId: created.orderId });
    expect(
      report.report.runtimeInfo.map((e) => e.hash),
      "the report's Image and Data hashes, in the inputs' order",
    ).to.deep.equal([
      parseResourceFile(solution).hash,
      parseResourceFile(dataset).hash,
      parseResourceFile(world.bob.dataset).hash,
    ]);

    const downloaded = await downloadResult(world.m.reader.context, {
      orderId: created.orderId,
      privateKey: world.alice.resultKey.privateKey,
      destination: path.join(world.dir, `result-${created.orderId}`),
    });
    const summary = JSON.parse(await readFile(path.join(downloaded.path, "summary.json"), "utf8")) as {
      inputs: Record<string, { file: string; bytes: number }[]>;
    };
    expect(summary.inputs, "what the solution saw in /sp/inputs").to.deep.equal({
      "input-0001": [{ file: "records.txt", bytes: Buffer.byteLength(`${lines.join("\n")}\n`) }],
      "input-0002": [{ file: "records.txt", bytes: summary.inputs["input-0002"]?.[0]?.bytes }],
    });
    expect(summary.inputs["input-0002"]?.[0]?.bytes, "Bob's dataset's size").to.be.greaterThan(0);
  });

  it("ends Error, naming the input, when an offer's public resource describes other content than its content hash", async () => {
    const promised = await uploadDataset("promised", ["the reviewed data"], false);
    const other = await uploadDataset("other", ["other data, published in its place"], false);
    const offer = await publicOffer(world.dave, OfferType.Data, promised, other);
    const solution = await world.uploadSolution();
    const created = await placeOn({ inputs: [offer], solutionHash: solution, solution });
    const suborderId = created.suborderIds[0];
    const end = await running.waitFor("order-completed", orderEvent(created.orderId));
    expect(end.details?.["status"], "the ending").to.equal("Error");
    const expectedReason =
      `Refused before anything ran: the dataset of suborder ${suborderId} (offer ${offer.offerId})'s resource ` +
      `file describes content ${parseResourceFile(other).hash}, not ${parseResourceFile(promised).hash} as the order requires`;
    expect(end.details?.["reason"], "the reason in the ending event").to.equal(expectedReason);
    expect(running.of(created.orderId), "nothing reported or run").to.not.include.members([
      "report-published",
      "solution-started",
    ]);
    const { order } = await world.m.reader.orders.get({ orderId: created.orderId });
    expect(order.status, "status").to.equal(OrderStatus.Error);
    expect(order.reportBlock, "no report").to.equal(0n);
    const logs = await downloadResult(world.m.reader.context, {
      orderId: created.orderId,
      privateKey: world.alice.resultKey.privateKey,
      destination: path.join(world.dir, `logs-${created.orderId}`),
    });
    const [logFile] = await readdir(logs.path);
    expect(await readFile(path.join(logs.path, logFile ?? ""), "utf8"), "the logs Alice gets").to.equal(
      `${expectedReason}\n`,
    );
  });
});
