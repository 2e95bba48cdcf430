import { mkdir, readFile, readdir, rm, writeFile } from "node:fs/promises";
import { join, relative } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const repo = join(import.meta.dirname, "..", "..", "..");
// Inside this package so `@nmrblox/*` imports resolve through its node_modules (all packages
// are dev dependencies) to their sources via the `@nmrblox/source` condition. Gitignored.
const snippetDir = join(import.meta.dirname, "..", ".cache", "readme-snippets");

// Names a snippet may use without defining them: the frames a pipeline step receives. Declared
// globally, so a snippet that defines one of them (module scope) simply shadows it.
const context = `import type { BacktestResult } from "@nmrblox/backtest";
import type { NumerFrame } from "@nmrblox/numerframe";
declare global {
  /** date, symbol, prediction */
  var signals: NumerFrame;
  /** date, symbol, exchange_symbol, close, turnover_usd, funding_rate */
  var market: NumerFrame;
  /** Bybit instruments-info */
  var instruments: NumerFrame;
  /** date, symbol, tradable */
  var universe: NumerFrame;
  /** a per-era score frame */
  var scores: NumerFrame;
  /** what runBacktest returns */
  var result: BacktestResult;
  /** any model: one prediction per row */
  var myModel: (frame: NumerFrame) => Float64Array;
}
export {};
`;

interface Snippet {
  readme: string;
  line: number;
  file: string;
}

/** Every ```ts / ```typescript block of packages/<name>/README.md, written to its own module file. */
async function extractSnippets(): Promise<Snippet[]> {
  await rm(snippetDir, { recursive: true, force: true });
  await mkdir(snippetDir, { recursive: true });
  const snippets: Snippet[] = [];
  for (const pkg of (await readdir(join(repo, "packages"))).sort()) {
    const readme = join(repo, "packages", pkg, "README.md");
    const text = await readFile(readme, "utf8").catch(() => undefined);
    if (text === undefined) continue;
    const lines = text.split("\n");
    for (let i = 0; i < lines.length; i++) {
      if (!/^```(ts|typescript)\s*$/.test(lines[i]!)) continue;
      const start = i + 1;
      let end = start;
      while (end < lines.length && !lines[end]!.startsWith("```")) end++;
      const file = join(snippetDir, `${pkg}-L${start + 1}.ts`);
      // `export {}` makes every snippet a module (top-level await, no clashes between snippets).
      await writeFile(file, `${lines.slice(start, end).join("\n")}\nexport {};\n`);
      snippets.push({ readme: relative(repo, readme), line: start + 1, file });
      i = end;
    }
  }
  await writeFile(join(snippetDir, "context.d.ts"), context);
  return snippets;
}

describe("README snippets", () => {
  it("type-check against the package sources", async () => {
    const snippets = await extractSnippets();
    expect(snippets.length).toBeGreaterThanOrEqual(10);
    const config = ts.readConfigFile(join(repo, "tsconfig.base.json"), (p) => ts.sys.readFile(p));
    const { options } = ts.parseJsonConfigFileContent(config.config, ts.sys, snippetDir);
    const program = ts.createProgram({
      rootNames: [join(snippetDir, "context.d.ts"), ...snippets.map((s) => s.file)],
      options: { ...options, noEmit: true, declaration: false, declarationMap: false },
    });
    const problems: string[] = [];
    for (const snippet of snippets) {
      const source = program.getSourceFile(snippet.file)!;
      for (const d of [...program.getSyntacticDiagnostics(source), ...program.getSemanticDiagnostics(source)]) {
        const { line } = d.start !== undefined ? source.getLineAndCharacterOfPosition(d.start) : { line: 0 };
        problems.push(`${snippet.readme}:${snippet.line + line}: ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`);
      }
    }
    expect(problems).toEqual([]);
  });
});
