/**
 * One order, from New to its end, for the enclave it is bound to: start it, load and check its
 * inputs (./inputs.ts), publish the signed report before anything runs, run the solution, deliver
 * the output (or the logs) to every recipient, and complete it: Done with the enclave's signed
 * receipt, Error with the logs as the result, or Canceled when the consumer canceled meanwhile.
 * Every step first reads what the chain says, so a step is never done twice: an order already
 * Processing is not started again, an order already reported is never reported again.
 *
 * Orders the agent cannot run (bound to an enclave that is gone, or whose run this agent lost) are
 * settled by {@link settleOrder}: Error with the reason, or Canceled when the consumer asked.
 */
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import path from "node:path";

import { type Hex, type TransactionReceipt, zeroHash } from "viem";

import {
  ContractError,
  type MarketplaceContext,
  OrderStatus,
  TransactionRevertedError,
  type Workflow,
  type WorkflowParams,
  completeOrderCall,
  enumName,
  getSlot,
  getWorkflow,
  getWorkflowParams,
  publishReportCall,
  reportToJson,
  startOrderCall,
} from "@tee-marketplace/sdk";
import type { Storage } from "@tee-marketplace/sdk/node";

import type { ChainWriter } from "./chainWriter.js";
import { type Delivery, deliverLogs, deliverOutput } from "./delivery.js";
import type { EnclaveKeys } from "./enclaveKeys.js";
import type { Emit } from "./events.js";
import { type LoadedInputs, OrderRefusedError, loadInputs } from "./inputs.js";
import type { RunLayout, Runner } from "./runners/runner.js";

/** The largest resource an order downloads when its TEE slot names no disk size: 64 GiB. */
const DEFAULT_MAX_INPUT_BYTES = 64 * 1024 ** 3;

/** Why an order's run was stopped (the abort reason of its signal). */
export class OrderStop {
  constructor(
    /** `canceled`: the consumer canceled; `deadline`: past the slot's max time; `stopping`: the agent stops. */
    readonly kind: "canceled" | "deadline" | "stopping",
    readonly message: string,
  ) {}
}

/** What serving an order needs. */
export interface OrderDeps {
  readonly ctx: MarketplaceContext;
  readonly writer: ChainWriter;
  readonly keys: EnclaveKeys;
  readonly runner: Runner;
  readonly storage: Storage;
  /** Credentials result pointers carry instead of the storage's own. */
  readonly resourceCredentials?: Readonly<Record<string, unknown>>;
  readonly workDirectory: string;
  /** The enclave's current TCB (reports name it). */
  readonly tcbId: () => bigint;
  /** Reads with retries. */
  readonly read: <T>(what: string, attempt: () => Promise<T>) => Promise<T>;
  readonly emit: Emit;
  /** Aborts when the agent halts (ends retries of transactions). */
  readonly halt: AbortSignal;
}

/** How an order ends. */
type Ending = { status: "Done" } | { status: "Error"; logs: string } | { status: "Canceled" };

/**
 * Serves one order of this enclave until it ends (or is left to the next poll when it is no longer
 * New or Processing).
 *
 * @param d See {@link OrderDeps}.
 * @param orderId The order.
 * @param signal Aborted with an {@link OrderStop} when the consumer cancels, the deadline nears or the agent stops.
 * @example
 * await serveOrder(deps, 7n, controller.signal);
 * @throws what a write throws that the order cannot recover from (the caller settles the order).
 */
