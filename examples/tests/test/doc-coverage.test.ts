// Issue 15: every public export has a doc comment, and every public function documents each
// parameter, its return value, what it throws and an example (scripts/doc-coverage.ts).
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { docProblems } from "../../../scripts/doc-coverage.js";

describe("TSDoc on every public export", () => {
  it("has no missing doc comment, @param, @returns, @throws or @example", () => {
    const problems = docProblems(join(import.meta.dirname, "..", "..", ".."));
    expect(problems.map((p) => `${p.file}: ${p.problem}`)).toEqual([]);
  }, 120_000);
});
