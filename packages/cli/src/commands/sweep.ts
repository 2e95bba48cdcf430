import { readFile } from "node:fs/promises";
import { backtestOptions, sweep, sweepOptions } from "@nmrblox/backtest";
import { checkOptionPaths, parseOptions } from "@nmrblox/numerframe";
import { z } from "zod";
import type { CommandResult, Context } from "../context.js";
import { outPath } from "../context.js";
import { UsageError } from "../errors.js";
import { writeAny } from "../files.js";
import { fixed, frameRows, pct, table } from "../format.js";
import { type FrameFlags, type TradingFlags, readTradingFrames, tradingOptions } from "../trading.js";

/** Flags of `nmrblox sweep`. */
export interface SweepFlags extends FrameFlags, TradingFlags {
  grid: string;
  workers?: number;
  out?: string;
}

/** A grid file: dotted backtest option path → the values to try. */
const gridFile = z.record(z.string().min(1), z.array(z.unknown()).min(1));

/**
 * `nmrblox sweep`: one backtest per combination of the grid file's values
 * (`{"portfolio.holdDays": [10, 20, 30], "netting": [true, false]}`), across worker threads,
 * with a progress bar; the flags and config file set the base options.
 *
 * @param ctx - the command context
 * @param flags - the command's flags
 * @returns the JSON document: one row per configuration with its summary metrics
 * @throws UsageError / InvalidOptionError naming the grid key (exit 2); SweepError (exit 1)
 * @example
 * await sweepCommand(ctx, { grid: "grid.json", signals: "s.csv", market: "m.parquet", workers: 2 });
 */
export async function sweepCommand(ctx: Context, flags: SweepFlags): Promise<CommandResult> {
  const gridPath = await ctx.reader.locateAny(flags.grid, "--grid");
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(gridPath, "utf8"));
  } catch (error) {
    throw new UsageError(`--grid ${flags.grid}: not valid JSON (${(error as Error).message})`, { option: "--grid", path: flags.grid });
  }
  const grid = parseOptions(gridFile, raw, `--grid ${flags.grid}`);
  // Keys are option paths: a misspelled one would silently sweep nothing, so it is an error naming the nearest.
  checkOptionPaths(backtestOptions, Object.keys(grid), `--grid ${flags.grid}`);
  const base = tradingOptions(ctx, flags, "nmrblox sweep");
  const { workers } = parseOptions(
    sweepOptions,
    { ...((ctx.config.sections.sweep ?? {}) as object), ...(flags.workers !== undefined ? { workers: flags.workers } : {}) },
    "nmrblox sweep",
  );
  const { signals, market, universe } = await readTradingFrames(ctx, flags);
  const total = Object.values(grid).reduce((n, v) => n * v.length, 1);
  ctx.out.step(`sweep: ${total} configurations of ${Object.keys(grid).join(" x ")} on ${workers} worker${workers === 1 ? "" : "s"}`);
  const bar = ctx.out.progress("configs");
  const results = await sweep({ signals, market, universe, ...base }, grid, { workers, onProgress: bar });
  bar.end();

  const files: string[] = [];
  if (flags.out !== undefined) {
    const path = outPath(ctx, flags.out);
    await writeAny(results, path, "--out");
    files.push(path);
  }
  const rows = frameRows(results);
  const keys = Object.keys(grid);
  ctx.out.print(
    table(
      rows.map((r) => ({
        config: r.config,
        ...Object.fromEntries(keys.map((k) => [k, r[k]])),
        "total return %": pct(r.total_return as number),
        sharpe: fixed(r.sharpe as number),
        "max drawdown %": pct(r.max_drawdown as number),
        "tranche hit %": pct(r.tranche_hit_rate as number),
      })),
    ),
  );
  if (files.length > 0) ctx.out.print(`\nWrote ${files.join(", ")}`);
  return { command: "sweep", grid, workers, configurations: rows.length, results: rows, files };
}
