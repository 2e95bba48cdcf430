import { packageBuild } from "../../tsup.shared.js";

// One entry per subpath export; shared code goes into chunks, vega stays a dynamic import.
export default packageBuild({ index: "src/index.ts", scores: "src/scores/index.ts", trading: "src/trading.ts", report: "src/report/index.ts" });
