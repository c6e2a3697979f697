import type { AgentConfig } from "../config.js";
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
export declare function selectRunner(config: AgentConfig["runner"]): Promise<{
  runner: Runner;
  why: string;
}>;
