import { join } from "node:path";
import { type NumerFrame, writeArrowIpc, writeCsv, writeParquet } from "@nmrblox/numerframe";
import { syntheticCrypto } from "@nmrblox/synthetic";

/** A small synthetic crypto world, as frames and as files in several formats. */
export interface CryptoFiles {
  signals: NumerFrame;
  market: NumerFrame;
  instruments: NumerFrame;
  targets: NumerFrame;
  files: {
    signalsCsv: string;
    signalsParquet: string;
    signalsArrow: string;
    marketCsv: string;
    marketParquet: string;
    instrumentsParquet: string;
    targetsCsv: string;
  };
}

/** 40 coins over one quarter: big enough for 3 / 3 baskets and 10-day holds, small enough to run fast. */
export const RANGE = { symbols: 40, start: "2024-01-01", end: "2024-03-31", seed: 7 } as const;

/**
 * Writes the synthetic frames to `dir`: CSV without sidecar (a user's own file), Parquet and
 * Arrow IPC, and returns the in-memory frames they came from. Signals keep only coins with a
 * market, so backtests run with and without a universe.
 */
export async function writeCryptoFiles(dir: string): Promise<CryptoFiles> {
  const world = syntheticCrypto(RANGE);
  const { market, instruments, targets } = world;
  // Only coins with a market: a backtest without a universe trades every signal symbol.
  const traded = new Set(market.strings("symbol"));
  const symbols = world.signals.strings("symbol");
  const signals = world.signals.filter((i) => traded.has(symbols[i]!));
  const files = {
    signalsCsv: join(dir, "signals.csv"),
    signalsParquet: join(dir, "signals.parquet"),
    signalsArrow: join(dir, "signals.arrow"),
    marketCsv: join(dir, "market.csv"),
    marketParquet: join(dir, "market.parquet"),
    instrumentsParquet: join(dir, "instruments.parquet"),
    targetsCsv: join(dir, "targets.csv"),
  };
  await writeCsv(signals, files.signalsCsv, { sidecar: false });
  await writeParquet(signals, files.signalsParquet);
  await writeArrowIpc(signals, files.signalsArrow);
  await writeCsv(market, files.marketCsv, { sidecar: false });
  await writeParquet(market, files.marketParquet);
  await writeParquet(instruments, files.instrumentsParquet);
  await writeCsv(targets, files.targetsCsv, { sidecar: false });
  return { signals, market, instruments, targets, files };
}
