/**
 * Running the built `tee-market` CLI as a user would (its bin, `node cli/bin/tee-market.js ...`, in a
 * child process), and writing Ethereum v3 keystore files for it with node:crypto.
 */
import { spawn } from "node:child_process";
import { createCipheriv, pbkdf2Sync, randomBytes, randomUUID, scryptSync } from "node:crypto";
import { existsSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import path from "node:path";

import { type Hex, concat, hexToBytes, keccak256 } from "viem";
import { privateKeyToAccount } from "viem/accounts";

import { repoRoot } from "../../../sdk/test/support/paths.js";

/** The CLI package. */
export const cliRoot = path.join(repoRoot, "cli");
/** The command's bin (the launcher); it runs the built CLI. */
export const cliBin = path.join(cliRoot, "bin", "tee-market.js");
/** The built CLI: `npm run build` (or `npm run build -w @tee-marketplace/cli`) writes it. */
export const cliMain = path.join(cliRoot, "dist", "main.js");

/** Fails early, with what to run, when the CLI has not been built. */
export function requireBuiltCli(): void {
  if (!existsSync(cliMain)) {
    throw new Error(`${cliMain} does not exist: build the CLI first (npm run build)`);
  }
}

/** What one run of the CLI did. */
export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
  /** The lines of stderr that are errors (`Error: ...`), as opposed to progress lines. */
  errors: string[];
}

/**
 * Runs `node cli/bin/tee-market.js ...args` in `cwd` with the test's environment minus anything
 * that would change the CLI's behaviour (NODE_OPTIONS, TEE_MARKET_*), plus `env`. stdin is not a
 * terminal, so the CLI never prompts. With `fileSizeLimit` (in 512-byte blocks) the process runs
 * under `ulimit -f`: the kernel refuses to grow any file past it (EFBIG), as a full disk refuses a
 * write, whoever runs the tests (root included). With CLI_TRANSCRIPT set, every run is printed
 * (command, stdout, stderr, exit code).
 */
export async function runCli(
  args: readonly string[],
  options: { cwd: string; env?: Record<string, string>; fileSizeLimit?: number },
): Promise<CliRun> {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (key === "NODE_OPTIONS" || key.startsWith("TEE_MARKET_")) continue;
    env[key] = value;
  }
  Object.assign(env, options.env ?? {});
  const command =
    options.fileSizeLimit === undefined
      ? { file: process.execPath, args: [cliBin, ...args] }
      : {
          file: "/bin/sh",
          args: [
            "-c",
            `ulimit -f ${options.fileSizeLimit} && exec "$0" "$@"`,
            process.execPath,
            cliBin,
            ...args,
          ],
        };
  const child = spawn(command.file, command.args, {
    cwd: options.cwd,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once("error", reject);
    child.once("close", (exitCode) => resolve(exitCode));
  });
  const errors = stderr.split("\n").filter((line) => line.startsWith("Error:"));
  if (process.env["CLI_TRANSCRIPT"] !== undefined) {
    console.log(
      `$ tee-market ${args.join(" ")}\n${stdout}${stderr.replace(/^/gm, "[stderr] ")}[exit ${code}]\n`,
    );
  }
  return { code, stdout, stderr, errors };
}

/**
 * Writes an Ethereum v3 keystore of `privateKey` encrypted with `password`, as geth and the other
 * wallets do: scrypt (small cost parameters, for speed) or pbkdf2-hmac-sha256, aes-128-ctr, and
 * MAC = keccak256(derivedKey[16..32] ++ ciphertext).
 */
export async function writeKeystore(
  file: string,
  privateKey: Hex,
  password: string,
  kdf: "scrypt" | "pbkdf2" = "scrypt",
): Promise<void> {
  const salt = randomBytes(32);
  const iv = randomBytes(16);
  const kdfparams =
    kdf === "scrypt"
      ? { dklen: 32, n: 4096, r: 8, p: 1, salt: salt.toString("hex") }
      : { dklen: 32, c: 10000, prf: "hmac-sha256", salt: salt.toString("hex") };
  const derived =
    kdf === "scrypt"
      ? scryptSync(password, salt, 32, { N: 4096, r: 8, p: 1 })
      : pbkdf2Sync(password, salt, 10000, 32, "sha256");
  const cipher = createCipheriv("aes-128-ctr", derived.subarray(0, 16), iv);
  const ciphertext = Buffer.concat([cipher.update(hexToBytes(privateKey)), cipher.final()]);
  const mac = keccak256(concat([derived.subarray(16, 32), ciphertext])).slice(2);
  const keystore = {
    version: 3,
    id: randomUUID(),
    address: privateKeyToAccount(privateKey).address.slice(2).toLowerCase(),
    crypto: {
      cipher: "aes-128-ctr",
      cipherparams: { iv: iv.toString("hex") },
      ciphertext: ciphertext.toString("hex"),
      kdf,
      kdfparams,
      mac,
    },
  };
  await writeFile(file, JSON.stringify(keystore, null, 2));
}
