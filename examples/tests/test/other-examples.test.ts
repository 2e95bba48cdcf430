import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { withTempDir } from "@nmrblox/fixtures";
import { readCsv } from "@nmrblox/numerframe";
import { describe, expect, it } from "vitest";
import { isSvg, readJson, runExample } from "./run-example.js";

interface ScoreRow {
  score: string;
  mean: number;
  std: number;
  hit_rate: number;
}

describe("examples/crypto-scores", () => {
  it("scores three predictions per era and writes the per-era CSV", () =>
    withTempDir(async (out) => {
      const stdout = await runExample("crypto-scores", ["--small", "--out", out]);
      expect(stdout).toContain("prediction_blend_mmc");
      const summary = await readJson<{ eras: number; scores: ScoreRow[] }>(join(out, "summary.json"));
      const names = summary.scores.map((s) => s.score);
      expect(names).toEqual([
        "prediction_meta_model_corr",
        "prediction_meta_model_mmc",
        "prediction_reversal_corr",
        "prediction_reversal_mmc",
        "prediction_blend_corr",
        "prediction_blend_mmc",
      ]);
      // The meta model adds nothing to itself: its MMC is 0 in every era.
      const metaMmc = summary.scores[1]!;
      expect(metaMmc.mean).toBeCloseTo(0, 4);
      expect(metaMmc.std).toBeCloseTo(0, 4);
      for (const s of summary.scores) expect(Math.abs(s.mean)).toBeLessThan(1);
      const perEra = await readCsv(join(out, "scores_per_era.csv"));
      expect(perEra.numRows).toBe(summary.eras);
      expect(perEra.columnNames).toEqual(["date", ...names]);
    }));
});

describe("examples/classic-evaluation", () => {
  it("compares neutralization proportions in one table", () =>
    withTempDir(async (out) => {
      await runExample("classic-evaluation", ["--small", "--out", out]);
      type Row = { proportion: number; corr: number; fnc: number; feature_exposure: number; mmc: number; bmc: number };
      const summary = await readJson<{ eras: number; proportions: number[]; table: Row[] }>(join(out, "summary.json"));
      expect(summary.table.map((r) => r.proportion)).toEqual([0, 0.25, 0.5, 0.75, 1]);
      const exposure = summary.table.map((r) => r.feature_exposure);
      // More neutralization, less exposure to any single feature.
      for (let k = 1; k < exposure.length; k++) expect(exposure[k]!).toBeLessThan(exposure[k - 1]!);
      // Fully neutralized, CORR is the FNC (up to rounding to 4 decimals in the table)...
      const full = summary.table.at(-1)!;
      expect(full.corr).toBeCloseTo(full.fnc, 3);
      // ...and FNC barely depends on how much was neutralized before (the projection is
      // idempotent; only the re-ranking between the two steps moves it a little).
      for (const r of summary.table) expect(Math.abs(r.fnc - full.fnc)).toBeLessThan(0.003);
      expect(summary.table[0]!.corr).toBeGreaterThan(full.corr);
      const perEra = await readCsv(join(out, "scores_per_era.csv"));
      expect(perEra.numRows).toBe(summary.eras);
      expect(perEra.columnNames).toContain("neutral_50_max_feature_corr");
    }));
});

describe("examples/signals-submission", () => {
  it("prepares, validates and dry-runs a Signals submission without sending anything", () =>
    withTempDir(async (out) => {
      const stdout = await runExample("signals-submission", ["--small", "--out", out]);
      const summary = await readJson<{ liveIds: number; rows: number; file: string; requests: string[]; problems: Array<{ rule: string; count: number }> }>(
        join(out, "summary.json"),
      );
      expect(summary.rows).toBe(summary.liveIds);
      expect(summary.requests).toEqual(["upload-auth", "upload", "create"]);
      expect(summary.problems.map((p) => p.rule)).toEqual(expect.arrayContaining(["too-few-ids", "out-of-range"]));
      expect(summary.problems.find((p) => p.rule === "too-few-ids")!.count).toBe(80);
      expect(stdout).toContain("SubmissionUploadSignalsAuth");
      const lines = (await readFile(summary.file, "utf8")).trim().split("\n");
      expect(lines[0]).toBe("numerai_ticker,signal");
      expect(lines).toHaveLength(summary.liveIds + 1);
      const signals = lines.slice(1).map((l) => Number(l.split(",")[1]));
      // Tie-kept ranks (rank − 0.5) / n: strictly inside (0, 1), mean exactly 0.5.
      for (const s of signals) expect(s > 0 && s < 1).toBe(true);
      expect(signals.reduce((a, b) => a + b, 0) / signals.length).toBeCloseTo(0.5, 6);
    }));
});

describe("examples/parameter-sweep", () => {
  it("sweeps the grid on worker threads and draws the heatmap", () =>
    withTempDir(async (out) => {
      await runExample("parameter-sweep", ["--small", "--workers", "2", "--out", out]);
      const summary = await readJson<{ configurations: Array<{ long: number; short: number; hold: number; lag: number; sharpe: number }> }>(
        join(out, "summary.json"),
      );
      const configs = summary.configurations;
      expect(configs).toHaveLength(16);
      expect(new Set(configs.map((c) => `${c.long}/${c.short}/${c.hold}/${c.lag}`)).size).toBe(16);
      for (const c of configs) expect(Number.isFinite(c.sharpe)).toBe(true);
      const svg = await readFile(join(out, "sharpe-heatmap.svg"), "utf8");
      expect(isSvg(svg)).toBe(true);
      expect(svg).toContain("Sharpe ratio");
      const csv = await readCsv(join(out, "sweep.csv"));
      expect(csv.numRows).toBe(16);
      expect(Array.from(csv.numeric("sharpe"), (v) => Math.round(v * 1e4) / 1e4)).toEqual(configs.map((c) => c.sharpe));
    }));
});
