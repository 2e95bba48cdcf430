import { stat } from "node:fs/promises";
import {
  BybitClient,
  NumeraiClient,
  type OnProgress,
  loadBybitInstruments,
  loadBybitMarket,
  loadNumeraiMetaModel,
  pickDataset,
  tournamentId,
} from "@nmrblox/downloader";
import { submissionTournament } from "@nmrblox/submitter";
import { bybitSection, layer, numeraiSection } from "../config.js";
import type { CommandResult, Context } from "../context.js";
import { outPath, validateOptions } from "../context.js";
import { UsageError, unknownValue } from "../errors.js";
import { formatOf, writeAny } from "../files.js";
import { pairs } from "../format.js";

/** Flags of `nmrblox download numerai`. */
export interface NumeraiDownloadFlags {
  tournament?: string;
  round?: number;
  version?: string;
  out?: string;
  cacheDir?: string;
  numeraiUrl?: string;
}

/** Flags of `nmrblox download bybit`. */
export interface BybitDownloadFlags {
  symbols: string[];
  start: string;
  end: string;
  out?: string;
  instrumentsOut?: string;
  cacheDir?: string;
  bybitUrl?: string;
}

/** A progress bar fed by the downloader's events (bytes of a file, symbols of a market load). */
function barFor(ctx: Context, label: string): { onProgress: OnProgress; end: () => void } {
  const bar = ctx.out.progress(label);
  return {
    onProgress: (e) => {
      if (e.total !== undefined && e.total > 0) bar(e.done, e.total);
    },
    end: () => bar.end(),
  };
}

/**
 * `nmrblox download numerai <dataset>|meta-model`: downloads one of Numerai's dataset files
 * into the cache (resuming a partial download), or the tournament's meta model (`--out FILE`
 * writes it as date/era, id, prediction). A dataset named without its version folder
 * (`train.parquet`) is the newest version listed.
 *
 * @param ctx - the command context
 * @param dataset - a listed path (`v5.2/train.parquet`, `crypto/v1.0/train_targets.parquet`), a file name, or `meta-model`
 * @param flags - the command's flags
 * @returns the JSON document: the cached path and size (or the meta model's rows)
 * @throws DatasetNotFoundError listing what is offered (exit 1); transport errors (exit 1)
 * @example
 * await downloadNumeraiCommand(ctx, "v5.2/validation.parquet", {});
 */
export async function downloadNumeraiCommand(ctx: Context, dataset: string, flags: NumeraiDownloadFlags): Promise<CommandResult> {
  const prefix = dataset.split("/")[0]!;
  const tournament = flags.tournament ?? (prefix === "crypto" || prefix === "signals" ? prefix : "classic");
  if (!submissionTournament.options.includes(tournament as never)) throw unknownValue("tournament", tournament, submissionTournament.options, "--tournament");
  const name = tournament as "classic" | "signals" | "crypto";
  if (flags.out !== undefined) formatOf(flags.out, "--out");
  const settings = validateOptions(
    numeraiSection,
    layer(ctx.config.sections.numerai, [], [
      ["baseUrl", flags.numeraiUrl],
      ["cacheDir", flags.cacheDir !== undefined ? outPath(ctx, flags.cacheDir) : undefined],
    ]),
    "nmrblox download numerai",
    new Map([
      ["baseUrl", "--numerai-url"],
      ["cacheDir", "--cache-dir"],
    ]),
  );
  const client = new NumeraiClient(settings);
  const scope = { tournament: name, ...(flags.round !== undefined ? { round: flags.round } : {}) };
  const bar = barFor(ctx, "bytes");

  if (dataset === "meta-model") {
    ctx.out.step(`downloading the ${name} meta model`);
    const frame = await loadNumeraiMetaModel(name, {
      client,
      ...(flags.round !== undefined ? { round: flags.round } : {}),
      ...(flags.version !== undefined ? { version: flags.version } : {}),
      onProgress: bar.onProgress,
    });
    bar.end();
    const eras = frame.eras();
    const files: string[] = [];
    if (flags.out !== undefined) {
      const path = outPath(ctx, flags.out);
      await writeAny(frame, path, "--out");
      files.push(path);
    }
    ctx.out.print(
      pairs([
        ["meta model", `${name}, ${frame.numRows} rows`],
        ["eras", `${eras.length} (${eras[0] ?? "-"} .. ${eras.at(-1) ?? "-"})`],
        ...files.map((f) => ["wrote", f] as const),
      ]),
    );
    return { command: "download", source: "numerai", tournament: name, dataset, rows: frame.numRows, eras: eras.length, first: eras[0] ?? null, last: eras.at(-1) ?? null, files };
  }

  const listed = await client.listDatasets(scope);
  const base = dataset.split("/").at(-1)!;
  const filename = listed.includes(dataset)
    ? dataset
    : pickDataset(listed, tournamentId(name), dataset, (n) => n === base, flags.version !== undefined ? { version: flags.version } : {});
  ctx.out.step(`downloading ${filename} (${name})`);
  const path = await client.downloadDataset(filename, { ...scope, onProgress: bar.onProgress });
  bar.end();
  const bytes = (await stat(path)).size;
  ctx.out.print(pairs([["dataset", filename], ["bytes", bytes], ["cached at", path]]));
  return { command: "download", source: "numerai", tournament: name, dataset: filename, path, bytes, files: [path] };
}

