import { expect } from "vitest";

/** Expects every element within `rel` of the expected value, relative to the largest |expected|. */
export function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, rel = 1e-12): void {
  expect(actual.length).toBe(expected.length);
  let scale = 0;
  for (let i = 0; i < expected.length; i++) scale = Math.max(scale, Math.abs(expected[i]!));
  for (let i = 0; i < expected.length; i++) {
    const e = expected[i]!;
    const a = actual[i]!;
    if (!Number.isFinite(e)) {
      expect(a).toBe(e);
      continue;
    }
    const err = Math.abs(a - e);
    if (err > rel * Math.max(scale, 1e-300)) expect.fail(`element ${i}: ${a} != ${e} (error ${err}, scale ${scale})`);
  }
}

/** Relative closeness of two scalars. */
export function expectScalar(actual: number, expected: number, rel = 1e-12): void {
  const err = Math.abs(actual - expected);
  if (!(err <= rel * Math.abs(expected))) expect.fail(`${actual} != ${expected} (relative error ${err / Math.abs(expected)})`);
}
