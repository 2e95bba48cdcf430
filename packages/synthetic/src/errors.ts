import { NumerFrameError } from "@nmrblox/numerframe";
import type { z } from "zod";

/**
 * A synthetic generator was asked for something it cannot make (bad dates, too few symbols,
 * impossible correlations). `code` is "SYNTHETIC_OPTION"; `option` names the option at fault.
 */
export class SyntheticOptionError extends NumerFrameError {
  readonly option: string;

  constructor(option: string, message: string) {
    super("SYNTHETIC_OPTION", `option "${option}": ${message}`);
    this.option = option;
  }
}

/** Parses options with a zod schema; a failure becomes a SyntheticOptionError naming the first bad option. */
export function parseOptions<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const result = schema.safeParse(input ?? {});
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  throw new SyntheticOptionError(issue.path.join(".") || "(options)", issue.message);
}