/**
 * `nmrblox download bybit`: daily candles, turnover and funding of Bybit perpetuals into the
 * cache (a later call fetches only missing days), optionally written as a market file; with
 * `--instruments-out`, the instruments list too.
 *
 * @param ctx - the command context
 * @param flags - the command's flags
 * @returns the JSON document: rows, symbols, files
 * @throws BybitApiError / transport errors (exit 1); UsageError (exit 2)
 * @example
 * await downloadBybitCommand(ctx, { symbols: ["BTCUSDT"], start: "2024-01-01", end: "2024-06-30" });
 */
export async function downloadBybitCommand(ctx: Context, flags: BybitDownloadFlags): Promise<CommandResult> {
  if (flags.symbols.length === 0) throw new UsageError("--symbols needs at least one exchange symbol (e.g. BTCUSDT,ETHUSDT)", { option: "--symbols" });
  if (flags.out !== undefined) formatOf(flags.out, "--out");
  if (flags.instrumentsOut !== undefined) formatOf(flags.instrumentsOut, "--instruments-out");
  const settings = validateOptions(bybitSection, layer(ctx.config.sections.bybit, [], [["baseUrl", flags.bybitUrl]]), "nmrblox download bybit", new Map([["baseUrl", "--bybit-url"]]));
  const client = new BybitClient(settings);
  ctx.out.step(`downloading ${flags.symbols.length} Bybit symbols, ${flags.start} .. ${flags.end}`);
  const bar = barFor(ctx, "symbols");
  const market = await loadBybitMarket({
    symbols: flags.symbols,
    start: flags.start,
    end: flags.end,
    client,
    ...(flags.cacheDir !== undefined ? { cacheDir: outPath(ctx, flags.cacheDir) } : {}),
    onProgress: bar.onProgress,
  });
  bar.end();
  const files: string[] = [];
  if (flags.out !== undefined) {
    const path = outPath(ctx, flags.out);
    await writeAny(market, path, "--out");
    files.push(path);
  }
  let instruments: number | null = null;
  if (flags.instrumentsOut !== undefined) {
    const frame = await loadBybitInstruments({ client });
    const path = outPath(ctx, flags.instrumentsOut);
    await writeAny(frame, path, "--instruments-out");
    files.push(path);
    instruments = frame.numRows;
  }
  ctx.out.print(pairs([["market rows", market.numRows], ["symbols", flags.symbols.join(", ")], ...files.map((f) => ["wrote", f] as const)]));
  return { command: "download", source: "bybit", symbols: flags.symbols, start: flags.start, end: flags.end, rows: market.numRows, instruments, files };
}
