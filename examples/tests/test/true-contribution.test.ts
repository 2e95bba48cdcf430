import { join } from "node:path";
import { withTempDir } from "@nmrblox/fixtures";
import { readCsv } from "@nmrblox/numerframe";
import { describe, expect, it } from "vitest";
import { readJson, runExample } from "./run-example.js";

interface Row {
  model: string;
  stake: number;
  corr: number;
  mmc: number;
  mpc: number;
  tc: number;
  corr_with_meta: number;
}

describe("examples/true-contribution", () => {
  it("prints CORR, MMC, MPC, TC and correlation with the meta model per staked model", () =>
    withTempDir(async (out) => {
      const stdout = await runExample("true-contribution", ["--small", "--out", out]);
      expect(stdout).toContain("corr_with_meta");
      const summary = await readJson<{ eras: number; stakes: Record<string, number>; table: Row[] }>(join(out, "summary.json"));
      const rows = Object.fromEntries(summary.table.map((r) => [r.model, r]));
      expect(Object.keys(rows)).toEqual(["close_to_meta", "benchmark", "original", "noisy"]);
      // The model built from the meta model tracks it most closely, the original one least.
      const byMeta = [...summary.table].sort((a, b) => b.corr_with_meta - a.corr_with_meta).map((r) => r.model);
      expect(byMeta[0]).toBe("close_to_meta");
      expect(byMeta.at(-1)).toBe("original");
      // Per era, the stake-weighted MPC and TC are 0 (gradients of functions of stake shares), so
      // their means are too, up to the 6 decimals of the table.
      const total = summary.table.reduce((a, r) => a + r.stake, 0);
      for (const metric of ["mpc", "tc"] as const) {
        const weighted = summary.table.reduce((a, r) => a + (r.stake / total) * r[metric], 0);
        expect(Math.abs(weighted)).toBeLessThan(4e-6);
      }
      const perEra = await readCsv(join(out, "scores_per_era.csv"));
      expect(perEra.numRows).toBe(summary.eras);
      expect(perEra.columnNames).toContain("original_tc");
      expect(perEra.columnNames).toContain("noisy_mpc");
      // Per era too, from the unrounded CSV.
      const tc = Object.fromEntries(summary.table.map((r) => [r.model, perEra.numeric(`${r.model}_tc`)]));
      for (let e = 0; e < perEra.numRows; e++) {
        const sum = summary.table.reduce((a, r) => a + (r.stake / total) * tc[r.model]![e]!, 0);
        expect(Math.abs(sum)).toBeLessThan(1e-12);
      }
    }));
});
