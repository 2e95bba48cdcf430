import { createInterface } from "node:readline";
import type { Writable } from "node:stream";
import { BybitClient, loadBybitInstruments, loadBybitMarket } from "@nmrblox/downloader";
import {
  BYBIT_MAINNET,
  BYBIT_TESTNET,
  BybitPrivateClient,
  type ExecutionReport,
  MissingBybitCredentialsError,
  executePlan,
  formatPlan,
  rebalancePlan,
  rebalancePlanOptions,
} from "@nmrblox/exchange";
import { type NumerFrame, NumerFrameError, dayNumber, dayOfEpochMs, isoDay, signalsContract } from "@nmrblox/numerframe";
import { targetBook } from "@nmrblox/portfolio";
import { mapSymbols, tradableUniverse, tradableUniverseOptions } from "@nmrblox/universe-filter";
import { bybitSection, layer } from "../config.js";
import type { CommandResult, Context } from "../context.js";
import { outPath, validateOptions } from "../context.js";
import { UsageError } from "../errors.js";
import { fixed, frameRows, pairs } from "../format.js";
import type { InStream } from "../io.js";
import { type TradingFlags, readTradingFrames, tradingOptions } from "../trading.js";

/** Flags of `nmrblox rebalance`. */
export interface RebalanceFlags extends TradingFlags {
  signals: string;
  market?: string;
  instruments?: string;
  universe?: string;
  live?: boolean;
  capital: number;
  asOf?: string;
  maxSlippage?: number;
  minNotional?: number;
  journal: string;
  testnet?: boolean;
  bybitUrl?: string;
  cacheDir?: string;
  execute?: boolean;
  yes?: boolean;
}

const WHERE = "nmrblox rebalance";

/**
 * `nmrblox rebalance`: today's order plan for Bybit USDT perpetuals from the backtest's tranche
 * book. The target is `targetBook` on the signals and the market (a file, or with `--live` the
 * last days fetched from Bybit's public API), with the backtest's portfolio options and
 * `--capital`; contract rules and last prices come from Bybit's public API, positions from the
 * private one (keys only from BYBIT_API_KEY / BYBIT_API_SECRET); `rebalancePlan` turns the
 * difference into limit IOC orders. The plan is printed and journaled; nothing is sent unless
 * `--execute` is given and confirmed ("yes" on a terminal, or `--yes`), then `executePlan`
 * sends it and reads the positions back.
 *
 * @param ctx - the command context
 * @param flags - the command's flags
 * @returns the JSON document: mode, the target book, the plan and, when executed, the report
 * @throws UsageError (exit 2) for conflicting flags, or `--execute` without `--yes` when
 *   stdin is not a terminal; MissingBybitCredentialsError for `--execute` without keys; what
 *   targetBook, the Bybit clients, rebalancePlan and executePlan throw (exit 1)
 * @example
 * await rebalanceCommand(ctx, { signals: "s.csv", market: "m.parquet", capital: 10_000, journal: "journal" });
 */
