import { createRequire } from "node:module";
import { nearestName } from "@nmrblox/numerframe";
import { Command, Option } from "commander";
import { CONFIG_FILE } from "./config-name.js";
import { type CommandResult, type Context, makeContext } from "./context.js";
import { UsageError } from "./errors.js";
import { parseColumnMap } from "./files.js";
import { Console, type Io, type OutputMode } from "./io.js";
import { collect, float, integer, list } from "./parsers.js";
import { addCostFlags, addFrameFlags, addPortfolioFlags, addTradingFlags } from "./trading-flags.js";

/** What a run leaves behind for `main`: the command that ran and its JSON document. */
export interface RunState {
  command?: string;
  result?: CommandResult;
}

/**
 * Commander's Command with the CLI's error rules: an unknown flag or command is a UsageError
 * naming it and the nearest valid one (always, not only when commander finds it similar enough).
 */
class NmrbloxCommand extends Command {
  override createCommand(name?: string): Command {
    return new NmrbloxCommand(name);
  }

  /**
   * Commander checks required flags before unknown ones, so `backtest --lnog 3` would report a
   * missing --signals; a leaf command reports the misspelled flag first.
   */
  override parseOptions(argv: string[]): ReturnType<Command["parseOptions"]> {
    const parsed = super.parseOptions(argv);
    // --help reaches commander as an unknown flag of the leaf; commander prints the help.
    if (this.commands.length === 0 && !parsed.unknown.some((a) => a === "--help" || a === "-h")) {
      const flag = parsed.unknown.find((a) => a.startsWith("-") && a !== "-");
      if (flag !== undefined) this.unknownOption(flag);
    }
    return parsed;
  }

  /** Called by commander for an unknown flag. */
  unknownOption(flag: string): never {
    const name = flag.split("=")[0]!;
    const candidates: string[] = [];
    for (let cmd: Command | null = this; cmd !== null; cmd = cmd.parent) {
      for (const option of cmd.options) if (option.long !== undefined && !option.hidden) candidates.push(option.long);
    }
    candidates.push("--help");
    const suggestion = nearestName(name, candidates);
    throw new UsageError(`unknown flag "${name}" for "${commandPath(this)}"`, { option: name, ...(suggestion !== undefined ? { suggestion } : {}) });
  }

  /** Called by commander for an unknown subcommand. */
  unknownCommand(): never {
    const name = String(this.args[0]);
    const suggestion = nearestName(
      name,
      this.commands.map((c) => c.name()),
    );
    throw new UsageError(`unknown command "${name}" for "${commandPath(this)}"`, { ...(suggestion !== undefined ? { suggestion } : {}) });
  }
}

function commandPath(cmd: Command): string {
  const names: string[] = [];
  for (let c: Command | null = cmd; c !== null; c = c.parent) names.unshift(c.name());
  return names.join(" ");
}

function version(): string {
  try {
    return (createRequire(import.meta.url)("../package.json") as { version: string }).version;
  } catch {
    return "0.0.0";
  }
}

/** Global flags, as commander parses them. */
interface GlobalFlags {
  json?: boolean;
  quiet?: boolean;
  verbose?: boolean;
  config?: string;
  set?: string[];
  map?: string[];
}

/**
 * The `nmrblox` program: every command with its flags, help and examples. Actions load the
 * config file, build the command's context and leave their JSON document in `state`.
 *
 * @param io - streams, environment, working directory
 * @param mode - the output mode (from the global flags)
 * @param state - receives the command name and its result
 * @returns the commander program, ready for `parseAsync(argv, { from: "user" })`; its
 *   `exitOverride` makes parse errors CommanderErrors and UsageErrors instead of exits
 * @throws nothing itself; parsing throws UsageError for an unknown flag or command
 * @example
 * const state: RunState = {};
 * await createProgram(processIo(), { json: true, quiet: false, verbose: false }, state).parseAsync(["validate", "sub.csv", "--tournament", "crypto"], { from: "user" });
 * console.log(state.result);
 */
