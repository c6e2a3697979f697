import {
  type MarketplaceContext,
  MarketplaceError,
  type RuntimeInfo,
  type Workflow,
  type WorkflowParams,
} from "@tee-marketplace/sdk";
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
export declare class OrderRefusedError extends MarketplaceError {
  name: string;
  /** Why, in words. */
  readonly reason: string;
  constructor(
    reason: string,
    options?: {
      cause?: unknown;
    },
  );
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
/**
 * Opens, checks and downloads an order's solution and datasets into its layout.
 *
 * @param p See {@link LoadParameters}.
 * @example
 * const { solution, args, runtimeInfo } = await loadInputs({ ctx, keys, workflow, params, layout, unpackSolution: true, maxBytes, read, emit, signal });
 * @throws {OrderRefusedError} with the reason when an envelope, a resource file or a download fails its check.
 */
export declare function loadInputs(p: LoadParameters): Promise<LoadedInputs>;
