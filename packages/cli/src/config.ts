import { readFile, stat } from "node:fs/promises";
import { resolve } from "node:path";
import { backtestOptions, sweepOptions } from "@nmrblox/backtest";
import { bybitClientOptions, numeraiClientOptions } from "@nmrblox/downloader";
import { scoreByEraOptions } from "@nmrblox/evaluator";
import { checkOptionPaths, parseOptions } from "@nmrblox/numerframe";
import { submitOptions, validateSubmissionOptions } from "@nmrblox/submitter";
import { mapSymbolsOptions, tradableUniverseOptions } from "@nmrblox/universe-filter";
import { z } from "zod";
import { CONFIG_FILE } from "./config-name.js";
import { UsageError } from "./errors.js";

export { CONFIG_FILE } from "./config-name.js";

/** Options of `nmrblox demo` (the same names as its flags). */
export const demoOptions = z.strictObject({
  small: z.boolean().default(false),
  seed: z.number().int().min(0).max(0xffffffff).default(42),
  symbols: z.number().int().min(10).optional(),
  start: z.string().optional(),
  end: z.string().optional(),
  long: z.number().int().min(1).optional(),
  short: z.number().int().min(1).optional(),
  out: z.string().min(1).default("nmrblox-demo"),
});

/** Options of `nmrblox score` a config file may set: those of `scoreByEra`, all optional. */
export const scoreSection = scoreByEraOptions.omit({ onProgress: true }).partial();

/** Options of `nmrblox submit` a config file may set (never the API keys: those come from the environment). */
export const submitSection = submitOptions
  .pick({
    tournament: true,
    model: true,
    format: true,
    dir: true,
    filename: true,
    dataDatestamp: true,
    triggerId: true,
    computeId: true,
    source: true,
    retries: true,
    baseDelayMs: true,
    maxDelayMs: true,
    timeoutMs: true,
  })
  .partial();

/** Numerai client settings (base URL, cache, limits); keys only from NUMERAI_PUBLIC_ID / NUMERAI_SECRET_KEY. */
export const numeraiSection = numeraiClientOptions.pick({ baseUrl: true, cacheDir: true, timeoutMs: true, maxRequestsPerSecond: true, retry: true }).partial();

/** Bybit client settings. */
export const bybitSection = bybitClientOptions.pick({ baseUrl: true, timeoutMs: true, maxRequestsPerSecond: true, retry: true, banDelayMs: true }).partial();

/**
 * `nmrblox.config.json`: one section per command, each validated by the library's own options
 * schema (`backtestOptions`, `scoreByEraOptions`, `sweepOptions`, `submitOptions`, ...), so the
 * file accepts exactly what the libraries accept. `universe` and `mapping` are the options of
 * `tradableUniverse` and `mapSymbols` (used when a universe is built from `--instruments`);
 * `map` is a default `--map`.
 */
export const configFile = z.strictObject({
  $schema: z.string().optional(),
  map: z.record(z.string().min(1), z.string().min(1)).optional(),
  demo: demoOptions.partial().optional(),
  backtest: backtestOptions.optional(),
  universe: tradableUniverseOptions.optional(),
  mapping: mapSymbolsOptions.optional(),
  sweep: sweepOptions.optional(),
  score: scoreSection.optional(),
  validate: validateSubmissionOptions.pick({ tournament: true }).partial().optional(),
  submit: submitSection.optional(),
  numerai: numeraiSection.optional(),
  bybit: bybitSection.optional(),
});

/** A command's section of the config file, as written (defaults not yet applied). */
export type Section = Record<string, unknown>;

/** The config file as written, after validation; `path` is undefined when there is none. */
export interface LoadedConfig {
  path: string | undefined;
  sections: Partial<Record<keyof z.infer<typeof configFile>, unknown>>;
}

