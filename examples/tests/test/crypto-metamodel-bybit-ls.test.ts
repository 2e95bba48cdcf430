import { readFile, readdir } from "node:fs/promises";
import { join } from "node:path";
import { withTempDir } from "@nmrblox/fixtures";
import { describe, expect, it } from "vitest";
import { isSvg, readJson, runExample } from "./run-example.js";

interface Stats {
  totalReturn: number;
  sharpe: number | null;
  costs: { grossPnl: number; fee: number; slippage: number; funding: number; netPnl: number };
}
interface Summary {
  source: string;
  range: { symbols: number; start: string; end: string };
  portfolio: { long: number; short: number; lagDays: number; holdDays: number; tranches: number };
  runs: Record<"with funding" | "without funding", Stats>;
  scores: Array<{ score: string; eras: number; mean: number; hit_rate: number }>;
  files: string[];
}

describe("examples/crypto-metamodel-bybit-ls", () => {
  it("runs the headline study on small synthetic data and writes a complete report", () =>
    withTempDir(async (dir) => {
    const out = join(dir, "out");
    const stdout = await runExample("crypto-metamodel-bybit-ls", ["--small", "--out", out]);

    expect(stdout).toContain("60 symbols, 2024-01-01..2024-06-30");
    expect(stdout).toContain("with funding");
    expect(stdout).toContain("without funding");
    expect(stdout).toContain("prediction_corr");
    expect(stdout.trim().split("\n").at(-1)).toContain(join(out, "report.html"));

    const summary = await readJson<Summary>(join(out, "summary.json"));
    expect(summary.source).toBe("synthetic");
    expect(summary.portfolio).toEqual({ long: 5, short: 5, lagDays: 1, holdDays: 30, tranches: 20 });
    const withF = summary.runs["with funding"];
    const without = summary.runs["without funding"];
    // Funding changes cash flows only, not trades: same gross PnL and fees, and the returns
    // differ by exactly the funding (equity = 1 + cumulative net PnL, no compounding).
    expect(without.costs.funding).toBe(0);
    expect(withF.costs.funding).not.toBe(0);
    expect(withF.costs.grossPnl).toBeCloseTo(without.costs.grossPnl, 12);
    expect(withF.costs.fee).toBeCloseTo(without.costs.fee, 12);
    expect(withF.costs.fee).toBeGreaterThan(0);
    expect(withF.totalReturn - without.totalReturn).toBeCloseTo(withF.costs.funding, 12);
    expect(withF.costs.netPnl).toBeCloseTo(withF.costs.grossPnl - withF.costs.fee - withF.costs.slippage + withF.costs.funding, 12);

    // One score row, over the weekdays whose 20-day target has closed inside the half year.
    expect(summary.scores).toHaveLength(1);
    expect(summary.scores[0]!.score).toBe("prediction_corr");
    expect(summary.scores[0]!.eras).toBeGreaterThan(80);
    expect(summary.scores[0]!.eras).toBeLessThan(130);

    const html = await readFile(join(out, "report.html"), "utf8");
    const svgs = (await readdir(out)).filter((f) => f.endsWith(".svg"));
    for (const chart of ["equity", "drawdown", "scores", "quantile-returns", "ic-decay"]) expect(svgs).toContain(`${chart}.svg`);
    for (const file of svgs) {
      expect(isSvg(await readFile(join(out, file), "utf8")), file).toBe(true);
      expect(html, file).toContain(`id="chart-${file.slice(0, -4)}"`);
    }
    expect(html.match(/<svg[\s>]/g)?.length ?? 0).toBeGreaterThanOrEqual(svgs.length);
    expect(summary.files).toEqual(expect.arrayContaining(["report.html", "performance.json", ...svgs]));
    const perf = await readJson<{ totalReturn: number }>(join(out, "performance.json"));
    expect(perf.totalReturn).toBeCloseTo(withF.totalReturn, 12);
    }));
});
