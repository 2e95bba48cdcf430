export const packageName = "@nmrblox/universe-filter";
