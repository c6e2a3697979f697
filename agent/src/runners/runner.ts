/**
 * How a solution runs. Both runners give it Super Protocol's layout: its inputs read-only at
 * `/sp/inputs/input-0001`, `input-0002`, ... (in the order of the workflow's Data inputs), its output
 * directory at `/sp/output`, the order's report at `/sp/certs/order-report.json`, and the consumer's
 * arguments (JSON) in the environment variable `SP_ARGS`. `SP_INPUTS`, `SP_OUTPUT` and `SP_CERTS`
 * name the three directories, so a solution that reads them runs under both runners.
 */

/** The directories of one order's run, on the agent's machine. */
export interface RunLayout {
  /** The order's work directory; everything below is in it. */
  readonly workDirectory: string;
  /** Holds `input-0001`, `input-0002`, ... */
  readonly inputs: string;
  readonly output: string;
  readonly certs: string;
}

/** The solution as downloaded: an image archive for containers, an unpacked directory or a single file for processes. */
export interface PreparedSolution {
  /** The archive or file as stored (container runner), or the directory or file to run (process runner). */
  readonly path: string;
  /** Whether `path` is a directory unpacked from the solution's archive. */
  readonly unpacked: boolean;
}

/** What a run ended with. */
export interface RunOutcome {
  /** The exit code, or null when the solution was killed. */
  readonly exitCode: number | null;
  /** The last of what the solution wrote on stdout and stderr (at most {@link MAX_LOG_BYTES}). */
  readonly logs: string;
  readonly durationMs: number;
}

/** How much of a solution's output is kept for the logs. */
export const MAX_LOG_BYTES = 256 * 1024;

/** Runs solutions. */
export interface Runner {
  readonly kind: "container" | "process";
  /** What it is, for the operator. */
  readonly description: string;
  /** Whether it wants the solution's archive unpacked (process) or as stored (container). */
  readonly unpacksSolution: boolean;
  /**
   * Runs the solution until it exits or `signal` aborts (then it is killed and the outcome has a
   * null exit code).
   */
  run(params: {
    readonly orderId: bigint;
    readonly solution: PreparedSolution;
    readonly layout: RunLayout;
    readonly args: unknown;
    readonly signal: AbortSignal;
  }): Promise<RunOutcome>;
}

/**
 * Keeps the last `max` bytes of a stream of text chunks.
 *
 * @example
 * const tail = logTail(MAX_LOG_BYTES);
 * child.stdout.on("data", tail.add);
 * @throws nothing.
 */
export function logTail(max: number): { add(chunk: Buffer | string): void; text(): string } {
  let buffer = Buffer.alloc(0);
  let dropped = 0;
  return {
    add(chunk) {
      buffer = Buffer.concat([buffer, Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk)]);
      if (buffer.length > max) {
        dropped += buffer.length - max;
        buffer = buffer.subarray(buffer.length - max);
      }
    },
    text: () => (dropped > 0 ? `[${dropped} earlier bytes not kept]\n` : "") + buffer.toString("utf8"),
  };
}
