// One error model: every option parsed strictly, every code from numerframe's one union, and the
// README's "Errors" table in step with both.
import { readFileSync } from "node:fs";
import { golden } from "@nmrblox/fixtures";
import { ERROR_CODES, InvalidOptionError, NumerFrame, NumerFrameError, isErrorCode, parseOptions } from "@nmrblox/numerframe";
import { describe, expect, it } from "vitest";
import type { z } from "zod";
import * as evaluator from "../src/index.js";
import { FACTOR_ERROR_CODES } from "../src/factor/errors.js";
import { PERFORMANCE_ERROR_CODES } from "../src/performance/errors.js";
import { REPORT_ERROR_CODES } from "../src/report/errors.js";
import { SCORE_ERROR_CODES } from "../src/scores/errors.js";
import { syntheticBacktest, syntheticMarketAndSignals } from "./synthetic-backtest.js";

const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");

/** Rows of the README's "## Errors" table: code → meaning. */
function readmeCodes(): Map<string, string> {
  const section = readme.slice(readme.indexOf("\n## Errors\n"));
  const end = section.indexOf("\n## ", 5);
  const rows = new Map<string, string>();
  for (const line of (end > 0 ? section.slice(0, end) : section).split("\n")) {
    const m = /^\| `([A-Z_]+)` \| ([^|]+) \|/.exec(line);
    if (m) rows.set(m[1]!, m[2]!.trim());
  }
  return rows;
}

describe("the README's Errors section", () => {
  const rows = readmeCodes();

  it("lists codes of the one union, each with the union's own meaning", () => {
    expect(rows.size).toBeGreaterThanOrEqual(20);
    for (const [code, meaning] of rows) {
      expect(isErrorCode(code), code).toBe(true);
      expect(meaning, code).toBe(ERROR_CODES[code as keyof typeof ERROR_CODES]);
    }
  });

  it("lists every code the evaluator's own error classes can carry, and the shared ones it raises", () => {
    const own = [...SCORE_ERROR_CODES, ...PERFORMANCE_ERROR_CODES, ...FACTOR_ERROR_CODES, ...REPORT_ERROR_CODES];
    const shared = ["INVALID_OPTION", "MISSING_COLUMN", "NON_NUMERIC_COLUMN", "INVALID_DATE", "INVALID_CLOSE", "DUPLICATE_ROW", "EMPTY_MARKET"];
    for (const code of [...own, ...shared]) expect(rows.has(code), code).toBe(true);
  });
});

describe("error classes sit on the one root", () => {
  it.each([
    ["ScoreError", new evaluator.ScoreError("NAN_INPUT", "x", { input: "predictions", row: 2 })],
    ["PerformanceInputError", new evaluator.PerformanceInputError("NON_FINITE", "x", { column: "return", date: "2024-01-02" })],
    ["FactorInputError", new evaluator.FactorInputError("EMPTY_SIGNALS", "x")],
    ["ReportError", new evaluator.ReportError("WRITE_FAILED", "x", { path: "/tmp/r" }, new Error("disk full"))],
  ] as const)("%s", (name, error) => {
    expect(error).toBeInstanceOf(NumerFrameError);
    expect(NumerFrameError.isInstance(error)).toBe(true);
    expect(error.name).toBe(name);
    expect(isErrorCode(error.code)).toBe(true);
  });

  it("location fields are the root's, not copies", () => {
    const e = new evaluator.PerformanceInputError("NON_FINITE", "x", { column: "return", row: 3, date: "2024-01-02" });
    expect(e).toMatchObject({ column: "return", row: 3, date: "2024-01-02" });
    expect(Object.hasOwn(evaluator.PerformanceInputError.prototype, "date")).toBe(false);
    const s = new evaluator.ScoreError("NAN_INPUT", "x", { input: "f1", era: "0001" });
    expect(s).toMatchObject({ input: "f1", era: "0001" });
    expect(new evaluator.ReportError("WRITE_FAILED", "x", {}, "why").cause).toBe("why");
  });
});

