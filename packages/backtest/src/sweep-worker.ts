// Worker side of `sweep`: rebuilds the frames once from Arrow IPC, then runs configurations on request.
import { parentPort, workerData } from "node:worker_threads";
import { NumerFrame, NumerFrameError, parseOptions } from "@nmrblox/numerframe";
import { tableFromIPC } from "apache-arrow";
import { backtestOptions } from "./options.js";
import { runBacktest } from "./run-backtest.js";
import { summarizeBacktest } from "./summary.js";
import { type SweepFailure, type SweepRequest, type SweepResponse, type SweepWorkerData, locationOf } from "./sweep-protocol.js";

const data = workerData as SweepWorkerData;
const frame = (bytes: Uint8Array | undefined) => (bytes === undefined ? undefined : NumerFrame.fromArrow(tableFromIPC(bytes)));
const signals = frame(data.signals)!;
const market = frame(data.market)!;
const universe = frame(data.universe);

function failure(error: unknown): SweepFailure {
  if (!NumerFrameError.isInstance(error)) {
    const e = error instanceof Error ? error : new Error(String(error));
    return { name: e.name, message: e.message };
  }
  return { name: error.name, message: error.message, code: error.code, location: locationOf(error) };
}

parentPort!.on("message", (request: SweepRequest) => {
  let response: SweepResponse;
  try {
    // The request crossed a thread boundary as plain data: check it as strictly as an argument.
    const options = parseOptions(backtestOptions, request.options, `sweep configuration ${request.index}`);
    const result = runBacktest({ ...options, signals, market, universe });
    response = { index: request.index, summary: summarizeBacktest(result) };
  } catch (error) {
    response = { index: request.index, error: failure(error) };
  }
  parentPort!.postMessage(response);
});
