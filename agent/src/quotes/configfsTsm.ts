/**
 * Quotes from Linux's configfs-tsm interface (`/sys/kernel/config/tsm/report`), which TDX and
 * SEV-SNP guests expose since Linux 6.7: make a report entry (a directory), write the 64 bytes of
 * report data to its `inblob`, read the quote from its `outblob`, check that its `generation` did
 * not change in between (another writer would have changed it), remove the entry. The quote is
 * DCAP only for `provider` `tdx_guest`; an SEV-SNP report is refused (the attestation service
 * verifies Intel DCAP quotes).
 *
 * On configfs the kernel makes the entry's attributes with it and the quote when `outblob` is read.
 * On a plain directory laid out like configfs (the tests' stand-in for the kernel, which answers an
 * `inblob` by writing `generation` and then `outblob`), `outblob` appears a moment later: the agent
 * waits for it, at most {@link OUTBLOB_WAIT_MS}, before it reads.
 */
import { randomBytes } from "node:crypto";
import { mkdir, readFile, rm, rmdir, stat, writeFile } from "node:fs/promises";
import path from "node:path";

import { type Hex, bytesToHex, hexToBytes } from "viem";

import { StateError } from "@tee-marketplace/sdk";

import { sleep } from "../retry.js";
import type { QuoteSource } from "./quoteSource.js";

/** Longest wait for `outblob` to appear. */
const OUTBLOB_WAIT_MS = 10_000;
/** Attempts when another writer changed the entry between our write and our read. */
const GENERATION_ATTEMPTS = 3;

/**
 * Whether configfs-tsm's report directory is there.
 *
 * @param reportDirectory Normally `/sys/kernel/config/tsm/report`.
 * @example
 * if (await configfsTsmPresent(CONFIGFS_TSM_REPORT)) console.log("a TDX or SEV-SNP guest");
 * @throws nothing.
 */
export async function configfsTsmPresent(reportDirectory: string): Promise<boolean> {
  return stat(reportDirectory).then(
    (info) => info.isDirectory(),
    () => false,
  );
}

/**
 * The configfs-tsm quote source for a report directory.
 *
 * @param reportDirectory Normally `/sys/kernel/config/tsm/report`.
 * @example
 * const source = configfsTsmQuotes(CONFIGFS_TSM_REPORT);
 * const quote = await source.quote(reportData64);
 * @throws nothing here; `quote` throws {@link StateError} when the entry cannot be made, written or
 * read, the provider is not `tdx_guest`, or the generation kept changing.
 */
export function configfsTsmQuotes(reportDirectory: string): QuoteSource {
  return {
    kind: "configfs-tsm",
    description: `configfs-tsm (${reportDirectory})`,
    async quote(reportData: Hex): Promise<Hex> {
      const entry = path.join(
        reportDirectory,
        `tee-market-agent-${process.pid}-${randomBytes(4).toString("hex")}`,
      );
      await mkdir(entry).catch((error: unknown) => {
        throw new StateError(
          `Cannot make a configfs-tsm report entry in ${reportDirectory} (${(error as Error).message}); ` +
            "the agent needs write access to it (run it as root in the guest).",
          { cause: error },
        );
      });
      try {
        for (let attempt = 1; ; attempt++) {
          await writeFile(path.join(entry, "inblob"), hexToBytes(reportData));
          await outblobPresent(entry);
          const before = await readFile(path.join(entry, "generation"), "utf8");
          const outblob = await readFile(path.join(entry, "outblob"));
          const after = await readFile(path.join(entry, "generation"), "utf8");
          const provider = (await readFile(path.join(entry, "provider"), "utf8")).trim();
          if (provider !== "tdx_guest") {
            throw new StateError(
              `configfs-tsm's provider is ${JSON.stringify(provider)}, not "tdx_guest": only Intel TDX quotes ` +
                "(DCAP) are attested by the attestation service.",
            );
          }
          if (before === after && outblob.length > 0) return bytesToHex(outblob);
          if (attempt >= GENERATION_ATTEMPTS) {
            throw new StateError(
              `configfs-tsm entry ${entry} kept changing while it was read (generation ${before.trim()} → ` +
                `${after.trim()}): another process writes to it. Stop it and start the agent again.`,
            );
          }
        }
      } finally {
        await removeEntry(entry);
      }
    },
  };
}

/** Waits until `outblob` exists: at once on configfs (the kernel makes it with the entry), a moment later on a stand-in. */
async function outblobPresent(entry: string): Promise<void> {
  const file = path.join(entry, "outblob");
  const deadline = Date.now() + OUTBLOB_WAIT_MS;
  while (
    !(await stat(file).then(
      () => true,
      () => false,
    ))
  ) {
    if (Date.now() > deadline) {
      throw new StateError(`No quote appeared in ${file} within ${OUTBLOB_WAIT_MS / 1000} s.`);
    }
    await sleep(20);
  }
}

/**
 * Removes a report entry. On configfs `rmdir` removes it with its attributes; a plain directory (the
 * tests' stand-in) still holds the files the stand-in wrote, which are removed with it.
 */
async function removeEntry(entry: string): Promise<void> {
  try {
    await rmdir(entry);
  } catch (error) {
    if ((error as { code?: string }).code !== "ENOTEMPTY") throw error;
    await rm(entry, { recursive: true });
  }
}