export async function rebalanceCommand(ctx: Context, flags: RebalanceFlags): Promise<CommandResult> {
  checkFlags(ctx, flags);
  const options = tradingOptions(ctx, flags, WHERE);
  const { targetVolatility, ...portfolio } = options.portfolio;
  if (targetVolatility !== undefined) {
    throw new UsageError("portfolio.targetVolatility needs the backtest's realized returns: a target book cannot use it; remove it from the config or --set", {
      option: "portfolio.targetVolatility",
    });
  }
  // The plan's limits, checked before any request; the estimates use the backtest's own rates.
  const limits = validateOptions(
    rebalancePlanOptions.pick({ maxSlippage: true, minNotional: true }),
    layer({}, [], [
      ["maxSlippage", flags.maxSlippage],
      ["minNotional", flags.minNotional],
    ]),
    WHERE,
    new Map([
      ["maxSlippage", "--max-slippage"],
      ["minNotional", "--min-notional"],
    ]),
  );
  const estimates = costRates(options.costs);

  const settings = validateOptions(bybitSection, layer(ctx.config.sections.bybit, [], [["baseUrl", baseUrlFlag(flags)]]), WHERE, new Map([["baseUrl", "--bybit-url"]]));
  const baseUrl = (settings.baseUrl ?? BYBIT_MAINNET).replace(/\/+$/, "");
  const publicApi = new BybitClient({ ...settings, baseUrl });
  const env = ctx.io.env;
  // Keys only from the environment: never from flags (shell history) or the config file.
  const client = new BybitPrivateClient({
    baseUrl,
    ...(env.BYBIT_API_KEY ? { apiKey: env.BYBIT_API_KEY } : {}),
    ...(env.BYBIT_API_SECRET ? { apiSecret: env.BYBIT_API_SECRET } : {}),
    ...(settings.timeoutMs !== undefined ? { timeoutMs: settings.timeoutMs } : {}),
  });
  if (flags.execute === true && !client.hasCredentials) throw new MissingBybitCredentialsError("nmrblox rebalance --execute");

  const { signals, market, universe, source } = flags.live === true ? await liveFrames(ctx, flags, publicApi, portfolio) : await fileFrames(ctx, flags);
  ctx.out.step(
    `target book: long ${portfolio.long} / short ${portfolio.short}, lag ${portfolio.lagDays}, hold ${portfolio.holdDays}, ${portfolio.tranches} tranches, leverage ${portfolio.leverage}, capital ${flags.capital} USDT`,
  );
  const target = targetBook(signals, market, universe, { ...portfolio, capital: flags.capital, ...(flags.asOf !== undefined ? { asOf: flags.asOf } : {}) });
  const bookDay = String((target.provenance.at(-1)?.options as { asOf?: string } | undefined)?.asOf ?? flags.asOf ?? "");

  ctx.out.step(`reading contract rules and last prices from ${baseUrl}`);
  const instruments = await publicApi.instruments({ category: "linear" });
  const prices = Object.fromEntries((await publicApi.tickers({ category: "linear" })).map((t) => [t.symbol, Number(t.lastPrice)]));
  let positions: Awaited<ReturnType<BybitPrivateClient["positions"]>> = [];
  if (client.hasCredentials) {
    ctx.out.step("reading open positions");
    positions = await client.positions();
  } else {
    ctx.out.warn("BYBIT_API_KEY / BYBIT_API_SECRET are not set: planning from no open positions (a dry run only; your real positions may differ)");
  }
  const plan = rebalancePlan(positions, target, instruments, { prices, ...limits, ...estimates });

  let confirmed = flags.execute === true && flags.yes === true;
  let declined = false;
  if (!ctx.out.mode.json) ctx.out.print(formatPlan(plan));
  if (flags.execute === true && flags.yes !== true) {
    if (plan.orders.length === 0) confirmed = true;
    else {
      // With --json the plan is not on stdout: show it where the question is, never ask blind.
      if (ctx.out.mode.json) ctx.io.stderr.write(`${formatPlan(plan)}\n`);
      const answer = await ask(ctx, `Send these ${plan.orders.length} orders to ${baseUrl}? Type "yes" to send: `);
      confirmed = answer === "yes";
      declined = !confirmed;
    }
  }

  const journalDir = outPath(ctx, flags.journal);
  // A dry run only journals the plan: a bar would suggest orders going out.
  const bar = confirmed ? ctx.out.progress("orders") : undefined;
  const report = await executePlan(plan, {
    execute: confirmed,
    client,
    journalDir,
    ...(bar !== undefined ? { onProgress: (e: { done: number; total: number }) => bar(e.done, e.total) } : {}),
  });
  bar?.end();

  const mode = confirmed ? "execute" : declined ? "declined" : "dry-run";
  printOutcome(ctx, mode, report);
  return {
    command: "rebalance",
    mode,
    source,
    baseUrl,
    asOf: bookDay,
    capital: flags.capital,
    options: { portfolio, maxSlippage: limits.maxSlippage, minNotional: limits.minNotional, ...estimates },
    positions: Object.fromEntries(positions.filter((p) => p.quantity !== 0).map((p) => [p.symbol, p.quantity])),
    target: frameRows(target),
    plan,
    report,
    journal: report.journalPath,
  };
}

