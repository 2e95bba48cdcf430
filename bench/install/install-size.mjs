// Install size and cold import time of every public package, each installed alone (with the
// nmrblox packages it depends on) from packed tarballs into a fresh npm project.
// Usage: node bench/install/install-size.mjs <tarball-dir> [--override flechette]
// `pnpm bench:install` builds nothing: run `pnpm build` first; it packs every package and runs this.
// Figures are printed, never asserted.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const dir = process.argv[2];
const override = process.argv.includes("--override");
const tarballs = readdirSync(dir).filter((f) => f.endsWith(".tgz"));
const manifest = (f) => JSON.parse(execFileSync("tar", ["-xOzf", join(dir, f), "package/package.json"], { encoding: "utf8" }));
const packages = new Map(tarballs.map((f) => { const m = manifest(f); return [m.name, { file: join(dir, f), deps: Object.keys(m.dependencies ?? {}) }]; }));

function closure(name, out = new Set()) {
  if (out.has(name) || !packages.has(name)) return out;
  out.add(name);
  for (const d of packages.get(name).deps) closure(d, out);
  return out;
}

function du(path) {
  return Number(execFileSync("du", ["-sb", path], { encoding: "utf8" }).split("\t")[0]);
}

console.log("package\tinstall MB\timport ms (median of 3, fresh process)");
for (const name of [...packages.keys()].sort()) {
  const app = mkdtempSync(join(tmpdir(), "nmrblox-size-"));
  const pkg = { name: "app", version: "1.0.0", private: true, type: "module" };
  if (override) pkg.overrides = { "@uwdata/flechette": "2.6.0" };
  writeFileSync(join(app, "package.json"), JSON.stringify(pkg));
  const files = [...closure(name)].map((n) => packages.get(n).file);
  try {
    execFileSync("npm", ["install", "--no-audit", "--no-fund", "--loglevel=error", ...files], { cwd: app, stdio: "pipe" });
  } catch (e) {
    console.log(`${name}\tinstall failed: ${String(e.stderr).split("\n").find((l) => l.includes("ERR")) ?? e.message}`);
    rmSync(app, { recursive: true, force: true });
    continue;
  }
  const times = [];
  for (let i = 0; i < 3; i++) {
    const out = execFileSync(process.execPath, ["--input-type=module", "-e", `const t = performance.now(); await import(${JSON.stringify(name)}); console.log(performance.now() - t);`], { cwd: app, encoding: "utf8" });
    times.push(Number(out.trim()));
  }
  times.sort((a, b) => a - b);
  console.log(`${name}\t${(du(join(app, "node_modules")) / 1e6).toFixed(1)}\t${times[1].toFixed(0)}`);
  rmSync(app, { recursive: true, force: true });
}
