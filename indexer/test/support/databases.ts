/**
 * The databases an index is tested on: PGlite everywhere, PostgreSQL where its server is installed
 * (`.ci/run` installs it; elsewhere those suites are reported pending with how to install it).
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import type { IndexDatabase } from "./indexer.js";
import { postgresInstalled, startPostgres } from "./postgres.js";

/** A database made for one suite, and how to drop it afterwards. */
export interface TestDatabase {
  database: IndexDatabase;
  drop(): Promise<void>;
}

/** A fresh database of `kind`: a temporary PGlite directory, or a PostgreSQL server on 127.0.0.1. */
export async function createTestDatabase(kind: IndexDatabase["kind"]): Promise<TestDatabase> {
  if (kind === "pglite") {
    const directory = await mkdtemp(path.join(tmpdir(), "tee-marketplace-pglite-"));
    return { database: { kind, directory }, drop: () => rm(directory, { recursive: true, force: true }) };
  }
  const postgres = await startPostgres();
  return { database: { kind, url: postgres.url }, drop: () => postgres.stop() };
}

/** Declares the suite `body` once per database kind, titled `${title} PGlite` and `${title} PostgreSQL`. */
export function describeOnEachDatabase(title: string, body: (kind: IndexDatabase["kind"]) => void): void {
  describe(`${title} PGlite`, function () {
    body("pglite");
  });
  if (postgresInstalled()) {
    describe(`${title} PostgreSQL`, function () {
      body("postgres");
    });
  } else {
    describe.skip(`${title} PostgreSQL (not installed here: apt-get install postgresql)`, function () {
      body("postgres");
    });
  }
}
