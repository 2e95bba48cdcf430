import { fixedSlippage, funding, takerFee } from "@nmrblox/cost-model";
import { describe, expect, it } from "vitest";
import { runBacktest } from "../src/index.js";
import { col, expectClose, marketFrame, signalsFrame } from "./frames.js";

const N = Number.NaN;

/**
 * Scenario A: symbols X and Y, 2024-01-01 .. 2024-01-10, lag 2, hold 4, tranches 2,
 * leverage 1 (capital 0.5 per tranche, legs 0.25), default costs (fee 0.00055 + slippage
 * 0.0005 per side, funding).
 *   signal 01-01: X 0.9, Y 0.1; 2 eligible < 25 + 25, so each side takes min(25, floor(2/2)) = 1:
 *     long X, short Y; entry e = 01-03, exit 01-07.
 *   signal 01-02: Y NaN, only X eligible: no basket.
 *   signal 01-06: X 0.2, Y 0.7: long Y, short X; entry 01-08, exit 01-12 > last date 01-10: open.
 *   signal 01-09: entry 01-11 after the last market date: not opened.
 */
const scenarioA = {
  market: marketFrame(
    "2024-01-01",
    {
      //   01  02  03  04  05  06  07  08  09  10
      X: [10, 10, 10, 11, 12, 12, 11, 10, 10, 8],
      Y: [20, 20, 25, 20, 20, 22, 22, 25, 24, 25],
    },
    {
      X: [0, 0, 0.01, 0.001, 0.002, N, 0.001, 0.005, 0.002, 0],
      Y: [0, 0, 0, 0.002, 0, -0.001, 0, 0, 0, -0.001],
    },
  ),
  signals: signalsFrame([
    ["2024-01-01", "X", 0.9],
    ["2024-01-01", "Y", 0.1],
    ["2024-01-02", "X", 0.5],
    ["2024-01-02", "Y", N],
    ["2024-01-06", "X", 0.2],
    ["2024-01-06", "Y", 0.7],
    ["2024-01-09", "X", 0.2],
    ["2024-01-09", "Y", 0.7],
  ]),
};

