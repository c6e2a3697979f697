/**
 * Storage benchmark: upload and download of a 1 GiB file through the SDK's FS storage
 * (`uploadFile`, `downloadResource`: sha256 + AES-256-GCM, streamed), against a baseline measured
 * in the same run on the same file: `openssl enc` then `cp` (upload), `cp` then `openssl enc -d`
 * (download).
 *
 * The baseline cipher is AES-256-CTR: `openssl enc` refuses AEAD ciphers such as AES-256-GCM
 * ("AEAD ciphers not supported"), and CTR is GCM's keystream without the tag, so it is the closest
 * it can do. Budgets: the SDK's throughput is at least half the baseline's, in both directions, and
 * the SDK's process peaks under 256 MiB of RSS (measured in a child process that does only the
 * upload and the download: `process.resourceUsage().maxRSS`). Each side runs twice; the faster run
 * counts. Writes benchmarks/storage.json and exits non-zero when over budget. The 1 GiB files live
 * in a temporary directory, removed at the end.
 *
 * Usage: npm run bench:storage
 */
import { spawnSync } from "node:child_process";
import { randomBytes, randomFillSync } from "node:crypto";
import { once } from "node:events";
import { createWriteStream } from "node:fs";
import { mkdir, mkdtemp, rm, statfs, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { finished } from "node:stream/promises";
import { fileURLToPath } from "node:url";

import { format, resolveConfig } from "prettier";

import { downloadResource, uploadFile } from "../sdk/src/node/index.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const outputFile = path.join(root, "benchmarks", "storage.json");
const SIZE = 1024 ** 3;
const CHUNK = 1024 ** 2;
const RUNS = 2;
const BUDGETS = { minThroughputRatio: 0.5, maxRssMiB: 256 };
/** Source, stored object and downloaded copy at once, with room to spare. */
const DISK_NEEDED = 3.5 * SIZE;

interface SdkRun {
  uploadSeconds: number;
  downloadSeconds: number;
  maxRssBytes: number;
}

/** Child mode: upload `source` to an FS storage in `work`, download it back, report times and peak RSS. */
async function child(source: string, work: string): Promise<void> {
  const started = performance.now();
  const resource = await uploadFile(source, { storage: { type: "FS", directory: path.join(work, "store") } });
  const uploaded = performance.now();
  await downloadResource(resource, path.join(work, "download"));
  const downloaded = performance.now();
  const run: SdkRun = {
    uploadSeconds: (uploaded - started) / 1000,
    downloadSeconds: (downloaded - uploaded) / 1000,
    maxRssBytes: process.resourceUsage().maxRSS * 1024,
  };
  process.stdout.write(JSON.stringify(run));
}

function run(command: string, args: string[]): number {
  const started = performance.now();
  const result = spawnSync(command, args, { stdio: ["ignore", "ignore", "pipe"], encoding: "utf8" });
  if (result.status !== 0) throw new Error(`${command} ${args.join(" ")} failed: ${result.stderr}`);
  return (performance.now() - started) / 1000;
}

async function writeRandomFile(file: string): Promise<void> {
  const out = createWriteStream(file);
  const chunk = Buffer.alloc(CHUNK);
  for (let written = 0; written < SIZE; written += CHUNK) {
    randomFillSync(chunk);
    if (!out.write(chunk)) await once(out, "drain");
  }
  out.end();
  await finished(out);
}

/** One baseline run: openssl encrypt + cp, then cp + openssl decrypt. */
async function baseline(source: string, work: string): Promise<{ upload: number; download: number }> {
  await mkdir(work, { recursive: true });
  const key = randomBytes(32).toString("hex");
  const iv = randomBytes(16).toString("hex");
  const cipher = ["-aes-256-ctr", "-K", key, "-iv", iv];
  const encrypted = path.join(work, "encrypted");
  const stored = path.join(work, "stored");
  const fetched = path.join(work, "fetched");
  const upload =
    run("openssl", ["enc", ...cipher, "-in", source, "-out", encrypted]) + run("cp", [encrypted, stored]);
  await rm(encrypted);
  const download =
    run("cp", [stored, fetched]) +
    run("openssl", ["enc", "-d", ...cipher, "-in", fetched, "-out", encrypted]);
  await rm(work, { recursive: true, force: true });
  return { upload, download };
}

function sdkRun(source: string, work: string): SdkRun {
  const result = spawnSync(
    process.execPath,
    ["--import", "tsx", fileURLToPath(import.meta.url), "--child", source, work],
    { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] },
  );
  if (result.status !== 0) throw new Error(`the SDK run failed (exit code ${result.status})`);
  return JSON.parse(result.stdout) as SdkRun;
}

const mibps = (seconds: number): number => Math.round((SIZE / 1024 ** 2 / seconds) * 10) / 10;
const round = (value: number): number => Math.round(value * 1000) / 1000;

