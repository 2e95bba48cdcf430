import { mulberry32, caught as caughtError } from "@nmrblox/fixtures";
import { InvalidOptionError, NumerFrame, type NumerFrameError } from "@nmrblox/numerframe";
import { describe, expect, it } from "vitest";
import { alpha, metaPortfolioContribution, scoreByEra, trueContribution } from "../src/index.js";

const caught = (fn: () => unknown) => caughtError<NumerFrameError>(fn);

// Three eras of 60 ids (listed out of id order, so scoreByEra must sort them), three models, an
// orthonormal N per era (market and a centred unit factor), sample weights and a raw beta.
const ERAS = 3;
const IDS = 60;
const rand = mulberry32(77);
const normal = () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
const rows = ERAS * IDS;
const era: string[] = [];
const id: string[] = [];
const cols: Record<string, Float64Array> = {};
for (const name of ["a", "b", "c", "target", "n_market", "n_factor", "weight", "beta"]) cols[name] = new Float64Array(rows);
for (let e = 0; e < ERAS; e++) {
  const factor = Array.from({ length: IDS }, normal);
  const mean = factor.reduce((x, y) => x + y) / IDS;
  const norm = Math.sqrt(factor.reduce((x, y) => x + (y - mean) ** 2, 0));
  for (let k = 0; k < IDS; k++) {
    const r = e * IDS + k;
    era.push(`era${e + 1}`);
    id.push(`id${String((k * 7) % IDS).padStart(2, "0")}`);
    const signal = normal();
    cols.a![r] = signal + normal();
    cols.b![r] = 0.5 * signal + normal();
    cols.c![r] = normal();
    cols.target![r] = Math.min(1, Math.max(0, Math.round(2 + signal + normal()) / 4));
    cols.n_market![r] = 1 / Math.sqrt(IDS);
    cols.n_factor![r] = (factor[k]! - mean) / norm;
    cols.weight![r] = 0.5 + rand();
    cols.beta![r] = 1 + 0.3 * factor[k]! + 0.2 * normal();
  }
}
const frame = NumerFrame.fromColumns({ era, id, ...cols }, { eraCol: "era", idCol: "id" });
const stakes = { a: 3, b: 1 };

/** Era e's columns in id order, as scoreByEra scores them. */
function eraColumns(e: number): Record<string, Float64Array> {
  const idx = Array.from({ length: IDS }, (_, k) => e * IDS + k).sort((x, y) => (id[x]! < id[y]! ? -1 : 1));
  return Object.fromEntries(Object.entries(cols).map(([k, v]) => [k, Float64Array.from(idx, (i) => v[i]!)]));
}

describe("scoreByEra: alpha, mpc and tc", () => {
  const options = {
    predictions: ["a", "b", "c"],
    target: "target",
    stakes,
    neutralizers: ["n_market", "n_factor"],
    sampleWeights: "weight",
    trueContribution: { neutralizers: ["beta"], maxPosition: 0.05 },
    metrics: ["alpha", "mpc", "tc"] as ("alpha" | "mpc" | "tc")[],
  };
  const perEra = scoreByEra(frame, options);

  it("equals the functions called era by era; an unstaked prediction scores at stake 0", () => {
    expect(perEra.columnNames).toEqual(["era", "a_alpha", "a_mpc", "a_tc", "b_alpha", "b_mpc", "b_tc", "c_alpha", "c_mpc", "c_tc"]);
    for (let e = 0; e < ERAS; e++) {
      const c = eraColumns(e);
      const n = [c.n_market!, c.n_factor!];
      const models = { a: c.a!, b: c.b!, c: c.c! };
      const all = { ...stakes, c: 0 };
      const mpc = metaPortfolioContribution(models, all, n, c.weight!, c.target!);
      const tc = trueContribution(models, all, c.target!, { neutralizers: [c.beta!], maxPosition: 0.05 });
      for (const m of ["a", "b", "c"] as const) {
        expect(perEra.numeric(`${m}_alpha`)[e]).toBe(alpha({ [m]: c[m]! }, n, c.weight!, c.target!)[m]);
        expect(perEra.numeric(`${m}_mpc`)[e]).toBe(mpc[m]);
        expect(perEra.numeric(`${m}_tc`)[e]).toBe(tc[m]);
      }
    }
    // Stake-weighted, MPC and TC are 0 in every era; c, unstaked, does not count.
    for (const metric of ["mpc", "tc"]) {
      for (let e = 0; e < ERAS; e++) {
        const sum = 3 * perEra.numeric(`a_${metric}`)[e]! + perEra.numeric(`b_${metric}`)[e]!;
        expect(Math.abs(sum)).toBeLessThan(1e-14);
      }
    }
  });

  it("uses equal sample weights 1/n when none are named", () => {
    const equal = scoreByEra(frame, { ...options, sampleWeights: undefined, metrics: ["alpha"] });
    const c = eraColumns(1);
    const w = new Float64Array(IDS).fill(1 / IDS);
    expect(equal.numeric("a_alpha")[1]).toBe(alpha({ a: c.a! }, [c.n_market!, c.n_factor!], w, c.target!).a);
  });

  it("names missing options and columns, and places the optimizer's errors in their era", () => {
    const noStakes = caught(() => scoreByEra(frame, { predictions: ["a"], target: "target", neutralizers: ["n_market"], metrics: ["mpc"] }));
    expect(noStakes).toBeInstanceOf(InvalidOptionError);
    expect((noStakes as InvalidOptionError).problems.map((p) => p.path)).toEqual(["stakes"]);
    const noN = caught(() => scoreByEra(frame, { predictions: ["a"], target: "target", metrics: ["alpha"] }));
    expect((noN as InvalidOptionError).problems.map((p) => p.path)).toEqual(["neutralizers"]);
    const typo = caught(() => scoreByEra(frame, { ...options, trueContribution: { maxPositon: 0.1 } } as never));
    expect((typo as InvalidOptionError).problems[0]!.suggestion).toBe("maxPosition");
    expect(caught(() => scoreByEra(frame, { ...options, stakes: { zz: 1 } })).code).toBe("MISSING_COLUMN");
    const infeasible = caught(() => scoreByEra(frame, { ...options, trueContribution: { maxPosition: 0.001 } }));
    expect([infeasible.code, infeasible.era, infeasible.option]).toEqual(["INFEASIBLE_PORTFOLIO", "era1", "maxPosition"]);
  });
});
