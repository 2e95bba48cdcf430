import type { ReportDocument } from "./document.js";
import type { ReportTable } from "./tables.js";

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");
}

const STYLE = `
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { margin: 0; background: #f6f8fa; color: #24292f; font: 14px/1.45 Helvetica, Arial, sans-serif; }
main { max-width: 880px; margin: 0 auto; padding: 24px 20px 48px; }
header h1 { margin: 0 0 4px; font-size: 24px; }
header p { margin: 0; color: #57606a; }
.kpis { display: grid; grid-template-columns: repeat(auto-fill, minmax(130px, 1fr)); gap: 10px; margin: 20px 0 8px; }
.kpi { background: #fff; border: 1px solid #d0d7de; border-radius: 6px; padding: 10px 12px; }
.kpi .label { color: #57606a; font-size: 12px; }
.kpi .value { font-size: 20px; font-weight: 600; font-variant-numeric: tabular-nums; }
section { margin-top: 28px; }
section h2 { font-size: 18px; border-bottom: 1px solid #d0d7de; padding-bottom: 4px; }
figure { margin: 14px 0; background: #fff; border: 1px solid #d0d7de; border-radius: 6px; padding: 10px; overflow-x: auto; }
figure svg { display: block; max-width: 100%; height: auto; }
.table { margin: 14px 0; background: #fff; border: 1px solid #d0d7de; border-radius: 6px; padding: 10px 12px; overflow-x: auto; }
.table h3 { margin: 0 0 6px; font-size: 14px; }
.table p { margin: 0 0 8px; color: #57606a; font-size: 12px; }
table { border-collapse: collapse; width: 100%; font-size: 12.5px; font-variant-numeric: tabular-nums; }
th, td { padding: 4px 8px; border-bottom: 1px solid #eaeef2; text-align: left; vertical-align: top; }
th { color: #57606a; font-weight: 600; }
table.numeric td:not(:first-child), table.numeric th:not(:first-child) { text-align: right; }
td code { font-size: 11.5px; white-space: pre-wrap; word-break: break-all; }
footer { margin-top: 32px; color: #57606a; font-size: 12px; }
`;

function tableHtml(t: ReportTable): string {
  const head = `<tr>${t.header.map((h) => `<th>${escapeHtml(h)}</th>`).join("")}</tr>`;
  const body = t.rows
    .map((r) => `<tr>${r.map((c, i) => (t.numeric === false && i > 0 && c.startsWith("{") ? `<td><code>${escapeHtml(c)}</code></td>` : `<td>${escapeHtml(c)}</td>`)).join("")}</tr>`)
    .join("\n");
  return `<div class="table"><h3>${escapeHtml(t.title)}</h3>${t.note ? `<p>${escapeHtml(t.note)}</p>` : ""}<table class="${t.numeric === false ? "" : "numeric"}"><thead>${head}</thead><tbody>${body}</tbody></table></div>`;
}

/** The self-contained HTML report: inline CSS and SVG charts, no scripts, no external resources. */
export function reportHtml(doc: ReportDocument): string {
  const kpis = doc.kpis.map((k) => `<div class="kpi"><div class="label">${escapeHtml(k.label)}</div><div class="value">${escapeHtml(k.value)}</div></div>`).join("");
  const sections = doc.sections
    .map((s) => {
      const blocks = s.blocks
        .map((b) =>
          b.kind === "chart"
            ? `<figure id="chart-${escapeHtml(b.chart.name)}" data-chart="${escapeHtml(b.chart.name)}"${b.chart.timeAxis ? ' data-time-axis="true"' : ""} aria-label="${escapeHtml(b.chart.title)}">${b.chart.svg}</figure>`
            : tableHtml(b.table),
        )
        .join("\n");
      return `<section data-section="${escapeHtml(s.heading)}"><h2>${escapeHtml(s.heading)}</h2>\n${blocks}\n</section>`;
    })
    .join("\n");
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(doc.title)}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
<header><h1>${escapeHtml(doc.title)}</h1><p>${escapeHtml(doc.subtitle)}</p></header>
<div class="kpis">${kpis}</div>
${sections}
<footer>Generated ${escapeHtml(doc.generatedAt)} by @nmrblox/evaluator. Charts are also saved as SVG files beside this page.</footer>
</main>
</body>
</html>
`;
}
