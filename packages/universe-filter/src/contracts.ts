import { type FrameContract, instrumentsContract, marketContract, signalsContract, universeContract } from "@nmrblox/numerframe";

/**
 * numerframe's frame contracts as this package reads them: the same columns and kinds, with
 * the optional columns a rule needs made required (and signals' prediction dropped: any
 * (date, symbol) frame can be judged or filtered).
 */
function adjust(base: FrameContract, change: { required?: readonly string[]; optional?: readonly string[]; drop?: readonly string[] }): FrameContract {
  const required = new Set(change.required ?? []);
  const optional = new Set(change.optional ?? []);
  const drop = new Set(change.drop ?? []);
  return {
    name: base.name,
    columns: base.columns
      .filter((c) => !drop.has(c.name))
      .map((c) => (required.has(c.name) ? { ...c, optional: false } : optional.has(c.name) ? { ...c, optional: true } : c)),
  };
}

/** date and symbol of `signalsContract`: the rows to judge or filter. */
export const keyedRowsContract = adjust(signalsContract, { drop: ["prediction"] });

/** `instrumentsContract` with launch_time and delivery_time required (the listing rules read them). */
export const listingContract = adjust(instrumentsContract, { required: ["launch_time", "delivery_time"] });

/**
 * `marketContract` with turnover_usd required (the turnover rule reads it) and symbol optional:
 * a market keyed by exchange_symbol alone is joined through the mapping.
 */
export const turnoverMarketContract = adjust(marketContract, { required: ["turnover_usd"], optional: ["symbol"] });

/** `universeContract` with reason required, as `universeSummary` counts reasons. */
export const reasonedUniverseContract = adjust(universeContract, { required: ["reason"] });
