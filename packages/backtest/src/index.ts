export const packageName = "@nmrblox/backtest";
