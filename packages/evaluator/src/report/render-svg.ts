import type { TopLevelSpec } from "vega-lite";
import { ReportError } from "./errors.js";

type ChartStack = { vega: typeof import("vega"); vegaLite: typeof import("vega-lite") };
let stack: Promise<ChartStack> | undefined;

/**
 * Loads vega and vega-lite on first use. They are imported dynamically, not at the top of the
 * module: vega's module graph has a top-level await, which would make `require("@nmrblox/evaluator")`
 * fail with ERR_REQUIRE_ASYNC_MODULE, and loading it costs about a second that someone who only
 * wants scores should not pay.
 */
function chartStack(): Promise<ChartStack> {
  stack ??= Promise.all([import("vega"), import("vega-lite")]).then(([vega, vegaLite]) => ({ vega, vegaLite }));
  return stack;
}

function silentLogger(vega: ChartStack["vega"]) {
  const logger = vega.logger(vega.None);
  return logger;
}

/**
 * Renders a Vega-Lite spec to an SVG string in Node (no DOM, no canvas: text widths are
 * estimated). Element ids get `idPrefix` so several SVGs can sit inline in one HTML page
 * without their clip paths or gradients colliding. vega and vega-lite are loaded on the first
 * call.
 *
 * @param spec - a Vega-Lite spec with inline data
 * @param idPrefix - prefix for the SVG's element ids
 * @returns the SVG markup
 * @throws ReportError CHART_FAILED when the spec does not compile or render
 * @example
 * const svg = await renderSvg({ data: { values: [{ x: 1, y: 2 }] }, mark: "point", encoding: { x: { field: "x" }, y: { field: "y" } } }, "demo");
 */
export async function renderSvg(spec: TopLevelSpec, idPrefix: string): Promise<string> {
  const { vega, vegaLite } = await chartStack();
  let view: InstanceType<typeof vega.View> | undefined;
  try {
    // Libraries never print: vega-lite's and vega's warnings go to a silent logger.
    const compiled = vegaLite.compile(spec, { logger: silentLogger(vega) }).spec;
    view = new vega.View(vega.parse(compiled), { renderer: "none", logLevel: vega.None });
    const svg = await view.toSVG();
    return svg.replace(/\bid="([^"]+)"/g, `id="${idPrefix}-$1"`).replace(/url\(#([^)]+)\)/g, `url(#${idPrefix}-$1)`);
  } catch (err) {
    throw new ReportError("CHART_FAILED", `renderReport: chart "${idPrefix}" failed to render: ${(err as Error).message}`, {}, err);
  } finally {
    view?.finalize();
  }
}
