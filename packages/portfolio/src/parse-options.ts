import type { z } from "zod";
import { InvalidOptionError } from "./errors.js";

/**
 * Parses options at a public boundary; a failure becomes an InvalidOptionError naming the
 * first offending option (dotted path) rather than a raw zod error.
 */
export function parseOptions<S extends z.ZodType>(schema: S, input: unknown, context: string): z.infer<S> {
  const result = schema.safeParse(input ?? {});
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const path = issue.path.map(String).join(".") || context;
  throw new InvalidOptionError(path, `${issue.message} (in ${context})`);
}
