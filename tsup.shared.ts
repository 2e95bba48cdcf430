import { type Options, defineConfig } from "tsup";

/**
 * The one build every package uses: ESM for Node 20 with declarations and source maps. A
 * package names its entries (one per subpath export) and anything it adds.
 */
export function packageBuild(entry: Options["entry"], extra: Options = {}): ReturnType<typeof defineConfig> {
  return defineConfig({ entry, format: ["esm"], dts: true, clean: true, sourcemap: true, target: "node20", ...extra });
}
