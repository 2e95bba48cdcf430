/**
 * Shared plumbing for nmrblox's own packages: the market panel and column coding. Not part of
 * the public API; it may change in any release.
 */
export { marketPanel, panelDate, type MarketPanel } from "./core/market-panel.js";
export { adoptPanel, sharePanel, type SharedMarketPanel } from "./core/shared-panel.js";
export { stringCodes, dayCodes, type StringCodes } from "./core/string-codes.js";
export { universeGrid, cellState, UNLISTED, UNTRADABLE, TRADABLE, type UniverseGrid } from "./core/universe-grid.js";
