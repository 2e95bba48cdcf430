import { defineConfig } from "tsup";

// The libraries stay external (dependencies): the sweep's worker file and parquet-wasm's .wasm
// are found next to their own modules, which bundling would break.
export default defineConfig({
  entry: ["src/index.ts", "src/bin.ts"],
  format: ["esm"],
  dts: { entry: "src/index.ts" },
  clean: true,
  sourcemap: true,
  target: "node20",
});