/** Flag combinations that cannot work, refused before any file is read or request sent. */
function checkFlags(ctx: Context, flags: RebalanceFlags): void {
  if (flags.live === true) {
    for (const [flag, value] of [
      ["--market", flags.market],
      ["--instruments", flags.instruments],
      ["--universe", flags.universe],
    ] as const) {
      if (value !== undefined) throw new UsageError(`${flag} does not go with --live: --live fetches the market and instruments from Bybit`, { option: flag });
    }
  } else if (flags.market === undefined) {
    throw new UsageError("--market FILE or --live is required (the daily market the target book is computed on)", { option: "--market" });
  } else if (flags.cacheDir !== undefined) {
    throw new UsageError("--cache-dir applies only with --live (it caches the market fetched from Bybit)", { option: "--cache-dir" });
  }
  if (flags.testnet === true && flags.bybitUrl !== undefined) throw new UsageError("--testnet and --bybit-url both name the Bybit host: give one", { option: "--testnet" });
  if (!(flags.capital > 0)) throw new UsageError(`--capital: ${flags.capital} is not a positive amount of USDT`, { option: "--capital" });
  if (flags.asOf !== undefined && Number.isNaN(dayNumber(flags.asOf))) throw new UsageError(`--as-of: "${flags.asOf}" is not an ISO day YYYY-MM-DD`, { option: "--as-of" });
  if (flags.yes === true && flags.execute !== true) throw new UsageError("--yes confirms --execute: without --execute nothing is sent anyway", { option: "--yes" });
  // Refused before anything is read or fetched: a script must say --yes to trade.
  if (flags.execute === true && flags.yes !== true && ctx.io.stdin?.isTTY !== true) {
    throw new UsageError('--execute asks for a typed "yes" on a terminal; stdin is not a terminal, so pass --yes to send the orders without asking', {
      option: "--yes",
    });
  }
}

/** The host of both APIs as the flags name it (undefined: the config file's, else mainnet). */
function baseUrlFlag(flags: RebalanceFlags): string | undefined {
  return flags.bybitUrl ?? (flags.testnet === true ? BYBIT_TESTNET : undefined);
}

/** The per-side taker fee and slippage of the backtest's cost terms, for the plan's estimates. */
function costRates(costs: ReadonlyArray<{ type: string }>): { fee?: number; slippage?: number } {
  const out: { fee?: number; slippage?: number } = {};
  for (const c of costs as ReadonlyArray<Record<string, unknown>>) {
    // IOC orders take liquidity: the taker side of a maker/taker fee.
    if (c.type === "takerFee") out.fee = c.rate as number;
    else if (c.type === "makerTakerFee") out.fee = c.taker as number;
    else if (c.type === "fixedSlippage") out.slippage = c.rate as number;
  }
  return out;
}

interface RebalanceFrames {
  signals: NumerFrame;
  market: NumerFrame;
  universe: NumerFrame | undefined;
  source: "files" | "live";
}

async function fileFrames(ctx: Context, flags: RebalanceFlags): Promise<RebalanceFrames> {
  const { signals, market, universe } = await readTradingFrames(ctx, {
    signals: flags.signals,
    market: flags.market!,
    ...(flags.instruments !== undefined ? { instruments: flags.instruments } : {}),
    ...(flags.universe !== undefined ? { universe: flags.universe } : {}),
  });
  if (!market.has("exchange_symbol")) ctx.out.warn(`--market ${flags.market} has no exchange_symbol column: its symbols are taken as Bybit contracts`);
  return { signals, market, universe, source: "files" };
}

/**
 * The market of the last days from Bybit's public API: the signals' symbols mapped to USDT
 * perpetuals (`mapSymbols`), daily candles from far enough back for the book's tranches and
 * the universe's turnover window, and the tradable universe built from them, point in time.
 */
