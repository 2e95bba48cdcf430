import { NumerFrame } from "@nmrblox/numerframe";

/** Test helper: consecutive ISO days from a start day. */
export function days(start: string, count: number): string[] {
  const t0 = Date.parse(`${start}T00:00:00Z`);
  return Array.from({ length: count }, (_, i) => new Date(t0 + i * 86_400_000).toISOString().slice(0, 10));
}

/**
 * A market frame from per-symbol close series over consecutive days from `start`; NaN leaves
 * the row out (a gap or a delisting). Funding rates per symbol (NaN or absent: row without a rate).
 */
export function marketFrame(
  start: string,
  closes: Record<string, number[]>,
  funding: Record<string, number[]> = {},
): NumerFrame {
  const date: string[] = [];
  const symbol: string[] = [];
  const close: number[] = [];
  const rate: number[] = [];
  const turnover: number[] = [];
  for (const [s, series] of Object.entries(closes)) {
    const ds = days(start, series.length);
    series.forEach((c, i) => {
      if (Number.isNaN(c)) return;
      date.push(ds[i]!);
      symbol.push(s);
      close.push(c);
      rate.push(funding[s]?.[i] ?? Number.NaN);
      turnover.push(1_000_000);
    });
  }
  return NumerFrame.fromColumns({
    date,
    symbol,
    exchange_symbol: symbol.map((s) => `${s}USDT`),
    close: Float64Array.from(close),
    turnover_usd: Float64Array.from(turnover),
    funding_rate: Float64Array.from(rate),
  });
}

/** A signals frame from [date, symbol, prediction] triples. */
export function signalsFrame(rows: Array<[string, string, number]>): NumerFrame {
  return NumerFrame.fromColumns({
    date: rows.map((r) => r[0]),
    symbol: rows.map((r) => r[1]),
    prediction: Float64Array.from(rows.map((r) => r[2])),
  });
}

/** A column as a plain number array (for toEqual / toBeCloseTo loops). */
export function col(frame: NumerFrame, name: string): number[] {
  return Array.from(frame.numeric(name));
}

/** Asserts arrays equal to 1e-12 absolute, with a readable failure. */
export function expectClose(actual: ArrayLike<number>, expected: readonly number[], label: string): void {
  if (actual.length !== expected.length) throw new Error(`${label}: length ${actual.length}, expected ${expected.length}`);
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i]!;
    const e = expected[i]!;
    if (!(Math.abs(a - e) <= 1e-12 * Math.max(1, Math.abs(e)))) throw new Error(`${label}[${i}]: ${a}, expected ${e}`);
  }
}
