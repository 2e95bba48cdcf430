import type { z } from "zod";
import { InvalidCostOptionError } from "./errors.js";

/** Parses cost options; a failure names the first offending option (dotted path). */
export function parseCostOptions<S extends z.ZodType>(schema: S, input: unknown, context: string): z.infer<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const path = [context, ...issue.path.map(String)].join(".");
  throw new InvalidCostOptionError(path, issue.message);
}
