import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { DAY_MS, InvalidCloseError, NumerFrame, dayOfEpochMs, isoDay, marketContract, parseOptions, requireColumns, writeFileAtomic } from "@nmrblox/numerframe";
import { z } from "zod";
import { BybitClient } from "./bybit-client.js";
import { checkRange, dateInput } from "./date-input.js";
import { defaultCacheDir } from "./default-cache-dir.js";
import { UnsafeNameError } from "./errors.js";
import { safeJoin } from "./safe-name.js";
import type { OnProgress } from "./progress.js";

/** A symbol to load: an exchange symbol, or a Numerai symbol with its exchange contract. */
export const marketSymbol = z.union([
  z.string().min(1),
  z.strictObject({ symbol: z.string().min(1), exchangeSymbol: z.string().min(1) }),
]);
/** An exchange symbol, or a Numerai symbol with its exchange contract. */
export type MarketSymbol = z.infer<typeof marketSymbol>;

/** Options of `loadBybitMarket`. */
export const loadBybitMarketOptions = z.strictObject({
  /**
   * Contracts to load. A plain string is the exchange symbol (e.g. "1000PEPEUSDT") and is also
   * used as `symbol`; pass `{symbol, exchangeSymbol}` to key rows by the Numerai symbol.
   */
  symbols: z.array(marketSymbol).min(1),
  /** First UTC day (ISO day, ms or Date; a time is floored to its day). */
  start: dateInput,
  /** Last UTC day, inclusive; days not yet complete (today) are left out. */
  end: dateInput,
  category: z.enum(["linear", "inverse"]).default("linear"),
  /** The client; a default BybitClient otherwise. */
  client: z.instanceof(BybitClient).optional(),
  /** Cache folder; NMRBLOX_CACHE_DIR or ~/.cache/nmrblox by default. */
  cacheDir: z.string().min(1).optional(),
  /** Read and write the per-symbol cache. */
  cache: z.boolean().default(true),
  /** Symbols fetched at the same time (requests still pass the client's rate limiter). */
  concurrency: z.number().int().positive().default(4),
  onProgress: z.custom<OnProgress>((v) => typeof v === "function", "must be a function").optional(),
  /** The current time (ms) deciding which days are complete; now by default. */
  now: z.number().optional(),
  /**
   * A close the exchange sends empty, zero, negative or not finite: "error" (default) raises
   * InvalidCloseError naming the day and symbol; "drop" leaves the row out and counts it in
   * the frame's `source.droppedCloses` (with the first few in `source.droppedCloseRows`).
   */
  invalidCloses: z.enum(["error", "drop"]).default("error"),
});
/** Options of `loadBybitMarket`, as callers give them. */
export type LoadBybitMarketOptions = z.input<typeof loadBybitMarketOptions>;

/** Daily rows of one contract, ascending by day, as cached on disk. */
const dailyCache = z.object({
  format: z.literal("nmrblox.bybit.daily"),
  version: z.literal(1),
  category: z.string(),
  exchangeSymbol: z.string(),
  /** Days fetched (inclusive epoch days); days inside without a row had no candle. */
  fromDay: z.number().int(),
  toDay: z.number().int(),
  day: z.array(z.number().int()),
  /** null stands for a close the exchange left empty (JSON has no NaN). */
  close: z.array(z.number().nullable()).transform((a) => a.map((v) => v ?? Number.NaN)),
  turnover: z.array(z.number()),
  funding: z.array(z.number()),
});
type DailyCache = z.infer<typeof dailyCache>;

interface DailyRows {
  day: number[];
  close: number[];
  turnover: number[];
  funding: number[];
}

/**
 * Where a contract's daily cache lives.
 *
 * @param cacheDir - the cache folder
 * @param category - "linear" or "inverse"
 * @param exchangeSymbol - the contract, e.g. "BTCUSDT"
 * @returns `<cacheDir>/bybit/<category>/daily/<exchangeSymbol>.json`
 * @throws UnsafeNameError when the symbol is not a plain file name ("../x", "a/b", control characters)
 * @example
 * marketCachePath("/tmp/cache", "linear", "BTCUSDT"); // "/tmp/cache/bybit/linear/daily/BTCUSDT.json"
 */
