import { packageBuild } from "../../tsup.shared.js";

// The sweep worker is its own entry: worker threads load it by file.
export default packageBuild(["src/index.ts", "src/sweep-worker.ts"]);
