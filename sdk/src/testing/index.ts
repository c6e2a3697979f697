/**
 * @tee-marketplace/sdk/testing: helpers for tests, benchmarks and profiling, kept apart from the
 * main entry so an app's bundle never carries them.
 */
export { type RequestCounter, countingHttp } from "./countingHttp.js";
