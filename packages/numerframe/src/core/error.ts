import type { ErrorCode } from "./codes.js";

/** Where an error points: the column, era, row, file, symbol, date or option at fault, when known. */
export interface ErrorLocation {
  column?: string;
  era?: string;
  row?: number;
  path?: string;
  symbol?: string;
  date?: string;
  option?: string;
}

// A registry-wide symbol, so two installed copies of this package recognise each other's errors
// (`instanceof` compares constructors, which differ between copies).
const MARKER = Symbol.for("nmrblox.error");

/**
 * The one root of every nmrblox error. `code` is stable and machine-readable; the message is
 * for people and names the column, era, row, file, symbol or option at fault.
 *
 * @example
 * try { frame.column("close"); } catch (e) {
 *   if (NumerFrameError.isInstance(e) && e.code === "MISSING_COLUMN") console.error(e.column);
 * }
 */
export class NumerFrameError extends Error {
  readonly code: ErrorCode;
  readonly column?: string;
  readonly era?: string;
  readonly row?: number;
  readonly path?: string;
  readonly symbol?: string;
  readonly date?: string;
  readonly option?: string;
  // biome-ignore lint/correctness/noUnusedPrivateClassMembers: read by isInstance through the registry symbol
  private readonly [MARKER] = true;

  /**
   * @param code - the stable code (see `ERROR_CODES`)
   * @param message - a sentence for people
   * @param where - what is at fault
   * @param options - the underlying cause, when there is one
   */
  constructor(code: ErrorCode, message: string, where: ErrorLocation = {}, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
    if (where.column !== undefined) this.column = where.column;
    if (where.era !== undefined) this.era = where.era;
    if (where.row !== undefined) this.row = where.row;
    if (where.path !== undefined) this.path = where.path;
    if (where.symbol !== undefined) this.symbol = where.symbol;
    if (where.date !== undefined) this.date = where.date;
    if (where.option !== undefined) this.option = where.option;
  }

  /**
   * True for any nmrblox error, also one thrown by another installed copy of nmrblox.
   *
   * @param error - anything caught
   * @returns whether it is an nmrblox error
   * @example
   * if (NumerFrameError.isInstance(e)) console.error(e.code);
   */
  static isInstance(error: unknown): error is NumerFrameError {
    return typeof error === "object" && error !== null && (error as Record<symbol, unknown>)[MARKER] === true;
  }
}
