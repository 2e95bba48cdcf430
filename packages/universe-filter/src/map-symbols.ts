import { NumerFrame, parseOptions, requireColumns } from "@nmrblox/numerframe";
import { stringCodes } from "@nmrblox/numerframe/internal";
import { z } from "zod";
import { type InstrumentTable, readInstruments } from "./instruments.js";
import { instrumentMultiplierName } from "./multiplier-name.js";

/** One override: an exchange symbol (multiplier read from its name), or both given explicitly. */
export const symbolOverride = z.union([
  z.string().min(1),
  z.strictObject({ exchangeSymbol: z.string().min(1), multiplier: z.number().positive() }),
  z.null(),
]);

/** Options of {@link mapSymbols} (strict: an unknown key is an `InvalidOptionError`). */
export const mapSymbolsOptions = z.strictObject({
  /**
   * Numerai symbol → exchange symbol, for renamed or ambiguous tickers. An override wins over
   * name matching; `null` keeps the symbol unmatched on purpose.
   */
  overrides: z.record(z.string().min(1), symbolOverride).default({}),
});
/** Options of {@link mapSymbols} as a caller writes them; `overrides` defaults to none. */
export type MapSymbolsOptions = z.input<typeof mapSymbolsOptions>;

/** Why a Numerai symbol has no exchange symbol. */
export const unmatchedReasons = [
  "no_instrument",
  "no_usdt_perpetual",
  "prelaunch_only",
  "ambiguous",
  "exchange_symbol_taken",
  "override_excluded",
  "override_not_found",
  "override_ineligible",
] as const;
/** One of {@link unmatchedReasons}: the machine-readable reason a Numerai symbol has no exchange symbol. */
export type UnmatchedReason = (typeof unmatchedReasons)[number];

/** A Numerai symbol left without an exchange symbol, with the reason and a sentence for people. */
export interface UnmatchedSymbol {
  readonly symbol: string;
  readonly reason: UnmatchedReason;
  readonly detail: string;
}

/** Result of {@link mapSymbols}. */
export interface SymbolMapping {
  /** symbol, exchange_symbol, multiplier (Float64): one row per matched symbol, sorted by symbol. */
  readonly mapping: NumerFrame;
  /** Symbols without a match, sorted by symbol. */
  readonly unmatched: readonly UnmatchedSymbol[];
}

interface Claim {
  readonly symbol: string;
  readonly row: number;
  readonly multiplier: number;
  /** 0 override, 1 exact name, 2 multiplier name: a lower tier wins a contested contract. */
  readonly tier: number;
}

/** Distinct symbols of a frame, in code-point order. */
function symbolsOf(frame: NumerFrame): readonly string[] {
  requireColumns(frame, ["symbol"], "mapSymbols");
  return stringCodes(frame, "symbol").labels;
}

/** An instrument the mapping may use: USDT linear perpetual, any status except PreLaunch. */
function isEligible(inst: InstrumentTable, row: number): boolean {
  return isUsdtPerpetual(inst, row) && inst.status[row] !== "PreLaunch";
}

function isUsdtPerpetual(inst: InstrumentTable, row: number): boolean {
  return inst.contractType[row] === "LinearPerpetual" && inst.quoteCoin[row] === "USDT";
}

/**
 * Matches Numerai symbols to Bybit USDT linear perpetuals.
 *
 * An instrument qualifies when contract_type is "LinearPerpetual", quote_coin is "USDT" and
 * status is not "PreLaunch"; Closed and Delivering contracts qualify too, so a history built
 * on the mapping keeps delisted coins (no survivorship bias). Names match case-insensitively
 * after removing a Bybit multiplier (1000PEPE, 10000SATS, 1000000MOG, SHIB1000): `multiplier`
 * is the number of coins per contract unit, so the contract price is multiplier × coin price.
 * When several contracts match, a Trading one beats the others, then the exact name beats a
 * multiplier name; a remaining tie is left unmatched as "ambiguous". Overrides win over all
 * of this. Each exchange symbol is given to one Numerai symbol at most.
 *
 * @param numeraiSymbols - Numerai symbols, or a frame with a symbol column (duplicates ignored)
 * @param instruments - Bybit instruments meeting numerframe's `instrumentsContract`, with
 *   launch_time and delivery_time
 * @param options - see `mapSymbolsOptions`
 * @returns the mapping frame and the unmatched symbols with reasons
 * @throws InvalidOptionError (INVALID_OPTION) for an unknown or bad option; ContractError
 *   (MISSING_COLUMN / NON_NUMERIC_COLUMN) for a missing or mistyped column;
 *   DuplicateExchangeSymbolError; InvalidInstrumentError
 * @example
 * const { mapping, unmatched } = mapSymbols(signals, instruments, { overrides: { LUNA: "LUNA2USDT" } });
 */
