export {
  mapSymbols,
  mapSymbolsOptions,
  symbolOverride,
  unmatchedReasons,
  type MapSymbolsOptions,
  type SymbolMapping,
  type UnmatchedReason,
  type UnmatchedSymbol,
} from "./map-symbols.js";
export { tradableUniverse, tradableUniverseOptions, type TradableUniverseOptions, type UniverseInputs } from "./tradable-universe.js";
export { universeSummary, type UniverseSummary } from "./universe-summary.js";
export { filterTradable } from "./filter-tradable.js";
export { universeReasons, type UniverseReason } from "./reasons.js";
export { parseMultiplierName, instrumentMultiplierName, type MultiplierName } from "./multiplier-name.js";
export { instrumentColumns } from "./instruments.js";
export { defaultStablecoins, defaultWrapped, defaultLiquidStaking } from "./exclusion-lists.js";
export { UniverseFilterError, DuplicateExchangeSymbolError, InvalidInstrumentError, UnknownExchangeSymbolError } from "./errors.js";
// numerframe's errors that this package throws, re-exported so callers can catch them from here.
export { ContractError, DuplicateRowError, InvalidCloseError, InvalidDateError, InvalidOptionError } from "@nmrblox/numerframe";
