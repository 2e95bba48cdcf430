import type { z } from "zod";
import { ScoreError } from "./errors.js";

/** Parses options with a zod schema; a failure becomes a ScoreError naming the option. */
export function parseScoreOptions<S extends z.ZodType>(schema: S, input: unknown, fn: string): z.infer<S> {
  const result = schema.safeParse(input ?? {});
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  throw new ScoreError("INVALID_OPTION", `${fn}: option "${issue.path.join(".") || "(options)"}": ${issue.message}`);
}
