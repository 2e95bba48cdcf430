export const packageName = "@nmrblox/synthetic";
