import type { Exposure, RebalancePlan } from "./rebalance-plan.js";

/**
 * A plan as plain text for a terminal: the orders (side, qty, symbol, limit price, notional,
 * estimated fee, reduce-only), the skipped legs with their reasons, exposures before, after and
 * at the target, and the estimated cost. Libraries never print; the CLI prints this.
 *
 * @param plan - from `rebalancePlan`
 * @returns lines joined by "\n", no trailing newline
 * @throws never throws for a plan `rebalancePlan` returned (or read back from a journal)
 * @example
 * console.log(formatPlan(plan));
 * // Plan 3f2a9c0d1e2b4a5c for 2026-01-05: 2 orders, 0 skipped (dry run unless executed)
 * // side  qty    symbol   limit    notional  est. fee  reduce-only
 * // ...
 */
export function formatPlan(plan: RebalancePlan): string {
  const lines: string[] = [];
  const s = plan.summary;
  lines.push(`Plan ${plan.planId} for ${plan.asOf}: ${s.orders} orders, ${s.skipped} skipped (dry run unless executed)`);
  if (plan.orders.length > 0) {
    lines.push(
      ...table(
        ["side", "qty", "symbol", "limit", "notional", "est. fee", "reduce-only"],
        plan.orders.map((o) => [o.side, o.qtyText, o.symbol, o.limitPriceText, usd(o.notional), usd(o.estimatedFee), o.reduceOnly ? "yes" : ""]),
        [false, true, false, true, true, true, false],
      ),
    );
  }
  if (plan.skipped.length > 0) {
    lines.push("Skipped (not sent):");
    for (const k of plan.skipped) lines.push(`  ${k.side} ${k.qtyText} ${k.symbol} (${k.leg}): ${k.reason}, ${k.detail}`);
  }
  const row = (name: string, e: Exposure) => [name, usd(e.long), usd(e.short), usd(e.gross), usd(e.net)];
  lines.push(
    ...table(
      ["exposure USDT", "long", "short", "gross", "net"],
      [row("before", s.before), row("after", s.after), row("target", s.target)],
      [false, true, true, true, true],
    ),
  );
  lines.push(
    `Turnover ${usd(s.turnover)} USDT; estimated cost ${usd(s.estimatedCost)} USDT (fee ${usd(s.estimatedFee)} + slippage ${usd(s.estimatedSlippage)}); limit prices within ${pct(plan.options.maxSlippage)} of the last price`,
  );
  return lines.join("\n");
}

function table(header: string[], rows: string[][], right: boolean[]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const fmt = (cells: string[]) =>
    cells
      .map((c, i) => (right[i] ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
      .join("  ")
      .trimEnd();
  return [fmt(header), ...rows.map(fmt)];
}

function usd(x: number): string {
  return x.toFixed(2);
}

function pct(x: number): string {
  return `${Number((x * 100).toFixed(4))} %`;
}
