#!/usr/bin/env node
// Keyword overlap of two datasets (the data collaboration case): reads every text file of
// /sp/inputs/input-0001 and /sp/inputs/input-0002 (SP_INPUTS names the directory under the process
// runner), takes each dataset's keywords (lower-case words of four letters or more, common words
// left out), and writes to /sp/output/overlap.json only aggregates: the Jaccard similarity of the
// two keyword sets, the keywords they share, and how many records and keywords each has. No
// record leaves the enclave. Arguments (SP_ARGS, JSON): { "top": <how many shared keywords to list> }.
import { readFile, readdir, writeFile } from "node:fs/promises";
import path from "node:path";

const inputs = process.env.SP_INPUTS ?? "/sp/inputs";
const output = process.env.SP_OUTPUT ?? "/sp/output";
const args = JSON.parse(process.env.SP_ARGS ?? "null") ?? {};
const top = Number.isInteger(args.top) ? args.top : 10;
const COMMON = new Set([
  "this",
  "that",
  "with",
  "from",
  "have",
  "were",
  "they",
  "their",
  "there",
  "what",
  "when",
  "which",
  "about",
  "after",
  "into",
  "very",
  "more",
  "than",
  "then",
  "been",
  "will",
  "would",
  "could",
  "should",
  "only",
  "also",
  "some",
]);

async function filesOf(dir) {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile()).map((e) => path.join(e.parentPath ?? e.path, e.name));
}

async function dataset(dir) {
  const keywords = new Set();
  let records = 0;
  for (const file of await filesOf(dir)) {
    for (const line of (await readFile(file, "utf8")).split("\n")) {
      if (line.trim() === "") continue;
      records += 1;
      for (const word of line.toLowerCase().match(/[a-z]{4,}/g) ?? [])
        if (!COMMON.has(word)) keywords.add(word);
    }
  }
  return { records, keywords };
}

const names = (await readdir(inputs)).filter((name) => /^input-\d{4}$/.test(name)).sort();
if (names.length !== 2) {
  console.error(`expected two datasets in ${inputs}, found ${names.length}: ${names.join(", ")}`);
  process.exit(2);
}
const [a, b] = await Promise.all(names.map((name) => dataset(path.join(inputs, name))));
const shared = [...a.keywords].filter((k) => b.keywords.has(k)).sort();
const union = new Set([...a.keywords, ...b.keywords]).size;
const result = {
  datasets: names.map((name, i) => ({
    input: name,
    records: [a, b][i].records,
    keywords: [a, b][i].keywords.size,
  })),
  jaccard_similarity: union === 0 ? 0 : Math.round((shared.length / union) * 1000) / 1000,
  shared_keywords: shared.length,
  overlap_keywords: shared.slice(0, top),
};
await writeFile(path.join(output, "overlap.json"), `${JSON.stringify(result, null, 2)}\n`);
console.log(
  `compared ${names.length} datasets: Jaccard ${result.jaccard_similarity}, ${shared.length} shared keywords`,
);
