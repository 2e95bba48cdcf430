import { DataType } from "apache-arrow";
import type { NumerFrame } from "../numer-frame.js";
import { NumerFrameError } from "./error.js";

/** What a contract column must hold: text (a string or dictionary column), a number, or a boolean. */
export type ColumnKind = "string" | "number" | "boolean";

/** One column of a frame contract. */
export interface ContractColumn {
  readonly name: string;
  readonly kind: ColumnKind;
  /** Optional columns are checked for kind only when present. */
  readonly optional?: boolean;
}

/** The columns a named frame must carry: the shared language between producers and consumers. */
export interface FrameContract {
  /** The frame's name in messages ("market"). */
  readonly name: string;
  readonly columns: readonly ContractColumn[];
}

function contract(name: string, required: Record<string, ColumnKind>, optional: Record<string, ColumnKind> = {}): FrameContract {
  return {
    name,
    columns: [
      ...Object.entries(required).map(([n, kind]) => ({ name: n, kind })),
      ...Object.entries(optional).map(([n, kind]) => ({ name: n, kind, optional: true })),
    ],
  };
}

/** Signals: one prediction per (date, symbol); the prediction in 0..1 for the Crypto meta model. */
export const signalsContract = contract("signals", { date: "string", symbol: "string", prediction: "number" });

/** Market: one daily candle per (date, symbol); funding_rate is the day's summed settlements. */
export const marketContract = contract(
  "market",
  { date: "string", symbol: "string", close: "number" },
  { exchange_symbol: "string", turnover_usd: "number", funding_rate: "number" },
);

/** Instruments: Bybit's instrument list, one row per exchange symbol. */
export const instrumentsContract = contract(
  "instruments",
  { symbol: "string", base_coin: "string", quote_coin: "string", contract_type: "string", status: "string" },
  { launch_time: "number", delivery_time: "number", funding_interval_min: "number" },
);

/** Universe: whether each (date, symbol) may be traded, and why not. */
export const universeContract = contract(
  "universe",
  { date: "string", symbol: "string", tradable: "boolean" },
  { exchange_symbol: "string", reason: "string" },
);

/** Book: the tranche book, one row per (tranche, symbol). */
export const bookContract = contract("book", {
  tranche: "number",
  signal_date: "string",
  entry: "string",
  exit: "string",
  symbol: "string",
  quantity: "number",
  notional: "number",
});

/**
 * Daily: the backtest's day-by-day accounting, in units of the initial capital, columns in the
 * order the backtest writes them (its day loop allocates one column per entry). The exposures
 * are optional so that a daily frame from elsewhere, without them, still meets the contract.
 */
export const dailyContract: FrameContract = {
  name: "daily",
  columns: [
    { name: "date", kind: "string" },
    ...["gross_pnl", "fee", "slippage", "funding", "net_pnl", "equity", "return"].map((name) => ({ name, kind: "number" as const })),
    ...["long_exposure", "short_exposure", "gross_exposure"].map((name) => ({ name, kind: "number" as const, optional: true })),
    ...["turnover", "positions"].map((name) => ({ name, kind: "number" as const })),
  ],
};

/** Tranches: one row per tranche with its entry, exit and PnL. */
export const tranchesContract = contract("tranches", {
  tranche: "number",
  signal_date: "string",
  entry: "string",
  exit: "string",
  status: "string",
  gross_pnl: "number",
  fee: "number",
  slippage: "number",
  funding: "number",
  net_pnl: "number",
});

/** Scores: one row per era, one numeric column per metric. */
export const scoresContract = contract("scores", { era: "string" });

function kindOf(type: DataType): ColumnKind | "other" {
  if (DataType.isDictionary(type) || DataType.isUtf8(type) || DataType.isLargeUtf8(type)) return "string";
  if (DataType.isInt(type) || DataType.isFloat(type)) return "number";
  if (DataType.isBool(type)) return "boolean";
  return "other";
}

/** A frame that does not meet its contract: every missing or mistyped column at once. */
export class ContractError extends NumerFrameError {
  /** Columns that are missing. */
  readonly missing: readonly string[];
  /** Columns present with the wrong kind. */
  readonly mistyped: readonly { column: string; expected: ColumnKind; found: string }[];

  constructor(where: string, frame: string, missing: readonly string[], mistyped: ContractError["mistyped"], available: readonly string[]) {
    const parts: string[] = [];
    if (missing.length > 0) parts.push(`missing column${missing.length > 1 ? "s" : ""} ${missing.map((c) => `"${c}"`).join(", ")}`);
    for (const m of mistyped) parts.push(`column "${m.column}" must be ${m.expected}, found ${m.found}`);
    const shown = available.slice(0, 12).join(", ") + (available.length > 12 ? ", ..." : "");
    super(missing.length > 0 ? "MISSING_COLUMN" : "NON_NUMERIC_COLUMN", `${where}: ${frame} frame: ${parts.join("; ")} (columns: ${shown})`, {
      column: missing[0] ?? mistyped[0]!.column,
    });
    this.missing = missing;
    this.mistyped = mistyped;
  }
}

/**
 * Checks that a frame carries a contract's columns with the right kinds; one error lists every
 * missing or mistyped column.
 *
 * @param frame - the frame to check
 * @param spec - a named contract (`marketContract`), or column names that must exist (any kind)
 * @param where - the function checking, used in the message ("runBacktest")
 * @throws ContractError (code MISSING_COLUMN, or NON_NUMERIC_COLUMN when only kinds are wrong)
 * @example
 * requireColumns(market, marketContract, "runBacktest");
 */
export function requireColumns(frame: NumerFrame, spec: FrameContract | readonly string[], where: string): void {
  const c: FrameContract = isContract(spec) ? spec : { name: "input", columns: spec.map((name) => ({ name, kind: "string" as const, optional: false })) };
  const typed = isContract(spec);
  const missing: string[] = [];
  const mistyped: { column: string; expected: ColumnKind; found: string }[] = [];
  for (const col of c.columns) {
    if (!frame.has(col.name)) {
      if (!col.optional) missing.push(col.name);
      continue;
    }
    if (!typed) continue;
    const found = kindOf(frame.typeOf(col.name));
    // Booleans are also stored as 0/1 integers (Uint8), the cheaper form for masks.
    if (found !== col.kind && !(col.kind === "boolean" && found === "number")) mistyped.push({ column: col.name, expected: col.kind, found: String(frame.typeOf(col.name)) });
  }
  if (missing.length > 0 || mistyped.length > 0) throw new ContractError(where, c.name, missing, mistyped, frame.columnNames);
}

function isContract(spec: FrameContract | readonly string[]): spec is FrameContract {
  return !Array.isArray(spec);
}