describe("scenario A: timing, lag, funding signs, equity, open tranche", () => {
  const result = runBacktest({
    ...scenarioA,
    portfolio: { lagDays: 2, holdDays: 4, tranches: 2, leverage: 1 },
  });
  const { daily, tranches, book } = result;

  it("starts the daily series on the first entry day and runs every calendar day to the last market date", () => {
    expect(daily.strings("date")).toEqual([
      "2024-01-03", "2024-01-04", "2024-01-05", "2024-01-06", "2024-01-07", "2024-01-08", "2024-01-09", "2024-01-10",
    ]);
    expect(daily.columnNames).toEqual([
      "date", "gross_pnl", "fee", "slippage", "funding", "net_pnl", "equity", "return",
      "long_exposure", "short_exposure", "gross_exposure", "turnover", "positions",
      "long_price_pnl", "long_funding", "short_price_pnl", "short_funding",
    ]);
  });

  it("sizes tranches at the entry close: q = 0.25 / close_e", () => {
    // Tranche 0 at 01-03: X 0.25 / 10 = 0.025; Y −0.25 / 25 = −0.01.
    // Tranche 1 at 01-08: Y 0.25 / 25 = 0.01; X −0.25 / 10 = −0.025.
    expect(book.strings("symbol")).toEqual(["Y", "X", "X", "Y"]);
    expectClose(book.numeric("quantity"), [-0.01, 0.025, -0.025, 0.01], "quantity");
    expectClose(book.numeric("notional"), [-0.25, 0.25, -0.25, 0.25], "notional");
    expect(Array.from(book.numeric("tranche"))).toEqual([0, 0, 1, 1]);
    expect(book.strings("entry")).toEqual(["2024-01-03", "2024-01-03", "2024-01-08", "2024-01-08"]);
    expect(book.strings("exit")).toEqual(["2024-01-07", "2024-01-07", "2024-01-12", "2024-01-12"]);
  });

  it("pins gross PnL: positions held at the close of t−1 earn close_t − close_{t−1}", () => {
    expectClose(col(daily, "gross_pnl"), [
      0, //                                01-03: entry day earns nothing
      0.025 * 1 + -0.01 * -5, //           01-04: X 10→11, Y 25→20 = 0.075
      0.025 * 1 + 0, //                    01-05: X 11→12 = 0.025
      0 + -0.01 * 2, //                    01-06: Y 20→22 = −0.02
      0.025 * -1 + 0, //                   01-07: exit day earns X 12→11 = −0.025
      0, //                                01-08: tranche 1 enters, nothing held before
      0 + 0.01 * -1, //                    01-09: Y 25→24 = −0.01
      -0.025 * -2 + 0.01 * 1, //           01-10: X 10→8, Y 24→25 = 0.06
    ], "gross_pnl");
  });

  it("pins funding = −Σ q · close_t · rate_t for positions held at t−1 (longs pay a positive rate)", () => {
    expectClose(col(daily, "funding"), [
      0, //                                          01-03: X's 0.01 falls before the entry
      -(0.025 * 11 * 0.001) - -0.01 * 20 * 0.002, // 01-04: long X pays 0.000275, short Y receives 0.0004
      -(0.025 * 12 * 0.002), //                      01-05: −0.0006
      -(-0.01 * 22 * -0.001), //                     01-06: short Y pays on a negative rate: −0.00022 (X missing rate: 0)
      -(0.025 * 11 * 0.001), //                      01-07: exit day still pays: −0.000275
      0, //                                          01-08: X's 0.005 is paid by nobody
      -(-0.025 * 10 * 0.002), //                     01-09: short X receives 0.0005
      -(0.01 * 25 * -0.001), //                      01-10: long Y receives on a negative rate: 0.00025
    ], "funding");
  });

  it("pins fee and slippage on traded notional at the day's close", () => {
    // 01-03 entry: 0.25 + 0.25 = 0.5; 01-07 exit: X 0.025·11 = 0.275, Y 0.01·22 = 0.22 → 0.495;
    // 01-08 entry: 0.5; the open tranche pays no exit.
    expectClose(col(daily, "fee"), [0.00055 * 0.5, 0, 0, 0, 0.00055 * 0.495, 0.00055 * 0.5, 0, 0], "fee");
    expectClose(col(daily, "slippage"), [0.0005 * 0.5, 0, 0, 0, 0.0005 * 0.495, 0.0005 * 0.5, 0, 0], "slippage");
    expectClose(col(daily, "turnover"), [0.5 / 1, 0, 0, 0, 0.495 / 1.07878, 0.5 / 1.05298525, 0, 0], "turnover");
  });

  it("pins net, equity (no compounding) and return = net / equity_{t−1}", () => {
    const net = [-0.000525, 0.075125, 0.0244, -0.02022, -0.02579475, -0.000525, -0.0095, 0.06025];
    const equity = [0.999475, 1.0746, 1.099, 1.07878, 1.05298525, 1.05246025, 1.04296025, 1.10321025];
    expectClose(col(daily, "net_pnl"), net, "net_pnl");
    expectClose(col(daily, "equity"), equity, "equity");
    const prev = [1, ...equity.slice(0, -1)];
    expectClose(col(daily, "return"), net.map((x, i) => x / prev[i]!), "return");
  });

  it("pins exposures at carried closes and the position count at the close of t", () => {
    expectClose(col(daily, "long_exposure"), [0.25, 0.275, 0.3, 0.3, 0, 0.25, 0.24, 0.25], "long");
    expectClose(col(daily, "short_exposure"), [0.25, 0.2, 0.2, 0.22, 0, 0.25, 0.25, 0.2], "short");
    expectClose(col(daily, "gross_exposure"), [0.5, 0.475, 0.5, 0.52, 0, 0.5, 0.49, 0.45], "gross");
    expect(col(daily, "positions")).toEqual([2, 2, 2, 2, 0, 2, 2, 2]);
  });

  it("pins the tranche table: own costs, funding, closed vs open", () => {
    expect(Array.from(tranches.numeric("tranche"))).toEqual([0, 1]);
    expect(tranches.strings("signal_date")).toEqual(["2024-01-01", "2024-01-06"]);
    expect(tranches.strings("status")).toEqual(["closed", "open"]);
    expect(col(tranches, "long_count")).toEqual([1, 1]);
    expect(col(tranches, "short_count")).toEqual([1, 1]);
    // Tranche 0: X 0.025·(11−10) + Y −0.01·(22−25) = 0.055; fee 0.000275 + 0.00027225;
    // slippage 0.00025 + 0.0002475; funding 0.000125 − 0.0006 − 0.00022 − 0.000275 = −0.00097.
    // Tranche 1 (open, marked at 01-10): X −0.025·(8−10) + Y 0.01·(25−25) = 0.05; entry costs only;
    // funding 0.0005 + 0.00025 = 0.00075.
    expectClose(col(tranches, "gross_pnl"), [0.055, 0.05], "gross");
    expectClose(col(tranches, "fee"), [0.00054725, 0.000275], "fee");
    expectClose(col(tranches, "slippage"), [0.0004975, 0.00025], "slippage");
    expectClose(col(tranches, "funding"), [-0.00097, 0.00075], "funding");
    expectClose(col(tranches, "net_pnl"), [0.05298525, 0.050225], "net");
  });
});