async function liveFrames(ctx: Context, flags: RebalanceFlags, client: BybitClient, portfolio: { lagDays: number; holdDays: number }): Promise<RebalanceFrames> {
  await ctx.reader.locate(flags.signals, "--signals");
  const signals = await ctx.reader.read(flags.signals, "--signals", signalsContract);
  ctx.reader.checkMapUsed();
  ctx.out.step("reading Bybit's instruments");
  const instruments = await loadBybitInstruments({ client });
  const { mapping, unmatched } = mapSymbols(signals, instruments, (ctx.config.sections.mapping ?? {}) as object);
  if (unmatched.length > 0) ctx.out.warn(`${unmatched.length} signal symbols have no Bybit USDT perpetual (e.g. ${unmatched.slice(0, 3).map((u) => u.symbol).join(", ")})`);
  if (mapping.numRows === 0) {
    throw new NumerFrameError("EMPTY_MARKET", `--signals ${flags.signals}: no symbol maps to a Bybit USDT perpetual, so there is no market to trade`, { path: flags.signals });
  }
  const universeOptions = (ctx.config.sections.universe ?? {}) as object;
  const { lookbackDays } = tradableUniverseOptions.parse(universeOptions);
  // The last complete day unless --as-of; far enough back for every tranche held at its close
  // (lag + hold) and the turnover window before their signal dates.
  const endDay = flags.asOf !== undefined ? dayNumber(flags.asOf) : dayOfEpochMs(Date.now()) - 1;
  const startDay = endDay - (portfolio.lagDays + portfolio.holdDays + lookbackDays + 1);
  const symbols = mapping.strings("symbol").map((symbol, i) => ({ symbol, exchangeSymbol: mapping.strings("exchange_symbol")[i]! }));
  ctx.out.step(`downloading ${symbols.length} Bybit contracts, ${isoDay(startDay)} .. ${isoDay(endDay)}`);
  const bar = ctx.out.progress("symbols");
  const market = await loadBybitMarket({
    symbols,
    start: isoDay(startDay),
    end: isoDay(endDay),
    client,
    ...(flags.cacheDir !== undefined ? { cacheDir: outPath(ctx, flags.cacheDir) } : {}),
    onProgress: (e) => e.total !== undefined && bar(e.done, e.total),
  });
  bar.end();
  const universe = tradableUniverse({ signals, instruments, market, mapping }, universeOptions);
  return { signals, market, universe, source: "live" };
}

/**
 * Asks a question on stderr and reads one line from stdin (a terminal: checkFlags refused
 * anything else). End of input counts as no answer.
 */
async function ask(ctx: Context, question: string): Promise<string> {
  const input = ctx.io.stdin as InStream;
  const rl = createInterface({ input, output: ctx.io.stderr as unknown as Writable, terminal: false });
  try {
    return await new Promise<string>((resolve) => {
      rl.once("close", () => resolve(""));
      rl.question(question, (answer) => resolve(answer.trim().toLowerCase()));
    });
  } finally {
    rl.close();
    // A terminal left flowing would keep the process alive after the run.
    input.pause();
  }
}

/** What the run did, in a few lines, and a warning for every leg or symbol that needs a look. */
function printOutcome(ctx: Context, mode: string, report: ExecutionReport): void {
  if (mode !== "execute") {
    ctx.out.print(mode === "declined" ? `Not sent: the answer was not "yes". Nothing was sent; the plan is in ${report.journalPath}` : `Dry run: nothing was sent (add --execute to trade). Journal: ${report.journalPath}`);
    return;
  }
  const counts = Object.entries(report.counts)
    .filter(([, n]) => n > 0)
    .map(([status, n]) => `${status} ${n}`)
    .join(", ");
  ctx.out.print(
    pairs([
      ["orders placed", report.placed],
      ["legs", counts || "none"],
      ["deviations", report.deviations.length],
      ["journal", report.journalPath],
    ]),
  );
  for (const leg of report.legs) {
    if (leg.status === "filled" || leg.status === "already_done") continue;
    ctx.out.warn(`${leg.symbol} ${leg.side} ${leg.qty}: ${leg.status}${leg.retCode !== undefined ? ` (retCode ${leg.retCode})` : ""}${leg.message ? `: ${leg.message}` : ""}`);
  }
  for (const d of report.deviations) ctx.out.warn(`${d.symbol}: holds ${d.actual}, target ${d.target} (off by ${fixed(d.difference, 6)})`);
  for (const e of report.errors) ctx.out.warn(e);
}
