import { NumerFrameError } from "@nmrblox/numerframe";
import { type Command, CommanderError } from "commander";
import { UsageError, exitCodeOf } from "./errors.js";
import { jsonSafe } from "./format.js";
import { type Io, type OutputMode, processIo } from "./io.js";
import { type RunState, createProgram } from "./program.js";

/**
 * Runs the `nmrblox` command line. With --json the command's result (or the error) is one JSON
 * document on stdout; human results go to stdout, steps and progress bars to stderr (bars only
 * on a terminal); errors go to stderr, with a stack trace only under --verbose.
 *
 * @param argv - the arguments after the program name
 * @param io - streams, environment and working directory (the process's by default)
 * @returns the exit code: 0 success, 1 a failed run, 2 bad usage
 * @throws never rejects: every error is reported on `io` and becomes the exit code, so a caller
 *   (the bin script, a test) only has to set `process.exitCode`
 * @example
 * process.exitCode = await main(["backtest", "--signals", "s.csv", "--market", "m.parquet", "--json"]);
 */
export async function main(argv: readonly string[], io: Io = processIo()): Promise<number> {
  // The output mode is needed to report errors commander raises before any action runs.
  const flags = new Set(argv.slice(0, argv.includes("--") ? argv.indexOf("--") : argv.length));
  const mode: OutputMode = { json: flags.has("--json"), quiet: flags.has("--quiet") || flags.has("-q"), verbose: flags.has("--verbose") };
  const state: RunState = {};
  const program = createProgram(io, mode, state);
  try {
    await program.parseAsync([...argv], { from: "user" });
    if (mode.json && state.result !== undefined) io.stdout.write(`${JSON.stringify(jsonSafe(state.result), null, 2)}\n`);
    return 0;
  } catch (caught) {
    let error = caught;
    if (caught instanceof CommanderError) {
      // --help and --version end this way too.
      if (caught.exitCode === 0) return 0;
      error = commanderUsage(caught);
    }
    report(error, io, mode, state.command ?? commandOf(program, argv));
    return exitCodeOf(error);
  }
}

/** The command an argument list names ("download numerai"), for errors raised before its action runs. */
function commandOf(program: Command, argv: readonly string[]): string | undefined {
  const names: string[] = [];
  let cmd = program;
  for (const arg of argv) {
    if (arg.startsWith("-")) continue;
    const sub = cmd.commands.find((c) => c.name() === arg);
    if (sub === undefined) break;
    names.push(arg);
    cmd = sub;
  }
  return names.length > 0 ? names.join(" ") : undefined;
}

/** A commander parse error (missing flag value, missing required flag, bad choice) as a UsageError. */
function commanderUsage(error: CommanderError): UsageError {
  const message = error.message === "(outputHelp)" ? "a subcommand is needed (see the help above)" : error.message.replace(/^error: /, "");
  const flag = /'(-[-\w]+)/.exec(message)?.[1];
  return new UsageError(message, flag !== undefined ? { option: flag } : {});
}

const LOCATION_FIELDS = ["column", "era", "row", "path", "symbol", "date", "option", "suggestion"] as const;

/** Writes an error: a line (or, with --verbose, the stack and causes) on stderr; with --json, a document on stdout. */
function report(error: unknown, io: Io, mode: OutputMode, command: string | undefined): void {
  const known = NumerFrameError.isInstance(error);
  const message = error instanceof Error ? error.message : String(error);
  const prefix = `nmrblox${command !== undefined ? ` ${command}` : ""}: error`;
  let text = `${prefix}${known ? ` [${error.code}]` : ""}: ${message}\n`;
  if (!known && !mode.verbose) text += "(an unexpected error: run again with --verbose for the stack trace)\n";
  if (mode.verbose && error instanceof Error) {
    text += `${error.stack ?? ""}\n`;
    for (let cause = error.cause; cause !== undefined; cause = cause instanceof Error ? cause.cause : undefined) {
      text += `caused by: ${cause instanceof Error ? (cause.stack ?? cause.message) : String(cause)}\n`;
    }
  }
  io.stderr.write(text);
  if (!mode.json) return;
  const detail: Record<string, unknown> = { code: known ? error.code : "UNEXPECTED", name: error instanceof Error ? error.name : "Error", message };
  if (known) {
    for (const field of LOCATION_FIELDS) {
      const value = (error as unknown as Record<string, unknown>)[field];
      if (value !== undefined) detail[field] = value;
    }
    const problems = (error as { problems?: unknown }).problems;
    if (problems !== undefined) detail.problems = problems;
  }
  io.stdout.write(`${JSON.stringify(jsonSafe({ command: command ?? null, exitCode: exitCodeOf(error), error: detail }), null, 2)}\n`);
}