export async function serveOrder(d: OrderDeps, orderId: bigint, signal: AbortSignal): Promise<void> {
  const { ctx } = d;
  let workflow = await d.read(`reading order ${orderId}`, () => getWorkflow(ctx, { orderId }));
  if (workflow.order.status === OrderStatus.New) workflow = await start(d, orderId);
  if (workflow.order.status !== OrderStatus.Processing) return;
  const params = await d.read(`reading order ${orderId}'s workflow`, () =>
    getWorkflowParams(ctx, { orderId }),
  );
  if (workflow.order.reportBlock !== 0n) {
    await settleOrder(
      d,
      orderId,
      "this agent published the order's report and then lost its run; it is not run twice",
    );
    return;
  }
  await mkdir(d.workDirectory, { recursive: true, mode: 0o700 });
  const workDirectory = await mkdtemp(path.join(d.workDirectory, `order-${orderId}-`));
  try {
    const layout: RunLayout = {
      workDirectory,
      inputs: path.join(workDirectory, "sp", "inputs"),
      output: path.join(workDirectory, "sp", "output"),
      certs: path.join(workDirectory, "sp", "certs"),
    };
    for (const dir of [layout.inputs, layout.output, layout.certs]) await mkdir(dir, { recursive: true });
    const ending = await execute(d, workflow, params, layout, signal);
    await finish(d, orderId, params.resultRecipients, ending, workDirectory, true);
  } finally {
    await rm(workDirectory, { recursive: true, force: true });
  }
}

/**
 * Starts a New order and reads it again. A start that fails because the order changed after it was
 * read (refused by its simulation, or reverted once mined: the consumer canceled it, or another
 * operator account of the offer started it first) is said, with its transaction, and the order is
 * served as it is now: one Processing is still this enclave's to run (only its keys open the
 * inputs, and nothing ran before the report); any other is left to the poll.
 */
async function start(d: OrderDeps, orderId: bigint): Promise<Workflow> {
  const { ctx } = d;
  const action = `starting order ${orderId}`;
  const reread = () => d.read(`reading order ${orderId}`, () => getWorkflow(ctx, { orderId }));
  try {
    const receipt = await d.writer.send(startOrderCall(ctx, { orderId }), action);
    d.emit("order-started", `started (Processing) in ${receipt.transactionHash}`, { orderId });
  } catch (error) {
    const failed = conflict(error, action);
    if (failed === undefined) throw error;
    const now = await reread();
    if (now.order.status === OrderStatus.New) throw error;
    const next =
      now.order.status === OrderStatus.Processing
        ? "another operator account of the offer started it; this enclave runs it"
        : "leaving it";
    d.emit(
      "warning",
      `${failed.message}; the order is ${enumName(OrderStatus, now.order.status)} now: ${next}`,
      { orderId, transactionHash: failed.transactionHash },
    );
    return now;
  }
  return reread();
}

/**
 * A write that failed because the chain changed after the agent read it: the simulation refused it
 * (`ContractError`), or it reverted once mined (`TransactionRevertedError`). What to say about it,
 * or `undefined` for any other failure.
 */
function conflict(error: unknown, action: string): { message: string; transactionHash?: Hex } | undefined {
  if (error instanceof TransactionRevertedError) {
    return {
      message: `${action}: transaction ${error.hash} reverted on-chain although its simulation passed`,
      transactionHash: error.hash,
    };
  }
  if (error instanceof ContractError) return { message: error.message.split("\n")[0] ?? action };
  return undefined;
}

