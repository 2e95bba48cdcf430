import { resolve } from "node:path";
import { InvalidOptionError, NumerFrameError, parseOptions } from "@nmrblox/numerframe";
import type { z } from "zod";
import type { LoadedConfig } from "./config.js";
import { UsageError } from "./errors.js";
import { InputReader } from "./files.js";
import type { Console, Io } from "./io.js";

/** What every command receives: where to read and write, the config file and the global flags. */
export interface Context {
  readonly io: Io;
  readonly out: Console;
  readonly config: LoadedConfig;
  /** The `--set key=value` flags, unparsed (each command checks them against its own schema). */
  readonly sets: readonly string[];
  /** Reads input files with `--map` applied. */
  readonly reader: InputReader;
}

/** The JSON document of a successful command (printed with --json). */
export type CommandResult = Record<string, unknown>;

/**
 * Builds a command's context.
 *
 * @param io - streams, environment, working directory
 * @param out - the console of this run
 * @param config - the loaded config file
 * @param sets - `--set` flags
 * @param map - the column mapping (config file's `map`, then `--map`)
 * @param required - the mapped columns that must be found in some input (those given with `--map`)
 * @returns the context
 * @example
 * const ctx = makeContext(io, new Console(io, mode), await loadConfig(io.cwd, undefined), [], new Map());
 */
export function makeContext(
  io: Io,
  out: Console,
  config: LoadedConfig,
  sets: readonly string[],
  map: Map<string, string>,
  required: ReadonlySet<string> = new Set(map.keys()),
): Context {
  return { io, out, config, sets, reader: new InputReader(io.cwd, map, required) };
}

/** An output path resolved against the working directory. */
export function outPath(ctx: Context, path: string): string {
  return resolve(ctx.io.cwd, path);
}

/**
 * Validates a command's merged options with the library schema. A problem at a path that a
 * named flag set is reported against that flag (`--weighting: ...`), so the message names what
 * the user typed.
 *
 * @param schema - the library's options schema
 * @param merged - config file, `--set` and flags, layered
 * @param where - the command ("nmrblox backtest")
 * @param flagPaths - dotted option path → flag name, for the flags the user gave
 * @returns the parsed options
 * @throws InvalidOptionError / UsageError (exit 2)
 * @example
 * validateOptions(backtestOptions, { portfolio: { weighting: "rnk" } }, "nmrblox backtest", new Map([["portfolio.weighting", "--weighting"]]));
 */
export function validateOptions<S extends z.ZodType>(schema: S, merged: unknown, where: string, flagPaths: ReadonlyMap<string, string>): z.output<S> {
  try {
    return parseOptions(schema, merged, where);
  } catch (error) {
    if (error instanceof InvalidOptionError || (NumerFrameError.isInstance(error) && "problems" in error)) {
      const problems = (error as InvalidOptionError).problems;
      const first = problems[0];
      const flag = first === undefined ? undefined : flagPaths.get(first.path);
      if (flag !== undefined && first !== undefined) {
        throw new UsageError(`${flag}: ${first.message}${problems.length > 1 ? ` (and ${problems.length - 1} more: ${error.message})` : ""}`, {
          option: flag,
        });
      }
    }
    throw error;
  }
}