function isSchema(value: unknown): value is z.ZodType {
  return typeof value === "object" && value !== null && "_zod" in value && "safeParse" in value;
}

describe("every exported options schema is strict", () => {
  const schemas = Object.entries(evaluator).filter(([name, value]) => /Options$/.test(name) && isSchema(value)) as [string, z.ZodType][];

  it("finds the schemas (each one is checked below)", () => {
    // arrayContaining: a schema added next to these is checked by the cases below all the same.
    expect(schemas.map(([n]) => n).sort()).toEqual(expect.arrayContaining([
      "benchmarkOptions",
      "churnOptions",
      "correlationContributionOptions",
      "factorAnalysisOptions",
      "featureNeutralCorrOptions",
      "generateNeutralizedWeightsOptions",
      "numeraiCorrOptions",
      "performanceOptions",
      "renderReportOptions",
      "scoreByEraOptions",
      "summarizeScoresOptions",
      "trueContributionOptions",
    ]));
  });

  it.each(schemas)("%s refuses an unknown key on its own, and parseOptions names the nearest one", (_, schema) => {
    const raw = schema.safeParse({ zzBogus: 1 });
    expect(raw.success).toBe(false);
    expect(raw.error!.issues.some((i) => i.code === "unrecognized_keys")).toBe(true);
    let error: unknown;
    try {
      parseOptions(schema, { zzBogus: 1 }, "test");
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InvalidOptionError);
    expect((error as InvalidOptionError).problems.find((p) => p.path === "zzBogus")).toMatchObject({ message: "unknown option" });
  });
});

describe("every public function that takes options refuses a misspelled key by name", () => {
  const { p, target, meta, f1 } = golden;
  const frame = NumerFrame.fromColumns({ era: ["0001", "0001", "0001", "0001"], prediction: [0.1, 0.4, 0.2, 0.3], target: [0, 1, 0.25, 0.75] });
  const { daily, tranches } = syntheticBacktest(20, 3, 4);
  const { market, signals } = syntheticMarketAndSignals(20, 5);
  const cases: [string, () => unknown, string, string][] = [
    ["numeraiCorr", () => evaluator.numeraiCorr(p, target, { topBotom: 2 } as never), "topBotom", "topBottom"],
    ["correlationContribution", () => evaluator.correlationContribution(p, meta, target, { topbottom: 2 } as never), "topbottom", "topBottom"],
    ["featureNeutralCorr", () => evaluator.featureNeutralCorr(p, [f1], target, { topbottom: 2 } as never), "topbottom", "topBottom"],
    ["churn", () => evaluator.churn(p, target, { topbottom: 2 } as never), "topbottom", "topBottom"],
    ["scoreByEra", () => evaluator.scoreByEra(frame, { target: "target", topbottom: 5 } as never), "topbottom", "topBottom"],
    ["summarizeScores", () => evaluator.summarizeScores(frame, { column: ["prediction"] } as never), "column", "columns"],
    ["performance", () => evaluator.performance(daily, { tranche: tranches } as never), "tranche", "tranches"],
    ["factorAnalysis", () => evaluator.factorAnalysis(signals, market, { horizon: [1] } as never), "horizon", "horizons"],
    ["renderReport", () => evaluator.renderReport({ daily }, { outDir: "/nonexistent/never-written", titel: "x" } as never), "titel", "title"],
  ];

  it.each(cases)("%s", async (fn, call, path, suggestion) => {
    let error: unknown;
    try {
      await call();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InvalidOptionError);
    const e = error as InvalidOptionError;
    expect(e.where).toBe(fn);
    expect(e.problems).toContainEqual({ path, message: "unknown option", suggestion });
    expect(e.message).toContain(`option "${path}": unknown option (did you mean "${suggestion}"?)`);
  });
});
