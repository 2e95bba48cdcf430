import { spawn } from "node:child_process";
import { join } from "node:path";
import { expect } from "vitest";

/** The built binary (global-setup builds it when missing or stale). */
export const BIN = join(import.meta.dirname, "..", "dist", "bin.js");

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  cwd?: string;
  /** Added to a clean environment (PATH and HOME only: no keys leak in from the shell). */
  env?: Record<string, string>;
}

/**
 * Spawns `node dist/bin.js ...args` asynchronously (the local fake servers run in this process,
 * so a synchronous spawn would block them) with stdout and stderr on pipes.
 */
export function runCli(args: readonly string[], options: CliOptions = {}): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: options.cwd ?? process.cwd(),
      env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", ...options.env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => (stdout += c.toString("utf8")));
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString("utf8")));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

/** Runs the CLI with --json and parses stdout, which must be exactly one JSON document. */
export async function runJson<T = Record<string, unknown>>(args: readonly string[], options: CliOptions = {}): Promise<{ run: CliRun; doc: T }> {
  const run = await runCli([...args, "--json"], options);
  let doc: T;
  try {
    doc = JSON.parse(run.stdout) as T;
  } catch {
    throw new Error(`stdout is not one JSON document (exit ${run.code}):\n${run.stdout}\nstderr:\n${run.stderr}`);
  }
  return { run, doc };
}

/** Asserts a successful run, showing stderr when it is not. */
export function expectOk(run: CliRun): void {
  expect(run.code, `${run.stderr}\n${run.stdout.slice(0, 2000)}`).toBe(0);
}

