/**
 * The trusted loader: what an order runs on, gathered and checked before anything runs.
 *
 * 1. The consumer's arguments are opened only when their envelope names this chain, the Orders
 *    contract, the order's consumer, its committed solution hash and this enclave's key; each data
 *    owner's hand-over only when it names this chain and contract, the suborder it was read from,
 *    its parent, the committed solution hash and this enclave (`tee.openArgs`, `tee.openHandOver`).
 * 2. Each resource file must describe the content the order committed to: the solution's the
 *    committed solution hash, a dataset's the hash its owner pinned (or, when none was pinned, the
 *    offer's content hash).
 * 3. Each resource is downloaded, decrypted, and its sha256 compared with that hash before it is
 *    put in place (`downloadResource` checks the GCM tag and the hash, and leaves nothing behind
 *    when either fails).
 *
 * Any failure refuses the order ({@link OrderRefusedError}, with the reason); the agent then ends it
 * Error before anything runs.
 */
import path from "node:path";

import { type Hex, zeroHash } from "viem";

import {
  type MarketplaceContext,
  MarketplaceError,
  OfferType,
  RuntimeType,
  type RuntimeInfo,
  type Workflow,
  type WorkflowParams,
  getOffer,
  getOfferInfo,
  getSuborderResult,
  parseResourceFile,
  teeOpenArgs,
  teeOpenHandOver,
} from "@tee-marketplace/sdk";
import { downloadResource } from "@tee-marketplace/sdk/node";

import type { EnclaveKeys } from "./enclaveKeys.js";
import type { Emit } from "./events.js";
import type { PreparedSolution, RunLayout } from "./runners/runner.js";

/**
 * An order the enclave will not run, and why (the reason goes into the order's Error logs).
 *
 * @example
 * throw new OrderRefusedError("suborder 8's hand-over: names suborder 5, not 8");
 * @throws nothing: constructing it does not throw.
 */
export class OrderRefusedError extends MarketplaceError {
  override name = "OrderRefusedError";
  /** Why, in words. */
  readonly reason: string;

  constructor(reason: string, options: { cause?: unknown } = {}) {
    super(`The order is refused before anything runs: ${reason}`, options);
    this.reason = reason;
  }
}

/** What an order runs on, checked. */
export interface LoadedInputs {
  readonly solution: PreparedSolution;
  /** The consumer's arguments for the solution (JSON), `undefined` when none. */
  readonly args: unknown;
  /** The report's entries: the Image (the solution) and a Data entry per dataset, with sizes. */
  readonly runtimeInfo: RuntimeInfo[];
}

/** What {@link loadInputs} needs. */
export interface LoadParameters {
  readonly ctx: MarketplaceContext;
  readonly keys: EnclaveKeys;
  readonly workflow: Workflow;
  readonly params: WorkflowParams;
  readonly layout: RunLayout;
  /** Unpack the solution's archive (the process runner) or keep it as stored (the container runner). */
  readonly unpackSolution: boolean;
  /** The largest resource accepted, in bytes. */
  readonly maxBytes: number;
  /** Reads go through it (retries). */
  readonly read: <T>(what: string, attempt: () => Promise<T>) => Promise<T>;
  readonly emit: Emit;
  readonly signal: AbortSignal;
}

/** A resource to fetch, and the hash it must have. */
interface Wanted {
  readonly what: string;
  readonly resource: unknown;
  readonly expected: Hex;
}

/**
 * Opens, checks and downloads an order's solution and datasets into its layout.
 *
 * @param p See {@link LoadParameters}.
 * @example
 * const { solution, args, runtimeInfo } = await loadInputs({ ctx, keys, workflow, params, layout, unpackSolution: true, maxBytes, read, emit, signal });
 * @throws {OrderRefusedError} with the reason when an envelope, a resource file or a download fails its check.
 */
