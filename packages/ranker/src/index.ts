export const packageName = "@nmrblox/ranker";
