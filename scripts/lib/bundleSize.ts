/**
 * The size an app pays for the SDK: its main entry bundled for the browser with esbuild, minified,
 * then gzipped (what a CDN sends).
 */
import { gzipSync } from "node:zlib";

import { build } from "esbuild";

/** Bytes of the bundle, minified, and minified then gzipped (level 9). */
export interface BundleSize {
  minifiedBytes: number;
  gzipBytes: number;
}

/**
 * Bundles `entry` (with everything it imports) for the browser and measures it.
 *
 * @example
 * const { gzipBytes } = await bundleSize("sdk/src/index.ts");
 */
export async function bundleSize(entry: string): Promise<BundleSize> {
  const result = await build({
    entryPoints: [entry],
    platform: "browser",
    format: "esm",
    bundle: true,
    minify: true,
    write: false,
    logLevel: "silent",
  });
  const output = result.outputFiles[0]?.contents;
  if (output === undefined) throw new Error(`esbuild wrote nothing for ${entry}`);
  return { minifiedBytes: output.length, gzipBytes: gzipSync(output, { level: 9 }).length };
}
