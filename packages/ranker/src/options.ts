import type { z } from "zod";
import { RankerError } from "./errors.js";

/** Parses options with a zod schema; a failure becomes a RankerError naming the option. */
export function parseOptions<S extends z.ZodType>(schema: S, input: unknown, blox: string): z.infer<S> {
  const result = schema.safeParse(input ?? {});
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const path = issue.path.join(".") || "(options)";
  throw new RankerError("INVALID_OPTION", `${blox}: option "${path}": ${issue.message}`);
}
