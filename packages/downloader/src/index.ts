// Bad options raise numerframe's one InvalidOptionError; re-exported so `instanceof` works from here too.
export { InvalidOptionError } from "@nmrblox/numerframe";
export {
  DownloaderError,
  UnknownTournamentError,
  InvalidDateRangeError,
  DatasetNotFoundError,
  MissingCredentialsError,
  HttpError,
  NetworkError,
  InvalidResponseError,
  NumeraiGraphQLError,
  BybitApiError,
  IncompleteDownloadError,
  DeadlineExceededError,
  PaginationError,
  ResponseTooLargeError,
  UnsafeNameError,
  ChecksumMismatchError,
  type GraphQLErrorEntry,
} from "./errors.js";
export {
  retryOptions,
  backoffDelay,
  parseRetryAfter,
  type RetryOptions,
  type RetryInfo,
} from "./retry.js";
export { fetchWithRetry, fetchWithRetryOptions, isBybitBanBody, type FetchWithRetryOptions } from "./fetch-with-retry.js";
export { RateLimiter, rateLimiterOptions, type RateLimiterOptions } from "./rate-limiter.js";
export { TOURNAMENTS, tournamentId, tournamentName, type Tournament, type TournamentName } from "./tournaments.js";
export type { ProgressEvent, OnProgress } from "./progress.js";
export { dateInput, type DateInput } from "./date-input.js";
export { publicUrl, redactSecrets, redactAndClip } from "./redact.js";
export {
  NumeraiClient,
  numeraiClientOptions,
  datasetScope,
  downloadDatasetOptions,
  graphqlOptions,
  operationNameOf,
  datasetCachePath,
  type NumeraiClientOptions,
  type DatasetScope,
  type DownloadDatasetOptions,
  type GraphqlOptions,
  type NumeraiModel,
} from "./numerai-client.js";
export {
  downloadFile,
  downloadFileOptions,
  partialPath,
  cacheRecordPath,
  verifiedCacheSize,
  type DownloadFileOptions,
  type CacheRecord,
} from "./download-file.js";
export { isSafeRelativePath, safeJoin } from "./safe-name.js";
export { pickDataset, pickDatasetOptions, datasetVersion, type PickDatasetOptions } from "./dataset-names.js";
export {
  loadNumeraiOptions,
  loadNumeraiDataset,
  loadNumeraiMetaModel,
  loadCryptoMetaModel,
  loadCryptoTrain,
  loadCryptoLive,
  loadClassicTrain,
  loadClassicValidation,
  loadClassicLive,
  loadClassicMetaModel,
  loadSignalsTrain,
  loadSignalsValidation,
  loadSignalsLive,
  loadSignalsMetaModel,
  type LoadNumeraiOptions,
  type DatasetPart,
} from "./numerai-datasets.js";
export {
  BybitClient,
  bybitClientOptions,
  bybitCategory,
  klineInterval,
  klinesOptions,
  fundingHistoryOptions,
  instrumentsOptions,
  tickersOptions,
  bybitInstrument,
  bybitTicker,
  type BybitClientOptions,
  type BybitCategory,
  type KlineInterval,
  type KlinesOptions,
  type FundingHistoryOptions,
  type InstrumentsOptions,
  type TickersOptions,
  type Kline,
  type FundingSettlement,
  type BybitInstrument,
  type BybitTicker,
} from "./bybit-client.js";
export {
  loadBybitMarket,
  loadBybitMarketOptions,
  marketSymbol,
  marketCachePath,
  type LoadBybitMarketOptions,
  type MarketSymbol,
} from "./bybit-market.js";
export { loadBybitInstruments, loadBybitInstrumentsOptions, type LoadBybitInstrumentsOptions } from "./bybit-instruments.js";
