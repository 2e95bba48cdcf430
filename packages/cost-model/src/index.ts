export const packageName = "@nmrblox/cost-model";
