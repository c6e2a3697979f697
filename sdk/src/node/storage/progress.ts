/// <reference types="node" />
/**
 * Progress of uploads and downloads: the event the transfer functions report, the stream stage
 * that counts the bytes, and a renderer for a terminal or a log.
 */
import { Transform } from "node:stream";

/** What an upload or download reports while it runs. */
export interface TransferProgress {
  /** `"upload"` or `"download"`. */
  readonly phase: "upload" | "download";
  /** Bytes moved so far (an upload counts what it read, a download what it received). */
  readonly bytes: number;
  /** Bytes expected in all, when known (for a directory, an estimate of its archive's size). */
  readonly total: number | undefined;
  /** True once, on the last event, when the transfer has finished. */
  readonly done: boolean;
}

/** A callback for {@link TransferProgress} events. */
export type ProgressListener = (progress: TransferProgress) => void;

/** Where {@link progressReporter} writes: a stream with `write`, a terminal when `isTTY` is true. */
export interface ProgressOutput {
  write(text: string): unknown;
  readonly isTTY?: boolean;
}

const TTY_REDRAW_MS = 100;

/**
 * A {@link ProgressListener} that prints progress: on a terminal one line rewritten in place (bytes,
 * percentage, rate, time left), otherwise one line per 10% (or one line at the end when the total
 * is unknown), so logs stay short.
 *
 * @param options `output`: where to write (default `process.stderr`); `label`: the line's start
 * (default `"Uploading"` or `"Downloading"`); `now`: a clock in milliseconds (default `Date.now`).
 * @example
 * const resource = await uploadFile("./dataset", { onProgress: progressReporter({ label: "dataset" }) });
 * // dataset: 512.0 MiB / 1.0 GiB (50%), 210.4 MiB/s, 3s left
 * @throws nothing: it only writes to `output`.
 */
export function progressReporter(
  options: { output?: ProgressOutput; label?: string; now?: () => number } = {},
): ProgressListener {
  const output = options.output ?? process.stderr;
  const now = options.now ?? Date.now;
  let started: number | undefined;
  let lastDraw = -Infinity;
  let lastTenth = 0;
  return (progress) => {
    const time = now();
    started ??= time;
    const label = options.label ?? (progress.phase === "upload" ? "Uploading" : "Downloading");
    const seconds = (time - started) / 1000;
    const rate = seconds > 0 ? progress.bytes / seconds : undefined;
    if (output.isTTY === true) {
      if (!progress.done && time - lastDraw < TTY_REDRAW_MS) return;
      lastDraw = time;
      output.write(`\r\x1b[2K${label}: ${describeProgress(progress, rate)}${progress.done ? "\n" : ""}`);
      return;
    }
    if (progress.done) {
      output.write(
        `${label}: ${formatBytes(progress.bytes)} in ${formatSeconds(seconds)}${rateText(rate)}, done\n`,
      );
      return;
    }
    if (progress.total === undefined || progress.total <= 0) return;
    const tenth = Math.min(9, Math.floor((progress.bytes / progress.total) * 10));
    if (tenth <= lastTenth) return;
    lastTenth = tenth;
    output.write(`${label}: ${describeProgress(progress, rate)}\n`);
  };
}

/**
 * A pass-through stream stage that counts the bytes flowing through it and reports them.
 *
 * @param phase The transfer's phase, copied into each event.
 * @param total The expected byte count, when known.
 * @param listener Called for each chunk, and once with `done: true` when the stream ends.
 */
export function progressTap(
  phase: TransferProgress["phase"],
  total: number | undefined,
  listener: ProgressListener | undefined,
): Transform {
  let bytes = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      bytes += chunk.length;
      listener?.({ phase, bytes, total, done: false });
      callback(null, chunk);
    },
    flush(callback) {
      listener?.({
        phase,
        bytes,
        total: total === undefined ? undefined : Math.max(total, bytes),
        done: true,
      });
      callback();
    },
  });
}

function describeProgress(progress: TransferProgress, rate: number | undefined): string {
  const { bytes, total } = progress;
  let text = formatBytes(bytes);
  if (total !== undefined && total > 0) {
    const percent = progress.done ? 100 : Math.min(99, Math.floor((bytes / total) * 100));
    text += ` / ${formatBytes(Math.max(total, bytes))} (${percent}%)`;
  }
  text += rateText(rate);
  if (!progress.done && total !== undefined && rate !== undefined && rate > 0 && total > bytes) {
    text += `, ${formatSeconds((total - bytes) / rate)} left`;
  }
  return text;
}

function rateText(rate: number | undefined): string {
  return rate === undefined ? "" : `, ${formatBytes(rate)}/s`;
}

/** Bytes in binary units: `512 B`, `1.5 KiB`, `210.4 MiB`, `1.0 GiB`. */
function formatBytes(bytes: number): string {
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return unit === 0 ? `${Math.round(value)} B` : `${value.toFixed(1)} ${units[unit]}`;
}

/** Seconds as `42s`, `3m05s` or `1h02m`. */
function formatSeconds(seconds: number): string {
  const whole = Math.ceil(seconds);
  if (whole < 60) return `${whole}s`;
  if (whole < 3600) return `${Math.floor(whole / 60)}m${String(whole % 60).padStart(2, "0")}s`;
  return `${Math.floor(whole / 3600)}h${String(Math.floor((whole % 3600) / 60)).padStart(2, "0")}m`;
}
