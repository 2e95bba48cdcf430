export const packageName = "@nmrblox/portfolio";
