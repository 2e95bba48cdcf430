// `@nmrblox/evaluator/report`: the HTML/Markdown/SVG report. vega and vega-lite load on the
// first render, not on import.
export {
  renderReport,
  renderReportOptions,
  type RenderReportOptions,
  type ReportInput,
  type ReportResult,
  type ReportProgress,
} from "./render-report.js";
export { ReportError, type ReportErrorCode } from "./errors.js";
export { renderSvg } from "./render-svg.js";
export { writeDirAtomic } from "./write-dir-atomic.js";