export function marketCachePath(cacheDir: string, category: string, exchangeSymbol: string): string {
  const dir = join(cacheDir, "bybit", category, "daily");
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/.test(exchangeSymbol)) throw new UnsafeNameError(exchangeSymbol, "exchange symbol");
  return safeJoin(dir, `${exchangeSymbol}.json`, "exchange symbol", true);
}

/**
 * The market frame of DESIGN.md from Bybit: one row per contract per complete UTC day with a
 * daily candle in [start, end]: `date` (ISO day), `symbol`, `exchange_symbol`, `close` (last
 * price at the day's close, quote currency per contract), `turnover_usd` (the day's traded
 * value in quote currency, USDT for linear), `funding_rate` (sum of the settled rates whose
 * timestamp falls in [00:00, 24:00) UTC of that day, as fractions; 0 when none). Rows are
 * sorted by date, then in the order of `symbols`. Each contract's days are cached on disk, so
 * a later call fetches only days outside the cached span (a gap between the cached span and
 * the new range is fetched too, keeping the span contiguous). The frame meets numerframe's
 * `marketContract`.
 *
 * @param options - `symbols`, `start`, `end`, `category`, `client`, `cacheDir`, `cache`,
 *   `concurrency`, `onProgress`, `now`
 * @returns the market frame
 * @throws InvalidOptionError naming every bad option; InvalidDateRangeError (no request);
 *   InvalidCloseError for a close that is empty, 0, negative or not finite (unless
 *   `invalidCloses: "drop"`); UnsafeNameError for a symbol that is not a plain file name;
 *   BybitApiError, HttpError or NetworkError from the client
 * @example
 * const market = await loadBybitMarket({ symbols: ["BTCUSDT", "ETHUSDT"], start: "2024-01-01", end: "2024-06-30" });
 */
export async function loadBybitMarket(options: LoadBybitMarketOptions): Promise<NumerFrame> {
  const opts = parseOptions(loadBybitMarketOptions, options, "loadBybitMarket");
  const startDay = dayOfEpochMs(opts.start);
  const endDay = dayOfEpochMs(opts.end);
  checkRange(startDay * DAY_MS, endDay * DAY_MS, "loadBybitMarket");
  const lastComplete = dayOfEpochMs(opts.now ?? Date.now()) - 1;
  const lastDay = Math.min(endDay, lastComplete);
  const client = opts.client ?? new BybitClient();
  const cacheDir = opts.cacheDir ?? defaultCacheDir();
  const pairs = opts.symbols.map((s) => (typeof s === "string" ? { symbol: s, exchangeSymbol: s } : s));

  const perSymbol = new Array<DailyRows>(pairs.length);
  const dropped: Array<{ date: string; symbol: string; close: number }> = [];
  let droppedCount = 0;
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < pairs.length) {
      const i = next++;
      const { exchangeSymbol } = pairs[i]!;
      const { rows, fromCache } =
        lastDay < startDay
          ? { rows: emptyRows(), fromCache: true }
          : await symbolDays(client, exchangeSymbol, opts.category, startDay, lastDay, opts.cache ? cacheDir : undefined);
      perSymbol[i] = checkCloses(rows, exchangeSymbol, opts.invalidCloses, (date, close) => {
        droppedCount++;
        if (dropped.length < 20) dropped.push({ date, symbol: exchangeSymbol, close });
      });
      done++;
      opts.onProgress?.({ task: "market", item: exchangeSymbol, done, total: pairs.length, unit: "symbols", fromCache });
    }
  };
  await Promise.all(Array.from({ length: Math.min(opts.concurrency, pairs.length) }, worker));

  const frame = assemble(pairs, perSymbol, startDay, Math.max(startDay, lastDay), droppedCount, dropped);
  requireColumns(frame, marketContract, "loadBybitMarket");
  return frame.withProvenance({
    blox: "downloader.loadBybitMarket",
    options: { symbols: pairs.length, start: isoDay(startDay), end: isoDay(endDay), category: opts.category },
  });
}

