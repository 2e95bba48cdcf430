/**
 * Default exclusion lists, as Numerai symbols (upper case). Numerai's own universe drops
 * tokens tagged stablecoin, wrapped or liquid staking: their price tracks another asset, so a
 * signal on them is a signal on that asset or on nothing. Lists hold explicit names only (no
 * patterns), because real tokens such as WIF, WOO or WLD start with a W.
 */

/** Fiat- and commodity-pegged tokens (USD, EUR, gold). */
export const defaultStablecoins: readonly string[] = Object.freeze([
  "USDT", "USDC", "DAI", "BUSD", "TUSD", "USDP", "PAX", "GUSD", "FDUSD", "USDD", "PYUSD", "FRAX",
  "LUSD", "USDE", "SUSDE", "USDS", "SUSDS", "CRVUSD", "GHO", "USD0", "USDX", "USDJ", "USDK", "HUSD",
  "SUSD", "MIM", "RLUSD", "USD1", "USDB", "USDY", "USTB", "EURC", "EURT", "EURS", "AEUR", "XSGD",
  "PAXG", "XAUT",
]);

/** Bridged or wrapped representations of another chain's coin. */
export const defaultWrapped: readonly string[] = Object.freeze([
  "WBTC", "WETH", "WBNB", "WTRX", "WAVAX", "WMATIC", "WPOL", "WFTM", "WSOL", "WCRO", "WHBAR",
  "WROSE", "WXDAI", "BTCB", "CBBTC", "TBTC", "RENBTC", "HBTC", "SOLVBTC", "FBTC", "BTCBR",
]);

/** Liquid-staking and restaking receipts (their price follows the staked coin). */
export const defaultLiquidStaking: readonly string[] = Object.freeze([
  "STETH", "WSTETH", "RETH", "CBETH", "WBETH", "BETH", "SFRXETH", "FRXETH", "OSETH", "METH",
  "CMETH", "EETH", "WEETH", "EZETH", "RSETH", "SWETH", "ANKRETH", "LSETH", "PUFETH", "MSOL",
  "JITOSOL", "BNSOL", "JUPSOL", "BSOL", "STSOL", "BBSOL", "STMATIC", "MATICX", "SAVAX",
  "STATOM", "STOSMO", "STKBNB", "SLISBNB", "LBTC", "STBTC", "STSTX", "TSTON",
  "STTON", "HASUI", "AFSUI", "VSUI", "STAPT", "AMAPT", "STHYPE", "KHYPE",
]);
