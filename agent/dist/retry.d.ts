/** An error that says: try again later (`retryAfterMs` when the server said when). */
export interface Transient {
  readonly transient: true;
  readonly retryAfterMs?: number;
}
/**
 * Whether an error is worth retrying: the network failed, the server answered 429 or 5xx, the RPC
 * said its limits were exceeded or a resource is unavailable, a request timed out, or the error
 * says so itself ({@link Transient}). A contract revert never is.
 *
 * @param error Anything thrown.
 * @example
 * if (!isTransient(error)) throw error;
 * @throws nothing.
 */
export declare function isTransient(error: unknown): boolean;
/** How a retry loop reports and ends. */
export interface RetryOptions {
  /** What is being done, for the report ("reading order 7"). */
  readonly what: string;
  /** Called before each wait. */
  readonly onRetry?: (what: string, error: unknown, delayMs: number, attempt: number) => void;
  /** Ends the loop: the last error is thrown (or the abort reason when nothing failed yet). */
  readonly signal?: AbortSignal;
  /** Retry these too (default: {@link isTransient} only). */
  readonly retryIf?: (error: unknown) => boolean;
}
/**
 * Runs `attempt` until it succeeds, waiting 250 ms, 500 ms, 1 s, ... (at most 30 s, or what the
 * server asked) after each transient failure. Any other error is thrown at once.
 *
 * @param attempt The operation.
 * @param options See {@link RetryOptions}.
 * @example
 * const block = await withRetry(() => getBlockNumber(client), { what: "reading the head", signal });
 * @throws whatever `attempt` throws that is not transient; the abort reason when stopped.
 */
export declare function withRetry<T>(attempt: () => Promise<T>, options: RetryOptions): Promise<T>;
/**
 * Waits `ms` milliseconds, or until `signal` aborts (then rejects with its reason).
 *
 * @example
 * await sleep(1000, controller.signal);
 * @throws the abort reason when `signal` aborts first.
 */
export declare function sleep(ms: number, signal?: AbortSignal): Promise<void>;
/**
 * The messages of an error and its causes, joined: what pattern checks on RPC answers look at
 * (nodes put the reason in the innermost error, viem in `details`).
 *
 * @example
 * if (/insufficient funds/i.test(errorText(error))) console.error("fund the operator's account");
 * @throws nothing.
 */
export declare function errorText(error: unknown): string;
/**
 * One line that says what went wrong, for the operator: an HTTP failure with its status (or that
 * nothing answered, and why), else the first line of the error's messages.
 *
 * @example
 * emit("retrying", `reading the head: ${errorSummary(error)}`);
 * // reading the head: HTTP 429 from http://127.0.0.1:8545
 * @throws nothing.
 */
export declare function errorSummary(error: unknown): string;
