/**
 * @tee-marketplace/sdk/dcap in a browser bundle: it bundles with esbuild for the browser, the only
 * Node built-in names in it come from dcap-qvl's dependencies and resolve to browser code
 * (`crypto` to nothing through dcap-qvl's `browser` field, `buffer` to the npm package), and the
 * bundle verifies a real quote on dcap-qvl's pure-JavaScript path. The main entry stays without it.
 */
import { expect } from "chai";
import { build } from "esbuild";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { isBuiltin } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";

import { dcapSample, flipByte } from "../support/dcap.js";
import { sdkRoot } from "../support/paths.js";

async function browserBundle(entry: string) {
  const builtins: { name: string; importer: string }[] = [];
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
            if (isBuiltin(args.path)) builtins.push({ name: args.path, importer: args.importer });
            return undefined;
          });
        },
      },
    ],
  });
  return { code: result.outputFiles[0]!.text, inputs: Object.keys(result.metafile.inputs), builtins };
}

describe("dcap: browser bundle", function () {
  this.timeout(60_000);

  it("bundles for the browser; only dependencies name `crypto` and `buffer`, resolved to browser code", async function () {
    const { inputs, builtins } = await browserBundle("src/dcap/index.ts");
    expect(
      inputs.some((input) => input.includes("@phala/dcap-qvl")),
      "dcap-qvl bundled",
    ).to.equal(true);
    expect(
      builtins.filter((b) => !b.importer.includes("node_modules")),
      "built-ins our sources import",
    ).to.deep.equal([]);
    expect([...new Set(builtins.map((b) => b.name))].sort(), "built-in names").to.deep.equal([
      "buffer",
      "crypto",
    ]);
    expect(inputs, "crypto mapped to nothing by dcap-qvl's browser field").to.include("(disabled):crypto");
    const bufferPackage = inputs.filter(
      (i) => i.endsWith("node_modules/buffer/index.js") && !i.startsWith("("),
    );
    expect(bufferPackage, "the buffer package").to.have.length(1);
  });

  it("the bundle verifies a real TDX quote without node:crypto, and refuses a tampered one", async function () {
    const { code } = await browserBundle("src/dcap/index.ts");
    const dir = await mkdtemp(path.join(tmpdir(), "dcap-browser-"));
    try {
      const file = path.join(dir, "dcap.browser.mjs");
      await writeFile(file, code);
      const bundle = (await import(pathToFileURL(file).href)) as typeof import("../../src/dcap/index.js");
      const tdx = dcapSample("tdx_quote");
      const verified = await bundle.verifyQuote(tdx.quote, tdx.collateral, { at: tdx.at });
      expect(verified.status, "status").to.equal("UpToDate");
      const error = await bundle
        .verifyQuote(flipByte(tdx.quote, 200), tdx.collateral, { at: tdx.at })
        .catch((e: unknown) => e);
      expect((error as { reason?: string }).reason, "tampered quote").to.equal("QuoteSignatureInvalid");
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("the main entry does not include dcap-qvl", async function () {
    const { inputs } = await browserBundle("src/index.ts");
    expect(
      inputs.filter((input) => input.includes("@phala/dcap-qvl") || input.includes("/dcap/")),
      "dcap modules",
    ).to.deep.equal([]);
  });
});
