import { readFileSync } from "node:fs";

import { fixture } from "./paths.js";

/** A fixture file parsed as JSON, as a fresh mutable copy. */
export function fixtureJson(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(fixture(name), "utf8")) as Record<string, unknown>;
}
