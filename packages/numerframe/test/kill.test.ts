// Writers killed with SIGKILL at random points: the target is always the old or the new file,
// byte for byte (a CSV with its sidecar as a pair), and the next run succeeds and cleans temps.
import { spawn } from "node:child_process";
import { readFile, readdir } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { withTempDir } from "@nmrblox/fixtures";
import { describe, expect, it } from "vitest";
import { csvSidecarPath, readCsv, recoverCommit } from "../src/index.js";
import { version, write } from "./fixtures/kill-writer.js";

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, "../../..");
const KILLS = 5;

let seed = 2024;
const rand = () => (seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32;

/** Starts the writer, waits until it has imported everything, lets it run `ms`, then SIGKILLs it. */
async function runAndKill(format: string, path: string, ms: number): Promise<void> {
  const child = spawn(process.execPath, ["--import", "tsx", "--conditions=@nmrblox/source", join(here, "fixtures/kill-writer.ts"), format, path], {
    cwd: root,
    stdio: ["ignore", "pipe", "inherit"],
  });
  const exited = new Promise<void>((res) => child.on("exit", () => res()));
  await new Promise<void>((res, rej) => {
    child.stdout.on("data", (d: Buffer) => d.toString().includes("ready") && res());
    child.on("exit", (code) => rej(new Error(`writer exited early with ${code}`)));
  });
  await new Promise((r) => setTimeout(r, ms));
  child.kill("SIGKILL");
  await exited;
}

async function runChild(format: string, path: string, extra: string[]): Promise<void> {
  const child = spawn(process.execPath, ["--import", "tsx", "--conditions=@nmrblox/source", join(here, "fixtures/kill-writer.ts"), format, path, ...extra], {
    cwd: root,
    stdio: ["ignore", "ignore", "inherit"],
  });
  const code = await new Promise<number | null>((res) => child.on("exit", res));
  if (code !== 0) throw new Error(`reference writer exited with ${code}`);
}

const files = (format: string, path: string) => (format === "csv" ? [path, csvSidecarPath(path)] : [path]);

describe("writers killed at random points", () => {
  for (const [format, ext] of [["csv", "csv"], ["parquet", "parquet"], ["arrow", "arrow"]] as const) {
    it(`${format}: old or new, byte-identical, then a clean next run (${KILLS} kills)`, { timeout: 240_000 }, async () => {
      await withTempDir(async (dir) => {
        // Reference bytes of both versions, and the target at version 0, from a writer process.
        const target = join(dir, `target.${ext}`);
        await runChild(format, target, ["refs"]);
        const refs: Buffer[][] = [];
        for (const v of [0, 1]) refs.push(await Promise.all(files(format, `${target}.ref${v}`).map((f) => readFile(f))));
        let intact = 0;
        for (let k = 0; k < KILLS; k++) {
          await runAndKill(format, target, Math.floor(rand() * 400));
          // What every reader and writer does first: finish a commit the killed writer left.
          await recoverCommit(target);
          const now = await Promise.all(files(format, target).map((f) => readFile(f)));
          const same = refs.findIndex((ref) => ref.every((b, i) => b.equals(now[i]!)));
          expect(same).toBeGreaterThanOrEqual(0);
          intact++;
        }
        expect(intact).toBe(KILLS);
        // The next run succeeds and leaves no temporary file.
        await write(format, version(1), target);
        const left = (await readdir(dir)).filter((n) => n.includes("target") && !n.includes(".ref"));
        expect(left.sort()).toEqual(files(format, target).map((f) => f.slice(dir.length + 1)).sort());
        if (format === "csv") expect((await readCsv(target)).strings("id")[0]).toBe("v1-0");
      });
    });
  }
});
