/**
 * The URL backend against a real HTTP server (node:http on 127.0.0.1, a free port, closed at the
 * end) serving an object that uploadFile encrypted.
 */
import { expect } from "chai";
import { createHash } from "node:crypto";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { type Server, createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";

import { InputError, ObjectNotFoundError, type ResourceFileJson, StorageError } from "../../../src/index.js";
import { createStorage, deleteResource, downloadResource, uploadFile } from "../../../src/node/index.js";
import { caught, listing } from "../../support/storage.js";

describe("node/storage: URL backend (node:http on 127.0.0.1)", function () {
  let scratch: string;
  let server: Server;
  let base: string;
  let content: Buffer;
  let encrypted: Buffer;
  let uploaded: ResourceFileJson;
  const stalled: (() => void)[] = [];

  /** The uploaded resource, pointed at a URL instead of the FS storage. */
  const atUrl = (url: string): ResourceFileJson => ({ ...uploaded, resource: { type: "URL", url } });

  before(async function () {
    scratch = await mkdtemp(path.join(tmpdir(), "tee-marketplace-url-"));
    content = Buffer.from("a solution archive, served over HTTP\n".repeat(2000));
    await writeFile(path.join(scratch, "solution.tar.gz"), content);
    uploaded = await uploadFile(path.join(scratch, "solution.tar.gz"), {
      storage: { type: "FS", directory: path.join(scratch, "store") },
      filename: "solution.tar.gz",
    });
    encrypted = await readFile(path.join(scratch, "store", "solution.tar.gz.encrypted"));
    server = createServer((request, response) => {
      const url = request.url ?? "";
      if (url === "/files/solution.tar.gz.encrypted") {
        response.writeHead(200, { "content-length": encrypted.length });
        response.end(request.method === "HEAD" ? undefined : encrypted);
      } else if (url === "/moved") {
        response.writeHead(302, { location: "/files/solution.tar.gz.encrypted" });
        response.end();
      } else if (url === "/chunked") {
        response.writeHead(200);
        response.write(encrypted.subarray(0, 1000));
        response.end(encrypted.subarray(1000));
      } else if (url === "/stall") {
        response.writeHead(200, { "content-length": encrypted.length });
        response.write(encrypted.subarray(0, 100));
        stalled.push(() => response.destroy());
      } else {
        response.writeHead(404);
        response.end();
      }
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  after(async function () {
    for (const release of stalled) release();
    await new Promise((resolve) => server?.close(resolve));
    await rm(scratch, { recursive: true, force: true });
  });

  it("downloads, decrypts and checks an encrypted object at a URL", async function () {
    const destination = path.join(scratch, "out");
    const result = await downloadResource(atUrl(`${base}/files/solution.tar.gz.encrypted`), destination);
    expect(result.path, "path").to.equal(path.join(destination, "solution.tar.gz"));
    expect((await readFile(result.path)).equals(content), "downloaded bytes").to.equal(true);
    expect(result.hash, "hash").to.equal(`0x${createHash("sha256").update(content).digest("hex")}`);
  });

  it("follows a redirect", async function () {
    const result = await downloadResource(atUrl(`${base}/moved`), path.join(scratch, "redirected"), {
      filename: "solution.tar.gz",
    });
    expect((await readFile(result.path)).equals(content), "downloaded bytes").to.equal(true);
  });

  it("reports HTTP 404 as ObjectNotFoundError, leaving the destination empty", async function () {
    const destination = path.join(scratch, "not-found");
    await mkdir(destination);
    const error = await caught(() => downloadResource(atUrl(`${base}/files/gone.encrypted`), destination));
    expect(error, "error").to.be.instanceOf(ObjectNotFoundError);
    expect(await listing(destination), "destination").to.deep.equal([]);
  });

  it("caps the response size, by Content-Length and while streaming", async function () {
    for (const url of [`${base}/files/solution.tar.gz.encrypted`, `${base}/chunked`]) {
      const destination = path.join(scratch, `capped-${url.length}`);
      await mkdir(destination);
      const error = await caught(() =>
        downloadResource(atUrl(url), destination, {
          storage: { type: "URL", maxBytes: 4096 },
          filename: "x",
        }),
      );
      expect(error, `error for ${url}`).to.be.instanceOf(StorageError);
      expect((error as Error).message, "message").to.include("4096-byte cap");
      expect(await listing(destination), "destination").to.deep.equal([]);
    }
  });

  it("times out when the server stops sending, leaving the destination empty", async function () {
    const destination = path.join(scratch, "stalled");
    await mkdir(destination);
    const error = await caught(() =>
      downloadResource(atUrl(`${base}/stall`), destination, {
        storage: { type: "URL", timeoutMs: 300 },
        filename: "x",
      }),
    );
    expect(error, "error").to.be.instanceOf(StorageError);
    expect((error as Error).message, "message").to.include("timed out");
    expect(await listing(destination), "destination").to.deep.equal([]);
  });

  it("refuses plain HTTP to anything but a loopback address, before any request", async function () {
    for (const url of ["http://example.com/solution.tar.gz", "ftp://127.0.0.1/x", "file:///etc/passwd"]) {
      const error = await caught(() => downloadResource(atUrl(url), path.join(scratch, "never")));
      expect(error, `error for ${url}`).to.be.instanceOf(InputError);
      expect((error as InputError).field, "field").to.equal("url");
    }
    expect(await listing(scratch), "scratch").to.not.include("never");
  });

  it("is read-only: no upload, no delete; exists asks with HEAD", async function () {
    const upload = await caught(() =>
      uploadFile(path.join(scratch, "solution.tar.gz"), { storage: { type: "URL" } }),
    );
    expect(upload, "upload").to.be.instanceOf(InputError);
    expect((upload as InputError).field, "field").to.equal("storage");
    const removal = await caught(() => deleteResource(atUrl(`${base}/files/solution.tar.gz.encrypted`)));
    expect(removal, "delete").to.be.instanceOf(StorageError);
    expect((removal as Error).message, "message").to.include("read-only");
    const storage = createStorage({ type: "URL" });
    expect(await storage.exists(`${base}/files/solution.tar.gz.encrypted`), "existing").to.equal(true);
    expect(await storage.exists(`${base}/files/gone`), "missing").to.equal(false);
  });
});
