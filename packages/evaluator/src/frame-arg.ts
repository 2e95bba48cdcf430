import { InvalidOptionError, NumerFrame } from "@nmrblox/numerframe";

/**
 * Refuses an argument that is not a NumerFrame (from any installed copy of numerframe), so a
 * wrong argument is a named `InvalidOptionError` rather than a TypeError further in.
 */
export function requireFrame(value: unknown, name: string, where: string): asserts value is NumerFrame {
  if (NumerFrame.isInstance(value)) return;
  const found = value === null ? "null" : Array.isArray(value) ? "an array" : typeof value;
  throw new InvalidOptionError(where, [{ path: name, message: `expected a NumerFrame, found ${found}` }]);
}
