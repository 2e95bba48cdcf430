import { NumerFrameError } from "@nmrblox/numerframe";

/**
 * The report could not be rendered or written: a bad option, an output folder that is not a
 * report folder, a chart that failed to render, or a write error. `code` is stable; `path`
 * names the file or folder at fault. An existing report is left as it was.
 */
export class ReportError extends NumerFrameError {
  constructor(code: string, message: string, where: { path?: string; column?: string } = {}, cause?: unknown) {
    super(code, message, where, cause === undefined ? undefined : { cause });
  }
}
