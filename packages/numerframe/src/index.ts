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
export { type ColumnArray, type ColumnInput, type NumericArray, isNumericArray } from "./columns.js";
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
export { writeFileAtomic, type AtomicContent } from "./io/atomic.js";
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
  readCsvOptions,
  writeCsvOptions,
  type ReadCsvOptions,
  type WriteCsvOptions,
} from "./io/csv.js";
export { DAY_MS, InvalidDateError, dayNumber, isoDay, dayOfEpochMs, dayColumn } from "./days.js";
