/**
 * Helpers for the storage tests: a real S3-compatible server (s3rver) on 127.0.0.1, directory
 * listings, small trees on disk.
 */
import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import type { Server } from "node:http";
import path from "node:path";

import S3rver from "s3rver";

/** s3rver's fixed account. */
export const S3RVER_KEYS = { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" } as const;

/** A running s3rver with one bucket, and the request lines it received (`METHOD /path?query`). */
export interface S3Server {
  readonly endpoint: string;
  readonly bucket: string;
  readonly requests: string[];
  stop(): Promise<void>;
}

/** Starts s3rver on 127.0.0.1, on a free port, storing into `directory`, with the bucket `bucket`. */
export async function startS3Server(directory: string, bucket = "marketplace"): Promise<S3Server> {
  const server = new S3rver({
    port: 0,
    address: "127.0.0.1",
    directory,
    silent: true,
    configureBuckets: [{ name: bucket, configs: [] }],
  });
  const { port } = await server.run();
  const requests: string[] = [];
  // s3rver keeps its node:http server here after run(); the types do not declare it.
  (server as unknown as { httpServer: Server }).httpServer.on("request", (request) => {
    requests.push(`${request.method} ${request.url}`);
  });
  return { endpoint: `http://127.0.0.1:${port}`, bucket, requests, stop: () => server.close() };
}

/** The entries of a directory, hidden ones included, sorted. */
export async function listing(directory: string): Promise<string[]> {
  return (await readdir(directory)).sort();
}

/** Every file under `root` as `relative path → content`, and every directory as `relative path/ → ""`. */
export async function readTree(root: string, relative = ""): Promise<Record<string, string>> {
  const tree: Record<string, string> = {};
  for (const entry of await readdir(path.join(root, relative), { withFileTypes: true })) {
    const entryPath = relative === "" ? entry.name : `${relative}/${entry.name}`;
    if (entry.isDirectory()) {
      tree[`${entryPath}/`] = "";
      Object.assign(tree, await readTree(root, entryPath));
    } else tree[entryPath] = await readFile(path.join(root, entryPath), "utf8");
  }
  return tree;
}

/** Writes a tree given as {@link readTree} returns it. */
export async function writeTree(root: string, tree: Record<string, string>): Promise<void> {
  await mkdir(root, { recursive: true });
  for (const [entryPath, content] of Object.entries(tree)) {
    if (entryPath.endsWith("/")) await mkdir(path.join(root, entryPath), { recursive: true });
    else {
      await mkdir(path.dirname(path.join(root, entryPath)), { recursive: true });
      await writeFile(path.join(root, entryPath), content);
    }
  }
}

/** The error `fn` rejects with, or undefined when it resolves. */
export async function caught(fn: () => Promise<unknown>): Promise<unknown> {
  try {
    await fn();
  } catch (error) {
    return error;
  }
  return undefined;
}
