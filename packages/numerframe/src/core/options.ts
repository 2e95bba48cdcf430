import type { z } from "zod";
import { NumerFrameError } from "./error.js";
import { nearestName } from "./nearest.js";

/** One thing wrong with an options object. */
export interface OptionProblem {
  /** Dotted path of the option ("portfolio.short"), or "" for the options object itself. */
  readonly path: string;
  readonly message: string;
  /** For an unknown key: the nearest valid key at the same level. */
  readonly suggestion?: string;
}

/**
 * Options that failed validation. Lists every problem at once, each with its dotted path and,
 * for an unknown key, the nearest valid key. `option` is the first problem's path.
 */
export class InvalidOptionError extends NumerFrameError {
  readonly problems: readonly OptionProblem[];
  /** The function or command whose options these are. */
  readonly where: string;

  /**
   * @param where - the function whose options failed ("runBacktest")
   * @param problems - every problem found (at least one)
   */
  constructor(where: string, problems: readonly OptionProblem[]) {
    const lines = problems.map(describeProblem);
    const message =
      lines.length === 1
        ? `${where}: ${lines[0]}`
        : `${where}: ${lines.length} invalid options:\n${lines.map((l) => `  - ${l}`).join("\n")}`;
    super("INVALID_OPTION", message, { option: problems[0]?.path ?? "" });
    this.problems = problems;
    this.where = where;
  }
}

function describeProblem(p: OptionProblem): string {
  const name = p.path === "" ? "options" : `option "${p.path}"`;
  const hint = p.suggestion === undefined ? "" : ` (did you mean "${p.suggestion}"?)`;
  return `${name}: ${p.message}${hint}`;
}

/**
 * Validates options at a public boundary. Strict by default: an unknown key anywhere (also in
 * nested objects, and even where the schema itself would strip it) is a problem naming the
 * nearest valid key; every problem is reported at once as one `InvalidOptionError`, never a
 * raw ZodError. `undefined` stands for `{}` when the schema is an object.
 *
 * @param schema - the zod schema of the options
 * @param input - what the caller passed
 * @param where - the function or command name, used in the message ("runBacktest")
 * @returns the parsed options, defaults applied
 * @throws InvalidOptionError listing every problem
 * @example
 * const opts = parseOptions(runBacktestOptions, { nettng: false }, "runBacktest");
 * // InvalidOptionError: runBacktest: option "nettng": unknown option (did you mean "netting"?)
 */
export function parseOptions<S extends z.ZodType>(schema: S, input: unknown, where: string): z.output<S> {
  const value = input === undefined && objectShape(schema) !== undefined ? {} : input;
  const problems: OptionProblem[] = [];
  collectUnknownKeys(schema, value, [], problems);
  const result = schema.safeParse(value);
  if (!result.success) {
    const reported = new Set(problems.map((p) => p.path));
    for (const issue of result.error.issues) {
      if (issue.code === "unrecognized_keys") {
        // Reported above with suggestions, except a key that only another member of a union allows.
        for (const key of issue.keys) {
          const path = [...issue.path.map(String), key].join(".");
          if (!reported.has(path)) problems.push({ path, message: "unknown option" });
        }
        continue;
      }
      problems.push({ path: issue.path.map(String).join("."), message: issue.message });
    }
  }
  if (problems.length > 0) throw new InvalidOptionError(where, problems);
  return (result as { data: z.output<S> }).data;
}

/**
 * Checks dotted option paths (a sweep grid's keys, `--set key=value` flags) against a schema.
 *
 * @param schema - the options schema the paths point into
 * @param paths - dotted paths such as "portfolio.holdDays"
 * @param where - the function or command name, used in the message
 * @throws InvalidOptionError naming every path that does not exist and its nearest valid one
 * @example
 * checkOptionPaths(sweepConfig, ["portfolio.holdDay"], "sweep"); // did you mean "portfolio.holdDays"?
 */
