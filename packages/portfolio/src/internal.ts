/**
 * The tranche engine and its plan, for nmrblox's own packages (the backtest steps the engine
 * day by day). Not part of the public API; it may change in any release.
 */
export { TrancheBookEngine, type TrancheSizing } from "./tranche-book-engine.js";
export { planSelection, planTranches, type TranchePlan } from "./tranche-plan.js";
export { basketSelection, type BasketSelection } from "./select-baskets.js";
export { bookFrame } from "./tranche-book.js";
export { checkMarketSpan, checkOverlap, MARKET_SPAN_MARGIN_DAYS, MAX_OVERLAP_FACTOR } from "./plan-checks.js";
