/**
 * The enclave's side of an order, through the SDK, for the tests of the recipients' side (the SDK's
 * `downloadResult`, the CLI's `orders download-result`): the stand-in TEE of mocks/tee.ts opens the
 * consumer's arguments and every data owner's hand-over, downloads and checks its inputs, starts
 * the order, reports what ran, packs and uploads its output, seals a result pointer for each
 * recipient and completes the order with its signed receipt. It is what a TEE agent does, with the
 * real formats and calls; only the enclave is a stand-in. Hooks let a test make it misbehave.
 */
import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { type Hex, zeroHash } from "viem";

import { type ResourceFileJson, type RuntimeInfo, RuntimeType, toResourceFile } from "../../src/index.js";
import { type StorageOptions, downloadResource, uploadFile } from "../../src/node/index.js";
import type { Marketplace } from "./marketplace.js";

/** What {@link runOrderInTee} takes. */
export interface TeeRunParameters {
  orderId: bigint;
  /** The directory (or file) the solution wrote: the result, or the logs of an Error order. */
  output: string;
  /** Where the enclave uploads it. */
  storage: StorageOptions;
  /** Done (default: report, then the result) or Error (the logs, unsigned, for the consumer only). */
  status?: "Done" | "Error";
  /** Download and check the solution and the datasets first (default true; false for unreachable fixtures). */
  downloadInputs?: boolean;
  /** The resource file each recipient's pointer carries (default: the uploaded one), e.g. served at a URL. */
  publish?: (uploaded: ResourceFileJson) => unknown;
  /** The result hash the receipt names (default: the upload's). */
  resultHash?: (uploaded: Hex) => Hex;
}

/** What the enclave did. */
export interface TeeRun {
  /** The result's resource file as uploaded. */
  uploaded: ResourceFileJson;
  resultHash: Hex;
  /** The resource files the enclave was handed: the solution's, then each dataset's. */
  inputs: { solution: unknown; datasets: unknown[] };
  /** What it reported (Done only). */
  runtimeInfo: RuntimeInfo[];
}

/**
 * Runs a Blocked-no-more (New) order in the stand-in enclave and completes it.
 *
 * @example
 * const run = await runOrderInTee(market, { orderId, output: outputDir, storage: { type: "FS", directory } });
 */
export async function runOrderInTee(m: Marketplace, params: TeeRunParameters): Promise<TeeRun> {
  const tee = m.as(m.tee.account);
  const { orderId } = params;
  const [{ order, suborders }, workflow] = await Promise.all([
    tee.orders.get({ orderId }),
    tee.orders.getParams({ orderId }),
  ]);
  const { solution } = tee.tee.openArgs({
    privateKey: m.tee.eciesKey,
    ciphertext: workflow.encryptedArgs,
    consumer: workflow.consumer,
    solutionHash: workflow.solutionHash,
    teeKey: workflow.teeKey,
  });
  const datasets: unknown[] = [];
  for (const suborder of suborders) {
    const { encryptedResult } = await tee.suborders.getResult({ suborderId: suborder.id });
    const { resource } = tee.tee.openHandOver({
      privateKey: m.tee.eciesKey,
      ciphertext: encryptedResult,
      suborderId: suborder.id,
      parentId: orderId,
      solutionHash: order.solutionHash,
      teeKey: order.teeKey,
    });
    datasets.push(resource);
  }

  const runtimeInfo: RuntimeInfo[] = [];
  const inputs = await mkdtemp(path.join(tmpdir(), "tee-marketplace-enclave-"));
  try {
    if (params.downloadInputs ?? true) {
      const ran = await downloadResource(toResourceFile(solution, "solution"), inputs);
      if (ran.hash !== order.solutionHash) throw new Error("the enclave was handed another solution");
      runtimeInfo.push({ runtimeType: RuntimeType.Image, size: BigInt(ran.bytes), hash: ran.hash });
      for (const [i, dataset] of datasets.entries()) {
        const read = await downloadResource(
          toResourceFile(dataset, "dataset"),
          path.join(inputs, `input-${i + 1}`),
        );
        runtimeInfo.push({ runtimeType: RuntimeType.Data, size: BigInt(read.bytes), hash: read.hash });
      }
    } else {
      runtimeInfo.push({ runtimeType: RuntimeType.Image, size: 0n, hash: order.solutionHash });
      for (const suborder of suborders.filter((s) => s.dataHash !== zeroHash)) {
        runtimeInfo.push({ runtimeType: RuntimeType.Data, size: 0n, hash: suborder.dataHash });
      }
    }
  } finally {
    await rm(inputs, { recursive: true, force: true });
  }

  await tee.orders.start({ orderId });
  const status = params.status ?? "Done";
  if (status === "Done") await tee.reports.publish({ orderId, signer: m.tee.privateKey, runtimeInfo });
  await stat(params.output);
  const uploaded = await uploadFile(params.output, { storage: params.storage });
  const resultHash = (params.resultHash ?? ((hash: Hex) => hash))(`0x${uploaded.hash.hash}`);
  const resource = params.publish === undefined ? uploaded : params.publish(uploaded);
  const recipients = status === "Done" ? workflow.resultRecipients : workflow.resultRecipients.slice(0, 1);
  const pointers = recipients.map((publicKey) =>
    tee.tee.sealResultPointer({ publicKey, orderId, resultHash, resource }),
  );
  await tee.orders.complete({
    orderId,
    status,
    resultHash,
    pointers,
    ...(status === "Done" ? { signer: m.tee.privateKey } : {}),
  });
  return { uploaded, resultHash, inputs: { solution, datasets }, runtimeInfo };
}