export function checkOptionPaths(schema: z.ZodType, paths: readonly string[], where: string): void {
  const problems: OptionProblem[] = [];
  for (const path of paths) {
    const parts = path.split(".");
    let node: z.ZodType | undefined = schema;
    for (let i = 0; i < parts.length; i++) {
      const shape: Shape | undefined = node === undefined ? undefined : objectShape(node);
      if (shape === undefined) {
        problems.push({ path, message: `"${parts.slice(0, i).join(".")}" has no sub-options` });
        break;
      }
      const key = parts[i]!;
      if (!Object.hasOwn(shape.keys, key)) {
        const suggestion = [...parts.slice(0, i), nearestName(key, Object.keys(shape.keys))].join(".");
        problems.push({ path, message: "unknown option", suggestion });
        break;
      }
      node = shape.keys[key];
    }
  }
  if (problems.length > 0) throw new InvalidOptionError(where, problems);
}

interface Shape {
  keys: Record<string, z.ZodType>;
  /** Whether keys outside `keys` are allowed (a loose object or a record catch-all). */
  open: boolean;
}

// Zod 4's definition objects: enough of them to walk wrappers down to object shapes.
interface Def {
  type: string;
  shape?: Record<string, z.ZodType>;
  catchall?: z.ZodType;
  innerType?: z.ZodType;
  in?: z.ZodType;
  options?: readonly z.ZodType[];
  getter?: () => z.ZodType;
}

function defOf(schema: z.ZodType): Def {
  return (schema as unknown as { _zod: { def: Def } })._zod.def;
}

/** The object shape under wrappers (optional, default, nullable, pipe, lazy; a union merges its objects). */
function objectShape(schema: z.ZodType): Shape | undefined {
  const def = defOf(schema);
  switch (def.type) {
    case "object": {
      const open = def.catchall !== undefined && defOf(def.catchall).type !== "never";
      return { keys: def.shape!, open };
    }
    case "optional":
    case "nullable":
    case "default":
    case "prefault":
    case "readonly":
    case "catch":
    case "nonoptional":
      return objectShape(def.innerType!);
    case "pipe":
      return objectShape(def.in!);
    case "lazy":
      return objectShape(def.getter!());
    case "union": {
      const keys: Record<string, z.ZodType> = {};
      let any = false;
      let open = false;
      for (const option of def.options ?? []) {
        const s = objectShape(option);
        if (s === undefined) continue;
        any = true;
        open ||= s.open;
        for (const [k, v] of Object.entries(s.keys)) keys[k] ??= v;
      }
      return any ? { keys, open } : undefined;
    }
    default:
      return undefined;
  }
}

function collectUnknownKeys(schema: z.ZodType, value: unknown, path: string[], out: OptionProblem[]): void {
  if (typeof value !== "object" || value === null) return;
  if (Array.isArray(value)) {
    const element = arrayElement(schema);
    if (element) value.forEach((v, i) => collectUnknownKeys(element, v, [...path, String(i)], out));
    return;
  }
  const shape = objectShape(unionMember(schema, value) ?? schema);
  if (shape === undefined) return;
  const valid = Object.keys(shape.keys);
  for (const key of Object.keys(value)) {
    const child = shape.keys[key];
    if (child === undefined) {
      if (!shape.open) {
        const suggestion = nearestName(key, valid);
        out.push({
          path: [...path, key].join("."),
          message: "unknown option",
          ...(suggestion === undefined ? {} : { suggestion }),
        });
      }
      continue;
    }
    collectUnknownKeys(child, (value as Record<string, unknown>)[key], [...path, key], out);
  }
}

/** The member of a discriminated union that a value selects by its discriminator, if any. */
function unionMember(schema: z.ZodType, value: object): z.ZodType | undefined {
  const def = defOf(schema) as Def & { discriminator?: string };
  if (def.innerType) return unionMember(def.innerType, value);
  if (def.type !== "union" || def.discriminator === undefined) return undefined;
  const tag = (value as Record<string, unknown>)[def.discriminator];
  return def.options?.find((option) => {
    const literal = objectShape(option)?.keys[def.discriminator!];
    const values = literal === undefined ? undefined : (defOf(literal) as Def & { values?: unknown[] }).values;
    return values?.includes(tag) === true;
  });
}

function arrayElement(schema: z.ZodType): z.ZodType | undefined {
  const def = defOf(schema) as Def & { element?: z.ZodType };
  if (def.type === "array") return def.element;
  if (def.innerType) return arrayElement(def.innerType);
  if (def.type === "pipe") return arrayElement(def.in!);
  return undefined;
}