/**
 * Scenario B: P and Q, 2024-01-01 .. 2024-01-07, lag 1, hold 2, tranches 2, leverage 1, fee
 * 0.001 + slippage 0.0005, no funding. Tranche 0 (signal 01-01) holds 01-02 .. 01-04, tranche 1
 * (signal 01-03) 01-04 .. 01-06: on 01-04 tranche 0 exits long P / short Q as tranche 1 enters them.
 *   tranche 0: q_P = 0.25/10 = 0.025, q_Q = −0.25/5 = −0.05
 *   tranche 1: q_P = 0.25/8 = 0.03125, q_Q = −0.05
 *   01-04 netted: ΔP = 0.03125 − 0.025 = 0.00625 → 0.00625·8 = 0.05; ΔQ = 0 → traded 0.05
 *   01-04 not netted: 0.025·8 + 0.05·5 + 0.03125·8 + 0.05·5 = 0.2 + 0.25 + 0.25 + 0.25 = 0.95
 */
describe("scenario B: netting on vs off", () => {
  const input = {
    market: marketFrame("2024-01-01", { P: [10, 10, 12, 8, 8, 10, 10], Q: [5, 5, 5, 5, 5, 5, 5] }),
    signals: signalsFrame([
      ["2024-01-01", "P", 0.9],
      ["2024-01-01", "Q", 0.1],
      ["2024-01-03", "P", 0.8],
      ["2024-01-03", "Q", 0.2],
    ]),
    portfolio: { long: 1, short: 1, lagDays: 1, holdDays: 2, tranches: 2 },
    costs: [takerFee(0.001), fixedSlippage(0.0005)],
  };
  const on = runBacktest({ ...input, netting: true });
  const off = runBacktest({ ...input, netting: false });

  it("nets trades per symbol across tranches each day", () => {
    // 01-02 entry 0.5; 01-04 netted 0.05; 01-06 exit 0.03125·10 + 0.05·5 = 0.5625.
    expectClose(col(on.daily, "fee"), [0.0005, 0, 0.00005, 0, 0.0005625, 0], "fee on");
    expectClose(col(on.daily, "slippage"), [0.00025, 0, 0.000025, 0, 0.00028125, 0], "slippage on");
    expectClose(col(on.daily, "turnover"), [0.5, 0, 0.05 / 1.04925, 0, 0.5625 / 0.949175, 0], "turnover on");
    // Equity: 1 − 0.00075; + 0.025·2; + 0.025·(8−12) − 0.000075; + 0; + 0.03125·2 − 0.00084375.
    expectClose(col(on.daily, "equity"), [0.99925, 1.04925, 0.949175, 0.949175, 1.01083125, 1.01083125], "equity on");
  });

  it("charges every tranche its own entry and exit without netting", () => {
    expectClose(col(off.daily, "fee"), [0.0005, 0, 0.00095, 0, 0.0005625, 0], "fee off");
    expectClose(col(off.daily, "slippage"), [0.00025, 0, 0.000475, 0, 0.00028125, 0], "slippage off");
    expectClose(col(off.daily, "turnover"), [0.5, 0, 0.95 / 1.04925, 0, 0.5625 / 0.947825, 0], "turnover off");
    expectClose(col(off.daily, "equity"), [0.99925, 1.04925, 0.947825, 0.947825, 1.00948125, 1.00948125], "equity off");
    expectClose(col(off.daily, "gross_pnl"), col(on.daily, "gross_pnl"), "same gross");
  });

  it("reports tranche costs as if not netted in both modes", () => {
    // Tranche 0: entry 0.5, exit 0.025·8 + 0.05·5 = 0.45 → fee 0.00095, slippage 0.000475;
    //   gross 0.025·(8−10) = −0.05; net −0.051425.
    // Tranche 1: entry 0.5, exit 0.5625 → fee 0.0010625, slippage 0.00053125; gross 0.0625; net 0.06090625.
    for (const r of [on, off]) {
      expectClose(col(r.tranches, "fee"), [0.00095, 0.0010625], "tranche fee");
      expectClose(col(r.tranches, "slippage"), [0.000475, 0.00053125], "tranche slippage");
      expectClose(col(r.tranches, "net_pnl"), [-0.051425, 0.06090625], "tranche net");
    }
    expect(on.daily.numeric("positions")[2]).toBe(2);
    expectClose([on.daily.numeric("long_exposure")[2]!, on.daily.numeric("short_exposure")[2]!], [0.25, 0.25], "01-04 exposure");
  });
});

