// # Prepare, validate and dry-run a Numerai Signals submission
// A submission is one date's predictions for the live universe, as ranks in (0, 1). This
// notebook turns raw model scores into a submission, validates it with Numerai's own rules
// (and shows what a broken one reports), then runs the upload as a dry run: the file is
// written and the three requests are planned, but nothing is sent.
//
// Run: `pnpm --filter @nmrblox/example-signals-submission start` (flags: `--small`,
// `--tournament signals|crypto`, `--model <uuid or name>`, `--out`). Synthetic ids stand in
// for real tickers ("AAPL US" style `numerai_ticker`s in Signals, coin symbols in Crypto).
import { join } from "node:path";
import { parseArgs } from "node:util";
import { NumeraiClient } from "@nmrblox/downloader";
import { writeFileAtomic } from "@nmrblox/numerframe";
import { SubmissionError, prepareSubmission, submit, validateSubmission } from "@nmrblox/submitter";
import { syntheticCrypto } from "@nmrblox/synthetic";

const { values: flags } = parseArgs({
  options: {
    small: { type: "boolean", default: false },
    tournament: { type: "string", default: "signals" },
    // A model id (UUID) is used as is: a dry run then needs no account lookup and no keys.
    model: { type: "string", default: "00000000-0000-4000-8000-000000000000" },
    out: { type: "string", default: join(import.meta.dirname, "out") },
  },
});
const tournament = flags.tournament === "crypto" ? "crypto" : "signals";
const idCol = tournament === "signals" ? "numerai_ticker" : "symbol";

// ## The live universe and a model's raw scores
// The last date of the synthetic universe plays "today". Our "model" outputs unbounded scores
// (the meta model's logit): prepareSubmission ranks them, so any scale works.
const data = syntheticCrypto({ symbols: flags.small ? 150 : 500, start: "2025-01-01", end: "2025-03-31" });
const dates = data.signals.strings("date");
const today = dates.at(-1)!;
const latest = data.signals.filter((i) => dates[i] === today).rename({ symbol: idCol }).withMeta({ idCol });
const liveIds = latest.strings(idCol);
const raw = latest.withColumn("raw_score", Float64Array.from(latest.float64("prediction"), (p) => 3 * Math.log(p / (1 - p))));
console.log(`## ${tournament}: ${liveIds.length} live ids on ${today}`);

// ## Prepare: keep live ids, tie-kept ranks in (0, 1), sorted by id, two columns
const submission = prepareSubmission(raw, { tournament, column: "raw_score", liveIds, predictionCol: "signal" });
const signal = submission.float64("signal");
console.log(`   columns ${submission.columnNames.join(", ")}; ${submission.numRows} rows; signal in [${Math.min(...signal).toFixed(4)}, ${Math.max(...signal).toFixed(4)}]`);

// ## Validate: the same rules Numerai applies on upload
const checked = validateSubmission(submission, { tournament, liveIds });
console.log(`   valid: ${checked.rows} live rows, id column ${checked.idCol}, prediction column ${checked.predictionCol}`);

// ## What a broken submission reports: every problem at once, naming the ids
const broken = raw.filter((i) => i < 80).withColumn("prediction", Float64Array.from(raw.float64("raw_score").subarray(0, 80))).select([idCol, "prediction"]);
let problems: Array<{ rule: string; count: number; ids: readonly string[] }> = [];
try {
  validateSubmission(broken, { tournament, liveIds });
} catch (error) {
  if (!(error instanceof SubmissionError)) throw error;
  problems = error.problems.map(({ rule, count, ids }) => ({ rule, count, ids }));
  console.log("## A broken submission (raw scores, 80 rows):");
  for (const p of error.problems) console.log(`   [${p.rule}] ${p.message}`);
}

// ## Dry-run the upload: validate, write the file, plan the three requests, send nothing
const client = new NumeraiClient(); // keys from NUMERAI_PUBLIC_ID / NUMERAI_SECRET_KEY; unused in a dry run with a model id
const plan = await submit(submission, { tournament, model: flags.model, client, liveIds, dryRun: true, dir: flags.out, format: "csv" });
if (!plan.dryRun) throw new Error("expected a dry run");
console.log(`## Dry run: wrote ${plan.path} (${plan.bytes} bytes); would send:`);
for (const r of plan.requests) console.log(`   ${r.step}: ${"operationName" in r ? r.operationName : `${r.method} ${r.url} (${r.bytes} bytes)`}`);

await writeFileAtomic(
  join(flags.out, "summary.json"),
  JSON.stringify({ tournament, date: today, liveIds: liveIds.length, rows: checked.rows, file: plan.path, requests: plan.requests.map((r) => r.step), problems }, null, 2),
);
console.log(`## Wrote ${join(flags.out, "summary.json")}. To really submit: drop dryRun, set NUMERAI_PUBLIC_ID / NUMERAI_SECRET_KEY.`);
