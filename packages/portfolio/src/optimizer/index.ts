export {
  optimizePortfolio,
  optimizePortfolioOptions,
  type OptimizePortfolioOptions,
  type OptimizedPortfolio,
  type PositionStates,
} from "./optimize-portfolio.js";
export { returnGradient, type ReturnGradient } from "./return-gradient.js";
export type { NeutralizerColumns } from "./constraints.js";
export { InfeasiblePortfolioError } from "./errors.js";
