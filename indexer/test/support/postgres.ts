/**
 * A real PostgreSQL server for the indexer's tests: Debian's `postgresql` package (`initdb` and
 * `postgres` from /usr/lib/postgresql/<version>/bin, or from the PATH), a fresh cluster in a
 * temporary directory, listening on 127.0.0.1 and a free port, trust authentication for local
 * tests only. PostgreSQL refuses to run as root: when the tests run as root (CI containers), the
 * server runs as the package's `postgres` user. `stop()` stops it and removes the cluster.
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { chown, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { freePort } from "../../../sdk/test/support/hardhatNode.js";

/** A running PostgreSQL server. */
export interface PostgresServer {
  /** `postgresql://postgres@127.0.0.1:<port>/postgres`. */
  readonly url: string;
  /** Stops the server and removes its cluster. Safe to call twice. */
  stop(): Promise<void>;
}

/** The directory holding `initdb` and `postgres`: the newest Debian version, else the PATH's. */
function postgresBinDir(): string {
  const debian = "/usr/lib/postgresql";
  if (existsSync(debian)) {
    const versions = readdirSync(debian)
      .filter((version) => existsSync(path.join(debian, version, "bin", "initdb")))
      .sort((a, b) => Number(b) - Number(a));
    if (versions[0] !== undefined) return path.join(debian, versions[0], "bin");
  }
  try {
    return execFileSync("pg_config", ["--bindir"], { encoding: "utf8" }).trim();
  } catch {
    throw new Error(
      "PostgreSQL is not installed: the indexer's tests need its server. Install Debian's package " +
        "(apt-get install postgresql), as .ci/run does.",
    );
  }
}

/**
 * Whether PostgreSQL's server is installed here. `.ci/run` installs it, so CI always runs the
 * PostgreSQL suites; on a laptop without it they are reported pending, not failed.
 */
export function postgresInstalled(): boolean {
  try {
    postgresBinDir();
    return true;
  } catch {
    return false;
  }
}

/** The uid and gid to run the server as: the `postgres` user when this process is root. */
function serverUser(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const id = (flag: string) => Number(execFileSync("id", [flag, "postgres"], { encoding: "utf8" }).trim());
  try {
    return { uid: id("-u"), gid: id("-g") };
  } catch {
    throw new Error(
      "running as root, and there is no postgres user to run PostgreSQL as (apt-get install postgresql)",
    );
  }
}

/**
 * Creates a cluster and starts PostgreSQL on 127.0.0.1; resolves once it accepts connections.
 *
 * @returns The server.
 * @example
 * const pg = await startPostgres();
 * process.env.DATABASE_URL = pg.url;
 * await pg.stop();
 */
export async function startPostgres(): Promise<PostgresServer> {
  const bin = postgresBinDir();
  const user = serverUser();
  const dir = await mkdtemp(path.join(tmpdir(), "tee-marketplace-pg-"));
  const data = path.join(dir, "data");
  if (user !== undefined) await chown(dir, user.uid, user.gid);
  const owner = user === undefined ? {} : { uid: user.uid, gid: user.gid };
  execFileSync(
    path.join(bin, "initdb"),
    ["-D", data, "-U", "postgres", "--auth=trust", "--encoding=UTF8", "--no-sync"],
    { stdio: "pipe", ...owner },
  );
  const port = await freePort();
  const child: ChildProcess = spawn(
    path.join(bin, "postgres"),
    ["-D", data, "-h", "127.0.0.1", "-p", String(port), "-k", dir, "-c", "fsync=off"],
    { stdio: ["ignore", "pipe", "pipe"], ...owner },
  );
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => (output = (output + chunk.toString()).slice(-8192)));
  child.stderr?.on("data", (chunk: Buffer) => (output = (output + chunk.toString()).slice(-8192)));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    if (child.exitCode === null && child.signalCode === null) {
      // SIGINT: PostgreSQL's fast shutdown.
      child.kill("SIGINT");
      const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
      await exited;
      clearTimeout(timer);
    }
    await rm(dir, { recursive: true, force: true });
  };
  process.once("exit", () => child.kill("SIGKILL"));

  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) {
      await stop();
      throw new Error(`PostgreSQL exited (${child.exitCode}) before accepting connections:\n${output}`);
    }
    try {
      execFileSync(path.join(bin, "pg_isready"), ["-h", "127.0.0.1", "-p", String(port), "-U", "postgres"], {
        stdio: "pipe",
      });
      break;
    } catch {
      if (Date.now() > deadline) {
        await stop();
        throw new Error(`PostgreSQL did not accept connections within 30 s:\n${output}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  return { url: `postgresql://postgres@127.0.0.1:${port}/postgres`, stop };
}
