import { packageBuild } from "../../tsup.shared.js";

// The libraries stay external (dependencies): the sweep's worker file and parquet-wasm's .wasm
// are found next to their own modules, which bundling would break.
export default packageBuild(["src/index.ts", "src/bin.ts"], { dts: { entry: "src/index.ts" } });
