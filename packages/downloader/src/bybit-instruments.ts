import { NumerFrame, instrumentsContract, parseOptions, requireColumns } from "@nmrblox/numerframe";
import { z } from "zod";
import { BybitClient, type BybitInstrument } from "./bybit-client.js";

const STATUSES = ["Trading", "Closed", "Delivering", "PreLaunch"] as const;

/** Options of `loadBybitInstruments`. */
export const loadBybitInstrumentsOptions = z.strictObject({
  category: z.enum(["linear", "inverse"]).default("linear"),
  /**
   * Statuses to ask for, one listing each (Bybit returns only `Trading` by default, which
   * would leave delisted contracts out of a backtest's history).
   */
  statuses: z.array(z.enum(STATUSES)).min(1).default([...STATUSES]),
  client: z.instanceof(BybitClient).optional(),
});
/** Options of `loadBybitInstruments`, as callers give them. */
export type LoadBybitInstrumentsOptions = z.input<typeof loadBybitInstrumentsOptions>;

/**
 * The instruments frame of DESIGN.md: `symbol` (exchange symbol), `base_coin`, `quote_coin`,
 * `contract_type`, `status`, `launch_time` and `delivery_time` (ms since the epoch, UTC; 0
 * when none is scheduled), `funding_interval_min` (minutes; NaN when Bybit gives none). One row
 * per symbol, sorted by symbol. The frame meets numerframe's `instrumentsContract`.
 *
 * @param options - `category`, `statuses` (default every status), `client`
 * @returns the instruments frame
 * @throws InvalidOptionError naming every bad option; BybitApiError or a transport error
 * @example
 * const instruments = await loadBybitInstruments({ statuses: ["Trading", "Closed"] });
 */
export async function loadBybitInstruments(options: LoadBybitInstrumentsOptions = {}): Promise<NumerFrame> {
  const opts = parseOptions(loadBybitInstrumentsOptions, options, "loadBybitInstruments");
  const client = opts.client ?? new BybitClient();
  const bySymbol = new Map<string, BybitInstrument>();
  for (const status of opts.statuses) {
    for (const inst of await client.instruments({ category: opts.category, status })) {
      if (!bySymbol.has(inst.symbol)) bySymbol.set(inst.symbol, inst);
    }
  }
  const list = [...bySymbol.values()].sort((a, b) => (a.symbol < b.symbol ? -1 : a.symbol > b.symbol ? 1 : 0));
  const num = (v: string | undefined) => (v === undefined || v === "" ? 0 : Number(v));
  const frame = NumerFrame.fromColumns(
    {
      symbol: list.map((i) => i.symbol),
      base_coin: list.map((i) => i.baseCoin),
      quote_coin: list.map((i) => i.quoteCoin),
      contract_type: list.map((i) => i.contractType ?? ""),
      status: list.map((i) => i.status),
      launch_time: Float64Array.from(list, (i) => num(i.launchTime)),
      delivery_time: Float64Array.from(list, (i) => num(i.deliveryTime)),
      funding_interval_min: Float64Array.from(list, (i) => i.fundingInterval ?? Number.NaN),
    },
    { kind: "custom", idCol: "symbol", source: { provider: "bybit", category: opts.category } },
    { allowEmpty: true, strings: ["symbol", "base_coin", "quote_coin", "contract_type", "status"] },
  );
  requireColumns(frame, instrumentsContract, "loadBybitInstruments");
  return frame.withProvenance({ blox: "downloader.loadBybitInstruments", options: { category: opts.category, statuses: opts.statuses } });
}
