import { execFileSync, spawn } from "node:child_process";
import { rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { sweep } from "@nmrblox/backtest";
import { fixedSlippage, takerFee } from "@nmrblox/cost-model";
import { tempDir } from "@nmrblox/fixtures";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CryptoFiles, writeCryptoFiles } from "./data.js";
import { BIN, expectOk, runCli, runJson } from "./helpers.js";

let dir: string;
let data: CryptoFiles;
const GRID = { "portfolio.holdDays": [5, 10], "portfolio.long": [2, 3] };
const BASE = ["--short", "3", "--tranches", "5", "--fee", "0.001", "--slippage", "0.0005", "--no-funding"];

/** `script` (util-linux) runs a command under a pseudo-terminal; installed with apt-get if missing. */
function haveScript(): boolean {
  const found = () => {
    try {
      execFileSync("script", ["--version"], { stdio: "ignore" });
      return true;
    } catch {
      return false;
    }
  };
  if (found()) return true;
  try {
    execFileSync("apt-get", ["install", "-y", "-q", "util-linux"], { stdio: "ignore" });
  } catch {
    // not root or offline: found() below says so
  }
  return found();
}

/** Runs the CLI under a pseudo-terminal: stdout and stderr are both the terminal, captured by `script`. */
function runInPty(args: readonly string[], cwd: string): Promise<{ code: number | null; output: string }> {
  const quote = (s: string) => `'${s.replaceAll("'", `'\\''`)}'`;
  const command = [process.execPath, BIN, ...args].map(quote).join(" ");
  return new Promise((resolve, reject) => {
    const child = spawn("script", ["-q", "-e", "-c", command, "/dev/null"], {
      cwd,
      env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", TERM: "xterm", COLUMNS: "120" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (c: Buffer) => (output += c.toString("utf8")));
    child.stderr.on("data", (c: Buffer) => (output += c.toString("utf8")));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, output }));
  });
}

beforeAll(async () => {
  dir = await tempDir("nmrblox-cli-sweep-");
  data = await writeCryptoFiles(dir);
  await writeFile(join(dir, "grid.json"), JSON.stringify(GRID));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe("nmrblox sweep", () => {
  it("runs the grid across a worker thread and matches the library's sweep", async () => {
    const expected = await sweep(
      { signals: data.signals, market: data.market, portfolio: { short: 3, tranches: 5 }, costs: [takerFee(0.001), fixedSlippage(0.0005)] },
      GRID,
      { workers: 0 },
    );
    const { run, doc } = await runJson<{ configurations: number; results: Array<Record<string, number>> }>(
      ["sweep", "--grid", "grid.json", "--signals", data.files.signalsParquet, "--market", data.files.marketParquet, ...BASE, "--workers", "1"],
      { cwd: dir },
    );
    expectOk(run);
    expect(doc.configurations).toBe(4);
    const want = expected.float64("total_return");
    expect(new Set(want).size).toBe(4); // four different results: the grid really varied the runs
    expect(doc.results.map((r) => r["portfolio.holdDays"])).toEqual(Array.from(expected.float64("portfolio.holdDays")));
    expect(doc.results.map((r) => r.total_return)).toEqual(Array.from(want));
    expect(doc.results.map((r) => r.sharpe)).toEqual(Array.from(expected.float64("sharpe")));
  });

  it("names a misspelled grid key and the nearest option path, exit 2", async () => {
    await writeFile(join(dir, "bad-grid.json"), JSON.stringify({ "portfolio.holdDay": [5, 10] }));
    const run = await runCli(["sweep", "--grid", "bad-grid.json", "--signals", data.files.signalsParquet, "--market", data.files.marketParquet], { cwd: dir });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('"portfolio.holdDay"');
    expect(run.stderr).toContain('did you mean "portfolio.holdDays"?');
  });
});

describe("progress bars", () => {
  const args = () => ["sweep", "--grid", "grid.json", "--signals", data.files.signalsParquet, "--market", data.files.marketParquet, ...BASE, "--workers", "1"];

  it("are drawn on stderr under a terminal", async (ctx) => {
    if (!haveScript()) ctx.skip();
    const { code, output } = await runInPty(args(), dir);
    expect(code, output).toBe(0);
    // The bar: its label, the full bar of blocks and the count of configurations.
    expect(output).toMatch(/configs\s+\|\u2588+\| 4\/4 100%/);
  });

  it("are absent when stderr is a pipe, and so is everything but the result on stdout", async () => {
    const run = await runCli(args(), { cwd: dir });
    expectOk(run);
    expect(run.stderr).not.toContain("\u2588");
    expect(run.stderr).not.toContain("\u2591");
    // biome-ignore lint/suspicious/noControlCharactersInRegex: the test looks for terminal escape codes
    expect(run.stderr).not.toMatch(/\r|\u001b\[/);
    expect(run.stderr).toContain("sweep: 4 configurations"); // the step lines are there, only the bar is not
    expect(run.stdout).toContain("total return %");
    const quiet = await runCli([...args(), "--quiet"], { cwd: dir });
    expectOk(quiet);
    expect(quiet.stdout + quiet.stderr).toBe("");
  });
});
