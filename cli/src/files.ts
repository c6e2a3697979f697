/**
 * `tee-market files hash`: the sha256 of a file, or of a directory with the SDK's documented
 * directory hash (version 1), as offers and resource files use it.
 */
import { stat } from "node:fs/promises";
import path from "node:path";

import { InputError } from "@tee-marketplace/sdk";
import { sha256Path } from "@tee-marketplace/sdk/node";
import type { CommandContext, CommandInput } from "./command.js";
import type { CommandResult } from "./output.js";

/** `files hash`. */
export async function runHash(ctx: CommandContext, input: CommandInput): Promise<CommandResult> {
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
    text: results.map((r) => `${r.hash.slice(2)}  ${r.path}${r.kind === "directory" ? "/" : ""}`).join("\n"),
    json: { files: results },
  };
}
