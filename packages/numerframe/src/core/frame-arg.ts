import { NumerFrame } from "../numer-frame.js";
import { InvalidOptionError } from "./options.js";

/**
 * Refuses an argument that is not a NumerFrame (from any installed copy of numerframe), so a
 * wrong argument is a named `InvalidOptionError` rather than a TypeError further in.
 *
 * @param value - the argument
 * @param name - its name in messages ("frame", "result.daily")
 * @param where - the function taking it ("validateSubmission")
 * @throws InvalidOptionError naming the argument
 * @example
 * requireFrame(input, "frame", "validateSubmission");
 */
export function requireFrame(value: unknown, name: string, where: string): asserts value is NumerFrame {
  if (NumerFrame.isInstance(value)) return;
  const found = value === null ? "null" : Array.isArray(value) ? "an array" : typeof value;
  throw new InvalidOptionError(where, [{ path: name, message: `expected a NumerFrame, found ${found}` }]);
}