export function mapSymbols(
  numeraiSymbols: readonly string[] | NumerFrame,
  instruments: NumerFrame,
  options: MapSymbolsOptions = {},
): SymbolMapping {
  const opts = parseOptions(mapSymbolsOptions, options, "mapSymbols");
  const inst = readInstruments(instruments, "mapSymbols");
  const symbols = Array.isArray(numeraiSymbols) ? [...new Set(numeraiSymbols as readonly string[])].sort() : symbolsOf(numeraiSymbols as NumerFrame);

  const rowsByCoin = new Map<string, number[]>();
  const multiplierOf = new Float64Array(inst.symbol.length);
  for (let r = 0; r < inst.symbol.length; r++) {
    const name = instrumentMultiplierName(inst.symbol[r]!, inst.baseCoin[r]!, inst.quoteCoin[r]!);
    multiplierOf[r] = name.multiplier;
    const list = rowsByCoin.get(name.coin);
    if (list === undefined) rowsByCoin.set(name.coin, [r]);
    else list.push(r);
  }

  const unmatched: UnmatchedSymbol[] = [];
  const claims: Claim[] = [];
  for (const symbol of symbols) {
    if (Object.hasOwn(opts.overrides, symbol)) {
      const o = opts.overrides[symbol]!;
      if (o === null) {
        unmatched.push({ symbol, reason: "override_excluded", detail: "override is null" });
        continue;
      }
      const exchangeSymbol = typeof o === "string" ? o : o.exchangeSymbol;
      const row = inst.rowOf.get(exchangeSymbol);
      if (row === undefined) {
        unmatched.push({ symbol, reason: "override_not_found", detail: `override "${exchangeSymbol}" is not in instruments` });
      } else if (!isEligible(inst, row)) {
        const what = `${inst.contractType[row]} ${inst.quoteCoin[row]} ${inst.status[row]}`;
        unmatched.push({ symbol, reason: "override_ineligible", detail: `override "${exchangeSymbol}" is ${what}, not a USDT linear perpetual` });
      } else {
        const multiplier = typeof o === "string" ? multiplierOf[row]! : o.multiplier;
        claims.push({ symbol, row, multiplier, tier: 0 });
      }
      continue;
    }
    const rows = rowsByCoin.get(symbol.toUpperCase()) ?? [];
    if (rows.length === 0) {
      unmatched.push({ symbol, reason: "no_instrument", detail: "no instrument with this base coin" });
      continue;
    }
    const perps = rows.filter((r) => isUsdtPerpetual(inst, r));
    if (perps.length === 0) {
      const found = rows.map((r) => inst.symbol[r]!).join(", ");
      unmatched.push({ symbol, reason: "no_usdt_perpetual", detail: `instruments ${found} are not USDT linear perpetuals` });
      continue;
    }
    const listed = perps.filter((r) => inst.status[r] !== "PreLaunch");
    if (listed.length === 0) {
      unmatched.push({ symbol, reason: "prelaunch_only", detail: `only pre-launch contracts: ${perps.map((r) => inst.symbol[r]!).join(", ")}` });
      continue;
    }
    const trading = listed.filter((r) => inst.status[r] === "Trading");
    const pool = trading.length > 0 ? trading : listed;
    const exact = pool.filter((r) => multiplierOf[r] === 1);
    const best = exact.length > 0 ? exact : pool;
    if (best.length > 1) {
      const found = best.map((r) => inst.symbol[r]!).sort().join(", ");
      unmatched.push({ symbol, reason: "ambiguous", detail: `several contracts match: ${found}; add an override` });
      continue;
    }
    const row = best[0]!;
    claims.push({ symbol, row, multiplier: multiplierOf[row]!, tier: multiplierOf[row] === 1 ? 1 : 2 });
  }

  claims.sort((a, b) => a.tier - b.tier || (a.symbol < b.symbol ? -1 : a.symbol > b.symbol ? 1 : 0));
  const owner = new Map<number, string>();
  const kept: Claim[] = [];
  for (const c of claims) {
    const taken = owner.get(c.row);
    if (taken !== undefined) {
      unmatched.push({ symbol: c.symbol, reason: "exchange_symbol_taken", detail: `"${inst.symbol[c.row]}" is already mapped to "${taken}"` });
      continue;
    }
    owner.set(c.row, c.symbol);
    kept.push(c);
  }
  kept.sort((a, b) => (a.symbol < b.symbol ? -1 : a.symbol > b.symbol ? 1 : 0));
  unmatched.sort((a, b) => (a.symbol < b.symbol ? -1 : a.symbol > b.symbol ? 1 : 0));

  const mapping = NumerFrame.fromColumns(
    {
      symbol: kept.map((c) => c.symbol),
      exchange_symbol: kept.map((c) => inst.symbol[c.row]!),
      multiplier: Float64Array.from(kept, (c) => c.multiplier),
    },
    undefined,
    { allowEmpty: true, strings: ["symbol", "exchange_symbol"] },
  ).withProvenance({ blox: "mapSymbols", options: { overrides: opts.overrides } });
  return { mapping, unmatched };
}
