export { selectBaskets, selectBasketsOptions, type SelectBasketsOptions } from "./select-baskets.js";
export { trancheBook, trancheBookOptions, bookFrame, stringColumn, type TrancheBookOptions } from "./tranche-book.js";
export { TrancheBookEngine, type TrancheSizing } from "./tranche-book-engine.js";
export { planTranches, type TranchePlan } from "./tranche-plan.js";
export { marketMatrix, matrixDate, type MarketMatrix } from "./market-matrix.js";
export { targetVolatilityOptions, volatilityScale, type TargetVolatilityOptions } from "./target-volatility.js";
export { columnCodes, columnDays } from "./column-codes.js";
export { parseOptions } from "./parse-options.js";
export {
  PortfolioError,
  InvalidOptionError,
  DuplicateRowError,
  InvalidPriceError,
  UnknownSymbolError,
} from "./errors.js";
