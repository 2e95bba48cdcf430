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
  benchmark: "#8250df",
  equalWeight: "#bf8700",
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

/** Subtitle characters per line: a longer line would widen the SVG and shrink the whole chart. */
const SUBTITLE_LINE = 110;

/** A chart's title block; a long subtitle is wrapped at word boundaries into several lines. */
export function chartTitle(text: string, subtitle?: string): { text: string; subtitle?: string | string[] } {
  if (subtitle === undefined) return { text };
  if (subtitle.length <= SUBTITLE_LINE) return { text, subtitle };
  const lines: string[] = [];
  let line = "";
  for (const word of subtitle.split(" ")) {
    if (line.length > 0 && line.length + 1 + word.length > SUBTITLE_LINE) {
      lines.push(line);
      line = word;
    } else line = line.length > 0 ? `${line} ${word}` : word;
  }
  if (line.length > 0) lines.push(line);
  return { text, subtitle: lines };
}

const DAY = 86_400_000;

/**
 * The x encoding of a date axis, in UTC so labels match the `YYYY-MM-DD` dates. Every label
 * carries its year, and ticks fall on year, half-year, month or day boundaries depending on the
 * span: Vega's default multi-format labels print the year only on January ticks, and its label
 * overlap removal then tends to hide exactly those, leaving "April, October, April, ...".
 *
 * @param first - first date shown (YYYY-MM-DD)
 * @param last - last date shown
 * @param field - the data field holding the dates
 */
export function dateX(first: string, last: string, field = "date") {
  const span = (Date.parse(`${last}T00:00:00Z`) - Date.parse(`${first}T00:00:00Z`)) / DAY;
  const [interval, step, format] =
    span > 1100
      ? (["year", 1, "%Y"] as const)
      : span > 400
        ? (["month", 6, "%b %Y"] as const)
        : span > 150
          ? (["month", 2, "%b %Y"] as const)
          : span > 45
            ? (["month", 1, "%b %Y"] as const)
            : (["day", Math.max(1, Math.ceil(span / 6)), "%d %b %Y"] as const);
  return {
    field,
    type: "temporal",
    scale: { type: "utc", domain: [Date.parse(`${first}T00:00:00Z`), Date.parse(`${last}T00:00:00Z`)] },
    title: null,
    axis: { format, tickCount: { interval, step }, labelOverlap: "greedy", labelFlush: true },
  } as const;
}

/** True when every label is an ISO day (YYYY-MM-DD): such eras are drawn on a date axis. */
export function isoDays(labels: readonly string[]): boolean {
  return labels.length > 0 && labels.every((l) => /^\d{4}-\d{2}-\d{2}$/.test(l));
}

/** Trailing mean over `window` values (fewer at the start); NaN values are skipped. */
export function rollingMean(values: ArrayLike<number>, window: number): Float64Array {
  const out = new Float64Array(values.length);
  let sum = 0;
  let n = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isNaN(v)) {
      sum += v;
      n++;
    }
    if (i >= window) {
      const old = values[i - window]!;
      if (!Number.isNaN(old)) {
        sum -= old;
        n--;
      }
    }
    out[i] = n > 0 ? sum / n : Number.NaN;
  }
  return out;
}

/** Adds the schema and config every report chart shares. */
export function withTheme(spec: Record<string, unknown>): TopLevelSpec {
  return { $schema: "https://vega.github.io/schema/vega-lite/v6.json", config: chartConfig, ...spec } as TopLevelSpec;
}

/**
 * Indices of the points a line chart needs to look the same at CHART_WIDTH pixels: with more
 * than 2 · buckets points, each of `buckets` equal runs keeps its minimum and its maximum (in
 * time order), plus the first and last points, so spikes and drawdowns survive; shorter series
 * keep every point. Vega's time per chart grows with its points; a 5-year daily series has
 * 2.4 points per pixel.
 *
 * @param values - the series (NaN points are skipped)
 * @param buckets - runs to keep the extremes of
 */
export function lineIndices(values: ArrayLike<number>, buckets = 380): number[] {
  const n = values.length;
  const all: number[] = [];
  if (n <= 2 * buckets) {
    for (let i = 0; i < n; i++) if (!Number.isNaN(values[i]!)) all.push(i);
    return all;
  }
  const keep: number[] = [0];
  for (let b = 0; b < buckets; b++) {
    const from = Math.floor((b * n) / buckets);
    const to = Math.floor(((b + 1) * n) / buckets);
    let lo = -1;
    let hi = -1;
    for (let i = from; i < to; i++) {
      const v = values[i]!;
      if (Number.isNaN(v)) continue;
      if (lo < 0 || v < values[lo]!) lo = i;
      if (hi < 0 || v > values[hi]!) hi = i;
    }
    if (lo < 0) continue;
    if (lo === hi) keep.push(lo);
    else keep.push(Math.min(lo, hi), Math.max(lo, hi));
  }
  keep.push(n - 1);
  const out: number[] = [];
  for (const i of keep) if (!Number.isNaN(values[i]!) && (out.length === 0 || i > out.at(-1)!)) out.push(i);
  return out;
}
