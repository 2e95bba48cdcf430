import { NumerFrameError, type ErrorLocation } from "./core/error.js";

export { NumerFrameError, type ErrorLocation } from "./core/error.js";

/** A column the operation needs is not in the frame. */
export class MissingColumnError extends NumerFrameError {
  constructor(column: string, context: string, available: readonly string[]) {
    const shown = available.slice(0, 12).join(", ") + (available.length > 12 ? ", ..." : "");
    super("MISSING_COLUMN", `${context}: column "${column}" is missing (columns: ${shown})`, { column });
  }
}

/** Two columns share a name. */
export class DuplicateColumnError extends NumerFrameError {
  constructor(column: string) {
    super("DUPLICATE_COLUMN", `column "${column}" appears more than once`, { column });
  }
}

/** A column that must be numeric (a feature, target or prediction) is not. */
export class NonNumericColumnError extends NumerFrameError {
  constructor(column: string, role: string, type: string) {
    super("NON_NUMERIC_COLUMN", `${role} column "${column}" must be numeric, found ${type}`, { column });
  }
}

/** A frame with no columns or no rows where rows are needed. */
export class EmptyFrameError extends NumerFrameError {
  constructor(context: string, where: ErrorLocation = {}) {
    super("EMPTY_FRAME", `${context}: the frame is empty`, where);
  }
}

/** Columns of different lengths, or a mask or new column of the wrong length. */
export class ColumnLengthError extends NumerFrameError {
  constructor(column: string, expected: number, actual: number) {
    super("COLUMN_LENGTH", `column "${column}" has ${actual} values, expected ${expected}`, { column });
  }
}

/** A null where none may be (era and id columns, string columns read as strings). */
export class NullValueError extends NumerFrameError {
  constructor(column: string, row: number) {
    super("NULL_VALUE", `column "${column}" has a null at row ${row}`, { column, row });
  }
}

/** Two frames that must agree (concat, join) do not. */
export class SchemaMismatchError extends NumerFrameError {
  constructor(column: string, message: string) {
    super("SCHEMA_MISMATCH", `column "${column}": ${message}`, { column });
  }
}

/** Reading or writing a file failed; `path` names it. Earlier files are left whole. */
export class FrameIOError extends NumerFrameError {
  constructor(path: string, message: string, cause?: unknown) {
    super("IO", `${path}: ${message}`, { path }, cause === undefined ? undefined : { cause });
  }
}
