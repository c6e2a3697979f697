/**
 * What the CLI writes: the result on stdout (human text, or one JSON document with `--json`),
 * progress and errors on stderr. A spinner runs while a transaction is pending when stderr is a
 * terminal; otherwise plain progress lines are written.
 */

/** The process's streams and environment, passed in so tests and embedders can replace them. */
export interface Io {
  readonly stdout: { write(text: string): unknown };
  readonly stderr: { write(text: string): unknown; isTTY?: boolean; columns?: number };
  readonly stdin: NodeJS.ReadStream;
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
}

/** A bad command line or configuration: exit code 2. */
export class UsageError extends Error {
  override name = "UsageError";
}

/** What a command returns; `main` prints it. */
export interface CommandResult {
  /** Human output, printed when `--json` is not given. */
  text: string;
  /** The JSON document printed with `--json`. */
  json: unknown;
  /** Exit code (default 0); a non-zero code prints `error` on stderr. */
  exitCode?: number;
  /** One line for stderr when `exitCode` is non-zero. */
  error?: string;
}

/** JSON text with bigints as decimal strings. */
export function toJsonText(value: unknown, indent = 2): string {
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === "bigint" ? v.toString() : v), indent);
}

/** Rows padded into columns (two spaces between them). */
export function table(rows: readonly (readonly string[])[], indent = ""): string[] {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  return rows.map((row) =>
    (
      indent + row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0))).join("  ")
    ).trimEnd(),
  );
}

/** `label  value` lines, labels padded. */
export function fields(pairs: readonly (readonly [string, string])[], indent = "  "): string[] {
  return table(
    pairs.map(([k, v]) => [k, v]),
    indent,
  );
}

const FRAMES = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];

/** The progress of one pending step. */
interface Progress {
  update(text: string): void;
  stop(): void;
}

/**
 * Progress on stderr. With a terminal on stderr a spinner turns while a step is pending; otherwise
 * each transaction sent is one plain line (so a step refused before sending writes nothing).
 */
export class Output {
  private current: (Progress & { label: string }) | undefined;

  constructor(private readonly io: Io) {}

  /** Runs `step`, showing `label` (and the hash of any transaction it sends) until it settles. */
  async pending<T>(label: string, step: () => Promise<T>): Promise<T> {
    const progress = this.io.stderr.isTTY === true ? this.spinner(label) : this.plain();
    this.current = { ...progress, label };
    try {
      return await step();
    } finally {
      progress.stop();
      this.current = undefined;
    }
  }

  /** Called by the transport when a transaction is sent. */
  transactionSent(hash: string): void {
    this.current?.update(`${this.current.label}: transaction ${hash} sent, waiting for it to be mined`);
  }

  /** A note on stderr (never on stdout, so `--json` output stays one document). */
  note(text: string): void {
    this.io.stderr.write(`${text}\n`);
  }

  /** Without a terminal: one line per transaction sent, nothing for steps that send none. */
  private plain(): Progress {
    return { update: (text) => this.io.stderr.write(`${text}\n`), stop: () => undefined };
  }

  private spinner(label: string): Progress {
    let text = label;
    let frame = 0;
    const draw = () => {
      // One terminal line: a wrapped line would not be cleared by \r.
      const columns = this.io.stderr.columns ?? 0;
      const width = (columns > 10 ? columns : 80) - 3;
      const shown = text.length > width ? `${text.slice(0, Math.max(width - 1, 0))}…` : text;
      this.io.stderr.write(`\r\x1b[2K${FRAMES[frame % FRAMES.length]} ${shown}`);
      frame += 1;
    };
    draw();
    const timer = setInterval(draw, 80);
    timer.unref();
    return {
      update: (next) => {
        text = next;
        draw();
      },
      stop: () => {
        clearInterval(timer);
        this.io.stderr.write("\r\x1b[2K");
      },
    };
  }
}
