// Import time of each @nmrblox/evaluator entry (issue 15), each in a fresh Node process, from
// the built package (dist/, what users install). The anchor in the same run is what the report
// entry no longer loads on import: vega + vega-lite themselves.
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const pkg = join(here, "..", "packages", "evaluator");
const RUNS = 7;

/** Milliseconds spent in `load` inside a fresh process, median of RUNS processes. */
function timeInChild(load: string, kind: "esm" | "cjs"): number {
  const code = `const t = performance.now(); ${load}; process.stdout.write(String(performance.now() - t));`;
  const args = kind === "esm" ? ["--input-type=module", "-e", code] : ["-e", code];
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) times.push(Number(execFileSync(process.execPath, args, { cwd: pkg, encoding: "utf8" })));
  times.sort((a, b) => a - b);
  return times[Math.floor(RUNS / 2)]!;
}

if (!existsSync(join(pkg, "dist", "index.js"))) {
  console.log("\nevaluator import time: skipped, packages/evaluator/dist is not built (pnpm --filter @nmrblox/evaluator build)");
} else {
  const cases: [string, string, "esm" | "cjs"][] = [
    ["anchor: vega + vega-lite alone (ESM)", `await import("vega"); await import("vega-lite")`, "esm"],
    ["@nmrblox/numerframe (ESM)", `await import("@nmrblox/numerframe")`, "esm"],
    ["@nmrblox/evaluator/scores (ESM)", `await import("@nmrblox/evaluator/scores")`, "esm"],
    ["@nmrblox/evaluator/trading (ESM)", `await import("@nmrblox/evaluator/trading")`, "esm"],
    ["@nmrblox/evaluator/report (ESM)", `await import("@nmrblox/evaluator/report")`, "esm"],
    ["@nmrblox/evaluator (ESM)", `await import("@nmrblox/evaluator")`, "esm"],
    ["@nmrblox/evaluator (CommonJS require)", `require("@nmrblox/evaluator")`, "cjs"],
    ["@nmrblox/evaluator/scores (CommonJS require)", `require("@nmrblox/evaluator/scores")`, "cjs"],
  ];
  const rows = cases.map(([name, load, kind]) => [name, timeInChild(load, kind).toFixed(0)] as const);
  console.log(`\nevaluator import time, fresh node ${process.version} process per run, median of ${RUNS}`);
  const w = Math.max(...rows.map((r) => r[0].length));
  console.log(`${"entry".padEnd(w)}  ms`);
  for (const [name, ms] of rows) console.log(`${name.padEnd(w)}  ${ms.padStart(5)}`);
}
