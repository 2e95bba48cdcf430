import { join } from "node:path";
import { runBacktest } from "@nmrblox/backtest";
import { performance, renderReport } from "@nmrblox/evaluator";
import type { CommandResult, Context } from "../context.js";
import { outPath } from "../context.js";
import { writeAny } from "../files.js";
import { pairs, performanceRows } from "../format.js";
import { type FrameFlags, type TradingFlags, readTradingFrames, tradingOptions } from "../trading.js";

/** Flags of `nmrblox backtest`. */
export interface BacktestFlags extends FrameFlags, TradingFlags {
  report?: string;
  out?: string;
  format: "parquet" | "csv" | "arrow";
}

/**
 * `nmrblox backtest`: reads the frames, builds the universe from instruments when given, runs
 * `runBacktest` with the layered options, and reports `performance` (365 periods a year);
 * `--out DIR` writes daily, tranches and book, `--report DIR` the HTML report.
 *
 * @param ctx - the command context
 * @param flags - the command's flags
 * @returns the JSON document: inputs, options, performance, files
 * @throws what the libraries throw (exit 1), UsageError / InvalidOptionError (exit 2)
 * @example
 * await backtestCommand(ctx, { signals: "s.csv", market: "m.parquet", long: 10, format: "parquet" });
 */
export async function backtestCommand(ctx: Context, flags: BacktestFlags): Promise<CommandResult> {
  const options = tradingOptions(ctx, flags, "nmrblox backtest");
  const { signals, market, universe, universeSource } = await readTradingFrames(ctx, flags);
  const { portfolio } = options;
  ctx.out.step(
    `backtest: long ${portfolio.long} / short ${portfolio.short}, lag ${portfolio.lagDays}, hold ${portfolio.holdDays}, ${portfolio.tranches} tranches, costs ${options.costs.map((c) => c.type).join(" + ") || "none"}`,
  );
  const days = ctx.out.progress("days");
  const result = runBacktest({ signals, market, universe, ...options, onProgress: days });
  days.end();
  const stats = performance(result.daily, { periodsPerYear: 365, tranches: result.tranches });

  const files: string[] = [];
  if (flags.out !== undefined) {
    const dir = outPath(ctx, flags.out);
    for (const [name, frame] of [
      ["daily", result.daily],
      ["tranches", result.tranches],
      ["book", result.book],
    ] as const) {
      const path = join(dir, `${name}.${flags.format}`);
      await writeAny(frame, path, "--out");
      files.push(path);
    }
  }
  let report: string | undefined;
  if (flags.report !== undefined) {
    ctx.out.step("rendering the report");
    const charts = ctx.out.progress("charts");
    const rendered = await renderReport({ ...result, market, ...(universe !== undefined ? { universe } : {}) }, {
      outDir: outPath(ctx, flags.report),
      title: `Long ${portfolio.long} / short ${portfolio.short}, lag ${portfolio.lagDays}, hold ${portfolio.holdDays}, ${portfolio.tranches} tranches`,
      onProgress: ({ done, total }) => charts(done, total),
    });
    charts.end();
    report = join(rendered.outDir, "report.html");
    files.push(report);
  }

  ctx.out.print(`Backtest of ${signals.numRows} signals on ${market.numRows} market rows (universe: ${universeSource})`);
  ctx.out.print(pairs(performanceRows(stats)));
  if (files.length > 0) ctx.out.print(`\nWrote:\n${files.map((f) => `  ${f}`).join("\n")}`);
  return {
    command: "backtest",
    inputs: {
      signals: flags.signals,
      market: flags.market,
      ...(flags.instruments !== undefined ? { instruments: flags.instruments } : {}),
      ...(flags.universe !== undefined ? { universe: flags.universe } : {}),
    },
    rows: { signals: signals.numRows, market: market.numRows, universe: universe?.numRows ?? null, daily: result.daily.numRows, tranches: result.tranches.numRows },
    universe: universeSource,
    options: result.options,
    performance: stats,
    files,
    ...(report !== undefined ? { report } : {}),
  };
}
