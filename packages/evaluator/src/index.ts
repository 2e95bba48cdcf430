// The whole evaluator for convenience. Each domain is also its own entry, so a caller loads
// only what it uses: `@nmrblox/evaluator/scores` (Numerai scores), `/trading` (performance and
// factor analysis) and `/report` (the report; its chart stack loads on first render).
export * from "./scores/index.js";
export * from "./trading.js";
export * from "./report/index.js";
