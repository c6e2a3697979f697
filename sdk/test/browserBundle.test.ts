import { expect } from "chai";
import { build } from "esbuild";
import { isBuiltin } from "node:module";
import path from "node:path";

import { sdkRoot } from "./support/paths.js";

/** Bundles an entry point for the browser and lists the Node built-ins it imports. */
async function nodeBuiltinsIn(entry: string): Promise<string[]> {
  const found: string[] = [];
  const result = await build({
    entryPoints: [path.join(sdkRoot, entry)],
    platform: "browser",
    format: "esm",
    bundle: true,
    write: false,
    metafile: true,
    logLevel: "silent",
    plugins: [
      {
        name: "record-node-builtins",
        setup(pluginBuild) {
          pluginBuild.onResolve({ filter: /.*/ }, (args) => {
            if (!isBuiltin(args.path)) return undefined;
            found.push(`${args.path} (imported by ${args.importer})`);
            return { path: args.path, external: true };
          });
        },
      },
    ],
  });
  const inputs = Object.keys(result.metafile.inputs);
  expect(inputs.length, `modules bundled from ${entry}`).to.be.greaterThan(10);
  return found;
}

describe("browser bundle", function () {
  it("the main entry bundles for the browser without any Node built-in", async function () {
    expect(await nodeBuiltinsIn("src/index.ts"), "Node built-ins imported by src/index.ts").to.deep.equal([]);
  });

  it("the indexer client's entry bundles for the browser without any Node built-in", async function () {
    expect(
      await nodeBuiltinsIn("src/indexer/index.ts"),
      "Node built-ins imported by src/indexer/index.ts",
    ).to.deep.equal([]);
  });

  it("the check notices Node built-ins (the node entry has them)", async function () {
    const found = await nodeBuiltinsIn("src/node/index.ts");
    expect(found.join("\n"), "Node built-ins imported by src/node/index.ts").to.include("node:fs");
  });
});

describe("sideEffects: false (package.json) is true", function () {
  /**
   * What importing an entry for nothing leaves in a bundle when the package's `sideEffects` flag is
   * ignored: only the import statements of other packages (kept because they are external), never
   * code of ours that runs at load.
   */
  async function codeRunAtLoad(entry: string): Promise<string> {
    const result = await build({
      stdin: { contents: `import "./${entry}";`, resolveDir: sdkRoot, loader: "ts" },
      platform: "node",
      format: "esm",
      bundle: true,
      minify: true,
      write: false,
      logLevel: "silent",
      ignoreAnnotations: true,
      plugins: [
        {
          name: "other-packages-external",
          setup(pluginBuild) {
            pluginBuild.onResolve({ filter: /^[^./]/ }, (args) => ({ path: args.path, external: true }));
          },
        },
      ],
    });
    const output = new TextDecoder().decode(result.outputFiles[0]?.contents);
    return output.replace(/import(\{[^}]*\}|\s*[\w$]+)?\s*(from)?\s*"[^"]+";/g, "").trim();
  }

  for (const entry of [
    "src/index.ts",
    "src/node/index.ts",
    "src/indexer/index.ts",
    "src/testing/index.ts",
    "launcher.js",
  ]) {
    it(`${entry} runs nothing when imported`, async function () {
      expect(await codeRunAtLoad(entry), `code ${entry} runs at load`).to.equal("");
    });
  }

  it("the check sees code that runs at load", async function () {
    expect(await codeRunAtLoad("test/support/sideEffect.ts"), "a module with a top-level call").not.to.equal(
      "",
    );
  });
});
