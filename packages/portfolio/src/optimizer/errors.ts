import { type ErrorLocation, NumerFrameError } from "@nmrblox/numerframe";

/**
 * The optimizer's constraints cannot be met as asked (code INFEASIBLE_PORTFOLIO): the position
 * cap is too small for the gross budget to be reachable, or the neutrality constraints leave
 * only the empty portfolio. `option` names the setting at fault when there is one.
 *
 * @example
 * try { optimizePortfolio(signal, { maxPosition: 0.001 }); } catch (e) {
 *   if (e instanceof InfeasiblePortfolioError) console.error(e.message, e.option); // "maxPosition"
 * }
 */
export class InfeasiblePortfolioError extends NumerFrameError {
  /**
   * @param message - what cannot be met, with the numbers
   * @param where - the option at fault, when one is
   */
  constructor(message: string, where: ErrorLocation) {
    super("INFEASIBLE_PORTFOLIO", message, where);
  }
}
