import type { ReportDocument } from "./document.js";
import type { ReportTable } from "./tables.js";

const cell = (text: string) => text.replace(/\|/g, "\\|").replace(/\n/g, " ");

function tableMarkdown(t: ReportTable): string {
  const align = t.header.map((_, i) => (t.numeric !== false && i > 0 ? "---:" : "---"));
  const lines = [
    `### ${t.title}`,
    "",
    ...(t.note ? [t.note, ""] : []),
    `| ${t.header.map(cell).join(" | ")} |`,
    `| ${align.join(" | ")} |`,
    ...t.rows.map((r) => `| ${r.map(cell).join(" | ")} |`),
  ];
  return lines.join("\n");
}

/** The Markdown report: the same tables, charts linked as the SVG files beside it. */
export function reportMarkdown(doc: ReportDocument): string {
  const parts = [
    `# ${doc.title}`,
    "",
    doc.subtitle,
    "",
    `| ${doc.kpis.map((k) => cell(k.label)).join(" | ")} |`,
    `| ${doc.kpis.map(() => "---:").join(" | ")} |`,
    `| ${doc.kpis.map((k) => cell(k.value)).join(" | ")} |`,
  ];
  for (const s of doc.sections) {
    parts.push("", `## ${s.heading}`);
    for (const b of s.blocks) parts.push("", b.kind === "chart" ? `![${b.chart.title}](${b.chart.file})` : tableMarkdown(b.table));
  }
  parts.push("", `_Generated ${doc.generatedAt} by @nmrblox/evaluator._`, "");
  return parts.join("\n");
}
