import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";

// The tests spawn the BUILT binary (`node packages/cli/dist/bin.js`), which imports the
// libraries through their package exports, i.e. their dist/ too. Build (JavaScript only, no
// declarations: the binary needs none) every package of the chain whose dist is missing or
// older than its sources, so a test never runs yesterday's build.
const packagesDir = join(import.meta.dirname, "..", "..");

function workspaceDeps(name: string, seen = new Set<string>()): Set<string> {
  if (seen.has(name)) return seen;
  seen.add(name);
  const manifest = JSON.parse(readFileSync(join(packagesDir, name, "package.json"), "utf8")) as { dependencies?: Record<string, string> };
  for (const [dep, spec] of Object.entries(manifest.dependencies ?? {})) {
    if (spec.startsWith("workspace:") && dep.startsWith("@nmrblox/")) workspaceDeps(dep.slice("@nmrblox/".length), seen);
  }
  return seen;
}

function newest(path: string): number {
  const info = statSync(path);
  if (!info.isDirectory()) return info.mtimeMs;
  let t = info.mtimeMs;
  for (const entry of readdirSync(path)) t = Math.max(t, newest(join(path, entry)));
  return t;
}

function isStale(dir: string): boolean {
  const built = join(dir, "dist", "index.js");
  if (!existsSync(built)) return true;
  const inputs = ["src", "package.json", "tsup.config.ts"].map((p) => join(dir, p)).filter((p) => existsSync(p));
  return Math.max(...inputs.map(newest)) > statSync(built).mtimeMs;
}

export default function setup(): void {
  for (const name of workspaceDeps("cli")) {
    const dir = join(packagesDir, name);
    if (!isStale(dir)) continue;
    // tsup's own config (entries, format, target) with declarations and cleaning turned off.
    execFileSync(process.execPath, ["--input-type=module", "-e", 'const { build } = await import("tsup"); await build({ dts: false, clean: false, silent: true });'], {
      cwd: dir,
      stdio: ["ignore", "ignore", "inherit"],
    });
  }
}
