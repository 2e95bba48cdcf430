import { NumerFrame } from "@nmrblox/numerframe";

/** `n` ids like `prefix000`, in code-point order. */
export function makeIds(n: number, prefix = "id"): string[] {
  return Array.from({ length: n }, (_, i) => `${prefix}${String(i).padStart(3, "0")}`);
}

/** Values strictly inside (0, 1) with a clear spread: (i + 0.5) / n. */
export function spreadValues(n: number): Float64Array {
  return Float64Array.from({ length: n }, (_, i) => (i + 0.5) / n);
}

/** A two-column submission frame. */
export function submissionFrame(idCol: string, ids: readonly string[], predCol: string, values: ArrayLike<number>): NumerFrame {
  return NumerFrame.fromColumns({ [idCol]: ids, [predCol]: Float64Array.from(values) });
}
