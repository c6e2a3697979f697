/**
 * How a solution runs. Both runners give it Super Protocol's layout: its inputs read-only at
 * `/sp/inputs/input-0001`, `input-0002`, ... (in the order of the workflow's Data inputs), its output
 * directory at `/sp/output`, the order's report at `/sp/certs/order-report.json`, and the consumer's
 * arguments (JSON) in the environment variable `SP_ARGS`. `SP_INPUTS`, `SP_OUTPUT` and `SP_CERTS`
 * name the three directories, so a solution that reads them runs under both runners.
 */
/** How much of a solution's output is kept for the logs. */
export const MAX_LOG_BYTES = 256 * 1024;
/**
 * Keeps the last `max` bytes of a stream of text chunks.
 *
 * @example
 * const tail = logTail(MAX_LOG_BYTES);
 * child.stdout.on("data", tail.add);
 * @throws nothing.
 */
export function logTail(max) {
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
//# sourceMappingURL=runner.js.map
