/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, readFile, readdir, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { withTempDir } from "@nmrblox/fixtures";
import { ContractError, InvalidOptionError, NumerFrame } from "@nmrblox/numerframe";
import { chromium } from "playwright-core";
import { describe, expect, it } from "vitest";
import { ReportError, factorAnalysis, renderReport, summarizeScores, writeDirAtomic } from "../src/index.js";
import { scoresChart, scoresCumulativeChart } from "../src/report/charts/scores-chart.js";
import { scoresTable } from "../src/report/tables.js";
import { syntheticBacktest, syntheticMarketAndSignals, syntheticTearSheet } from "./synthetic-backtest.js";

const here = dirname(fileURLToPath(import.meta.url));
const CHROMIUM = "/usr/bin/chromium";
const CHARTS = ["equity", "drawdown", "rolling-sharpe", "monthly-returns", "annual-returns", "return-distribution", "cost-breakdown", "exposure", "turnover-positions", "tranche-pnl", "tranche-hit-rate", "scores", "scores-cumulative", "scores-distribution", "ic-series", "quantile-cumulative", "quantile-returns", "ic-decay"];
const TEAR_SHEET_CHARTS = [
  "equity",
  "drawdown",
  "rolling-sharpe",
  "benchmarks",
  "monthly-returns",
  "annual-returns",
  "return-distribution",
  "legs",
  "attribution",
  "cost-breakdown",
  "exposure",
  "turnover-positions",
  "tranche-pnl",
  "tranche-hit-rate",
  "scores",
  "scores-cumulative",
  "scores-distribution",
  "ic-series",
  "quantile-cumulative",
  "quantile-returns",
  "ic-decay",
  "basket-turnover",
];
const TEAR_SHEET_SECTIONS = [
  "Performance",
  "Benchmarks",
  "Returns",
  "Long leg vs short leg",
  "Per-coin attribution",
  "Costs",
  "Exposure, turnover and positions",
  "Tranches",
  "Numerai scores",
  "Signal quality",
  "How these numbers were made",
];
const SCORES_CHARTS = ["scores", "scores-cumulative", "scores-distribution"];

const backtest = syntheticBacktest(400);
const { market, signals } = syntheticMarketAndSignals(160, 30);
const factor = factorAnalysis(signals, market);
const tearSheet = syntheticTearSheet(3 * 365, 40);

/** What the browser sees of one chart: size, marks drawn, and its x axes' visible labels. */
interface ChartView {
  chart: string;
  timeAxis: boolean;
  width: number;
  height: number;
  marks: number;
  xAxes: { label: string; visible: string[] }[];
}