/** Loads, reports and runs; what happened decides the ending. */
async function execute(
  d: OrderDeps,
  workflow: Workflow,
  params: WorkflowParams,
  layout: RunLayout,
  signal: AbortSignal,
): Promise<Ending> {
  const { ctx } = d;
  const orderId = workflow.order.id;
  try {
    const slot = await d.read(`reading slot ${workflow.order.teeSlotId}`, () =>
      getSlot(ctx, { slotId: workflow.order.teeSlotId }),
    );
    const inputs: LoadedInputs = await loadInputs({
      ctx,
      keys: d.keys,
      workflow,
      params,
      layout,
      unpackSolution: d.runner.unpacksSolution,
      maxBytes: slot.info.diskUsage > 0n ? Number(slot.info.diskUsage) : DEFAULT_MAX_INPUT_BYTES,
      read: d.read,
      emit: d.emit,
      signal,
    });
    const tcbId = d.tcbId();
    const report = {
      orderId,
      tcbId,
      created: BigInt(Math.floor(Date.now() / 1000)),
      runtimeInfo: inputs.runtimeInfo,
    };
    const call = await publishReportCall(ctx, { ...report, signer: d.keys.signingKey });
    const receipt = await d.writer.send(call, `publishing order ${orderId}'s report`);
    d.emit(
      "report-published",
      `report signed by the enclave under TCB ${tcbId} in ${receipt.transactionHash}`,
      {
        orderId,
        tcbId,
        entries: inputs.runtimeInfo.length,
      },
    );
    const [, , signature] = call.args;
    await writeFile(
      path.join(layout.certs, "order-report.json"),
      `${JSON.stringify(reportToJson(report, { signature, tcb: { id: tcbId, teeKey: d.keys.teeKey } }), null, 2)}\n`,
    );
    d.emit("solution-started", `running the solution with the ${d.runner.kind} runner`, { orderId });
    const run = await d.runner.run({ orderId, solution: inputs.solution, layout, args: inputs.args, signal });
    d.emit(
      "solution-exited",
      `the solution ${run.exitCode === null ? "was stopped" : `exited with code ${run.exitCode}`} after ${(run.durationMs / 1000).toFixed(1)} s`,
      { orderId, exitCode: run.exitCode, durationMs: Math.round(run.durationMs) },
    );
    if (signal.aborted) return stopped(signal.reason, run.logs);
    if (run.exitCode !== 0) {
      return {
        status: "Error",
        logs: `The solution exited with code ${run.exitCode}.\n--- its output ---\n${run.logs}`,
      };
    }
    return { status: "Done" };
  } catch (error) {
    if (signal.aborted) return stopped(signal.reason, "");
    if (error instanceof OrderRefusedError) {
      return { status: "Error", logs: `Refused before anything ran: ${error.reason}\n` };
    }
    if (d.halt.aborted) throw error;
    return { status: "Error", logs: `The agent could not run the order: ${(error as Error).message}\n` };
  }
}

function stopped(reason: unknown, logs: string): Ending {
  const stop = reason instanceof OrderStop ? reason : new OrderStop("stopping", String(reason));
  if (stop.kind === "canceled") return { status: "Canceled" };
  return {
    status: "Error",
    logs: `${stop.message}\n${logs === "" ? "" : `--- the solution's output ---\n${logs}`}`,
  };
}

/**
 * Delivers and completes: Done (the output, signed receipt), Error (the logs), Canceled (nothing).
 * The status is read first: an order the consumer canceled meanwhile (Canceling) is completed
 * Canceled whatever the ending, and one no longer Processing is left alone.
 */
async function finish(
  d: OrderDeps,
  orderId: bigint,
  recipients: readonly Hex[],
  ending: Ending,
  scratch: string,
  ours: boolean,
): Promise<void> {
  const { ctx } = d;
  const { order } = await d.read(`reading order ${orderId}`, () => getWorkflow(ctx, { orderId }));
  if (order.status === OrderStatus.Canceling || ending.status === "Canceled") {
    if (order.status !== OrderStatus.Canceling) return;
    const receipt = await complete(d, orderId, "Canceled", zeroHash, [], false);
    d.emit("order-completed", `Canceled at the consumer's request in ${receipt.transactionHash}`, {
      orderId,
      status: "Canceled",
    });
    return;
  }
  if (order.status !== OrderStatus.Processing) return;
  const deliveryParams = {
    ctx,
    orderId,
    recipients,
    storage: d.storage,
    signal: d.halt,
    ...(d.resourceCredentials === undefined ? {} : { resourceCredentials: d.resourceCredentials }),
  };
  if (ending.status === "Done") {
    const delivery = await deliverOutput(deliveryParams, path.join(scratch, "sp", "output")).catch(
      (error: unknown) => {
        if (d.halt.aborted) throw error;
        return error as Error;
      },
    );
    if (delivery instanceof Error) {
      ending = { status: "Error", logs: `The result could not be delivered: ${delivery.message}\n` };
    } else {
      reportDelivery(d, orderId, delivery, "result");
      try {
        const receipt = await complete(d, orderId, "Done", delivery.resultHash, delivery.pointers, ours);
        d.emit("order-completed", `Done in ${receipt.transactionHash}: result ${delivery.resultHash}`, {
          orderId,
          status: "Done",
          resultHash: delivery.resultHash,
        });
        return;
      } catch (error) {
        if (d.halt.aborted) throw error;
        const action = `completing order ${orderId} (Done)`;
        const failed = conflict(error, action) ?? {
          message: `${action}: ${(error as Error).message.split("\n")[0]}`,
        };
        // Most likely the order changed after it was read (the consumer canceled it meanwhile): it
        // is read again and ended as it now allows, Canceled or Error (that ending never comes back here).
        d.emit("warning", `${failed.message}; reading the order again to end it as it is now`, {
          orderId,
          transactionHash: failed.transactionHash,
        });
        return finish(
          d,
          orderId,
          recipients,
          { status: "Error", logs: `The order could not be completed Done: ${failed.message}\n` },
          scratch,
          ours,
        );
      }
    }
  }
  let delivery: Delivery | undefined;
  try {
    delivery = await deliverLogs(deliveryParams, ending.logs, scratch);
    reportDelivery(d, orderId, delivery, "logs");
  } catch (error) {
    if (d.halt.aborted) throw error;
    d.emit(
      "warning",
      `the logs could not be uploaded (${(error as Error).message}); completing without them`,
      {
        orderId,
      },
    );
  }
  const receipt = await complete(
    d,
    orderId,
    "Error",
    delivery?.resultHash ?? zeroHash,
    delivery?.pointers ?? [],
    ours,
  );
  d.emit("order-completed", `Error in ${receipt.transactionHash}: ${ending.logs.split("\n")[0]}`, {
    orderId,
    status: "Error",
    reason: ending.logs.split("\n")[0],
  });
}

