export { RankerError, type RankerErrorCode } from "./errors.js";
// Options fail as numerframe's InvalidOptionError: re-exported so callers can catch it from here.
export { InvalidOptionError } from "@nmrblox/numerframe";
export { tieKeptRank, tieBrokenRank, ordinalRank, topBottomLabels, rankFunction, type RankMethod } from "./rank.js";
export { gaussianize, gaussianRank, inverseNormalCdf } from "./gaussianize.js";
export { sortCount } from "./argsort.js";
export { pow15 } from "./pow15.js";
export { varianceNormalize } from "./variance-normalize.js";
export { neutralize, neutralizer, neutralizerOptions, type Neutralizer, type NeutralizerOptions } from "./neutralize.js";
export { SINGULAR_VALUE_CUTOFF, type ProjectorBuildOptions } from "./projector.js";
export { rankPerEra, rankPerEraOptions, type RankPerEraOptions } from "./frame/rank-per-era.js";
export { gaussianizePerEra, gaussianizePerEraOptions, type GaussianizePerEraOptions } from "./frame/gaussianize-per-era.js";
export { neutralizePerEra, neutralizePerEraOptions, type NeutralizePerEraOptions } from "./frame/neutralize-per-era.js";
export { ensemble, ensembleOptions, type EnsembleOptions } from "./frame/ensemble.js";
export { topBottom, topBottomOptions, type TopBottomOptions } from "./frame/top-bottom.js";
