import { NumerFrame, NumerFrameError } from "@nmrblox/numerframe";
import { describe, expect, it } from "vitest";
import { scoreByEra, scoreByEraParallel } from "../src/index.js";

// 7 eras of 30 rows, ids shared across eras (so churn applies), rows in reverse id order.
function frame(): NumerFrame {
  let seed = 99;
  const random = () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
  const cols: Record<string, unknown[]> = { era: [], id: [], target: [], a: [], b: [], meta: [], f1: [], f2: [] };
  for (let e = 1; e <= 7; e++) {
    for (let i = 29; i >= 0; i--) {
      const s = random();
      cols.era!.push(`era${e}`);
      cols.id!.push(`id${String(i).padStart(2, "0")}`);
      cols.target!.push(Math.round(4 * Math.min(1, Math.max(0, s + (random() - 0.5) * 0.5))) / 4);
      cols.a!.push(s + random());
      cols.b!.push(Math.round(4 * random()));
      cols.meta!.push(s + 2 * random());
      cols.f1!.push(Math.floor(5 * random()));
      cols.f2!.push(Math.floor(5 * (0.5 * s + 0.5 * random())));
    }
  }
  return NumerFrame.fromColumns({ ...cols, f1: Int8Array.from(cols.f1 as number[]), f2: Int8Array.from(cols.f2 as number[]) } as Record<string, string[] | number[] | Int8Array>, {
    eraCol: "era",
    idCol: "id",
  });
}

describe("scoreByEraParallel", () => {
  it("gives scoreByEra's frame value for value on 2 and 3 workers, churn across runs included", async () => {
    const f = frame();
    const options = {
      predictions: ["a", "b"],
      target: "target",
      metaModel: "meta",
      features: ["f1", "f2"],
      metrics: ["corr", "mmc", "fnc", "max_feature_corr", "churn"] as ("corr" | "mmc" | "fnc" | "max_feature_corr" | "churn")[],
      topBottom: 10,
    };
    const serial = scoreByEra(f, options);
    for (const workers of [3]) {
      const done: number[] = [];
      const parallel = await scoreByEraParallel(f, { ...options, workers, onProgress: (d) => done.push(d) });
      expect(parallel.columnNames).toEqual(serial.columnNames);
      expect(parallel.strings("era")).toEqual(serial.strings("era"));
      for (const name of serial.columnNames.slice(1)) expect(Array.from(parallel.float64(name))).toEqual(Array.from(serial.float64(name)));
      expect(parallel.provenance.at(-1)!.blox).toBe("evaluator.scoreByEra");
      expect(done.at(-1)).toBe(7);
    }
  }, 60_000);

  it("re-raises a worker's error with its code and era", async () => {
    const f = frame();
    const ids = [...f.strings("id")];
    ids[95] = ids[96]!; // era4 gets an id twice
    const bad = f.withColumn("id", ids);
    const error = await scoreByEraParallel(bad, { predictions: ["a"], target: "target", workers: 2 }).catch((e: unknown) => e);
    expect(NumerFrameError.isInstance(error)).toBe(true);
    expect((error as NumerFrameError).code).toBe("DUPLICATE_ID");
    expect((error as NumerFrameError).era).toBe("era4");
  }, 60_000);
});
