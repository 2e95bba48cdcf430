/**
 * Reason codes of the universe, in the order the rules are checked: a row gets the code of
 * the first rule it fails, or "ok" when it passes them all.
 */
export const universeReasons = [
  "ok",
  "stablecoin",
  "wrapped",
  "liquid_staking",
  "excluded",
  "unmapped",
  "not_listed",
  "too_new",
  "delisted",
  "prices_ended",
  "no_close",
  "no_turnover_history",
  "low_turnover",
  "outside_top_n",
] as const;
/** One of {@link universeReasons}: "ok", or the first universe rule a (date, symbol) row fails. */
export type UniverseReason = (typeof universeReasons)[number];

/** Index of each reason code in {@link universeReasons}, for compact per-row codes. */
export const reasonCode: Readonly<Record<UniverseReason, number>> = Object.freeze(
  Object.fromEntries(universeReasons.map((r, i) => [r, i])) as Record<UniverseReason, number>,
);
