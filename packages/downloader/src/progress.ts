/**
 * One progress report. `done` and `total` count `unit`s (bytes of a file, symbols of a market
 * load); `total` is absent when the server did not announce a size.
 */
export interface ProgressEvent {
  /** What is progressing: "download" (a dataset file) or "market" (Bybit symbols). */
  task: "download" | "market";
  /** The file name or exchange symbol concerned. */
  item: string;
  done: number;
  total?: number;
  unit: "bytes" | "symbols";
  /** True when the item came from the on-disk cache without any request. */
  fromCache?: boolean;
}

/** A progress callback; libraries never print, callers decide how to show progress. */
export type OnProgress = (event: ProgressEvent) => void;
