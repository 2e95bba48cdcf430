// Issue 14: one code union. docs/errors.md is generated from it, and every package README's
// "Errors" section lists only codes of the union, covering every code its sources raise by name.
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { ERROR_CODES } from "@nmrblox/numerframe";
import { describe, expect, it } from "vitest";
import { errorsPage } from "../../../scripts/error-docs.js";

const root = join(import.meta.dirname, "..", "..", "..");
const codes = Object.keys(ERROR_CODES);

function errorsSection(readme: string): string | undefined {
  const m = /^#{2,3} Errors\s*$([\s\S]*?)(?=^#{1,2} |(?![\s\S]))/m.exec(readme);
  return m?.[1];
}

function sourceText(dir: string): string {
  let text = "";
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) text += sourceText(p);
    else if (e.name.endsWith(".ts")) text += readFileSync(p, "utf8");
  }
  return text;
}

describe("error codes", () => {
  it("docs/errors.md is generated from the union and up to date", () => {
    expect(readFileSync(join(root, "docs", "errors.md"), "utf8")).toBe(errorsPage());
  });

  const packages = readdirSync(join(root, "packages")).filter((d) => existsSync(join(root, "packages", d, "README.md")));
  it.each(packages)("packages/%s README lists its codes from the union", (dir) => {
    const readme = readFileSync(join(root, "packages", dir, "README.md"), "utf8");
    const section = errorsSection(readme);
    expect(section, `packages/${dir}/README.md has no "Errors" section`).toBeDefined();
    // Codes are written in the first cell of a table row or at the start of a list item.
    const heads = [...section!.matchAll(/^(?:\|([^|\n]*)\||[-*]\s+(`[^`]+`))/gm)].map((m) => m[1] ?? m[2] ?? "");
    const listed = new Set(heads.flatMap((h) => [...h.matchAll(/`([A-Z][A-Z0-9_]+)`/g)].map((m) => m[1]!)));
    for (const c of listed) expect(codes, `packages/${dir}/README.md lists unknown code ${c}`).toContain(c);
    // numerframe declares the whole table; elsewhere a code written in the sources is raised there.
    if (dir === "numerframe") return;
    const src = sourceText(join(root, "packages", dir, "src"));
    const raised = codes.filter((c) => src.includes(`"${c}"`));
    for (const c of raised) expect(listed.has(c), `packages/${dir}/README.md does not list ${c}, which its sources raise`).toBe(true);
  });
});
