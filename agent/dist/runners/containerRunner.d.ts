import { type RunLayout, type Runner } from "./runner.js";
/**
 * Whether a container engine answers (its daemon runs, not only its command exists).
 *
 * @param engine `docker` or `podman`.
 * @returns The server's version, or the reason it did not answer.
 * @example
 * const { ok, detail } = await containerEngineAnswers("docker");
 * @throws nothing.
 */
export declare function containerEngineAnswers(engine: string): Promise<{
  ok: boolean;
  detail: string;
}>;
/**
 * The arguments of `<engine> run` for one order.
 *
 * @example
 * spawn("docker", containerRunArguments("tee-market-order-7", "sha256:…", layout, "{}"));
 * @throws nothing.
 */
export declare function containerRunArguments(
  name: string,
  image: string,
  layout: RunLayout,
  args: string,
): string[];
/**
 * The container runner for an engine.
 *
 * @param engine `docker` or `podman`.
 * @example
 * const runner = containerRunner("docker");
 * @throws nothing here; `run` throws {@link StateError} when the image archive does not load.
 */
export declare function containerRunner(engine: string): Runner;
