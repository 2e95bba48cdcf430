import { describe, expect, it } from "vitest";
import { commandPaths, createProgram } from "../src/index.js";
import { runCli } from "./helpers.js";

// Every command of the program, read from the program itself, so a new command cannot go untested.
const io = { stdout: { write: () => true }, stderr: { write: () => true }, env: {}, cwd: process.cwd() };
const commands = commandPaths(createProgram(io, { json: false, quiet: false, verbose: false }, {}));

describe("nmrblox --help", () => {
  it("lists every command", async () => {
    expect(commands).toEqual(["demo", "backtest", "score", "sweep", "download", "download numerai", "download bybit", "validate", "submit", "rebalance"]);
    const run = await runCli(["--help"]);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe("");
    for (const name of ["demo", "backtest", "score", "sweep", "download", "validate", "submit", "rebalance"]) expect(run.stdout).toMatch(new RegExp(`^  ${name}\\b`, "m"));
    expect(run.stdout).toContain("Exit codes: 0 success, 1 failed run, 2 bad usage");
  });

  it.each(commands)("of %s shows its usage, the global flags and examples", async (path) => {
    const run = await runCli([...path.split(" "), "--help"]);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe("");
    expect(run.stdout).toContain(`Usage: nmrblox ${path}`);
    expect(run.stdout).toContain("--json");
    expect(run.stdout).toContain("Examples:");
  });

  it("prints the version", async () => {
    const run = await runCli(["--version"]);
    expect(run.code).toBe(0);
    expect(run.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it("names an unknown command and the nearest one, exit 2", async () => {
    const run = await runCli(["scroe"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('unknown command "scroe"');
    expect(run.stderr).toContain('did you mean "score"?');
  });
});
