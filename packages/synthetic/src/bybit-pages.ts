import { DAY_MS } from "./calendar.js";
import { type CryptoWorld, contractClose } from "./crypto.js";
import type { InstrumentSpec, PerpetualPath } from "./crypto-market.js";
import { decimalString, roundPrice } from "./decimals.js";
import { substream } from "./prng.js";

/** Bybit v5's response envelope: every market endpoint answers `{retCode, retMsg, result, retExtInfo, time}`. */
export interface BybitEnvelope<R> {
  retCode: 0;
  retMsg: "OK";
  result: R;
  retExtInfo: Record<string, never>;
  time: number;
}

/** One page of `GET /v5/market/instruments-info?category=linear`. */
export interface InstrumentsPage {
  category: "linear";
  nextPageCursor: string;
  list: Record<string, unknown>[];
}

/** One page of `GET /v5/market/kline`: rows `[startTime, open, high, low, close, volume, turnover]`, strings, newest first. */
export interface KlinePage {
  category: "linear";
  symbol: string;
  list: string[][];
}

/** One page of `GET /v5/market/funding/history`: newest first. */
export interface FundingPage {
  category: "linear";
  list: { symbol: string; fundingRate: string; fundingRateTimestamp: string }[];
}

/** Wraps a result the way Bybit answers, stamped at the end of the simulated period (deterministic). */
export function envelope<R>(world: CryptoWorld, result: R): BybitEnvelope<R> {
  return { retCode: 0, retMsg: "OK", result, retExtInfo: {}, time: (world.startDay + world.days) * DAY_MS };
}

/** The Bybit cursor naming a page by its first and last symbols (Bybit's own cursors look alike; clients must treat them as opaque). */
export function instrumentsCursor(first: string, last: string): string {
  return encodeURIComponent(`first=${first}&last=${last}`);
}

/** Instruments of one status split into pages of `limit`, linked by `nextPageCursor` ("" on the last page). */
export function instrumentsPages(world: CryptoWorld, status: string, limit: number): InstrumentsPage[] {
  const list = world.market.instruments.filter((i) => i.status === status);
  const pages: InstrumentsPage[] = [];
  for (let k = 0; k === 0 || k < list.length; k += limit) {
    const chunk = list.slice(k, k + limit);
    const next = list.slice(k + limit, k + 2 * limit);
    pages.push({
      category: "linear",
      nextPageCursor: next.length > 0 ? instrumentsCursor(next[0]!.symbol, next[next.length - 1]!.symbol) : "",
      list: chunk.map((i) => instrumentJson(world, i)),
    });
  }
  return pages;
}

function instrumentJson(world: CryptoWorld, inst: InstrumentSpec): Record<string, unknown> {
  const perp = world.market.perpetuals.find((p) => p.instrument === inst);
  const lastClose = perp ? contractClose(world, perp.token, perp.lastDay) : inst.token >= 0 ? contractClose(world, inst.token, world.days - 1) : 1;
  const priceScale = Math.min(10, Math.max(0, 4 - Math.floor(Math.log10(lastClose))));
  const tick = decimalString(1 / 10 ** priceScale);
  const futures = inst.contractType === "LinearFutures";
  const cap = inst.symbol.startsWith("BTC") || inst.symbol.startsWith("ETH") ? "0.00375" : "0.0075";
  const qtyStep = decimalString(roundPrice(Math.max(0.001, 10 ** Math.floor(Math.log10(5 / lastClose)))));
  return {
    symbol: inst.symbol,
    contractType: inst.contractType,
    status: inst.status,
    baseCoin: inst.baseCoin,
    quoteCoin: inst.quoteCoin,
    launchTime: String(inst.launchMs),
    deliveryTime: String(inst.deliveryMs),
    deliveryFeeRate: futures ? "0.0005" : "",
    priceScale: String(priceScale),
    leverageFilter: { minLeverage: "1", maxLeverage: inst.symbol.startsWith("BTC") ? "100.00" : "25.00", leverageStep: "0.01" },
    priceFilter: { minPrice: tick, maxPrice: decimalString(roundPrice(lastClose * 1000)), tickSize: tick },
    lotSizeFilter: {
      maxOrderQty: decimalString(roundPrice(2e6 / lastClose)),
      minOrderQty: qtyStep,
      qtyStep,
      postOnlyMaxOrderQty: decimalString(roundPrice(2e6 / lastClose)),
      maxMktOrderQty: decimalString(roundPrice(4e5 / lastClose)),
      minNotionalValue: "5",
    },
    unifiedMarginTrade: true,
    fundingInterval: inst.fundingIntervalMin,
    settleCoin: inst.quoteCoin,
    copyTrading: "both",
    upperFundingRate: futures ? "" : cap,
    lowerFundingRate: futures ? "" : `-${cap}`,
    isPreListing: inst.status === "PreLaunch",
    preListingInfo:
      inst.status === "PreLaunch"
        ? { curAuctionPhase: "NotStarted", phases: [], auctionFeeInfo: { auctionFeeRate: "0", takerFeeRate: "0.001", makerFeeRate: "0.0004" } }
        : null,
    riskParameters: { priceLimitRatioX: "0.15", priceLimitRatioY: "0.3" },
    displayName: "",
    symbolType: "",
  };
}

/** A perpetual's daily candles, newest first, split into pages of `limit` walking back from the newest. */
export function klinePages(world: CryptoWorld, perp: PerpetualPath, limit: number): KlinePage[] {
  const { market, days, startDay } = world;
  const rng = substream(world.config.seed, `kline:${perp.instrument.symbol}`);
  const rows: string[][] = [];
  for (let t = perp.firstDay; t <= perp.lastDay; t++) {
    // Draws happen on gap days too, so a candle does not depend on which other days are gaps.
    const wickUp = Math.abs(rng.normal());
    const wickDown = Math.abs(rng.normal());
    if (market.gap[perp.token * days + t]) continue;
    const close = contractClose(world, perp.token, t);
    const open = t > 0 ? contractClose(world, perp.token, t - 1) : close;
    const r = Math.abs(Math.log(close / open));
    const spread = 0.004 + 0.3 * r;
    const high = roundPrice(Math.max(open, close) * (1 + spread * wickUp));
    const low = roundPrice(Math.min(open, close) / (1 + spread * wickDown));
    const turnover = market.turnover[perp.token * days + t]!;
    const volume = Math.round((turnover / ((high + low + close) / 3)) * 1000) / 1000;
    rows.push([
      String((startDay + t) * DAY_MS),
      decimalString(open),
      decimalString(high),
      decimalString(low),
      decimalString(close),
      decimalString(volume),
      decimalString(turnover),
    ]);
  }
  rows.reverse();
  return chunk(rows, limit).map((list) => ({ category: "linear", symbol: perp.instrument.symbol, list }));
}

/** A perpetual's funding settlements, newest first, in pages of `limit` walking back from the newest. */
export function fundingPages(perp: PerpetualPath, limit: number): FundingPage[] {
  const list: FundingPage["list"] = [];
  for (let k = perp.settlementMs.length - 1; k >= 0; k--) {
    list.push({
      symbol: perp.instrument.symbol,
      fundingRate: decimalString(perp.settlementRate[k]!),
      fundingRateTimestamp: String(perp.settlementMs[k]!),
    });
  }
  return chunk(list, limit).map((page) => ({ category: "linear", list: page }));
}

function chunk<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let k = 0; k < items.length; k += size) out.push(items.slice(k, k + size));
  return out.length > 0 ? out : [[]];
}
