// Every ranker option is strict and fails as numerframe's one InvalidOptionError, naming the
// option and, for a misspelling, the nearest valid key; no ZodError or TypeError escapes.
import { NumerFrame, NumerFrameError } from "@nmrblox/numerframe";
import { describe, expect, it } from "vitest";
import {
  InvalidOptionError,
  ensemble,
  ensembleOptions,
  gaussianizePerEra,
  gaussianizePerEraOptions,
  neutralize,
  neutralizePerEra,
  neutralizePerEraOptions,
  neutralizer,
  neutralizerOptions,
  rankFunction,
  rankPerEra,
  rankPerEraOptions,
  topBottom,
  topBottomLabels,
  topBottomOptions,
} from "../src/index.js";
import { expectClose } from "./helpers.js";

/** Expects `call` to throw numerframe's InvalidOptionError with these fields. */
function expectOptionError(call: () => unknown, fields: Record<string, unknown>): void {
  expect(call).toThrow(InvalidOptionError);
  expect(call).toThrow(expect.objectContaining({ code: "INVALID_OPTION", ...fields }));
}

const frame = NumerFrame.fromColumns({
  era: ["0001", "0001", "0001", "0002", "0002", "0002"],
  id: ["a", "b", "c", "d", "e", "f"],
  prediction: [0.3, 0.1, 0.2, 0.9, 0.5, 0.7],
  prediction_b: [0.1, 0.2, 0.3, 0.4, 0.5, 0.6],
  feature_x: new Int8Array([1, 0, 2, 2, 1, 0]),
});

describe("strict option schemas", () => {
  it.each([
    ["rankPerEraOptions", rankPerEraOptions],
    ["gaussianizePerEraOptions", gaussianizePerEraOptions],
    ["neutralizePerEraOptions", neutralizePerEraOptions],
    ["ensembleOptions", ensembleOptions],
    ["topBottomOptions", topBottomOptions],
    ["neutralizerOptions", neutralizerOptions],
  ] as const)("%s rejects an unknown key", (_, schema) => {
    const r = schema.safeParse({ k: 1, zzBogus: 1 });
    expect(r.success).toBe(false);
    expect(r.error!.issues.map((i) => i.code)).toContain("unrecognized_keys");
  });
});

describe("functions name a misspelled option and the nearest valid one", () => {
  it.each([
    ["rankPerEra", () => rankPerEra(frame, "prediction", { metod: "tieBroken" } as never), "metod", "method"],
    ["gaussianizePerEra", () => gaussianizePerEra(frame, "prediction", { outputColum: "g" } as never), "outputColum", "outputColumn"],
    ["neutralizePerEra", () => neutralizePerEra(frame, "prediction", ["feature_x"], { propotion: 0.5 } as never), "propotion", "proportion"],
    ["ensemble", () => ensemble(frame, ["prediction"], { weight: [1] } as never), "weight", "weights"],
    ["topBottom", () => topBottom(frame, "prediction", { k: 1, outputcolumn: "x" } as never), "outputcolumn", "outputColumn"],
    ["neutralizer", () => neutralizer([[1, 2, 3]], { methd: "svd" } as never), "methd", "method"],
  ] as const)("%s", (where, call, path, suggestion) => {
    expectOptionError(call, { where, problems: [{ path, message: "unknown option", suggestion }] });
    let thrown: unknown;
    try {
      call();
    } catch (e) {
      thrown = e;
    }
    expect(NumerFrameError.isInstance(thrown)).toBe(true);
  });

  it("a bad value names its option", () => {
    expectOptionError(() => rankPerEra(frame, "prediction", { method: "average" as never }), { option: "method" });
    expectOptionError(() => topBottom(frame, "prediction", undefined as never), { option: "k" });
    expectOptionError(() => topBottom(frame, "prediction", { k: 0 }), { option: "k" });
    expectOptionError(() => ensemble(frame, ["prediction"], { weights: [-1] }), { option: "weights.0" });
    expectOptionError(() => neutralizePerEra(frame, "prediction", ["feature_x"], Number.NaN), { option: "proportion" });
    expectOptionError(() => neutralizePerEra(frame, "prediction", ["feature_x"], Number.POSITIVE_INFINITY), { option: "proportion" });
  });

  it("positional arguments that act as options fail the same way", () => {
    expectOptionError(() => rankFunction("tiekept" as never), {
      problems: [{ path: "method", message: 'unknown rank method "tiekept"', suggestion: "tieKept" }],
    });
    expectOptionError(() => topBottomLabels([1, 2], 0), { option: "k" });
    expectOptionError(() => topBottomLabels([1, 2], 1.5), { message: 'topBottomLabels: option "k": k must be a positive integer, got 1.5' });
    expectOptionError(() => neutralize([1, 2, 3], [[1, 2, 4]], Number.NaN), { option: "proportion" });
    expectOptionError(() => ensemble(frame, []), { option: "columns" });
  });

  it("valid options still work: neutralizer with method svd equals auto", () => {
    const x = [1, 3, 2, 4];
    expectClose(neutralizer([[1, 2, 3, 4]], { method: "svd" }).neutralize(x), [-0.3, 0.9, -0.9, 0.3]);
    expectClose(neutralizer([[1, 2, 3, 4]]).neutralize(x), [-0.3, 0.9, -0.9, 0.3]);
    expect(neutralizer([[1, 2, 3, 4]], { method: "svd" }).method).toBe("svd");
  });
});
