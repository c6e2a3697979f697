/**
 * STAND-IN FOR THE KERNEL'S configfs-tsm INTERFACE: a plain directory laid out like
 * `/sys/kernel/config/tsm/report`, and a poller that plays the kernel: when an entry's `inblob`
 * holds 64 bytes and it has no `outblob` yet, it writes `provider`, `generation` and then `outblob`
 * (a TDX quote of that report data under the test PKI, renamed into place). The real kernel makes
 * the quote when `outblob` is read; a directory cannot, so the agent waits for the file (see
 * agent/src/quotes/configfsTsm.ts).
 */
import { existsSync } from "node:fs";
import { mkdir, readFile, readdir, rename, writeFile } from "node:fs/promises";
import path from "node:path";

import { bytesToHex, hexToBytes } from "viem";

import { tdxQuoteMaker } from "../../../mocks/tdxQuote.js";
import type { TestPki } from "../../../mocks/testPki.js";

export interface StandInTsm {
  /** The report directory (the agent's `quotes.configfsPath`). */
  readonly reportDirectory: string;
  /** Entries answered. */
  readonly answered: number;
  stop(): void;
}

export async function startStandInTsm(
  root: string,
  pki: TestPki,
  options: { provider?: string } = {},
): Promise<StandInTsm> {
  const reportDirectory = path.join(root, "tsm", "report");
  await mkdir(reportDirectory, { recursive: true });
  const quote = tdxQuoteMaker(pki);
  let answered = 0;
  let generation = 0;
  let busy = false;
  const timer = setInterval(() => {
    if (busy) return;
    busy = true;
    void (async () => {
      for (const name of await readdir(reportDirectory)) {
        const entry = path.join(reportDirectory, name);
        const inblob = path.join(entry, "inblob");
        if (!existsSync(inblob) || existsSync(path.join(entry, "outblob"))) continue;
        const reportData = await readFile(inblob);
        if (reportData.length !== 64) continue;
        generation += 1;
        await writeFile(path.join(entry, "provider"), `${options.provider ?? "tdx_guest"}\n`);
        await writeFile(path.join(entry, "generation"), `${generation}\n`);
        await writeFile(path.join(entry, ".outblob"), hexToBytes(quote(bytesToHex(reportData))));
        await rename(path.join(entry, ".outblob"), path.join(entry, "outblob"));
        answered += 1;
      }
    })().finally(() => {
      busy = false;
    });
  }, 10);
  return {
    reportDirectory,
    get answered() {
      return answered;
    },
    stop: () => clearInterval(timer),
  };
}
