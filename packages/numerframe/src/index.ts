export { NumerFrame, type FrameOptions, type SortKey } from "./numer-frame.js";
export {
  frameMeta,
  frameKind,
  columnRole,
  provenanceStep,
  inferredRole,
  resolveMeta,
  type FrameMeta,
  type FrameMetaInput,
  type FrameKind,
  type ColumnRole,
  type ProvenanceStep,
} from "./meta.js";
export { type EraIndex, eraRows } from "./era-index.js";
export { type ColumnArray, type ColumnInput, type NumericArray, isNumericArray, UnsafeColumnError } from "./columns.js";
export { ERROR_CODES, type ErrorCode, isErrorCode } from "./core/codes.js";
export { InvalidOptionError, parseOptions, checkOptionPaths, type OptionProblem } from "./core/options.js";
export { nearestName } from "./core/nearest.js";
export { requireFrame } from "./core/frame-arg.js";
export {
  pearson,
  mean,
  nanMean,
  standardDeviation,
  skewness,
  excessKurtosis,
  drawdownSeries,
  maxDrawdown,
} from "./core/stats.js";
export { compareEras, sortEras } from "./core/era-order.js";
export { InvalidCloseError, DuplicateRowError, UnknownSymbolError } from "./core/market-errors.js";
export {
  requireColumns,
  ContractError,
  signalsContract,
  marketContract,
  instrumentsContract,
  universeContract,
  bookContract,
  dailyContract,
  tranchesContract,
  scoresContract,
  type FrameContract,
  type ContractColumn,
  type ColumnKind,
} from "./core/contracts.js";
export {
  NumerFrameError,
  MissingColumnError,
  DuplicateColumnError,
  NonNumericColumnError,
  EmptyFrameError,
  ColumnLengthError,
  NullValueError,
  SchemaMismatchError,
  FrameIOError,
  type ErrorLocation,
} from "./errors.js";
export { toArquero, fromArquero, joinFrames, joinOptions, type JoinOptions } from "./arquero.js";
export { writeFileAtomic, commitFiles, recoverCommit, type AtomicContent, type CommitEntry } from "./io/atomic.js";
export {
  readArrowIpc,
  writeArrowIpc,
  readArrowIpcOptions,
  writeArrowIpcOptions,
  type ReadArrowIpcOptions,
  type WriteArrowIpcOptions,
} from "./io/arrow-ipc.js";
export {
  readParquet,
  writeParquet,
  writeParquetStream,
  readParquetOptions,
  writeParquetOptions,
  type ReadParquetOptions,
  type WriteParquetOptions,
} from "./io/parquet.js";
export {
  readCsv,
  writeCsv,
  parseCsv,
  csvSidecarPath,
  CsvSyntaxError,
  SidecarMismatchError,
  UnsafeIntegerError,
  DEFAULT_NULL_TOKENS,
  readCsvOptions,
  writeCsvOptions,
  type ReadCsvOptions,
  type WriteCsvOptions,
} from "./io/csv.js";
export { DAY_MS, InvalidDateError, dayNumber, isoDay, dayOfEpochMs, dayColumn } from "./days.js";
