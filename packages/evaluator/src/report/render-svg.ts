import { View, parse } from "vega";
import { type TopLevelSpec, compile } from "vega-lite";
import { ReportError } from "./errors.js";

/**
 * Renders a Vega-Lite spec to an SVG string in Node (no DOM, no canvas: text widths are
 * estimated). Element ids get `idPrefix` so several SVGs can sit inline in one HTML page
 * without their clip paths or gradients colliding.
 *
 * @param spec - a Vega-Lite spec with inline data
 * @param idPrefix - prefix for the SVG's element ids
 * @returns the SVG markup
 * @throws ReportError CHART_FAILED when the spec does not compile or render
 * @example
 * const svg = await renderSvg({ data: { values: [{ x: 1, y: 2 }] }, mark: "point", encoding: { x: { field: "x" }, y: { field: "y" } } }, "demo");
 */
export async function renderSvg(spec: TopLevelSpec, idPrefix: string): Promise<string> {
  let view: View | undefined;
  try {
    view = new View(parse(compile(spec).spec), { renderer: "none" });
    const svg = await view.toSVG();
    return svg.replace(/\bid="([^"]+)"/g, `id="${idPrefix}-$1"`).replace(/url\(#([^)]+)\)/g, `url(#${idPrefix}-$1)`);
  } catch (err) {
    throw new ReportError("CHART_FAILED", `renderReport: chart "${idPrefix}" failed to render: ${(err as Error).message}`, {}, err);
  } finally {
    view?.finalize();
  }
}
