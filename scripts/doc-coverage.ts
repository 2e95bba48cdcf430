// Lists public exports whose TSDoc is missing or incomplete. A public export is anything a
// package's entry points (its package.json "exports" map, `./internal` excluded) export.
// Every export needs a doc comment; every exported function (and class constructor or static
// factory taking arguments) needs @param for each parameter, @returns unless it returns
// nothing, @throws and an @example. Used by examples/tests/test/doc-coverage.test.ts.
import { readdirSync, readFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import ts from "typescript";

export interface DocProblem {
  package: string;
  exportName: string;
  file: string;
  problem: string;
}

interface Entry {
  name: string;
  source: string;
}

function entryPoints(dir: string): Entry[] {
  const json = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as {
    name: string;
    private?: boolean;
    exports?: Record<string, unknown>;
  };
  if (json.private) return [];
  const out: Entry[] = [];
  for (const [sub, target] of Object.entries(json.exports ?? {})) {
    if (sub === "./package.json" || sub.includes("internal")) continue;
    const source = typeof target === "object" && target !== null ? (target as Record<string, string>)["@nmrblox/source"] : undefined;
    if (source) out.push({ name: sub === "." ? json.name : `${json.name}/${sub.slice(2)}`, source: join(dir, source) });
  }
  return out;
}

function tagNames(node: ts.Node): Set<string> {
  return new Set(ts.getJSDocTags(node).map((t) => t.tagName.text));
}

function hasDocComment(node: ts.Node): boolean {
  const docs = (node as { jsDoc?: ts.JSDoc[] }).jsDoc;
  return docs !== undefined && docs.length > 0 && docs.some((d) => (d.comment !== undefined && String(d.comment).trim() !== "") || (d.tags?.length ?? 0) > 0);
}

function docNode(decl: ts.Declaration): ts.Node {
  // `export const f = (...) => ...`: the comment sits on the variable statement.
  if (ts.isVariableDeclaration(decl)) return decl.parent.parent;
  return decl;
}

function functionLike(decl: ts.Declaration): ts.SignatureDeclaration | undefined {
  if (ts.isFunctionDeclaration(decl)) return decl;
  if (ts.isVariableDeclaration(decl) && decl.initializer && (ts.isArrowFunction(decl.initializer) || ts.isFunctionExpression(decl.initializer))) {
    return decl.initializer;
  }
  return undefined;
}

function returnsNothing(checker: ts.TypeChecker, fn: ts.SignatureDeclaration): boolean {
  const sig = checker.getSignatureFromDeclaration(fn);
  if (!sig) return false;
  const text = checker.typeToString(checker.getReturnTypeOfSignature(sig));
  return text === "void" || text === "Promise<void>" || text === "never";
}

function checkFunction(checker: ts.TypeChecker, fn: ts.SignatureDeclaration, doc: ts.Node, label: string, push: (p: string) => void): void {
  const tags = tagNames(doc);
  const params = ts.getJSDocTags(doc).filter(ts.isJSDocParameterTag).map((t) => t.name.getText());
  for (const p of fn.parameters) {
    const name = p.name.getText();
    if (ts.isIdentifier(p.name) && !params.includes(name)) push(`${label}: no @param for "${name}"`);
  }
  if (!returnsNothing(checker, fn) && !tags.has("returns")) push(`${label}: no @returns`);
  if (!tags.has("throws")) push(`${label}: no @throws`);
  if (!tags.has("example")) push(`${label}: no @example`);
}

/** Every problem in every public package under `root/packages`. */
export function docProblems(root: string): DocProblem[] {
  const pkgDir = join(root, "packages");
  const entries = readdirSync(pkgDir)
    .map((d) => join(pkgDir, d))
    .filter((d) => existsSync(join(d, "package.json")))
    .flatMap((d) => entryPoints(d));
  const program = ts.createProgram(
    entries.map((e) => e.source),
    {
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      customConditions: ["@nmrblox/source"],
      allowJs: false,
      noEmit: true,
      strict: true,
      skipLibCheck: true,
    },
  );
  const checker = program.getTypeChecker();
  const problems: DocProblem[] = [];
  const seen = new Set<ts.Declaration>();
  for (const entry of entries) {
    const sf = program.getSourceFile(entry.source);
    if (!sf) continue;
    const moduleSymbol = checker.getSymbolAtLocation(sf);
    if (!moduleSymbol) continue;
    for (const exp of checker.getExportsOfModule(moduleSymbol)) {
      const symbol = exp.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exp) : exp;
      for (const decl of symbol.declarations ?? []) {
        if (seen.has(decl)) continue;
        seen.add(decl);
        const file = decl.getSourceFile().fileName.replace(`${root}/`, "");
        if (file.includes("node_modules")) continue;
        const push = (problem: string) => problems.push({ package: entry.name, exportName: exp.name, file, problem });
        const doc = docNode(decl);
        if (!hasDocComment(doc)) {
          push(`${exp.name}: no doc comment`);
          continue;
        }
        const fn = functionLike(decl);
        if (fn) checkFunction(checker, fn, doc, exp.name, push);
      }
    }
  }
  return problems;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const problems = docProblems(process.cwd());
  for (const p of problems) console.log(`${p.file}\t${p.problem}`);
  console.log(`${problems.length} doc problem(s)`);
}
