/**
 * `tee-market files`: the sha256 of files and directories, as offers and resource files use it.
 * The commands as declared (names, options, help); each runs from `../files.ts`, loaded only when
 * the command runs, so `--help` loads neither viem nor the SDK.
 */
import type { Command, Group } from "../command.js";

const implementation = () => import("../files.js");

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
  run: (ctx, input) => implementation().then((m) => m.runHash(ctx, input)),
};

/** The `files` group. */
export const filesGroup: Group = {
  name: "files",
  summary: "Hash files and directories the way offers and resource files expect.",
  commands: [hash],
};
