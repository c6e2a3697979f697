/**
 * `--save-to <file>`: a command's JSON document written to a file instead of shown, as spctl's `get`
 * commands do; written to a temporary file first and renamed, so a failure leaves no half file.
 */
import { rename, writeFile } from "node:fs/promises";
import path from "node:path";

import type { CommandInput } from "./command.js";
import { type CommandResult, toJsonText } from "./output.js";

/**
 * `result` as is without `--save-to`; with it, its JSON document written to the file and a line
 * saying so (the `--json` output stays the document).
 */
export async function saveOrShow(
  cwd: string,
  input: CommandInput,
  result: CommandResult,
): Promise<CommandResult> {
  const saveTo = input.values["save-to"];
  if (typeof saveTo !== "string") return result;
  const file = path.resolve(cwd, saveTo);
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, `${toJsonText(result.json)}\n`);
  await rename(temporary, file);
  return { ...result, text: `The result has been saved to ${saveTo}` };
}
