import cliProgress from "cli-progress";

/** A stream the CLI writes to: process.stdout / process.stderr, or a buffer in tests. */
export interface OutStream {
  write(chunk: string): unknown;
  /** True on a terminal: only then does the CLI draw progress bars. */
  isTTY?: boolean;
  columns?: number;
}

/** A stream the CLI reads answers from (`rebalance --execute` asks for a "yes"). */
export interface InStream extends NodeJS.ReadableStream {
  /** True on a terminal: only then is a question asked; otherwise a confirmation needs --yes. */
  isTTY?: boolean;
}

/** Where the CLI reads and writes: the process by default, anything in tests. */
export interface Io {
  stdout: OutStream;
  stderr: OutStream;
  /** Where answers to questions come from; no stream means no terminal (confirmations need --yes). */
  stdin?: InStream;
  /** Environment variables (API keys are read from here and nowhere else). */
  env: Readonly<Record<string, string | undefined>>;
  /** Relative paths and the config file are resolved against this folder. */
  cwd: string;
}

/**
 * The running process's streams, environment and working directory.
 *
 * @returns the process's Io
 * @throws never throws
 * @example
 * const code = await main(["demo", "--small"], processIo());
 */
export function processIo(): Io {
  return { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: process.env, cwd: process.cwd() };
}

/** How output is shown, from the global flags. */
export interface OutputMode {
  /** One JSON document on stdout, nothing else there. */
  json: boolean;
  /** Nothing but errors (and the JSON document with --json). */
  quiet: boolean;
  /** Stack traces and causes with errors. */
  verbose: boolean;
}

/** A progress callback of the libraries' `(done, total)` shape; `end` finishes the bar. */
export interface Progress {
  (done: number, total: number): void;
  end(): void;
}

/**
 * What a command prints: step messages and progress go to stderr (progress only on a terminal,
 * neither with --quiet; steps not with --json), human results to stdout (not with --json or
 * --quiet). Commands return their JSON document instead of printing it.
 */
export class Console {
  readonly #io: Io;
  readonly #mode: OutputMode;
  readonly #t0 = performance.now();

  constructor(io: Io, mode: OutputMode) {
    this.#io = io;
    this.#mode = mode;
  }

  get mode(): OutputMode {
    return this.#mode;
  }

  /** A step of a long command, with the seconds since the start ("[1.2s] backtest ..."). */
  step(text: string): void {
    if (this.#mode.json || this.#mode.quiet) return;
    const seconds = ((performance.now() - this.#t0) / 1000).toFixed(1);
    this.#io.stderr.write(`[${seconds}s] ${text}\n`);
  }

  /** Human result lines on stdout. */
  print(text: string): void {
    if (this.#mode.json || this.#mode.quiet) return;
    this.#io.stdout.write(text.endsWith("\n") ? text : `${text}\n`);
  }

  /** A warning on stderr (not with --quiet). */
  warn(text: string): void {
    if (this.#mode.quiet) return;
    this.#io.stderr.write(`warning: ${text}\n`);
  }

  /**
   * A progress bar on stderr when it is a terminal (and not --quiet); a no-op otherwise, so
   * pipes and log files never see bar characters.
   *
   * @param label - what is counted ("days", "eras", "configs", "MB")
   * @returns a `(done, total)` callback for a library's onProgress, and `end()`
   */
  progress(label: string): Progress {
    const stream = this.#io.stderr;
    if (this.#mode.quiet || stream.isTTY !== true) {
      const noop = (() => undefined) as unknown as Progress;
      noop.end = () => undefined;
      return noop;
    }
    let bar: cliProgress.SingleBar | undefined;
    const update = ((done: number, total: number) => {
      if (bar === undefined) {
        bar = new cliProgress.SingleBar(
          {
            stream: stream as NodeJS.WritableStream,
            format: `${label.padEnd(8)} |{bar}| {value}/{total} {percentage}% {duration_formatted}`,
            barCompleteChar: "\u2588",
            barIncompleteChar: "\u2591",
            hideCursor: false,
            barsize: 30,
            fps: 20,
          },
          cliProgress.Presets.shades_classic,
        );
        bar.start(total, done);
      } else {
        if (bar.getTotal() !== total) bar.setTotal(total);
        bar.update(done);
      }
    }) as Progress;
    update.end = () => {
      bar?.stop();
      bar = undefined;
    };
    return update;
  }
}
