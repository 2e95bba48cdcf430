// Issue 15: every public package installs from its packed tarball into a fresh npm project
// (no workspace, no overrides) and works from ESM, from CommonJS require() and from TypeScript
// under both NodeNext and Bundler resolution; a small pipeline runs from the installed packages.
import { execFile } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { withTempDir } from "@nmrblox/fixtures";
import { describe, expect, it } from "vitest";

const run = promisify(execFile);
const root = join(import.meta.dirname, "..", "..", "..");

interface PublicPackage {
  name: string;
  dir: string;
}

function publicPackages(): PublicPackage[] {
  return readdirSync(join(root, "packages"))
    .map((d) => join(root, "packages", d))
    .filter((dir) => existsSync(join(dir, "package.json")))
    .map((dir) => ({ dir, json: JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as { name: string; private?: boolean } }))
    .filter((p) => !p.json.private)
    .map((p) => ({ name: p.json.name, dir: p.dir }));
}

async function sh(cmd: string, args: readonly string[], cwd: string): Promise<string> {
  try {
    const { stdout } = await run(cmd, args, { cwd, maxBuffer: 64 * 1024 * 1024, timeout: 600_000, env: { ...process.env, NO_COLOR: "1" } });
    return stdout;
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string; message: string };
    throw new Error(`${cmd} ${args.join(" ")} failed in ${cwd}:\n${err.stderr ?? ""}\n${err.stdout ?? ""}\n${err.message}`);
  }
}

const pipeline = (imp: (name: string) => string) => `
const { syntheticCrypto } = ${imp("@nmrblox/synthetic")};
const { mapSymbols, tradableUniverse } = ${imp("@nmrblox/universe-filter")};
const { runBacktest } = ${imp("@nmrblox/backtest")};
const { numeraiCorr } = ${imp("@nmrblox/evaluator/scores")};
const { performance } = ${imp("@nmrblox/evaluator/trading")};
const { renderReport } = ${imp("@nmrblox/evaluator/report")};
`;

describe("packed packages install and work outside the repo", () => {
  it(
    "installs every tarball with npm and runs ESM, CommonJS and TypeScript consumers",
    () =>
      withTempDir(async (tmp) => {
        const packages = publicPackages();
        expect(packages.length).toBeGreaterThanOrEqual(10);
        if (packages.some((p) => !existsSync(join(p.dir, "dist")))) await sh("pnpm", ["-r", "--filter", "./packages/*", "build"], root);
        const tarballs = join(tmp, "tarballs");
        await mkdir(tarballs);
        for (const p of packages) await sh("pnpm", ["pack", "--pack-destination", tarballs], p.dir);
        const app = join(tmp, "app");
        await mkdir(app);
        await writeFile(join(app, "package.json"), JSON.stringify({ name: "app", version: "1.0.0", private: true }));
        const files = readdirSync(tarballs).map((f) => join(tarballs, f));
        await sh("npm", ["install", "--no-audit", "--no-fund", "--loglevel=error", ...files, "@types/node@20"], app);

        // ESM: every package imports, and the small pipeline runs end to end.
        const esm = `
${packages.map((p, i) => `import * as m${i} from "${p.name}";`).join("\n")}
const loaded = [${packages.map((_, i) => `m${i}`).join(", ")}].map((m) => Object.keys(m).length);
${pipeline((n) => `await import("${n}")`)}
const data = syntheticCrypto({ symbols: 40, start: "2024-01-01", end: "2024-04-30", seed: 5 });
const universe = tradableUniverse({ signals: data.signals, mapping: mapSymbols(data.signals, data.instruments).mapping, instruments: data.instruments, market: data.market });
const result = runBacktest({ signals: data.signals, market: data.market, universe, portfolio: { long: 5, short: 5 } });
const stats = performance(result.daily, { tranches: result.tranches });
const scoredRows = data.signals.join(data.targets, { on: ["date", "symbol"] });
const target = scoredRows.float64("target_20d");
const keep = Array.from(target, (v) => !Number.isNaN(v));
const kept = scoredRows.filter(keep);
const corr = numeraiCorr(kept.float64("prediction"), kept.float64("target_20d"));
const out = new URL("./report", import.meta.url).pathname;
await renderReport({ ...result, market: data.market, universe }, { outDir: out });
console.log(JSON.stringify({ loaded, days: result.daily.numRows, sharpe: stats.sharpe, corr }));
`;
        await writeFile(join(app, "esm.mjs"), esm);
        const esmOut = JSON.parse((await sh(process.execPath, ["esm.mjs"], app)).trim().split("\n").pop()!) as {
          loaded: number[];
          days: number;
          sharpe: number;
          corr: number;
        };
        expect(esmOut.loaded.every((n) => n > 0)).toBe(true);
        expect(esmOut.days).toBeGreaterThan(60);
        expect(Number.isFinite(esmOut.sharpe)).toBe(true);
        expect(Math.abs(esmOut.corr)).toBeLessThan(1);
        expect(existsSync(join(app, "report", "report.html"))).toBe(true);

        // CommonJS: require() of every package on Node 20.19+ (ESM without top-level await).
        const cjs = `${packages.map((p) => `require("${p.name}");`).join("\n")}
const { numeraiCorr } = require("@nmrblox/evaluator");
console.log(typeof numeraiCorr);`;
        await writeFile(join(app, "cjs.cjs"), cjs);
        expect((await sh(process.execPath, ["cjs.cjs"], app)).trim()).toBe("function");

        // TypeScript: one file importing every package, under NodeNext and under Bundler, with
        // skipLibCheck as `tsc --init` sets it (arquero's and flechette's own .d.ts do not pass strict).
        const ts = `${packages.map((p, i) => `import * as m${i} from "${p.name}";`).join("\n")}
import { numeraiCorr } from "@nmrblox/evaluator/scores";
const r: number = numeraiCorr(new Float64Array([0.1, 0.5, 0.9]), new Float64Array([0, 0.5, 1]));
export const all = [${packages.map((_, i) => `m${i}`).join(", ")}, r];
`;
        await writeFile(join(app, "index.ts"), ts);
        const tsc = join(root, "node_modules", "typescript", "bin", "tsc");
        for (const [module, resolution] of [
          ["NodeNext", "NodeNext"],
          ["ESNext", "Bundler"],
        ] as const) {
          await sh(process.execPath, [tsc, "--noEmit", "--strict", "--target", "ES2022", "--module", module, "--moduleResolution", resolution, "--types", "node", "--skipLibCheck", "index.ts"], app);
        }
      }),
    900_000,
  );
});
