// Submitter benchmarks: validation and preparation at Numerai Classic validation scale (1M rows,
// far above a live round's ~6k), and a dry-run submit that writes the CSV. Figures are printed,
// never asserted.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { NumerFrame } from "@nmrblox/numerframe";
import { type SubmissionClient, prepareSubmission, submit, validateSubmission } from "@nmrblox/submitter";
import { bench, printResults } from "./harness.js";

let seed = 777;
const rand = () => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32);

const rows = 1_000_000;
const ids = Array.from({ length: rows }, (_, i) => `n${i.toString(36).padStart(8, "0")}`);
// Shuffled ids, as a model's output may come in any order.
for (let i = ids.length - 1; i > 0; i--) {
  const j = Math.floor(rand() * (i + 1));
  [ids[i], ids[j]] = [ids[j]!, ids[i]!];
}
const raw = Float64Array.from({ length: rows }, () => rand() * 4 - 2);
const frame = NumerFrame.fromColumns({ era: ids.map(() => "X"), id: ids, prediction_raw: raw });
const submission = prepareSubmission(frame, { tournament: "classic", column: "prediction_raw", liveIds: ids });
// A model id (UUID) skips the account lookup, so this client is never called.
const offline: SubmissionClient = {
  graphql: () => Promise.reject(new Error("offline")),
  models: () => Promise.reject(new Error("offline")),
};
const dir = mkdtempSync(join(tmpdir(), "nmrblox-bench-submit-"));

// A live Classic round is about 6k ids.
const liveIds = ids.slice(0, 6000);
const liveFrame = NumerFrame.fromColumns({ id: liveIds, prediction_raw: raw.slice(0, 6000) });
await bench({
  name: "prepare + validate classic live round (6k ids)",
  rows: 6000,
  runs: 20,
  run: () =>
    validateSubmission(prepareSubmission(liveFrame, { tournament: "classic", column: "prediction_raw", liveIds }), {
      tournament: "classic",
      liveIds,
    }),
});

await bench({
  name: "validateSubmission classic 1M rows / 1M live ids",
  rows,
  runs: 5,
  run: () => validateSubmission(submission, { tournament: "classic", liveIds: ids }),
});

await bench({
  name: "prepareSubmission 1M rows (live filter, tie-kept rank, sort)",
  rows,
  runs: 3,
  run: () => prepareSubmission(frame, { tournament: "classic", column: "prediction_raw", liveIds: ids }),
});

await bench({
  name: "submit dryRun 1M rows (validate + write CSV)",
  rows,
  runs: 3,
  run: () =>
    submit(submission, {
      tournament: "classic",
      model: "11111111-1111-4111-8111-111111111111",
      client: offline,
      liveIds: ids,
      dir,
      dryRun: true,
    }),
});

rmSync(dir, { recursive: true, force: true });
printResults("submitter");
