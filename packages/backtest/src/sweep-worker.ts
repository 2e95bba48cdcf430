// Worker side of `sweep`: rebuilds the frames once from Arrow IPC, then runs configurations on request.
import { parentPort, workerData } from "node:worker_threads";
import { NumerFrame } from "@nmrblox/numerframe";
import { tableFromIPC } from "apache-arrow";
import { runBacktest } from "./run-backtest.js";
import { summarizeBacktest } from "./summary.js";
import type { SweepRequest, SweepResponse, SweepWorkerData } from "./sweep-protocol.js";

const data = workerData as SweepWorkerData;
const frame = (bytes: Uint8Array | undefined) => (bytes === undefined ? undefined : NumerFrame.fromArrow(tableFromIPC(bytes)));
const signals = frame(data.signals)!;
const market = frame(data.market)!;
const universe = frame(data.universe);

parentPort!.on("message", (request: SweepRequest) => {
  let response: SweepResponse;
  try {
    const result = runBacktest({ ...request.options, signals, market, universe });
    response = { index: request.index, summary: summarizeBacktest(result) };
  } catch (error) {
    const e = error as Error & { code?: string };
    response = { index: request.index, error: { name: e.name, message: e.message, ...(e.code !== undefined ? { code: e.code } : {}) } };
  }
  parentPort!.postMessage(response);
});
