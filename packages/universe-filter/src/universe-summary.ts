import { MissingColumnError, NumerFrame } from "@nmrblox/numerframe";
import { universeReasons } from "./reasons.js";

/** Result of {@link universeSummary}. */
export interface UniverseSummary {
  /**
   * One row per date, ascending: date, symbols (rows that date), tradable (rows with
   * tradable = 1), then one Int32 column per non-"ok" reason present anywhere in the universe,
   * named by the reason code, counting that date's rows with that reason.
   */
  readonly perDate: NumerFrame;
  /** reason, count (Int32) over all rows, most frequent first (ties by reason code). */
  readonly reasons: NumerFrame;
}

/** Tradable count per date and row counts per reason code of a universe frame. */
export function universeSummary(universe: NumerFrame): UniverseSummary {
  for (const c of ["date", "tradable", "reason"]) {
    if (!universe.has(c)) throw new MissingColumnError(c, "universeSummary", universe.columnNames);
  }
  const dates = universe.strings("date");
  const tradable = universe.numeric("tradable");
  const reasons = universe.strings("reason");
  const dayIndex = new Map<string, number>();
  for (const d of dates) if (!dayIndex.has(d)) dayIndex.set(d, 0);
  const days = [...dayIndex.keys()].sort();
  days.forEach((d, i) => dayIndex.set(d, i));

  const known = new Set<string>(universeReasons);
  const present = new Set(reasons);
  const reasonCols = [
    ...universeReasons.filter((r) => r !== "ok" && present.has(r)),
    ...[...present].filter((r) => r !== "ok" && !known.has(r)).sort(),
  ];
  const reasonIndex = new Map(reasonCols.map((r, i) => [r, i]));
  const nDays = days.length;
  const total = new Int32Array(nDays);
  const ok = new Int32Array(nDays);
  const perReason = reasonCols.map(() => new Int32Array(nDays));
  const overall = new Map<string, number>();
  for (let i = 0; i < dates.length; i++) {
    const t = dayIndex.get(dates[i]!)!;
    total[t]!++;
    if (tradable[i]) ok[t]!++;
    const r = reasons[i]!;
    overall.set(r, (overall.get(r) ?? 0) + 1);
    const k = reasonIndex.get(r);
    if (k !== undefined) perReason[k]![t]!++;
  }

  const perDateColumns: Record<string, string[] | Int32Array> = { date: days, symbols: total, tradable: ok };
  reasonCols.forEach((r, k) => {
    perDateColumns[r] = perReason[k]!;
  });
  const perDate = NumerFrame.fromColumns(perDateColumns, undefined, { allowEmpty: true, strings: ["date"] });
  const ranked = [...overall.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const reasonFrame = NumerFrame.fromColumns(
    { reason: ranked.map(([r]) => r), count: Int32Array.from(ranked, ([, c]) => c) },
    undefined,
    { allowEmpty: true, strings: ["reason"] },
  );
  return { perDate, reasons: reasonFrame };
}