/**
 * Loads `--config FILE`, or `nmrblox.config.json` from the working directory when it exists,
 * and validates it with the libraries' schemas.
 *
 * @param cwd - the working directory
 * @param explicit - the `--config` flag's value
 * @returns the file's sections as written (so flags can be laid over them before defaults)
 * @throws UsageError when `--config` names no file or the file is not JSON;
 *   InvalidOptionError naming every bad key (with the nearest valid one) and value
 * @example
 * const { sections } = await loadConfig(process.cwd(), undefined);
 * const backtest = sections.backtest; // { portfolio: { long: 10 } } as written in the file
 */
export async function loadConfig(cwd: string, explicit: string | undefined): Promise<LoadedConfig> {
  const path = resolve(cwd, explicit ?? CONFIG_FILE);
  const exists = await stat(path).then(
    (s) => s.isFile(),
    () => false,
  );
  if (!exists) {
    if (explicit !== undefined) throw new UsageError(`--config ${explicit}: no such file`, { option: "--config", path });
    return { path: undefined, sections: {} };
  }
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(path, "utf8"));
  } catch (error) {
    throw new UsageError(`${path}: not valid JSON (${(error as Error).message})`, { option: "--config", path });
  }
  parseOptions(configFile, raw, path);
  return { path, sections: raw as LoadedConfig["sections"] };
}

/**
 * Parses `--set key=value` flags against a command's options schema: keys are dotted paths
 * (`portfolio.holdDays`), checked with `checkOptionPaths`; values are JSON when they parse as
 * JSON (`20`, `false`, `[1,2]`), text otherwise.
 *
 * @param sets - the flag values
 * @param schema - the options the keys point into
 * @param where - the command, for messages
 * @returns [path, value] pairs in the order given
 * @throws UsageError for a flag without "="; InvalidOptionError for an unknown path, naming the nearest
 * @example
 * parseSets(["portfolio.holdDays=20", "netting=false"], backtestOptions, "backtest");
 * // [["portfolio.holdDays", 20], ["netting", false]]
 */
export function parseSets(sets: readonly string[], schema: z.ZodType, where: string): Array<[string, unknown]> {
  const pairs = sets.map((s): [string, unknown] => {
    const eq = s.indexOf("=");
    if (eq <= 0) throw new UsageError(`--set: "${s}" is not key=value (e.g. --set portfolio.holdDays=20)`, { option: "--set" });
    const text = s.slice(eq + 1);
    let value: unknown = text;
    try {
      value = JSON.parse(text);
    } catch {
      // not JSON: the text itself
    }
    return [s.slice(0, eq).trim(), value];
  });
  checkOptionPaths(
    schema,
    pairs.map(([k]) => k),
    `${where} --set`,
  );
  return pairs;
}

/**
 * Sets a dotted path in a plain object, creating the objects on the way.
 *
 * @param target - the object to change
 * @param path - "portfolio.holdDays"
 * @param value - the value to put there
 * @example
 * const o = {}; setPath(o, "portfolio.long", 5); // { portfolio: { long: 5 } }
 */
export function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.split(".");
  let node = target;
  for (const part of parts.slice(0, -1)) {
    const next = node[part];
    if (typeof next !== "object" || next === null || Array.isArray(next)) node[part] = {};
    node = node[part] as Record<string, unknown>;
  }
  node[parts.at(-1)!] = value;
}

/**
 * A command's options in precedence order: the config file's section, then `--set`, then the
 * named flags (flags win over the file). Only flags the user gave are laid over.
 *
 * @param section - the config file's section (as written), or undefined
 * @param sets - parsed `--set` pairs
 * @param flags - [dotted path, value] for each named flag given
 * @returns a fresh object, to be validated with the command's schema
 * @example
 * layer({ netting: false }, [["portfolio.long", 3]], [["portfolio.long", 5]]); // { netting: false, portfolio: { long: 5 } }
 */
export function layer(section: unknown, sets: ReadonlyArray<[string, unknown]>, flags: ReadonlyArray<[string, unknown]>): Section {
  const out = structuredClone((section ?? {}) as Section);
  for (const [path, value] of sets) setPath(out, path, value);
  for (const [path, value] of flags) if (value !== undefined) setPath(out, path, value);
  return out;
}
