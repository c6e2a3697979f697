/// <reference types="node" />
/**
 * Directories travel as tar.gz archives: the directory's content at the archive's root (as `tar -C
 * dir -czf dir.tar.gz .` makes it), entries sorted by path, no owners. Unpacking extracts regular
 * files and directories only, never outside its target.
 */
import { readdir, stat } from "node:fs/promises";
import { join } from "node:path";
import { Readable, Writable } from "node:stream";

import { Pack, Unpack } from "tar";

import { FileFormatError, InputError } from "../../errors.js";
import { errorText } from "../../internal/fields.js";

const BLOCK = 512;

/** The entries of a directory to archive, and the size the uncompressed archive will have. */
export interface DirectoryListing {
  /** Relative paths (`/` separators) of every directory and regular file, sorted by UTF-8 bytes. */
  readonly paths: readonly string[];
  /** Size of the uncompressed tar stream (headers, padded content, end blocks; long names add more). */
  readonly tarBytes: number;
}

/**
 * Lists a directory for {@link packDirectory}. Runs before any upload, so a tree that cannot be
 * archived faithfully fails before a byte is sent.
 *
 * @throws {InputError} naming `path` when the directory cannot be read or holds a symbolic link or
 * another entry that is neither a regular file nor a directory.
 */
export async function listDirectory(root: string): Promise<DirectoryListing> {
  const paths: string[] = [];
  let tarBytes = 2 * BLOCK;
  const walk = async (relative: string): Promise<void> => {
    const directory = relative === "" ? root : join(root, relative);
    let entries;
    try {
      entries = await readdir(directory, { withFileTypes: true });
    } catch (error) {
      throw new InputError("path", `cannot read the directory ${directory} (${errorText(error)})`, {
        cause: error,
      });
    }
    for (const entry of entries) {
      const path = relative === "" ? entry.name : `${relative}/${entry.name}`;
      if (entry.isDirectory()) {
        paths.push(path);
        tarBytes += BLOCK;
        await walk(path);
      } else if (entry.isFile()) {
        paths.push(path);
        const { size } = await stat(join(root, path));
        tarBytes += BLOCK + Math.ceil(size / BLOCK) * BLOCK;
      } else {
        const kind = entry.isSymbolicLink() ? "a symbolic link" : "neither a regular file nor a directory";
        throw new InputError(
          "path",
          `${join(directory, entry.name)} is ${kind}; an uploaded directory holds regular files and ` +
            `directories only, so replace it with a copy of its target or remove it`,
        );
      }
    }
  };
  await walk("");
  paths.sort((a, b) => Buffer.compare(Buffer.from(a, "utf8"), Buffer.from(b, "utf8")));
  return { paths, tarBytes };
}

/** The uncompressed tar stream of `root`'s listed entries (gzip it with `node:zlib`). */
export function packDirectory(root: string, listing: DirectoryListing): Readable {
  const pack = new Pack({ cwd: root, portable: true, noDirRecurse: true, strict: true });
  for (const path of listing.paths) pack.add(path);
  pack.end();
  return Readable.from(pack, { objectMode: false });
}

/**
 * A writable stream stage that extracts an uncompressed tar stream into `directory`. Only regular
 * files and directories are extracted; any other entry (a link, a device) fails the stage, as does
 * an entry whose path would leave `directory`.
 *
 * @param archiveName The archive, for error messages.
 */
export function extractInto(directory: string, archiveName: string): Writable {
  const unpack = new Unpack({
    cwd: directory,
    strict: true,
    preserveOwner: false,
    filter: (path, entry) => {
      const type = "type" in entry ? entry.type : "File";
      if (type === "File" || type === "OldFile" || type === "ContiguousFile" || type === "Directory")
        return true;
      writable.destroy(
        new FileFormatError(
          archiveName,
          path,
          `is a ${type} entry; unpacking extracts regular files and directories only. ` +
            `Download without unpacking and extract it yourself`,
        ),
      );
      return false;
    },
  });
  const writable: Writable = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      if (unpack.write(chunk)) callback();
      else unpack.once("drain", () => callback());
    },
    final(callback) {
      unpack.once("finish", () => callback());
      unpack.end();
    },
  });
  unpack.on("error", (error: Error) =>
    writable.destroy(
      new FileFormatError(archiveName, "", `not a valid tar.gz archive: ${error.message}`, { cause: error }),
    ),
  );
  return writable;
}