/**
 * Rows whose close is > 0 and finite; any other close raises InvalidCloseError ("error") or is
 * dropped and reported ("drop"). Never kept as 0: a 0 close would be a -100% return.
 */
function checkCloses(rows: DailyRows, symbol: string, mode: "error" | "drop", onDrop: (date: string, close: number) => void): DailyRows {
  let bad = 0;
  for (const c of rows.close) if (!(c > 0 && Number.isFinite(c))) bad++;
  if (bad === 0) return rows;
  const out = emptyRows();
  for (let k = 0; k < rows.day.length; k++) {
    const c = rows.close[k]!;
    if (c > 0 && Number.isFinite(c)) {
      out.day.push(rows.day[k]!);
      out.close.push(c);
      out.turnover.push(rows.turnover[k]!);
      out.funding.push(rows.funding[k]!);
    } else if (mode === "error") {
      throw new InvalidCloseError(isoDay(rows.day[k]!), symbol, c);
    } else {
      onDrop(isoDay(rows.day[k]!), c);
    }
  }
  return out;
}

function emptyRows(): DailyRows {
  return { day: [], close: [], turnover: [], funding: [] };
}

async function readCache(path: string, category: string, exchangeSymbol: string): Promise<DailyCache | undefined> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch {
    return undefined;
  }
  try {
    const parsed = dailyCache.safeParse(JSON.parse(text));
    // An unreadable or foreign cache file is ignored and rewritten.
    if (!parsed.success || parsed.data.category !== category || parsed.data.exchangeSymbol !== exchangeSymbol) return undefined;
    return parsed.data;
  } catch {
    return undefined;
  }
}

async function symbolDays(
  client: BybitClient,
  exchangeSymbol: string,
  category: "linear" | "inverse",
  startDay: number,
  endDay: number,
  cacheDir: string | undefined,
): Promise<{ rows: DailyRows; fromCache: boolean }> {
  const path = cacheDir === undefined ? undefined : marketCachePath(cacheDir, category, exchangeSymbol);
  const cached = path === undefined ? undefined : await readCache(path, category, exchangeSymbol);
  const segments: Array<[number, number]> = [];
  let from = startDay;
  let to = endDay;
  if (cached) {
    from = Math.min(startDay, cached.fromDay);
    to = Math.max(endDay, cached.toDay);
    if (from < cached.fromDay) segments.push([from, cached.fromDay - 1]);
    if (to > cached.toDay) segments.push([cached.toDay + 1, to]);
  } else {
    segments.push([startDay, endDay]);
  }
  let all: DailyRows = cached ?? emptyRows();
  for (const [a, b] of segments) all = mergeRows(all, await fetchDays(client, exchangeSymbol, category, a, b));
  if (path !== undefined && segments.length > 0) {
    const content: DailyCache = { format: "nmrblox.bybit.daily", version: 1, category, exchangeSymbol, fromDay: from, toDay: to, ...all };
    await writeFileAtomic(path, JSON.stringify(content));
  }
  return { rows: sliceDays(all, startDay, endDay), fromCache: segments.length === 0 };
}

async function fetchDays(
  client: BybitClient,
  symbol: string,
  category: "linear" | "inverse",
  firstDay: number,
  lastDay: number,
): Promise<DailyRows> {
  const candles = await client.klines({ symbol, category, interval: "D", start: firstDay * DAY_MS, end: lastDay * DAY_MS });
  const settlements = await client.fundingHistory({ symbol, category, start: firstDay * DAY_MS, end: (lastDay + 1) * DAY_MS - 1 });
  const fundingByDay = new Float64Array(lastDay - firstDay + 1);
  for (const s of settlements) fundingByDay[dayOfEpochMs(s.fundingRateTimestamp) - firstDay]! += s.fundingRate;
  const rows = emptyRows();
  for (const k of candles) {
    const day = dayOfEpochMs(k.startTime);
    if (day < firstDay || day > lastDay) continue;
    rows.day.push(day);
    rows.close.push(k.close);
    rows.turnover.push(k.turnover);
    rows.funding.push(fundingByDay[day - firstDay]!);
  }
  return rows;
}