function reportDelivery(d: OrderDeps, orderId: bigint, delivery: Delivery, what: string): void {
  d.emit(
    "result-uploaded",
    `${what} uploaded (sha256 ${delivery.resultHash}) and sealed for ${delivery.pointers.length} recipient(s)`,
    { orderId, resultHash: delivery.resultHash },
  );
  for (const unsealed of delivery.unsealed) {
    d.emit("warning", `no pointer for ${unsealed}; that recipient gets an empty one`, { orderId });
  }
}

async function complete(
  d: OrderDeps,
  orderId: bigint,
  status: "Done" | "Error" | "Canceled",
  resultHash: Hex,
  pointers: Hex[],
  signed: boolean,
): Promise<TransactionReceipt> {
  const call = await completeOrderCall(d.ctx, {
    orderId,
    status,
    resultHash,
    pointers,
    ...(signed && status !== "Canceled" ? { signer: d.keys.signingKey } : {}),
  });
  return d.writer.send(call, `completing order ${orderId} (${status})`);
}

/**
 * Ends an order this agent cannot run: Canceled when the consumer asked (Canceling), else Error with
 * `reason` as its logs, delivered to the recipients, the receipt unsigned when the order's enclave
 * is not this one (the contract takes an Error receipt on the operator's word).
 *
 * @param d See {@link OrderDeps}.
 * @param orderId The order (Processing or Canceling).
 * @param reason Why it ends, for its logs.
 * @example
 * await settleOrder(deps, 7n, "the enclave that ran it restarted with new keys");
 * @throws what the completion throws (a ContractError when the order changed meanwhile).
 */
export async function settleOrder(d: OrderDeps, orderId: bigint, reason: string): Promise<void> {
  const { ctx } = d;
  const [{ order }, params] = await Promise.all([
    d.read(`reading order ${orderId}`, () => getWorkflow(ctx, { orderId })),
    d.read(`reading order ${orderId}'s workflow`, () => getWorkflowParams(ctx, { orderId })),
  ]);
  const ours = order.teeKey.toLowerCase() === d.keys.teeKey.toLowerCase();
  await mkdir(d.workDirectory, { recursive: true, mode: 0o700 });
  const scratch = await mkdtemp(path.join(d.workDirectory, `order-${orderId}-settle-`));
  try {
    await finish(
      d,
      orderId,
      params.resultRecipients,
      { status: "Error", logs: `${reason}\n` },
      scratch,
      ours,
    );
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}
