/**
 * A static file server for the URL storage tests: node:http on 127.0.0.1 (a free port), serving the
 * files of one directory by their relative path (GET and HEAD), 404 for anything else. Stopped by
 * the test at the end.
 */
import { readFile } from "node:fs/promises";
import { type Server, createServer } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";

/** A running file server. */
export interface FileServer {
  /** `http://127.0.0.1:<port>`. */
  readonly url: string;
  /** The paths requested, in order. */
  readonly requests: string[];
  stop(): Promise<void>;
}

/** Serves the files under `root`. */
export async function startFileServer(root: string): Promise<FileServer> {
  const requests: string[] = [];
  const server: Server = createServer((request, response) => {
    const relative = decodeURIComponent(new URL(request.url ?? "/", "http://127.0.0.1").pathname).replace(
      /^\/+/,
      "",
    );
    requests.push(relative);
    const file = path.resolve(root, relative);
    if (!file.startsWith(`${path.resolve(root)}${path.sep}`)) {
      response.writeHead(404).end();
      return;
    }
    readFile(file).then(
      (body) => {
        response.writeHead(200, { "content-length": body.length });
        response.end(request.method === "HEAD" ? undefined : body);
      },
      () => response.writeHead(404).end(),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    stop: () =>
      new Promise((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}
