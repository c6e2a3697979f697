/**
 * The SDK's public surface: every name each entry point exports (values and types), held against
 * the committed list in test/publicApi.json. A change to the surface is a change to that file, made
 * on purpose: run `UPDATE_PUBLIC_API=1 npx mocha test/publicApi.test.ts` in sdk/ and review the diff.
 */
import { expect } from "chai";
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { format, resolveConfig } from "prettier";
import ts from "typescript";

import { sdkRoot } from "./support/paths.js";

const ENTRIES = {
  ".": "src/index.ts",
  "./node": "src/node/index.ts",
  "./indexer": "src/indexer/index.ts",
  "./testing": "src/testing/index.ts",
};
const LIST = path.join(sdkRoot, "test", "publicApi.json");

/** The export names of each entry point, sorted, as the TypeScript compiler sees them. */
function surface(): Record<string, string[]> {
  const files = Object.values(ENTRIES).map((file) => path.join(sdkRoot, file));
  const program = ts.createProgram(files, {
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2022,
    strict: true,
    skipLibCheck: true,
    noEmit: true,
  });
  const checker = program.getTypeChecker();
  const result: Record<string, string[]> = {};
  for (const [entry, file] of Object.entries(ENTRIES)) {
    const source = program.getSourceFile(path.join(sdkRoot, file));
    const symbol = source === undefined ? undefined : checker.getSymbolAtLocation(source);
    if (symbol === undefined) throw new Error(`${file} has no module symbol`);
    result[entry] = checker
      .getExportsOfModule(symbol)
      .map((e) => e.name)
      .sort();
  }
  return result;
}

describe("public surface", function () {
  this.timeout(60_000);

  it("each entry point exports exactly the names of test/publicApi.json", async function () {
    const actual = surface();
    if (process.env["UPDATE_PUBLIC_API"] !== undefined) {
      const options = (await resolveConfig(LIST)) ?? {};
      await writeFile(LIST, await format(JSON.stringify(actual), { ...options, filepath: LIST }));
    }
    const committed = JSON.parse(await readFile(LIST, "utf8")) as Record<string, string[]>;
    for (const entry of Object.keys(ENTRIES)) {
      const added = (actual[entry] ?? []).filter((name) => !(committed[entry] ?? []).includes(name));
      const removed = (committed[entry] ?? []).filter((name) => !(actual[entry] ?? []).includes(name));
      expect({ added, removed }, `changes to the exports of ${entry}`).to.deep.equal({
        added: [],
        removed: [],
      });
    }
    expect(actual["."]?.length, "exports of the main entry").to.be.greaterThan(100);
  });

  it("the entry points name their exports: no export *", async function () {
    for (const file of Object.values(ENTRIES)) {
      const text = await readFile(path.join(sdkRoot, file), "utf8");
      expect(/export \*/.test(text), `${file} re-exports a whole module`).to.equal(false);
    }
  });

  it("test and profiling helpers are not in the main entry", function () {
    const main = surface()["."] ?? [];
    expect(main, "the main entry").not.to.include.members(["countingHttp"]);
    expect(main, "the main entry").not.to.include("paymentTokenAbi");
  });
});
