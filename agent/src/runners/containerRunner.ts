/**
 * The container runner: the solution is a container image archive (`docker save <image> | gzip`, as
 * Super Protocol's solutions are), loaded into the engine (`docker` or `podman`) and run with no
 * network, the inputs and the report mounted read-only at `/sp/inputs` and `/sp/certs` and the
 * output directory at `/sp/output`. The image is removed after the run.
 */
import { spawn } from "node:child_process";

import { StateError } from "@tee-marketplace/sdk";

import { MAX_LOG_BYTES, type RunLayout, type Runner, logTail } from "./runner.js";

/**
 * Whether a container engine answers (its daemon runs, not only its command exists).
 *
 * @param engine `docker` or `podman`.
 * @returns The server's version, or the reason it did not answer.
 * @example
 * const { ok, detail } = await containerEngineAnswers("docker");
 * @throws nothing.
 */
export async function containerEngineAnswers(engine: string): Promise<{ ok: boolean; detail: string }> {
  const { code, output } = await command(engine, ["version", "--format", "{{.Server.Version}}"], {
    timeoutMs: 10_000,
  });
  return code === 0
    ? { ok: true, detail: output.trim() }
    : { ok: false, detail: output.trim().split("\n").at(-1) ?? "" };
}

/**
 * The arguments of `<engine> run` for one order.
 *
 * @example
 * spawn("docker", containerRunArguments("tee-market-order-7", "sha256:…", layout, "{}"));
 * @throws nothing.
 */
export function containerRunArguments(
  name: string,
  image: string,
  layout: RunLayout,
  args: string,
): string[] {
  return [
    "run",
    "--rm",
    "--name",
    name,
    "--network",
    "none",
    "--volume",
    `${layout.inputs}:/sp/inputs:ro`,
    "--volume",
    `${layout.output}:/sp/output`,
    "--volume",
    `${layout.certs}:/sp/certs:ro`,
    "--env",
    "SP_INPUTS=/sp/inputs",
    "--env",
    "SP_OUTPUT=/sp/output",
    "--env",
    "SP_CERTS=/sp/certs",
    "--env",
    `SP_ARGS=${args}`,
    image,
  ];
}

/**
 * The container runner for an engine.
 *
 * @param engine `docker` or `podman`.
 * @example
 * const runner = containerRunner("docker");
 * @throws nothing here; `run` throws {@link StateError} when the image archive does not load.
 */
export function containerRunner(engine: string): Runner {
  return {
    kind: "container",
    description: `container runner (${engine}; no network, /sp/inputs and /sp/certs read-only)`,
    unpacksSolution: false,
    async run({ orderId, solution, layout, args, signal }) {
      const loaded = await command(engine, ["load", "--input", solution.path], { timeoutMs: 600_000 });
      const image = /Loaded image(?: ID)?: (\S+)/.exec(loaded.output)?.[1];
      if (loaded.code !== 0 || image === undefined) {
        throw new StateError(
          `${engine} could not load the solution's image archive: ${loaded.output.trim().slice(-500)}`,
        );
      }
      const name = `tee-market-order-${orderId}-${process.pid}`;
      const started = performance.now();
      const logs = logTail(MAX_LOG_BYTES);
      const stop = () => void command(engine, ["kill", name], { timeoutMs: 30_000 });
      signal.addEventListener("abort", stop, { once: true });
      try {
        const run = await command(
          engine,
          containerRunArguments(name, image, layout, JSON.stringify(args ?? null)),
          {
            onOutput: logs.add,
          },
        );
        return {
          exitCode: signal.aborted ? null : run.code,
          logs: logs.text(),
          durationMs: performance.now() - started,
        };
      } finally {
        signal.removeEventListener("abort", stop);
        await command(engine, ["image", "rm", "--force", image], { timeoutMs: 60_000 });
      }
    },
  };
}

/** Runs a command; resolves with its exit code (null when it could not start or timed out) and output. */
function command(
  file: string,
  args: string[],
  options: { timeoutMs?: number; onOutput?: (chunk: Buffer) => void },
): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const tail = logTail(MAX_LOG_BYTES);
    const child = spawn(file, args, {
      stdio: ["ignore", "pipe", "pipe"],
      ...(options.timeoutMs === undefined ? {} : { timeout: options.timeoutMs }),
    });
    const add = (chunk: Buffer) => {
      tail.add(chunk);
      options.onOutput?.(chunk);
    };
    child.stdout.on("data", add);
    child.stderr.on("data", add);
    child.once("error", (error) => resolve({ code: null, output: `${file}: ${error.message}` }));
    child.once("close", (code) => resolve({ code, output: tail.text() }));
  });
}
