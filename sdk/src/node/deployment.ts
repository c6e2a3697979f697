/// <reference types="node" />
/**
 * Reading `deployments/<network>.json` from disk (Node only).
 */
import { readFile } from "node:fs/promises";
import path from "node:path";

import { type Deployment, parseDeployment } from "../deployment.js";
import { FileFormatError, InputError } from "../errors.js";
import { errorText } from "../internal/fields.js";

/**
 * Reads a deployment file written by the deploy script (`scripts/deploy.ts`) and checks it with
 * `parseDeployment`.
 *
 * @param fileOrNetwork A path to a JSON file (anything ending in `.json` or holding a path
 * separator), or a network name (`"opbnbTestnet"`), read as `<root>/deployments/<network>.json`.
 * @param root Directory holding `deployments/` (default: the current working directory).
 * @example
 * const deployment = await readDeployment("opbnbTestnet"); // ./deployments/opbnbTestnet.json
 * const local = await readDeployment("./tmp/localhost.json");
 * @throws {InputError} naming `fileOrNetwork` when the file cannot be read.
 * @throws {FileFormatError} with the path and the field when it is not JSON or not a deployment.
 */
export async function readDeployment(fileOrNetwork: string, root?: string): Promise<Deployment> {
  if (typeof fileOrNetwork !== "string" || fileOrNetwork === "") {
    throw new InputError("fileOrNetwork", "expected a deployment file path or a network name");
  }
  const isFile =
    fileOrNetwork.endsWith(".json") || fileOrNetwork.includes("/") || fileOrNetwork.includes(path.sep);
  const file = isFile
    ? path.resolve(root ?? process.cwd(), fileOrNetwork)
    : path.join(root ?? process.cwd(), "deployments", `${fileOrNetwork}.json`);
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    const hint = isFile
      ? "check the path"
      : `deploy to ${fileOrNetwork} first (npx hardhat run scripts/deploy.ts --network ${fileOrNetwork}), or pass the root holding deployments/`;
    throw new InputError("fileOrNetwork", `cannot read ${file} (${errorText(error)}); ${hint}`, {
      cause: error,
    });
  }
  let json: unknown;
  try {
    json = JSON.parse(text) as unknown;
  } catch (error) {
    throw new FileFormatError(file, "", `not valid JSON: ${errorText(error)}`, { cause: error });
  }
  try {
    return parseDeployment(json);
  } catch (error) {
    if (error instanceof InputError)
      throw new FileFormatError(file, error.field, error.detail, { cause: error });
    throw error;
  }
}