/** Opens a report in headless Chromium: console problems, section headings, every chart's view, a full-page screenshot. */
async function inChromium(html: string, screenshot: string): Promise<{ problems: string[]; sections: string[]; charts: ChartView[] }> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: run packages/evaluator/test/ensure-chromium.sh`);
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1000, height: 900 } });
    const problems: string[] = [];
    page.on("console", (m) => {
      if (m.type() === "error") problems.push(m.text());
    });
    page.on("pageerror", (e) => problems.push(e.message));
    page.on("requestfailed", (r) => problems.push(`request failed: ${r.url()}`));
    await page.goto(pathToFileURL(html).href, { waitUntil: "load" });
    const sections = await page.$$eval("section[data-section] > h2", (hs) => hs.map((h) => h.textContent ?? ""));
    const charts = await page.$$eval("figure[data-chart]", (figures) =>
      figures.map((f) => {
        const svg = f.querySelector("svg")!;
        const r = svg.getBoundingClientRect();
        // Marks are the data drawn: children of mark groups (not axes, legends or titles).
        const marks = svg.querySelectorAll(".role-mark > *").length;
        const visible = (t: Element) => {
          const b = t.getBoundingClientRect();
          return Number(getComputedStyle(t).opacity) > 0 && t.getAttribute("opacity") !== "0" && b.width > 0 && b.height > 0;
        };
        const xAxes = [...svg.querySelectorAll("g.role-axis")]
          .filter((a) => (a.getAttribute("aria-label") ?? "").startsWith("X-axis"))
          .map((a) => ({
            label: a.getAttribute("aria-label") ?? "",
            visible: [...a.querySelectorAll(".role-axis-label text")].filter(visible).map((t) => t.textContent ?? ""),
          }));
        return { chart: f.getAttribute("data-chart")!, timeAxis: f.hasAttribute("data-time-axis"), width: r.width, height: r.height, marks, xAxes };
      }),
    );
    await mkdir(dirname(screenshot), { recursive: true });
    await page.screenshot({ path: screenshot, fullPage: true });
    return { problems, sections, charts };
  } finally {
    await browser.close();
  }
}

/** Every chart has a size and data; every x axis of a time chart shows a year in a visible label. */
function expectChartsReadable(charts: ChartView[]): void {
  for (const c of charts) {
    expect(c.width, c.chart).toBeGreaterThan(100);
    expect(c.height, c.chart).toBeGreaterThan(50);
    expect(c.marks, `${c.chart} has no marks`).toBeGreaterThan(1);
    if (!c.timeAxis) continue;
    expect(c.xAxes.length, `${c.chart} has no x axis`).toBeGreaterThan(0);
    for (const axis of c.xAxes) expect(axis.visible.some((l) => /\b(19|20)\d\d\b/.test(l)), `${c.chart}: ${axis.label}: ${axis.visible.join(", ")}`).toBe(true);
  }
}

describe("renderReport", () => {
  it("writes report.html, report.md, performance.json and every chart as SVG", async () => {
    await withTempDir(async (dir) => {
      const outDir = join(dir, "report");
      const steps: string[] = [];
      const res = await renderReport(
        { ...backtest, factor },
        { outDir, title: "Synthetic <backtest> & co", generatedAt: "2024-05-01T00:00:00Z", onProgress: (p) => steps.push(p.step) },
      );
      expect(res.charts).toEqual(CHARTS);
      const files = (await readdir(outDir)).sort();
      expect(files).toEqual(["performance.json", "report.html", "report.md", ...CHARTS.map((c) => `${c}.svg`)].sort());
      expect(steps.at(-1)).toBe("done");
      // nothing left beside the report folder
      expect(await readdir(dir)).toEqual(["report"]);

      const html = await readFile(join(outDir, "report.html"), "utf8");
      expect(html).toContain("<title>Synthetic &lt;backtest&gt; &amp; co</title>");
      expect(html).not.toMatch(/<script|<link |src="http|href="http/); // self-contained, no scripts
      expect(html.match(/<svg /g)?.length).toBe(CHARTS.length);
      for (const c of CHARTS) expect(html).toContain(`data-chart="${c}"`);
      // options and provenance are shown
      expect(html).toContain("netting");
      expect(html).toContain("test.dailyFrame");
      expect(html).toContain("factorAnalysis");
      // the statistics shown are the ones computed
      expect(html).toContain(`${(res.performance!.totalReturn * 100).toFixed(2)}%`);

      const md = await readFile(join(outDir, "report.md"), "utf8");
      expect(md).toMatch(/^# Synthetic <backtest> & co/);
      for (const c of CHARTS) expect(md).toContain(`(${c}.svg)`);
      expect(md).toContain("| Sharpe |");
      const json = JSON.parse(await readFile(join(outDir, "performance.json"), "utf8"));
      expect(json.days).toBe(400);
      const svg = await readFile(join(outDir, "equity.svg"), "utf8");
      expect(svg.startsWith("<svg")).toBe(true);
    });
  });

  it("the headline tear sheet in headless Chromium: every section, no empty chart, a visible year on every time axis; screenshot", async () => {
    await withTempDir(async (dir) => {
      const outDir = join(dir, "report");
      const res = await renderReport({ ...tearSheet, factor }, { outDir, title: "Synthetic tear sheet" });
      expect(res.charts).toEqual(TEAR_SHEET_CHARTS);
      expect(res.sections).toEqual(TEAR_SHEET_SECTIONS);
      const { problems, sections, charts } = await inChromium(join(outDir, "report.html"), join(here, "output", "report.png"));
      expect(problems).toEqual([]);
      expect(sections).toEqual(TEAR_SHEET_SECTIONS);
      expect(charts.map((c) => c.chart)).toEqual(TEAR_SHEET_CHARTS);
      expectChartsReadable(charts);
      // Time axes: every chart over dates is marked as one, and has a utc x axis.
      const timeCharts = charts.filter((c) => c.timeAxis).map((c) => c.chart);
      expect(timeCharts).toEqual(["equity", "drawdown", "rolling-sharpe", "benchmarks", "annual-returns", "legs", "exposure", "turnover-positions", "tranche-hit-rate", "scores", "scores-cumulative", "ic-series", "quantile-cumulative", "basket-turnover"]);
      for (const c of charts.filter((x) => x.timeAxis && x.chart !== "annual-returns")) expect(c.xAxes.every((a) => a.label.includes("utc scale")), c.chart).toBe(true);
      // Two-panel charts have an x axis each.
      expect(charts.find((c) => c.chart === "legs")!.xAxes).toHaveLength(2);
      expect(charts.find((c) => c.chart === "turnover-positions")!.xAxes).toHaveLength(2);
    });
  });

  it("a scores-only report (no backtest) in headless Chromium: per-era, cumulative, distribution and summary; screenshot", async () => {
    await withTempDir(async (dir) => {
      const outDir = join(dir, "scores");
      const res = await renderReport({ scores: tearSheet.scores }, { outDir });
      expect(res.performance).toBeNull();
      expect(res.charts).toEqual(SCORES_CHARTS);
      expect(res.sections).toEqual(["Numerai scores", "How these numbers were made"]);
      expect((await readdir(outDir)).sort()).toEqual(["report.html", "report.md", ...SCORES_CHARTS.map((c) => `${c}.svg`)].sort());
      const html = await readFile(join(outDir, "report.html"), "utf8");
      expect(html).toContain("<h1>Scores report</h1>");
      expect(html).toContain("ddof 0");
      const { problems, sections, charts } = await inChromium(join(outDir, "report.html"), join(here, "output", "scores-report.png"));
      expect(problems).toEqual([]);
      expect(sections).toEqual(["Numerai scores", "How these numbers were made"]);
      expect(charts.map((c) => c.chart)).toEqual(SCORES_CHARTS);
      expectChartsReadable(charts);
      expect(charts.filter((c) => c.timeAxis).map((c) => c.chart)).toEqual(["scores", "scores-cumulative"]);
      // The KPI tiles are the scores table's figures (ddof 0, per era).
      const s = summarizeScores(tearSheet.scores);
      expect(html).toContain(`<div class="value">${s.numeric("mean")[0]!.toFixed(4)}</div>`);
    });
  });

  it("renders a backtest without tranches, scores or factor analysis", async () => {
    await withTempDir(async (dir) => {
      const res = await renderReport({ daily: backtest.daily }, { outDir: join(dir, "r"), title: "Bare" });
      expect(res.charts).toEqual(["equity", "drawdown", "rolling-sharpe", "monthly-returns", "annual-returns", "return-distribution", "cost-breakdown", "exposure", "turnover-positions"]);
      expect(res.performance!.trancheHitRate).toBeNull();
      const html = await readFile(join(dir, "r", "report.html"), "utf8");
      expect(html).toContain("(none given)");
    });
  });

  it("renders a 10-day backtest (shorter than the rolling window) with NaN scores", async () => {
    await withTempDir(async (dir) => {
      const short = syntheticBacktest(10, 3, 4);
      const corr = short.scores.float64("corr").slice();
      corr[1] = Number.NaN;
      const scores = short.scores.withColumn("corr", corr);
      const res = await renderReport({ ...short, scores }, { outDir: join(dir, "r"), title: "Short" });
      expect(res.performance!.days).toBe(10);
      const sharpeSvg = await readFile(join(dir, "r", "rolling-sharpe.svg"), "utf8");
      expect(sharpeSvg).toContain("fewer than 90 days");
      const md = await readFile(join(dir, "r", "report.md"), "utf8");
      expect(md).toMatch(/\| corr \| 3 \|/); // 4 eras, one NaN left out
    });
  });
});

describe("atomic report folder", () => {
  it("repairs a writer killed between its two renames: the old report comes back, temps go", async () => {
    await withTempDir(async (dir) => {
      // The state a SIGKILL leaves between `rename(target, old)` and `rename(tmp, target)`:
      // no report folder, the previous one moved aside, the new one complete in a temp folder.
      const dead = spawnSync(process.execPath, ["-e", ""]).pid!;
      const old = join(dir, `.report.old-${dead}-0badc0de`);
      const tmp = join(dir, `.report.tmp-${dead}-0badc0de`);
      await mkdir(old);
      await writeFile(join(old, "report.html"), "previous report");
      await mkdir(tmp);
      await writeFile(join(tmp, "report.html"), "half-published");
      const outDir = join(dir, "report");
      // The next write fails (a name the file system refuses) after repairing: the previous report is back, whole.
      await expect(writeDirAtomic(outDir, new Map([["bad\0name.svg", "x"]]))).rejects.toThrow(expect.objectContaining({ code: "WRITE_FAILED" }));
      expect(await readFile(join(outDir, "report.html"), "utf8")).toBe("previous report");
      expect(await readdir(dir)).toEqual(["report"]);
      // and a complete write then replaces it as usual
      await writeDirAtomic(outDir, new Map([["report.html", "next report"]]));
      expect(await readFile(join(outDir, "report.html"), "utf8")).toBe("next report");
      expect(await readdir(dir)).toEqual(["report"]);
    });
  });

  it("replaces an existing report only when the new one is complete", async () => {
    await withTempDir(async (dir) => {
      const outDir = join(dir, "report");
      await renderReport({ daily: backtest.daily }, { outDir, title: "First" });
      const first = await readFile(join(outDir, "report.html"), "utf8");
      expect(first).toContain("<h1>First</h1>");
      // a write that fails half-way (a file name the file system refuses) leaves the old report whole
      await expect(writeDirAtomic(outDir, new Map([["report.html", "new"], ["bad\0name.svg", "x"]]))).rejects.toThrow(
        expect.objectContaining({ code: "WRITE_FAILED" }),
      );
      expect(await readFile(join(outDir, "report.html"), "utf8")).toBe(first);
      expect(await readdir(dir)).toEqual(["report"]);
      // bad input fails before anything is touched
      await expect(renderReport({ daily: backtest.daily.drop(["equity"]) }, { outDir, title: "Broken" })).rejects.toThrow(/equity/);
      expect(await readFile(join(outDir, "report.html"), "utf8")).toBe(first);
      // a complete new report replaces the old one, with no stale files
      await writeFile(join(outDir, "stale.svg"), "<svg/>");
      await renderReport({ daily: backtest.daily }, { outDir, title: "Second" });
      expect(await readFile(join(outDir, "report.html"), "utf8")).toContain("<h1>Second</h1>");
      expect(await readdir(outDir)).not.toContain("stale.svg");
      expect(await readdir(dir)).toEqual(["report"]);
    });
  });

  it("refuses to replace a folder that is not a report", async () => {
    await withTempDir(async (dir) => {
      await writeFile(join(dir, "precious.txt"), "keep me");
      await expect(renderReport({ daily: backtest.daily }, { outDir: dir, title: "x" })).rejects.toThrow(
        expect.objectContaining({ code: "OUT_DIR_NOT_REPORT", path: dir }),
      );
      expect(await readFile(join(dir, "precious.txt"), "utf8")).toBe("keep me");
      await expect(renderReport({ daily: backtest.daily }, { outDir: join(dir, "precious.txt"), title: "x" })).rejects.toThrow(ReportError);
      await expect(renderReport({ daily: backtest.daily }, { outDir: "", title: "x" })).rejects.toThrow(
        expect.objectContaining({ code: "INVALID_OPTION", option: "outDir" }),
      );
    });
  });
});

describe("bad input to renderReport is named before anything is written", () => {
  it("a misspelled option names the nearest valid one", async () => {
    const e = await renderReport({ daily: backtest.daily }, { outdir: "x", title: "x" } as never).catch((err: unknown) => err);
    expect(e).toBeInstanceOf(InvalidOptionError);
    // Both problems at once: the unknown key (with its neighbour) and the missing required one.
    expect((e as InvalidOptionError).problems).toEqual([
      { path: "outdir", message: "unknown option", suggestion: "outDir" },
      expect.objectContaining({ path: "outDir" }),
    ]);
  });

  it("inputs that are not frames, a scores frame without era or metric", async () => {
    await withTempDir(async (dir) => {
      const outDir = join(dir, "r");
      await expect(renderReport({ daily: "daily" } as never, { outDir })).rejects.toThrow(expect.objectContaining({ code: "INVALID_OPTION", option: "result.daily" }));
      const noEra = backtest.scores.drop(["era"]);
      await expect(renderReport({ daily: backtest.daily, scores: noEra }, { outDir })).rejects.toThrow(ContractError);
      const noMetric = NumerFrame.fromColumns({ era: ["0001"], label: ["x"] }, { eraCol: "era" });
      await expect(renderReport({ daily: backtest.daily, scores: noMetric }, { outDir })).rejects.toThrow(
        expect.objectContaining({ code: "MISSING_COLUMN", column: "era", constructor: ReportError }),
      );
      expect(existsSync(outDir)).toBe(false);
    });
  });
});

describe("per-era scores in the report follow the era order", () => {
  // Legacy labels stored in code-point order: era1, era10, era11, era2, ..., era9.
  const labels = Array.from({ length: 11 }, (_, e) => `era${e + 1}`).sort();
  const value = (label: string) => Number(label.slice(3)) / 100 - 0.05;
  const scores = NumerFrame.fromColumns({ era: labels, corr: labels.map(value) }, { eraCol: "era" });

  it("the charts draw era1, era2, ..., era11 with the rolling mean and the cumulative sum in that order", () => {
    const spec = scoresChart(scores, 3) as unknown as { vconcat: { data: { values: { era: string; value: number; mean: number }[] } }[] };
    const values = spec.vconcat[0]!.data.values;
    expect(values.map((v) => v.era)).toEqual(Array.from({ length: 11 }, (_, e) => `era${e + 1}`));
    // value of era k = k/100 − 0.05; trailing mean over 3 eras: −0.04, −0.035, −0.03, −0.02, −0.01, ...
    expect(values.slice(0, 5).map((v) => v.mean)).toEqual([-0.04, -0.035, -0.03, -0.02, -0.01].map((x) => expect.closeTo(x, 12)));
    const cumulative = (scoresCumulativeChart(scores) as unknown as { data: { values: { era: string; cumulative: number }[] } }).data.values;
    expect(cumulative.map((v) => v.era)).toEqual(Array.from({ length: 11 }, (_, e) => `era${e + 1}`));
    // cumulative after era k = Σ_{j ≤ k} (j/100 − 0.05): −0.04, −0.07, −0.09, −0.10, −0.10, −0.09, ...
    expect(cumulative.slice(0, 6).map((v) => v.cumulative)).toEqual([-0.04, -0.07, -0.09, -0.1, -0.1, -0.09].map((x) => expect.closeTo(x, 12)));
  });

  it("the scores table is summarizeScores' row, drawdown and autocorrelation included", () => {
    const table = scoresTable(scores);
    expect(table.header).toEqual(["metric", "eras", "eras without a score", "mean", "std", "Sharpe", "max drawdown", "autocorrelation", "eras > 0"]);
    const s = summarizeScores(scores);
    const row = table.rows[0]!;
    expect(row[0]).toBe("corr");
    expect(row[1]).toBe("11");
    expect(row[2]).toBe("0");
    expect(Number(row[3])).toBeCloseTo(s.numeric("mean")[0]!, 4);
    // Chronologically the running sum falls from −0.04 to −0.10 after its first era: drawdown −0.06.
    expect(s.numeric("max_drawdown")[0]).toBeCloseTo(-0.06, 12);
    expect(row[6]).toBe("-0.0600");
    expect(Number(row[7])).toBeCloseTo(s.numeric("autocorrelation")[0]!, 3);
  });
});