/**
 * Scenario C: A, B, C, D, 2024-01-01 .. 2024-01-08, long 2 / short 2, lag 1, hold 5, tranches 1,
 * leverage 2 (legs of 1.0), fee 0.001, funding. Signal 01-01: A 0.9, B 0.8, C 0.2, D 0.1.
 *   A has no row on the entry day 01-02: dropped, the long leg's 1.0 goes to B alone: q_B = 1/4 = 0.25.
 *   Short: C 0.5/10 = −0.05, D 0.5/5 = −0.1.
 *   C is delisted after 01-03 (last close 8, carried); D misses 01-05 (carried 4).
 */
describe("scenario C: entry-day miss, carried closes, delisting mid-hold", () => {
  const { daily, tranches, book } = runBacktest({
    market: marketFrame(
      "2024-01-01",
      {
        //  01  02  03  04  05  06  07  08
        A: [50, N, 50, 50, 50, 50, 50, 50],
        B: [4, 4, 5, 5, 6, 6, 5, 5],
        C: [10, 10, 8, N, N, N, N, N],
        D: [5, 5, 5, 4, N, 6, 6, 6],
      },
      { D: [0, 0, 0, 0, 0, 0.01, 0, 0] },
    ),
    signals: signalsFrame([
      ["2024-01-01", "A", 0.9],
      ["2024-01-01", "B", 0.8],
      ["2024-01-01", "C", 0.2],
      ["2024-01-01", "D", 0.1],
    ]),
    portfolio: { long: 2, short: 2, lagDays: 1, holdDays: 5, tranches: 1, leverage: 2 },
    costs: [takerFee(0.001), funding()],
  });

  it("drops the symbol without an entry close and respreads its leg", () => {
    // Short leg in (prediction, symbol) order: D (0.1), C (0.2); then the long leg.
    expect(book.strings("symbol")).toEqual(["D", "C", "B"]);
    expectClose(book.numeric("quantity"), [-0.1, -0.05, 0.25], "quantity");
    expect(col(tranches, "long_count")).toEqual([1]);
    expect(col(tranches, "short_count")).toEqual([2]);
  });

  it("carries missing closes: no PnL across a gap or after a delisting, the move lands when prices return", () => {
    expectClose(col(daily, "gross_pnl"), [
      0, //                                01-02 entry
      0.25 * 1 + -0.05 * -2 + 0, //        01-03: B 4→5, C 10→8 → 0.35
      0 + 0 + -0.1 * -1, //                01-04: C carried 8→8, D 5→4 → 0.1
      0.25 * 1 + 0 + 0, //                 01-05: B 5→6, D carried 4→4 → 0.25
      0 + 0 + -0.1 * 2, //                 01-06: D 4→6 → −0.2
      0.25 * -1, //                        01-07 exit: B 6→5 → −0.25
      0, //                                01-08
    ], "gross_pnl");
    // D's short receives −(−0.1)·6·0.01 = 0.006 on 01-06; C's missing rows carry no funding.
    expectClose(col(daily, "funding"), [0, 0, 0, 0, 0.006, 0, 0], "funding");
  });

  it("exits the delisted symbol at its carried close on the scheduled day", () => {
    // Entry 1 + 1 = 2 → fee 0.002; exit B 0.25·5 + C 0.05·8 (carried) + D 0.1·6 = 2.25 → 0.00225.
    expectClose(col(daily, "fee"), [0.002, 0, 0, 0, 0, 0.00225, 0], "fee");
    expectClose(col(daily, "equity"), [0.998, 1.348, 1.448, 1.698, 1.504, 1.25175, 1.25175], "equity");
    expectClose(col(daily, "short_exposure"), [1, 0.05 * 8 + 0.1 * 5, 0.4 + 0.4, 0.4 + 0.4, 0.4 + 0.6, 0, 0], "short");
    expectClose(col(daily, "long_exposure"), [1, 1.25, 1.25, 1.5, 1.5, 0, 0], "long");
    expect(col(daily, "positions")).toEqual([3, 3, 3, 3, 3, 0, 0]);
    // Tranche: 0.25·(5−4) − 0.05·(8−10) − 0.1·(6−5) = 0.25; + 0.006 − 0.00425 = 0.25175.
    expectClose(col(tranches, "net_pnl"), [0.25175], "tranche net");
  });
});
