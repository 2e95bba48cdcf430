import { NumerFrame, requireColumns } from "@nmrblox/numerframe";
import { stringCodes } from "@nmrblox/numerframe/internal";
import { reasonedUniverseContract } from "./contracts.js";
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

const byCodePoint = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Tradable count per date and row counts per reason code of a universe frame.
 *
 * @param universe - a frame meeting numerframe's `universeContract`, with its reason column
 * @returns per-date counts and overall reason counts
 * @throws ContractError (MISSING_COLUMN / NON_NUMERIC_COLUMN) for a missing or mistyped column
 * @example
 * const { perDate, reasons } = universeSummary(tradableUniverse({ signals, instruments, market }));
 */
export function universeSummary(universe: NumerFrame): UniverseSummary {
  requireColumns(universe, reasonedUniverseContract, "universeSummary");
  // ISO days in code-point order are in date order.
  const { codes: dayOf, labels: days } = stringCodes(universe, "date");
  const { codes: reasonOf, labels: present } = stringCodes(universe, "reason");
  const tradable = universe.numeric("tradable");

  const known = new Set<string>(universeReasons);
  const isPresent = new Set(present);
  const reasonCols = [
    ...universeReasons.filter((r) => r !== "ok" && isPresent.has(r)),
    ...present.filter((r) => r !== "ok" && !known.has(r)),
  ];
  const columnOf = Int32Array.from(present, (r) => reasonCols.indexOf(r));
  const nDays = days.length;
  const total = new Int32Array(nDays);
  const ok = new Int32Array(nDays);
  const perReason = reasonCols.map(() => new Int32Array(nDays));
  const overall = new Int32Array(present.length);
  for (let i = 0; i < dayOf.length; i++) {
    const t = dayOf[i]!;
    total[t]!++;
    if (tradable[i]) ok[t]!++;
    const r = reasonOf[i]!;
    overall[r]!++;
    const k = columnOf[r]!;
    if (k >= 0) perReason[k]![t]!++;
  }

  const perDateColumns: Record<string, string[] | Int32Array> = { date: [...days], symbols: total, tradable: ok };
  reasonCols.forEach((r, k) => {
    perDateColumns[r] = perReason[k]!;
  });
  const perDate = NumerFrame.fromColumns(perDateColumns, undefined, { allowEmpty: true, strings: ["date"] });
  const ranked = present.map((r, k) => [r, overall[k]!] as const).sort((a, b) => b[1] - a[1] || byCodePoint(a[0], b[0]));
  const reasonFrame = NumerFrame.fromColumns(
    { reason: ranked.map(([r]) => r), count: Int32Array.from(ranked, ([, c]) => c) },
    undefined,
    { allowEmpty: true, strings: ["reason"] },
  );
  return { perDate, reasons: reasonFrame };
}
