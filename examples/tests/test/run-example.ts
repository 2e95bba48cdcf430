import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

/** The examples folder. */
export const examplesDir = join(import.meta.dirname, "..", "..");

/** What an example printed on stdout and stderr. */
export interface ExampleOutput {
  stdout: string;
  stderr: string;
}

/**
 * Runs `examples/<name>/main.ts` as `pnpm start` does (tsx, sources through the
 * `@nmrblox/source` condition) with the given flags, and returns what it printed.
 */
export async function runExample(name: string, args: readonly string[]): Promise<string> {
  return (await runExampleWithOutput(name, args)).stdout;
}

/**
 * Like `runExample`, with extra environment variables for the child, returning stderr too.
 * A non-zero exit (or a run past 50 s) throws with both outputs in the message.
 */
export async function runExampleWithOutput(
  name: string,
  args: readonly string[],
  env: Record<string, string> = {},
): Promise<ExampleOutput> {
  const cwd = join(examplesDir, name);
  try {
    const { stdout, stderr } = await run(process.execPath, ["--conditions=@nmrblox/source", "--import", "tsx", "main.ts", ...args], {
      cwd,
      timeout: 50_000,
      maxBuffer: 16 * 1024 * 1024,
      env: { ...process.env, NO_COLOR: "1", ...env },
    });
    return { stdout, stderr };
  } catch (error) {
    const e = error as Error & { stdout?: string; stderr?: string };
    throw new Error(`example ${name} failed: ${e.message}\n${e.stdout ?? ""}\n${e.stderr ?? ""}`);
  }
}

export async function readJson<T>(path: string): Promise<T> {
  return JSON.parse(await readFile(path, "utf8")) as T;
}

/** Asserts-free check that a string is one complete SVG document. */
export function isSvg(text: string): boolean {
  const t = text.trim();
  return t.startsWith("<svg") && t.endsWith("</svg>") && t.includes('xmlns="http://www.w3.org/2000/svg"');
}
