import type { TopLevelSpec } from "vega-lite";

/** Plot width of every chart, in pixels (the report column is a little wider). */
export const CHART_WIDTH = 760;

export const COLORS = {
  net: "#1f6feb",
  gross: "#8c959f",
  negative: "#cf222e",
  positive: "#1a7f37",
  accent: "#bc4c00",
  long: "#1a7f37",
  short: "#cf222e",
} as const;

/** Shared Vega-Lite config: quiet grid, readable labels, white background. */
export const chartConfig = {
  background: "white",
  font: "Helvetica, Arial, sans-serif",
  view: { stroke: null },
  axis: { labelFontSize: 11, titleFontSize: 11, titleFontWeight: "normal", gridColor: "#eaeef2", domainColor: "#8c959f", tickColor: "#8c959f" },
  legend: { labelFontSize: 11, titleFontSize: 11 },
  title: { fontSize: 14, anchor: "start", subtitleFontSize: 11, subtitleColor: "#57606a", offset: 10 },
} as const;

/** A chart's title block. */
export function chartTitle(text: string, subtitle?: string): { text: string; subtitle?: string } {
  return subtitle === undefined ? { text } : { text, subtitle };
}

/** The x encoding of a daily date axis, in UTC so labels match the `YYYY-MM-DD` dates. */
export const dateX = { field: "date", type: "temporal", scale: { type: "utc" }, title: null } as const;

/** Adds the schema and config every report chart shares. */
export function withTheme(spec: Record<string, unknown>): TopLevelSpec {
  return { $schema: "https://vega.github.io/schema/vega-lite/v6.json", config: chartConfig, ...spec } as TopLevelSpec;
}
