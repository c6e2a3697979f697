/**
 * The key that signs: from the TEE_MARKET_PRIVATE_KEY environment variable, or from an Ethereum v3
 * keystore file (decrypted by the SDK's `decryptKeystore`) whose password comes from
 * TEE_MARKET_KEYSTORE_PASSWORD or a prompt on the terminal. Never from a flag: command lines end up
 * in shell histories and process lists. Messages never echo a key or a password.
 */
import { readFile } from "node:fs/promises";

import { DecryptionError, InputError } from "@tee-marketplace/sdk";
import { decryptKeystore as decryptKeystoreFile } from "@tee-marketplace/sdk/node";
import { type Hex } from "viem";
import { privateKeyToAccount } from "viem/accounts";

import type { Io } from "./output.js";
import { KEYSTORE_PASSWORD_ENV, PRIVATE_KEY_ENV, WHERE_KEYS_GO } from "./keyPolicy.js";
import { UsageError } from "./output.js";

/** A key or keystore that cannot be used: exit code 1, the message says why. */
export class KeyError extends Error {
  override name = "KeyError";
}

/**
 * The private key to sign with: the keystore of `--keystore`, else the environment variable, else
 * the keystore of the config file.
 *
 * @throws {UsageError} when none is given.
 * @throws {KeyError} when the key is malformed, or the keystore cannot be read or decrypted.
 */
export async function resolvePrivateKey(
  io: Io,
  keystore: string | undefined,
  configKeystore: string | undefined,
): Promise<Hex> {
  const fromEnv = io.env[PRIVATE_KEY_ENV];
  const file = keystore ?? (fromEnv !== undefined && fromEnv.trim() !== "" ? undefined : configKeystore);
  if (file !== undefined) {
    return decryptKeystore(await readKeystore(file), await keystorePassword(io, file), file);
  }
  if (fromEnv !== undefined && fromEnv.trim() !== "") return checkPrivateKey(fromEnv.trim(), PRIVATE_KEY_ENV);
  throw new UsageError(`this command signs a transaction and no key is configured: ${WHERE_KEYS_GO}`);
}

function checkPrivateKey(value: string, source: string): Hex {
  const hex = (value.startsWith("0x") ? value : `0x${value}`).toLowerCase() as Hex;
  if (!/^0x[0-9a-f]{64}$/.test(hex)) {
    throw new KeyError(`${source} is not a private key: expected 64 hex digits (with or without 0x)`);
  }
  try {
    privateKeyToAccount(hex);
  } catch {
    throw new KeyError(`${source} is not a private key: it is zero or not below the secp256k1 curve order`);
  }
  return hex;
}

async function readKeystore(file: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    throw new KeyError(
      `cannot read keystore ${file} (${error instanceof Error ? error.message : String(error)}); check --keystore`,
    );
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new KeyError(`keystore ${file} is not JSON; expected an Ethereum v3 keystore file`);
  }
}

async function keystorePassword(io: Io, file: string): Promise<string> {
  const fromEnv = io.env[KEYSTORE_PASSWORD_ENV];
  if (fromEnv !== undefined) return fromEnv;
  if (io.stdin.isTTY !== true) {
    throw new UsageError(
      `keystore ${file} needs its password: set ${KEYSTORE_PASSWORD_ENV}, or run in a terminal to be asked for it`,
    );
  }
  return promptHidden(io, `Password for ${file}: `);
}

/** Reads a line from the terminal without echoing it. */
async function promptHidden(io: Io, prompt: string): Promise<string> {
  const stdin = io.stdin;
  // Raw mode (no echo) before the prompt, so nothing typed after the prompt is echoed.
  stdin.setRawMode(true);
  io.stderr.write(prompt);
  stdin.setEncoding("utf8");
  stdin.resume();
  return new Promise((resolve, reject) => {
    let value = "";
    const finish = (error?: Error) => {
      stdin.off("data", onData);
      stdin.setRawMode(false);
      stdin.pause();
      io.stderr.write("\n");
      if (error === undefined) resolve(value);
      else reject(error);
    };
    const onData = (chunk: string) => {
      for (const char of chunk) {
        if (char === "\r" || char === "\n" || char === "\u0004") return finish();
        if (char === "\u0003") return finish(new UsageError("interrupted at the password prompt"));
        if (char === "\u007f" || char === "\b") value = value.slice(0, -1);
        else value += char;
      }
    };
    stdin.on("data", onData);
  });
}

/* KEYSTORE V3 */

/**
 * Decrypts an Ethereum v3 keystore with the SDK's decoder (`@ethereumjs/wallet` behind checks of
 * the file's shape and the key derivation's cost), the errors told as the CLI tells them.
 *
 * @throws {KeyError} on a malformed file, a wrong password (MAC mismatch) or an address mismatch.
 */
async function decryptKeystore(json: unknown, password: string, file: string): Promise<Hex> {
  try {
    return await decryptKeystoreFile(json, password);
  } catch (error) {
    if (error instanceof DecryptionError && /password is wrong/.test(error.message)) {
      throw new KeyError(
        `wrong password for keystore ${file}: its MAC does not match; check the password (${KEYSTORE_PASSWORD_ENV} or the prompt)`,
      );
    }
    if (error instanceof InputError) {
      throw new KeyError(`keystore ${file} cannot be read as a v3 keystore: ${error.message}`);
    }
    if (error instanceof DecryptionError) throw new KeyError(`keystore ${file}: ${error.message}`);
    throw error;
  }
}
