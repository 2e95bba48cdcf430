import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import * as root from "../src/index.js";
import * as report from "../src/report/index.js";
import * as scores from "../src/scores/index.js";
import * as trading from "../src/trading.js";

const src = join(dirname(fileURLToPath(import.meta.url)), "..", "src");

/** Bare module names reached through static (value) imports and re-exports from `entry`. */
function staticPackages(entry: string): Set<string> {
  const seen = new Set<string>();
  const packages = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const text = readFileSync(file, "utf8");
    // `import type` / `export type` are erased; dynamic `import("x")` is not a static edge.
    for (const m of text.matchAll(/^(?:import|export)\s+(?!type\b)[^;]*?from\s+"([^"]+)"/gms)) {
      const spec = m[1]!;
      if (spec.startsWith(".")) visit(resolve(dirname(file), spec.replace(/\.js$/, ".ts")));
      else packages.add(spec);
    }
  };
  visit(join(src, entry));
  return packages;
}

describe("subpath entries", () => {
  it("no entry loads vega or vega-lite on import (they load on first render)", () => {
    for (const entry of ["index.ts", "scores/index.ts", "trading.ts", "report/index.ts"]) {
      const pkgs = [...staticPackages(entry)];
      expect(pkgs, entry).not.toContain("vega");
      expect(pkgs, entry).not.toContain("vega-lite");
      expect(pkgs, entry).toContain("@nmrblox/numerframe"); // the walk does follow the graph
    }
  });

  it("scores and trading are independent of each other and of the report", () => {
    const scoreFiles = readdirDeep("scores/index.ts");
    expect(scoreFiles.some((f) => f.includes("/report/") || f.includes("/performance/") || f.includes("/factor/"))).toBe(false);
    const tradingFiles = readdirDeep("trading.ts");
    expect(tradingFiles.some((f) => f.includes("/report/") || f.includes("/scores/"))).toBe(false);
  });

  it("the root re-exports every entry's exports", () => {
    for (const entry of [scores, trading, report]) {
      for (const name of Object.keys(entry)) expect((root as Record<string, unknown>)[name], name).toBe((entry as Record<string, unknown>)[name]);
    }
    expect(Object.keys(root).length).toBe(Object.keys(scores).length + Object.keys(trading).length + Object.keys(report).length);
    expect(typeof scores.numeraiCorr).toBe("function");
    expect(typeof trading.performance).toBe("function");
    expect(typeof trading.factorAnalysis).toBe("function");
    expect(typeof report.renderReport).toBe("function");
  });
});

/** Source files reached through static relative imports from `entry`. */
function readdirDeep(entry: string): string[] {
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const m of readFileSync(file, "utf8").matchAll(/^(?:import|export)\s+(?!type\b)[^;]*?from\s+"(\.[^"]+)"/gms)) {
      visit(resolve(dirname(file), m[1]!.replace(/\.js$/, ".ts")));
    }
  };
  visit(join(src, entry));
  return [...seen];
}
