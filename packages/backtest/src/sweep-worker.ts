// Worker side of `sweep`: receives the frames once (Arrow IPC in shared memory), rebuilds them,
// says "ready", then runs configurations on request and answers each as soon as it finishes.
import { parentPort } from "node:worker_threads";
import { NumerFrame, NumerFrameError, parseOptions } from "@nmrblox/numerframe";
import { adoptPanel, marketPanel } from "@nmrblox/numerframe/internal";
import { tableFromIPC } from "apache-arrow";
import { backtestOptions } from "./options.js";
import { type SelectBaskets, runBacktestWith } from "./run-backtest.js";
import { selectionMemo } from "./selection-memo.js";
import { summarizeBacktest } from "./summary.js";
import { type SweepFailure, type SweepFrames, type SweepMessage, type SweepResponse, locationOf } from "./sweep-protocol.js";

let frames: { signals: NumerFrame; market: NumerFrame; universe: NumerFrame | undefined } | undefined;
// The worker's configurations share basket selections (the frames are fixed for its life).
let select: SelectBaskets | undefined;

// Arrow reads the shared bytes in place; the frames are only read, never written, by backtests.
const frame = (bytes: SharedArrayBuffer | undefined) => (bytes === undefined ? undefined : NumerFrame.fromArrow(tableFromIPC(new Uint8Array(bytes))));

function failure(error: unknown): SweepFailure {
  if (!NumerFrameError.isInstance(error)) {
    const e = error instanceof Error ? error : new Error(String(error));
    return { name: e.name, message: e.message };
  }
  return { name: error.name, message: error.message, code: error.code, location: locationOf(error) };
}

function load(message: SweepFrames): SweepResponse {
  try {
    frames = { signals: frame(message.signals)!, market: frame(message.market)!, universe: frame(message.universe) };
    select = selectionMemo(frames.signals, frames.universe);
    // The calling thread's panel, shared by every worker; else built (and cached on the frame)
    // before "ready", so no configuration pays for it.
    if (message.panel !== undefined) adoptPanel(frames.market, message.panel);
    else {
      try {
        marketPanel(frames.market);
      } catch {
        // An invalid market: every configuration meets the error itself and reports it with its
        // row, as on the calling thread; the worker stays up.
      }
    }
    return { kind: "ready" };
  } catch (error) {
    return { kind: "ready", error: failure(error) };
  }
}

parentPort!.on("message", (message: SweepMessage) => {
  if (message.kind === "frames") {
    parentPort!.postMessage(load(message));
    return;
  }
  let response: SweepResponse;
  try {
    // The request crossed a thread boundary as plain data: check it as strictly as an argument.
    const options = parseOptions(backtestOptions, message.options, `sweep configuration ${message.index}`);
    const result = runBacktestWith({ ...options, ...frames! }, select!);
    const equity = result.daily.float64("equity").slice();
    response = { kind: "result", index: message.index, summary: summarizeBacktest(result), equity };
  } catch (error) {
    response = { kind: "result", index: message.index, error: failure(error) };
  }
  parentPort!.postMessage(response, "equity" in response ? [response.equity.buffer as ArrayBuffer] : []);
});
