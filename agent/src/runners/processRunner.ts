/**
 * The process runner, for development machines without a container engine: the solution runs as a
 * child process of the agent, with no isolation from the machine beyond its own environment. It
 * gets the same layout as in a container, in the order's work directory instead of at `/sp` (a
 * process cannot be given `/sp` without root and mount namespaces): `SP_INPUTS`, `SP_OUTPUT` and
 * `SP_CERTS` name the directories. The solution is its archive's `entrypoint` file (any executable:
 * a script with a `#!` line, a binary), or the uploaded file itself when it is not an archive. Its
 * environment holds the layout, `SP_ARGS`, `PATH`, `HOME` (the work directory) and `LANG` only:
 * nothing of the agent's (its keys above all).
 */
import { spawn } from "node:child_process";
import { chmod, stat } from "node:fs/promises";
import path from "node:path";

import { StateError } from "@tee-marketplace/sdk";

import { MAX_LOG_BYTES, type Runner, logTail } from "./runner.js";

/** The file of an unpacked solution that is run. */
export const ENTRYPOINT = "entrypoint";

/**
 * The process runner.
 *
 * @example
 * const runner = processRunner();
 * const outcome = await runner.run({ orderId, solution, layout, args, signal });
 * @throws nothing here; `run` throws {@link StateError} when the solution has no entrypoint.
 */
export function processRunner(): Runner {
  return {
    kind: "process",
    description:
      "process runner (development: no isolation; /sp/... is the order's work directory, named by SP_INPUTS, SP_OUTPUT, SP_CERTS)",
    unpacksSolution: true,
    async run({ solution, layout, args, signal }) {
      const entrypoint = solution.unpacked ? path.join(solution.path, ENTRYPOINT) : solution.path;
      const info = await stat(entrypoint).catch(() => undefined);
      if (info === undefined || !info.isFile()) {
        throw new StateError(
          `The solution has no ${ENTRYPOINT} file: the process runner runs the archive's ${ENTRYPOINT} ` +
            "(or a solution uploaded as a single file)",
        );
      }
      await chmod(entrypoint, 0o700);
      const started = performance.now();
      const logs = logTail(MAX_LOG_BYTES);
      const child = spawn(entrypoint, [], {
        cwd: layout.workDirectory,
        detached: true,
        stdio: ["ignore", "pipe", "pipe"],
        env: {
          PATH: process.env["PATH"] ?? "/usr/local/bin:/usr/bin:/bin",
          HOME: layout.workDirectory,
          LANG: "C.UTF-8",
          SP_INPUTS: layout.inputs,
          SP_OUTPUT: layout.output,
          SP_CERTS: layout.certs,
          SP_ARGS: JSON.stringify(args ?? null),
        },
      });
      child.stdout.on("data", logs.add);
      child.stderr.on("data", logs.add);
      const kill = () => {
        if (child.pid !== undefined && child.exitCode === null) {
          try {
            process.kill(-child.pid, "SIGKILL");
          } catch {
            child.kill("SIGKILL");
          }
        }
      };
      signal.addEventListener("abort", kill, { once: true });
      if (signal.aborted) kill();
      const exitCode = await new Promise<number | null>((resolve) => {
        child.once("error", (error) => {
          logs.add(`cannot start ${entrypoint}: ${error.message}\n`);
          resolve(null);
        });
        child.once("close", (code) => resolve(code));
      });
      signal.removeEventListener("abort", kill);
      return { exitCode, logs: logs.text(), durationMs: performance.now() - started };
    },
  };
}
