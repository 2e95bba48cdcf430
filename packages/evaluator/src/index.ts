export const packageName = "@nmrblox/evaluator";
