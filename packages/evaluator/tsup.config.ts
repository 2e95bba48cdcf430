import { defineConfig } from "tsup";

export default defineConfig({
  // One entry per subpath export; shared code goes into chunks, vega stays a dynamic import.
  entry: { index: "src/index.ts", scores: "src/scores/index.ts", trading: "src/trading.ts", report: "src/report/index.ts" },
  format: ["esm"],
  dts: true,
  clean: true,
  sourcemap: true,
  target: "node20",
});
