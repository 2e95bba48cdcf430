export { selectBaskets, selectBasketsOptions, type SelectBasketsOptions } from "./select-baskets.js";
export { trancheBook, trancheBookOptions, type TrancheBookOptions } from "./tranche-book.js";
export { targetVolatilityOptions, volatilityScale, type TargetVolatilityOptions } from "./target-volatility.js";
export { targetBook, targetBookOptions, type TargetBookOptions } from "./target-book.js";
export { rollingBeta, rollingBetaOptions, type RollingBetaOptions } from "./rolling-beta.js";
export {
  optimizePortfolio,
  optimizePortfolioOptions,
  returnGradient,
  InfeasiblePortfolioError,
  type OptimizePortfolioOptions,
  type OptimizedPortfolio,
  type PositionStates,
  type ReturnGradient,
  type NeutralizerColumns,
} from "./optimizer/index.js";
// The errors selectBaskets and trancheBook throw: the classes of @nmrblox/numerframe, not copies.
export {
  NumerFrameError,
  InvalidOptionError,
  ContractError,
  DuplicateRowError,
  InvalidCloseError,
  InvalidDateError,
  UnknownSymbolError,
} from "@nmrblox/numerframe";