export async function loadInputs(p: LoadParameters): Promise<LoadedInputs> {
  const { ctx, keys, workflow, params, read } = p;
  const { order } = workflow;
  const orderId = order.id;

  let opened: { solution?: unknown; args?: unknown } = {};
  if (params.encryptedArgs !== "0x") {
    opened = refuseOnError("the consumer's arguments", () =>
      teeOpenArgs(ctx, {
        privateKey: keys.eciesKey,
        ciphertext: params.encryptedArgs,
        consumer: params.consumer,
        solutionHash: order.solutionHash,
        teeKey: keys.teeKey,
      }),
    );
  }

  let solution: Wanted | undefined =
    opened.solution === undefined
      ? undefined
      : {
          what: "the solution (the consumer's arguments)",
          resource: opened.solution,
          expected: order.solutionHash,
        };
  const datasets: Wanted[] = [];
  for (const suborder of workflow.suborders) {
    const offer = await read(`reading offer ${suborder.offerId}`, () =>
      getOffer(ctx, { offerId: suborder.offerId }),
    );
    const what = `suborder ${suborder.id} (offer ${suborder.offerId})`;
    let resource: unknown;
    if (suborder.resultBlock !== 0n) {
      const handed = await read(`reading suborder ${suborder.id}'s hand-over`, () =>
        getSuborderResult(ctx, { suborderId: suborder.id }),
      );
      resource = refuseOnError(`${what}'s hand-over`, () =>
        teeOpenHandOver(ctx, {
          privateKey: keys.eciesKey,
          ciphertext: handed.encryptedResult,
          suborderId: suborder.id,
          parentId: orderId,
          solutionHash: order.solutionHash,
          teeKey: keys.teeKey,
        }),
      ).resource;
    } else {
      const { info } = await read(`reading offer ${suborder.offerId}'s info`, () =>
        getOfferInfo(ctx, { offerId: suborder.offerId }),
      );
      const published = (info as { resultResource?: unknown } | undefined)?.resultResource;
      resource = refuseOnError(`${what}'s public resource`, () =>
        typeof published === "string" ? (JSON.parse(published) as unknown) : published,
      );
    }
    if (offer.offerType === OfferType.Solution) {
      solution ??= { what: `the solution (${what})`, resource, expected: order.solutionHash };
    } else {
      const expected = suborder.dataHash !== zeroHash ? suborder.dataHash : offer.contentHash;
      datasets.push({ what: `the dataset of ${what}`, resource, expected });
    }
  }
  if (solution === undefined) {
    throw new OrderRefusedError(
      "no solution: neither the consumer's arguments nor a Solution input hand over its resource file",
    );
  }
  for (const wanted of [solution, ...datasets]) {
    const described = refuseOnError(`${wanted.what}'s resource file`, () =>
      parseResourceFile(wanted.resource),
    ).hash;
    if (described !== wanted.expected) {
      throw new OrderRefusedError(
        `${wanted.what}'s resource file describes content ${described}, not ${wanted.expected} as the order requires`,
      );
    }
  }
  p.emit(
    "inputs-opened",
    `opened the arguments and ${workflow.suborders.length} input(s); resource files name the committed hashes`,
    {
      orderId,
      datasets: datasets.length,
    },
  );

  const solutionArchive = isArchive(solution.resource);
  const unpackSolution = p.unpackSolution && solutionArchive;
  const fetchedSolution = await fetchChecked(p, solution, path.join(p.layout.workDirectory, "solution"), {
    ...(unpackSolution ? { filename: "app", unpack: true } : {}),
  });
  p.emit(
    "input-checked",
    `Image ${solution.expected} (${fetchedSolution.bytes} bytes): sha256 matches the committed solution`,
    {
      orderId,
      kind: "Image",
      hash: solution.expected,
      size: fetchedSolution.bytes,
    },
  );
  const runtimeInfo: RuntimeInfo[] = [
    { runtimeType: RuntimeType.Image, size: BigInt(fetchedSolution.bytes), hash: solution.expected },
  ];
  for (const [i, dataset] of datasets.entries()) {
    const name = `input-${String(i + 1).padStart(4, "0")}`;
    const archive = isArchive(dataset.resource);
    const fetched = await fetchChecked(
      p,
      dataset,
      archive ? p.layout.inputs : path.join(p.layout.inputs, name),
      archive ? { filename: name, unpack: true } : {},
    );
    p.emit(
      "input-checked",
      `Data ${dataset.expected} (${fetched.bytes} bytes) at /sp/inputs/${name}: sha256 matches`,
      {
        orderId,
        kind: "Data",
        hash: dataset.expected,
        size: fetched.bytes,
      },
    );
    runtimeInfo.push({ runtimeType: RuntimeType.Data, size: BigInt(fetched.bytes), hash: dataset.expected });
  }
  return {
    solution: { path: fetchedSolution.path, unpacked: unpackSolution },
    args: opened.args,
    runtimeInfo,
  };
}

async function fetchChecked(
  p: LoadParameters,
  wanted: Wanted,
  destination: string,
  options: { filename?: string; unpack?: boolean },
): Promise<{ path: string; bytes: number }> {
  try {
    const { path: written, bytes } = await downloadResource(parseResourceFile(wanted.resource), destination, {
      ...options,
      maxBytes: p.maxBytes,
      signal: p.signal,
    });
    return { path: written, bytes };
  } catch (error) {
    if (p.signal.aborted) throw error;
    throw new OrderRefusedError(`${wanted.what}: ${(error as Error).message}`, { cause: error });
  }
}

/** Whether a resource's object is a tar.gz archive (a directory uploaded), by its name. */
function isArchive(resource: unknown): boolean {
  const location = (resource as { resource?: { filepath?: unknown; url?: unknown } }).resource;
  const name = String(location?.filepath ?? location?.url ?? "");
  return /\.(tar\.gz|tgz)(\.encrypted)?$/.test(name);
}

function refuseOnError<T>(what: string, open: () => T): T {
  try {
    return open();
  } catch (error) {
    throw new OrderRefusedError(`${what}: ${(error as Error).message}`, { cause: error });
  }
}
