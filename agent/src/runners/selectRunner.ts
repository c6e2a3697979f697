/**
 * The runner the configuration asks for: the container runner, the process runner, or with `auto`
 * the container runner when the engine answers and the process runner (development) otherwise.
 */
import { mkdir } from "node:fs/promises";

import { InputError, StateError } from "@tee-marketplace/sdk";

import type { AgentConfig } from "../config.js";
import { containerEngineAnswers, containerRunner } from "./containerRunner.js";
import { processRunner } from "./processRunner.js";
import type { Runner } from "./runner.js";

/**
 * Chooses the runner and makes its work directory.
 *
 * @param config The configuration's `runner`.
 * @returns The runner, and why it was chosen (for the start-up line).
 * @example
 * const { runner, why } = await selectRunner(config.runner);
 * @throws {InputError} naming `runner.type` when `container` is asked for and the engine does not answer.
 * @throws {StateError} when the work directory cannot be made.
 */
export async function selectRunner(config: AgentConfig["runner"]): Promise<{ runner: Runner; why: string }> {
  await mkdir(config.workDirectory, { recursive: true, mode: 0o700 }).catch((error: unknown) => {
    throw new StateError(
      `Cannot make the work directory ${config.workDirectory} (${(error as Error).message}); set runner.workDirectory.`,
      { cause: error },
    );
  });
  if (config.type === "process") return { runner: processRunner(), why: "configured" };
  const engine = await containerEngineAnswers(config.engine);
  if (engine.ok)
    return { runner: containerRunner(config.engine), why: `${config.engine} ${engine.detail} answers` };
  if (config.type === "container") {
    throw new InputError(
      "runner.type",
      `is "container" but ${config.engine} does not answer (${engine.detail}); start its daemon or use "process" for development`,
    );
  }
  return { runner: processRunner(), why: `no container engine answers (${config.engine}: ${engine.detail})` };
}
