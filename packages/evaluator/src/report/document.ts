import type { ReportTable } from "./tables.js";

/** A rendered chart: its file name in the report folder and its SVG text. */
export interface ReportChart {
  readonly name: string;
  readonly file: string;
  readonly title: string;
  /** The chart has a time axis, whose labels show years. */
  readonly timeAxis?: boolean;
  readonly svg: string;
}

export type ReportBlock = { readonly kind: "chart"; readonly chart: ReportChart } | { readonly kind: "table"; readonly table: ReportTable };

export interface ReportSection {
  readonly heading: string;
  readonly blocks: readonly ReportBlock[];
}

/** Everything a report shows, independent of the output format. */
export interface ReportDocument {
  readonly title: string;
  readonly subtitle: string;
  readonly generatedAt: string;
  readonly kpis: readonly { readonly label: string; readonly value: string }[];
  readonly sections: readonly ReportSection[];
}