/** Union of two day-sorted row sets; on a repeated day the later set wins. */
function mergeRows(a: DailyRows, b: DailyRows): DailyRows {
  const out = emptyRows();
  let i = 0;
  let j = 0;
  const push = (r: DailyRows, k: number) => {
    out.day.push(r.day[k]!);
    out.close.push(r.close[k]!);
    out.turnover.push(r.turnover[k]!);
    out.funding.push(r.funding[k]!);
  };
  while (i < a.day.length || j < b.day.length) {
    if (j >= b.day.length || (i < a.day.length && a.day[i]! < b.day[j]!)) push(a, i++);
    else {
      if (i < a.day.length && a.day[i] === b.day[j]) i++;
      push(b, j++);
    }
  }
  return out;
}

function sliceDays(r: DailyRows, startDay: number, endDay: number): DailyRows {
  let lo = 0;
  while (lo < r.day.length && r.day[lo]! < startDay) lo++;
  let hi = lo;
  while (hi < r.day.length && r.day[hi]! <= endDay) hi++;
  return { day: r.day.slice(lo, hi), close: r.close.slice(lo, hi), turnover: r.turnover.slice(lo, hi), funding: r.funding.slice(lo, hi) };
}

/** Date-major rows by counting sort on the day; symbols keep their input order within a day. */
function assemble(
  pairs: ReadonlyArray<{ symbol: string; exchangeSymbol: string }>,
  perSymbol: readonly DailyRows[],
  startDay: number,
  endDay: number,
  droppedCloses: number,
  droppedCloseRows: ReadonlyArray<{ date: string; symbol: string; close: number }>,
): NumerFrame {
  const span = endDay - startDay + 1;
  const counts = new Int32Array(span + 1);
  let n = 0;
  for (const r of perSymbol) {
    for (const d of r.day) counts[d - startDay + 1]!++;
    n += r.day.length;
  }
  for (let k = 1; k <= span; k++) counts[k]! += counts[k - 1]!;
  const date = new Array<string>(n);
  const symbol = new Array<string>(n);
  const exchangeSymbol = new Array<string>(n);
  const close = new Float64Array(n);
  const turnover = new Float64Array(n);
  const funding = new Float64Array(n);
  const labels = Array.from({ length: span }, (_, k) => isoDay(startDay + k));
  perSymbol.forEach((r, s) => {
    const pair = pairs[s]!;
    for (let k = 0; k < r.day.length; k++) {
      const d = r.day[k]! - startDay;
      const at = counts[d]!++;
      date[at] = labels[d]!;
      symbol[at] = pair.symbol;
      exchangeSymbol[at] = pair.exchangeSymbol;
      close[at] = r.close[k]!;
      turnover[at] = r.turnover[k]!;
      funding[at] = r.funding[k]!;
    }
  });
  return NumerFrame.fromColumns(
    { date, symbol, exchange_symbol: exchangeSymbol, close, turnover_usd: turnover, funding_rate: funding },
    {
      kind: "crypto",
      eraCol: "date",
      idCol: "symbol",
      source: { provider: "bybit", startDay: isoDay(startDay), endDay: isoDay(endDay), droppedCloses, droppedCloseRows: droppedCloseRows.map((r) => ({ ...r, close: String(r.close) })) },
    },
    // An empty load keeps string key columns, so even it meets the market contract.
    { allowEmpty: true, strings: ["date", "symbol", "exchange_symbol"] },
  );
}
