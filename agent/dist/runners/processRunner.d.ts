import { type Runner } from "./runner.js";
/** The file of an unpacked solution that is run. */
export declare const ENTRYPOINT = "entrypoint";
/**
 * The process runner.
 *
 * @example
 * const runner = processRunner();
 * const outcome = await runner.run({ orderId, solution, layout, args, signal });
 * @throws nothing here; `run` throws {@link StateError} when the solution has no entrypoint.
 */
export declare function processRunner(): Runner;
