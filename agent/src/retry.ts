/**
 * Retries with backoff for what fails for a while and then works again: an RPC that is down,
 * rate-limited or slow, an attestation service that asks to come back later. A revert, a refusal or
 * bad input is not retried: it fails the same way every time. The agent keeps going as long as it
 * runs; only its stop signal ends a retry loop.
 */
import {
  BaseError,
  HttpRequestError,
  LimitExceededRpcError,
  ResourceUnavailableRpcError,
  RpcRequestError,
  SocketClosedError,
  TimeoutError,
} from "viem";

import { ContractError } from "@tee-marketplace/sdk";

/** First wait after a failure. */
const FIRST_DELAY_MS = 250;
/** Longest wait between two attempts. */
const MAX_DELAY_MS = 30_000;

/** Node's error codes of a connection that failed, was refused or timed out. */
const NETWORK_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "EPIPE",
  "ETIMEDOUT",
  "EAI_AGAIN",
  "ENOTFOUND",
  "UND_ERR_SOCKET",
  "UND_ERR_CONNECT_TIMEOUT",
  "UND_ERR_HEADERS_TIMEOUT",
]);

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
export function isTransient(error: unknown): boolean {
  for (let current: unknown = error; current !== undefined && current !== null;) {
    if (current instanceof ContractError) return false;
    if ((current as Partial<Transient>).transient === true) return true;
    if (current instanceof HttpRequestError)
      return current.status === undefined || transientStatus(current.status);
    if (
      current instanceof TimeoutError ||
      current instanceof SocketClosedError ||
      current instanceof LimitExceededRpcError ||
      current instanceof ResourceUnavailableRpcError
    ) {
      return true;
    }
    if (current instanceof RpcRequestError && current.code === 429) return true;
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string" && NETWORK_CODES.has(code)) return true;
    current = current instanceof BaseError || current instanceof Error ? current.cause : undefined;
  }
  return false;
}

function transientStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

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
export async function withRetry<T>(attempt: () => Promise<T>, options: RetryOptions): Promise<T> {
  const retryIf = options.retryIf ?? isTransient;
  for (let attemptNumber = 1; ; attemptNumber++) {
    options.signal?.throwIfAborted();
    try {
      return await attempt();
    } catch (error) {
      if (!retryIf(error) || options.signal?.aborted === true) throw error;
      const backoff = Math.min(MAX_DELAY_MS, FIRST_DELAY_MS * 2 ** Math.min(attemptNumber - 1, 16));
      const asked = (error as Partial<Transient>).retryAfterMs;
      const delayMs = asked === undefined ? backoff : Math.min(MAX_DELAY_MS, Math.max(asked, FIRST_DELAY_MS));
      options.onRetry?.(options.what, error, delayMs, attemptNumber);
      await sleep(delayMs, options.signal);
    }
  }
}

/**
 * Waits `ms` milliseconds, or until `signal` aborts (then rejects with its reason).
 *
 * @example
 * await sleep(1000, controller.signal);
 * @throws the abort reason when `signal` aborts first.
 */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted === true) {
      reject(signal.reason);
      return;
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/**
 * The messages of an error and its causes, joined: what pattern checks on RPC answers look at
 * (nodes put the reason in the innermost error, viem in `details`).
 *
 * @example
 * if (/insufficient funds/i.test(errorText(error))) console.error("fund the operator's account");
 * @throws nothing.
 */
export function errorText(error: unknown): string {
  const parts: string[] = [];
  for (let current: unknown = error; current instanceof Error; current = current.cause) {
    parts.push(current.message, (current as { details?: string }).details ?? "");
  }
  return parts.filter((part) => part !== "").join(" ");
}

/**
 * One line that says what went wrong, for the operator: an HTTP failure with its status (or that
 * nothing answered, and why), else the first line of the error's messages.
 *
 * @example
 * emit("retrying", `reading the head: ${errorSummary(error)}`);
 * // reading the head: HTTP 429 from http://127.0.0.1:8545
 * @throws nothing.
 */
export function errorSummary(error: unknown): string {
  for (let current: unknown = error; current instanceof Error; current = current.cause) {
    if (current instanceof HttpRequestError) {
      const reason = current.cause instanceof Error ? errorText(current.cause).split("\n")[0] : "";
      return current.status === undefined
        ? `no answer from ${current.url}${reason === "" ? "" : ` (${reason})`}`
        : `HTTP ${current.status} from ${current.url}`;
    }
  }
  return errorText(error).split("\n")[0] ?? "";
}
