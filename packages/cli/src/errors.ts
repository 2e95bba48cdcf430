import { NumerFrameError, nearestName } from "@nmrblox/numerframe";

/**
 * Bad usage of the command line: an unknown flag or command, a missing or malformed flag value,
 * a file that does not exist or has an unknown extension, an invalid config file. The process
 * exits with code 2. `option` names the flag (`--long`) or config key at fault.
 *
 * @example
 * throw new UsageError('--signals x.csv: no such file', { option: "--signals", path: "x.csv" });
 */
export class UsageError extends NumerFrameError {
  /** The nearest valid flag, command, column or key, when there is one. */
  readonly suggestion?: string;

  /**
   * @param message - a sentence naming what is wrong
   * @param where - the flag (`option`), file (`path`) or column at fault, and a suggestion
   */
  constructor(message: string, where: { option?: string; path?: string; column?: string; suggestion?: string } = {}) {
    const { suggestion, ...location } = where;
    super("INVALID_OPTION", suggestion === undefined ? message : `${message} (did you mean "${suggestion}"?)`, location);
    if (suggestion !== undefined) this.suggestion = suggestion;
  }
}

/**
 * A usage error for a value that is not among the valid ones, suggesting the nearest.
 *
 * @param what - what the value is ("metric", "tournament")
 * @param value - what the user wrote
 * @param valid - the valid values
 * @param option - the flag it came from
 * @returns the error, to throw
 * @example
 * throw unknownValue("metric", "mmcc", ["corr", "mmc"], "--metrics"); // did you mean "mmc"?
 */
export function unknownValue(what: string, value: string, valid: readonly string[], option: string): UsageError {
  const suggestion = nearestName(value, valid);
  return new UsageError(`${option}: unknown ${what} "${value}"; valid: ${valid.join(", ")}`, {
    option,
    ...(suggestion !== undefined ? { suggestion } : {}),
  });
}

/**
 * The exit code for an error: 2 for bad usage (every invalid option or flag: code
 * INVALID_OPTION), 1 for a failed run (a missing column, a bad close, a failed request).
 *
 * @param error - anything caught
 * @returns 1 or 2
 * @throws never throws, whatever was caught (a non-Error value gives 1)
 * @example
 * exitCodeOf(new UsageError("--long: not a number", { option: "--long" })); // 2
 */
export function exitCodeOf(error: unknown): 1 | 2 {
  return NumerFrameError.isInstance(error) && error.code === "INVALID_OPTION" ? 2 : 1;
}

/**
 * Adds the file and flag an error came from, when the library that threw it could not know them
 * (a missing column names the column; the CLI knows which file it was read from).
 *
 * @param error - anything caught while working on one input
 * @param path - the input file
 * @param option - the flag that named it (`--signals`)
 * @returns the same error, its message prefixed with the flag and file
 * @example
 * try { requireColumns(frame, signalsContract, "read"); } catch (e) { throw blame(e, "s.csv", "--signals"); }
 */
export function blame(error: unknown, path: string, option: string): unknown {
  if (!NumerFrameError.isInstance(error)) return error;
  const prefix = `${option} ${path}`;
  if (!error.message.includes(path)) error.message = `${prefix}: ${error.message}`;
  if (error.path === undefined) Object.defineProperty(error, "path", { value: path, enumerable: true });
  return error;
}
