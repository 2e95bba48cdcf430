import { readFile } from "node:fs/promises";
import { ERROR_CODES, NumerFrameError, isErrorCode } from "@nmrblox/numerframe";
import { describe, expect, it } from "vitest";
import { SUBMIT_STEP_CODES, SubmissionError, SubmitError, type SubmitStep, UnknownModelError } from "../src/index.js";

describe("one error model", () => {
  it("every submitter error is an nmrblox error whose code is in the one union", () => {
    const steps = Object.keys(SUBMIT_STEP_CODES) as SubmitStep[];
    const errors = [
      new SubmissionError([{ rule: "zero-std", message: "flat", count: 5, ids: [] }]),
      new UnknownModelError("nope", "crypto", ["mine"]),
      ...steps.map((step) => new SubmitError(step, "failed")),
    ];
    for (const e of errors) {
      expect(NumerFrameError.isInstance(e)).toBe(true);
      expect(isErrorCode(e.code), e.code).toBe(true);
    }
    expect(errors.map((e) => e.code)).toEqual([
      "INVALID_SUBMISSION",
      "UNKNOWN_MODEL",
      "SUBMIT_RESOLVE_MODEL",
      "SUBMIT_WRITE_FILE",
      "SUBMIT_UPLOAD_AUTH",
      "SUBMIT_UPLOAD",
      "SUBMIT_CREATE",
    ]);
    expect(new UnknownModelError("nope", "crypto", []).option).toBe("model");
  });

  it("the README's Errors section lists every code the package raises, all from the one union", async () => {
    const readme = await readFile(new URL("../README.md", import.meta.url), "utf8");
    const section = readme.slice(readme.indexOf("## Errors"));
    const listed = [...section.matchAll(/^\| `([A-Z_]+)` \|/gm)].map((m) => m[1]!);
    for (const code of listed) expect(Object.hasOwn(ERROR_CODES, code), code).toBe(true);
    const raised = ["INVALID_OPTION", "INVALID_SUBMISSION", "UNKNOWN_MODEL", "UNKNOWN_ERA", ...Object.values(SUBMIT_STEP_CODES)];
    for (const code of raised) expect(listed, code).toContain(code);
  });
});