export function createProgram(io: Io, mode: OutputMode, state: RunState): Command {
  const program = new NmrbloxCommand("nmrblox");
  program
    .description("Numerai-style quant pipelines from the shell: the headline study, backtests, Numerai scores, sweeps, downloads, validation, submission and a Bybit rebalance plan.")
    .version(version(), "-V, --version", "print the version")
    .option("--json", "print one JSON document on stdout, nothing else there")
    .option("-q, --quiet", "print nothing but errors (and the JSON document with --json)")
    .option("--verbose", "print stack traces with errors")
    .option("--config <file>", `config file (default: ./${CONFIG_FILE} when it exists)`)
    .option("--set <key=value>", "override an option of the command's config section, e.g. --set portfolio.holdDays=20 (repeatable)", collect)
    .option("--map <from=to,...>", "rename input columns, e.g. --map ticker=symbol,pred=prediction (repeatable)", collect)
    .helpOption("-h, --help", "show help")
    .configureHelp({ showGlobalOptions: true, sortSubcommands: false })
    .showSuggestionAfterError(false)
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
      // main prints errors itself (as JSON with --json).
      outputError: () => undefined,
    })
    .exitOverride()
    .addHelpText(
      "after",
      `
Exit codes: 0 success, 1 failed run, 2 bad usage (an unknown flag, a bad option, a missing file).
Config: ${CONFIG_FILE} holds one section per command (backtest, score, sweep, submit, ...),
validated with the libraries' own option schemas; flags win over the file.

Examples:
  $ nmrblox demo --small --out demo
  $ nmrblox backtest --signals demo/data/signals.csv --market demo/data/market.parquet --instruments demo/data/instruments.parquet
  $ nmrblox score --predictions demo/data/signals.csv --targets demo/data/targets.csv --json`,
    );

  // `uses` says which global flags the command reads: a --set or --map it would ignore is an error.
  const action =
    <F>(name: string, uses: { set: boolean; map: boolean }, run: (ctx: Context, args: string[], flags: F) => Promise<CommandResult>) =>
    async (...args: unknown[]) => {
      const cmd = args.at(-1) as Command;
      const positional = args.slice(0, -2).filter((a): a is string => typeof a === "string");
      const globals = cmd.optsWithGlobals<GlobalFlags>();
      state.command = name;
      if (!uses.set && (globals.set ?? []).length > 0) throw new UsageError(`--set does not apply to "nmrblox ${name}": use its flags`, { option: "--set" });
      if (!uses.map && (globals.map ?? []).length > 0) throw new UsageError(`--map does not apply to "nmrblox ${name}": it reads no input files`, { option: "--map" });
      // Loaded on use: the config schemas import every library, which --help does not need.
      const { loadConfig } = await import("./config.js");
      const config = await loadConfig(io.cwd, globals.config);
      const fileMap = (config.sections.map ?? {}) as Record<string, string>;
      // --map flags win over the config file's map, entry by entry; only the flags' entries must
      // match a column (the file's map is a default for whichever files have those columns).
      const flagMap = parseColumnMap(globals.map ?? []);
      const map = new Map([...Object.entries(fileMap), ...flagMap]);
      const ctx = makeContext(io, new Console(io, mode), config, globals.set ?? [], map, new Set(flagMap.keys()));
      state.result = await run(ctx, positional, cmd.opts() as F);
    };

  // demo
  program
    .command("demo")
    .description("the headline study on seeded synthetic data: universe, long/short backtest with and without funding, Numerai scores, HTML report")
    .option("--small", "a quick run: 60 coins, 2024-01-01 .. 2024-06-30, long 5 / short 5")
    .option("--out <dir>", "folder for data/ (the synthetic inputs), report/ and summary.json (default nmrblox-demo)")
    .option("--seed <n>", "seed of the synthetic data (default 42)", integer("--seed"))
    .option("--symbols <n>", "Numerai symbols (default 500, 60 with --small)", integer("--symbols"))
    .option("--start <date>", "first day, YYYY-MM-DD")
    .option("--end <date>", "last day, YYYY-MM-DD")
    .option("--long <n>", "symbols in the long leg (default 25, 5 with --small)", integer("--long"))
    .option("--short <n>", "symbols in the short leg (default 25, 5 with --small)", integer("--short"))
    .addHelpText(
      "after",
      `
Examples:
  $ nmrblox demo                      # 500 coins, 2021-2025, the full study
  $ nmrblox demo --small --out demo   # a few seconds; then try nmrblox backtest on demo/data
  $ nmrblox demo --small --json | jq '.runs["with funding"].sharpe'`,
    )
    .action(action("demo", { set: true, map: false }, async (ctx, _args, flags) => (await import("./commands/demo.js")).demoCommand(ctx, flags as object)));

  // backtest
  addTradingFlags(
    program
      .command("backtest")
      .description("backtest long/short tranche books of your predictions with fees, slippage and funding (docs/backtest-accounting.md accounting)"),
  )
    .option("--report <dir>", "write the HTML report (report.html, charts, performance.json) to this folder")
    .option("--out <dir>", "write daily, tranches and book to this folder")
    .addOption(new Option("--format <type>", "file type of --out files").choices(["parquet", "csv", "arrow"]).default("parquet"))
    .addHelpText(
      "after",
      `
Examples:
  $ nmrblox backtest --signals demo/data/signals.csv --market demo/data/market.parquet \\
      --instruments demo/data/instruments.parquet --long 5 --short 5 --hold 30 --tranches 20
  $ nmrblox backtest --signals preds.parquet --market market.parquet --no-funding --fee 0.0002 --report out/report
  $ nmrblox backtest --signals preds.csv --market market.csv --map ticker=symbol,pred=prediction --json`,
    )
    .action(action("backtest", { set: true, map: true }, async (ctx, _args, flags) => (await import("./commands/backtest.js")).backtestCommand(ctx, flags as never)));

  // score
  program
    .command("score")
    .description("Numerai scores per era (CORR, MMC, BMC, FNC, ...) of prediction files against targets, and their summary")
    .requiredOption("--predictions <file>", "era (or date), id (or symbol), prediction columns")
    .requiredOption("--targets <file>", "era, id and target columns (features too, for --features)")
    .option("--meta-model <file>", "era, id and the meta model's value: adds mmc")
    .option("--benchmark <file>", "era, id and benchmark model columns: adds bmc")
    .option("--features <pattern>", 'feature columns of the targets file, e.g. "feature_*": adds fnc and max_feature_corr')
    .option("--metrics <list>", "comma-separated: corr, mmc, bmc, fnc, max_feature_corr, churn", list)
    .option("--target <column>", "target column (default: the first target* column)")
    .option("--columns <list>", "prediction columns to score (default: prediction* columns)", list)
    .option("--top-bottom <k>", "score only the k highest and k lowest predictions", integer("--top-bottom"))
    .option("--out <file>", "write the per-era scores (.csv, .parquet, .arrow)")
    .addHelpText(
      "after",
      `
Examples:
  $ nmrblox score --predictions demo/data/signals.csv --targets demo/data/targets.csv
  $ nmrblox score --predictions preds.parquet --targets validation.parquet --meta-model meta_model.parquet \\
      --features "feature_*" --metrics corr,mmc,fnc --out scores.csv`,
    )
    .action(action("score", { set: true, map: true }, async (ctx, _args, flags) => (await import("./commands/score.js")).scoreCommand(ctx, flags as never)));

  // sweep
  addTradingFlags(
    program.command("sweep").description("one backtest per combination of a grid of options, across worker threads, with a progress bar"),
  )
    .requiredOption("--grid <file>", 'JSON: option path -> values, e.g. {"portfolio.holdDays": [10, 20, 30], "netting": [true, false]}')
    .option("--workers <n>", "worker threads (0: run on the main thread)", integer("--workers"))
    .option("--out <file>", "write one row per configuration (.csv, .parquet, .arrow)")
    .addHelpText(
      "after",
      `
Examples:
  $ echo '{"portfolio.holdDays": [10, 20, 30], "portfolio.long": [5, 10]}' > grid.json
  $ nmrblox sweep --grid grid.json --signals demo/data/signals.csv --market demo/data/market.parquet --out sweep.csv`,
    )
    .action(action("sweep", { set: true, map: true }, async (ctx, _args, flags) => (await import("./commands/sweep.js")).sweepCommand(ctx, flags as never)));

  // download
  const download = program
    .command("download")
    .description("download Numerai datasets or Bybit market data into the cache (resumable, with progress)")
    .addHelpText(
      "after",
      `
Examples:
  $ nmrblox download numerai v5.2/validation.parquet
  $ nmrblox download numerai meta-model --tournament crypto --out meta_model.parquet
  $ nmrblox download bybit --symbols BTCUSDT,ETHUSDT --start 2024-01-01 --end 2024-06-30 --out market.parquet`,
    );
  download
    .command("numerai")
    .description("a Numerai dataset file (as listDatasets names it, or just its file name for the newest version), or meta-model")
    .argument("<dataset>", 'e.g. "v5.2/validation.parquet", "train.parquet", "crypto/v1.0/train_targets.parquet" or "meta-model"')
    .option("--tournament <name>", "classic, signals or crypto (default: from the dataset path, else classic)")
    .option("--round <n>", "a past round (default: the current one)", integer("--round"))
    .option("--version <v>", 'dataset version folder, e.g. "v5.2" (default: the newest)')
    .option("--out <file>", "meta-model: also write it as era/date, id, prediction (.csv, .parquet, .arrow)")
    .option("--cache-dir <dir>", "cache folder (default NMRBLOX_CACHE_DIR or ~/.cache/nmrblox)")
    .option("--numerai-url <url>", "Numerai API base URL (a mirror or a local server)")
    .addHelpText(
      "after",
      `
Examples:
  $ nmrblox download numerai v5.2/validation.parquet
  $ nmrblox download numerai meta-model --tournament crypto --out meta_model.parquet`,
    )
    .action(
      action("download numerai", { set: false, map: false }, async (ctx, args, flags) => (await import("./commands/download.js")).downloadNumeraiCommand(ctx, args[0]!, flags as never)),
    );
  download
    .command("bybit")
    .description("daily close, turnover and funding of Bybit USDT perpetuals, cached per symbol (a rerun fetches only new days)")
    .requiredOption("--symbols <list>", "comma-separated exchange symbols, e.g. BTCUSDT,ETHUSDT,1000PEPEUSDT", list)
    .requiredOption("--start <date>", "first day, YYYY-MM-DD")
    .requiredOption("--end <date>", "last day, YYYY-MM-DD (inclusive; today is left out)")
    .option("--out <file>", "write the market frame (.csv, .parquet, .arrow)")
    .option("--instruments-out <file>", "also write Bybit's instrument list")
    .option("--cache-dir <dir>", "cache folder (default NMRBLOX_CACHE_DIR or ~/.cache/nmrblox)")
    .option("--bybit-url <url>", "Bybit API base URL (a mirror or a local server)")
    .addHelpText(
      "after",
      `
Examples:
  $ nmrblox download bybit --symbols BTCUSDT,ETHUSDT --start 2024-01-01 --end 2024-06-30 --out market.parquet`,
    )
    .action(action("download bybit", { set: false, map: false }, async (ctx, _args, flags) => (await import("./commands/download.js")).downloadBybitCommand(ctx, flags as never)));

  // validate
  program
    .command("validate")
    .description("check a submission file with Numerai's own rules (header, NaN, range, duplicates, coverage)")
    .argument("<file>", "the submission (.csv, .parquet, .arrow)")
    .option("--tournament <name>", "classic, signals or crypto")
    .option("--live <file>", "the live universe (e.g. Numerai's live.parquet); default: the file's own ids (coverage unchecked)")
    .addHelpText(
      "after",
      `
Examples:
  $ nmrblox validate submission.csv --tournament crypto
  $ nmrblox validate predictions.parquet --tournament classic --live live.parquet --json`,
    )
    .action(action("validate", { set: false, map: true }, async (ctx, args, flags) => (await import("./commands/submission.js")).validateCommand(ctx, args[0]!, flags as never)));

  // submit
  program
    .command("submit")
    .description("validate and upload a submission (keys from NUMERAI_PUBLIC_ID / NUMERAI_SECRET_KEY only)")
    .argument("<file>", "the submission (.csv, .parquet, .arrow)")
    .option("--model <name>", "a model name of your account, or its id")
    .option("--tournament <name>", "classic, signals or crypto")
    .option("--live <file>", "the live universe (default: Numerai's current live dataset)")
    .option("--dry-run", "validate, write the file and list the requests, but send none of the upload requests")
    .option("--format <type>", "file type uploaded: csv or parquet (default csv)")
    .option("--dir <dir>", "folder for the uploaded file (default: the system temp folder)")
    .option("--numerai-url <url>", "Numerai API base URL (a mirror or a local server)")
    .addHelpText(
      "after",
      `
Examples:
  $ NUMERAI_PUBLIC_ID=... NUMERAI_SECRET_KEY=... nmrblox submit submission.csv --model my_model --tournament crypto --dry-run
  $ nmrblox submit submission.csv --model 00000000-0000-4000-8000-000000000000 --tournament signals --live live.parquet --dry-run`,
    )
    .action(action("submit", { set: true, map: true }, async (ctx, args, flags) => (await import("./commands/submission.js")).submitCommand(ctx, args[0]!, flags as never)));

  // rebalance
  addCostFlags(
    addPortfolioFlags(
      addFrameFlags(
        program
          .command("rebalance")
          .description("today's order plan for Bybit USDT perpetuals from the backtest's tranche book; a dry run unless --execute (keys from BYBIT_API_KEY / BYBIT_API_SECRET only)"),
        { marketRequired: false },
      ),
    ),
    { feesOnly: true },
  )
    .option("--live", "fetch the market of the last days from Bybit's public API instead of --market (instruments too: the universe is built from them)")
    .requiredOption("--capital <usdt>", "account capital in USDT the book is sized for", float("--capital"))
    .option("--as-of <day>", "the day whose close the book is wanted at, YYYY-MM-DD (default: the market's last day)")
    .option("--max-slippage <x>", "IOC limit prices at most this far from the last price, a fraction (default 0.005)", float("--max-slippage"))
    .option("--min-notional <usdt>", "skip (and list) opening orders under this many USDT (default 0)", float("--min-notional"))
    .option("--journal <dir>", "folder of the plan journals: the plan, requests without secrets, results", "nmrblox-journal")
    .option("--testnet", "Bybit's testnet (https://api-testnet.bybit.com) for both APIs, with testnet keys")
    .option("--bybit-url <url>", "Bybit API base URL for both APIs (a regional host or a local server)")
    .option("--cache-dir <dir>", "--live: cache folder of the daily market (default NMRBLOX_CACHE_DIR or ~/.cache/nmrblox)")
    .option("--execute", 'send the orders (limit IOC, idempotent); asks for a typed "yes" on a terminal')
    .option("--yes", "with --execute: send without asking (needed when stdin is not a terminal)")
    .addHelpText(
      "after",
      `
Live trading is at your own risk: start with --testnet, read the plan, then --execute.
Exit 2 for --execute without --yes when stdin is not a terminal; nothing is read or sent then.

Examples:
  $ BYBIT_API_KEY=... BYBIT_API_SECRET=... nmrblox rebalance --signals demo/data/signals.csv \\
      --market demo/data/market.parquet --instruments demo/data/instruments.parquet --long 5 --short 5 --capital 1000 --testnet
  $ nmrblox rebalance --signals meta_model.csv --live --capital 10000 --min-notional 10 --testnet --execute
  $ nmrblox rebalance --signals preds.parquet --live --capital 10000 --json > plan.json`,
    )
    .action(action("rebalance", { set: true, map: true }, async (ctx, _args, flags) => (await import("./commands/rebalance.js")).rebalanceCommand(ctx, flags as never)));

  return program;
}

/**
 * Every command path of the program, for help tests and docs.
 *
 * @param program - the program from `createProgram`
 * @returns "demo", "backtest", ..., "download numerai", ... in definition order
 * @throws never throws; it only walks the command tree
 * @example
 * commandPaths(createProgram(processIo(), { json: false, quiet: false, verbose: false }, {})); // ["demo", "backtest", ...]
 */
export function commandPaths(program: Command): string[] {
  const out: string[] = [];
  const walk = (cmd: Command, prefix: string[]) => {
    for (const sub of cmd.commands) {
      const path = [...prefix, sub.name()];
      out.push(path.join(" "));
      walk(sub, path);
    }
  };
  walk(program, []);
  return out;
}
