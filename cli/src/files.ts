/**
 * `tee-market files hash`: the sha256 of a file, or of a directory with the SDK's documented
 * directory hash (version 1), as offers and resource files use it.
 */
import { stat } from "node:fs/promises";
import path from "node:path";

import { InputError } from "@tee-marketplace/sdk";
import { sha256Path } from "@tee-marketplace/sdk/node";
import type { Command, Group } from "./command.js";

const hash: Command = {
  name: "hash",
  summary: "Print the sha256 of files and directories (content hashes of offers and resource files).",
  args: "<path> [<path> ...]",
  positionals: { min: 1, max: Number.MAX_SAFE_INTEGER },
  details: [
    "A directory is hashed as the SDK documents (version 1): every regular file by its relative path,",
    "sorted by UTF-8 bytes, each as <path> NUL <size> NUL <sha256> LF, and the sha256 of those records.",
    "Output: the hash in 64 hex digits (as in *.resource.json) and the path, like sha256sum.",
  ],
  async run(ctx, input) {
    const results = [];
    for (const name of input.positionals) {
      const file = path.resolve(ctx.io.cwd, name);
      const hashValue = await sha256Path(file).catch((error: unknown) => {
        // The SDK names its parameter ("path: ..."); here the path is in the message already.
        throw error instanceof InputError ? new InputError("", error.detail, { cause: error }) : error;
      });
      const kind = (await stat(file)).isDirectory() ? "directory" : "file";
      results.push({ path: name, kind, algo: "sha256", hash: hashValue });
    }
    return {
      text: results
        .map((r) => `${r.hash.slice(2)}  ${r.path}${r.kind === "directory" ? "/" : ""}`)
        .join("\n"),
      json: { files: results },
    };
  },
};

/** The `files` group. */
export const filesGroup: Group = {
  name: "files",
  summary: "Hash files and directories the way offers and resource files expect.",
  commands: [hash],
};