async function main(): Promise<void> {
  const scratch = await mkdtemp(path.join(tmpdir(), "tee-marketplace-bench-storage-"));
  try {
    const { bavail, bsize } = await statfs(scratch);
    if (bavail * bsize < DISK_NEEDED) {
      throw new Error(
        `${scratch} has ${(bavail * bsize) / 1024 ** 3} GiB free; the benchmark needs ${DISK_NEEDED / 1024 ** 3} GiB`,
      );
    }
    const source = path.join(scratch, "source.bin");
    console.log(`Writing a ${SIZE / 1024 ** 3} GiB random file...`);
    await writeRandomFile(source);

    let best = { upload: Infinity, download: Infinity };
    let sdk: SdkRun = { uploadSeconds: Infinity, downloadSeconds: Infinity, maxRssBytes: 0 };
    for (let i = 0; i < RUNS; i++) {
      console.log(`Run ${i + 1}/${RUNS}: openssl enc + cp...`);
      const base = await baseline(source, path.join(scratch, "baseline"));
      best = { upload: Math.min(best.upload, base.upload), download: Math.min(best.download, base.download) };
      console.log(`Run ${i + 1}/${RUNS}: SDK upload and download (FS storage)...`);
      const work = path.join(scratch, "sdk");
      const measured = sdkRun(source, work);
      await rm(work, { recursive: true, force: true });
      sdk = {
        uploadSeconds: Math.min(sdk.uploadSeconds, measured.uploadSeconds),
        downloadSeconds: Math.min(sdk.downloadSeconds, measured.downloadSeconds),
        maxRssBytes: Math.max(sdk.maxRssBytes, measured.maxRssBytes),
      };
    }

    const opensslVersion = spawnSync("openssl", ["version"], { encoding: "utf8" }).stdout.trim();
    const ratios = {
      upload: round(best.upload / sdk.uploadSeconds),
      download: round(best.download / sdk.downloadSeconds),
    };
    const peakRssMiB = Math.round((sdk.maxRssBytes / 1024 ** 2) * 10) / 10;
    const failures = [
      ...Object.entries(ratios)
        .filter(([, ratio]) => ratio < BUDGETS.minThroughputRatio)
        .map(
          ([name, ratio]) =>
            `${name}: ${ratio} of the baseline's throughput, budget ${BUDGETS.minThroughputRatio}`,
        ),
      ...(peakRssMiB >= BUDGETS.maxRssMiB
        ? [`peak RSS ${peakRssMiB} MiB, budget < ${BUDGETS.maxRssMiB} MiB`]
        : []),
    ];
    const output = {
      description:
        `Upload and download of a 1 GiB random file through the SDK's FS storage (sha256 + AES-256-GCM, streamed) ` +
        `against openssl enc -aes-256-ctr plus cp on the same machine in the same run (openssl enc refuses ` +
        `AEAD ciphers such as GCM). Best of ${RUNS} runs per side; ratio = SDK throughput / baseline throughput; ` +
        `peak RSS of the SDK's child process.`,
      budgets: BUDGETS,
      environment: { node: process.version, openssl: opensslVersion },
      sizeBytes: SIZE,
      baseline: {
        upload: { seconds: round(best.upload), mibPerSecond: mibps(best.upload) },
        download: { seconds: round(best.download), mibPerSecond: mibps(best.download) },
      },
      sdk: {
        upload: { seconds: round(sdk.uploadSeconds), mibPerSecond: mibps(sdk.uploadSeconds) },
        download: { seconds: round(sdk.downloadSeconds), mibPerSecond: mibps(sdk.downloadSeconds) },
      },
      ratios,
      peakRssMiB,
    };
    await mkdir(path.dirname(outputFile), { recursive: true });
    // Written as prettier writes it, so `prettier --check` passes on the committed file.
    const prettierOptions = (await resolveConfig(outputFile)) ?? {};
    await writeFile(
      outputFile,
      await format(JSON.stringify(output), { ...prettierOptions, filepath: outputFile }),
    );
    console.log(
      `upload: SDK ${output.sdk.upload.mibPerSecond} MiB/s, baseline ${output.baseline.upload.mibPerSecond} MiB/s ` +
        `(ratio ${ratios.upload}); download: SDK ${output.sdk.download.mibPerSecond} MiB/s, baseline ` +
        `${output.baseline.download.mibPerSecond} MiB/s (ratio ${ratios.download}); peak RSS ${peakRssMiB} MiB`,
    );
    console.log(`Written to ${path.relative(root, outputFile)}`);
    if (failures.length > 0) {
      console.error(`Over budget:\n- ${failures.join("\n- ")}`);
      process.exitCode = 1;
    }
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

if (process.argv[2] === "--child") await child(process.argv[3]!, process.argv[4]!);
else await main();
