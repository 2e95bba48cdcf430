import { rm } from "node:fs/promises";
import { join } from "node:path";
import { FAKE_SUBMISSION_ID, type FakeNumerai, mulberry32, startFakeNumerai, tempDir } from "@nmrblox/fixtures";
import { NumerFrame, writeCsv, writeParquet } from "@nmrblox/numerframe";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { expectOk, runCli, runJson } from "./helpers.js";

const KEYS = { NUMERAI_PUBLIC_ID: "PUBLICIDFAKE123", NUMERAI_SECRET_KEY: "SECRETKEYFAKE456" };
const MODEL = { id: "8c1a3f0e-2b4d-4e6f-9a1b-3c5d7e9f1a2b", name: "my_model", tournament: 12 };
const SYMBOLS = Array.from({ length: 120 }, (_, i) => `C${String(i).padStart(3, "0")}`);

let dir: string;

beforeAll(async () => {
  dir = await tempDir("nmrblox-cli-submit-");
  const rand = mulberry32(5);
  // A valid Crypto submission: 120 live symbols, tie-free values strictly inside (0, 1).
  const prediction = Float64Array.from(SYMBOLS, (_, i) => (i + 0.5 + rand() * 0.1) / 121);
  await writeCsv(NumerFrame.fromColumns({ symbol: SYMBOLS, prediction }), join(dir, "good.csv"), { sidecar: false });
  await writeParquet(NumerFrame.fromColumns({ symbol: [...SYMBOLS, "EXTRA"] }), join(dir, "live.parquet"));
  // A broken one: a duplicate, a NaN and a value above 1, among only 60 ids.
  const bad = Float64Array.from({ length: 60 }, (_, i) => i / 60);
  bad[3] = Number.NaN;
  bad[7] = 1.7;
  await writeCsv(NumerFrame.fromColumns({ symbol: [...SYMBOLS.slice(0, 59), SYMBOLS[0]!], prediction: bad }), join(dir, "bad.csv"), { sidecar: false });
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe("nmrblox validate", () => {
  it("accepts a good file (exit 0) and reports ids outside the live universe", async () => {
    const { run, doc } = await runJson<{ valid: boolean; rows: number; idCol: string; predictionCol: string; liveUniverse: string; invalidIds: string[] }>(
      ["validate", "good.csv", "--tournament", "crypto", "--live", "live.parquet"],
      { cwd: dir },
    );
    expectOk(run);
    expect(doc).toMatchObject({ valid: true, rows: 120, idCol: "symbol", predictionCol: "prediction", liveUniverse: "file", invalidIds: [] });
    const human = await runCli(["validate", "good.csv", "--tournament", "crypto"], { cwd: dir });
    expectOk(human);
    expect(human.stdout).toContain("good.csv: a valid crypto submission");
    expect(human.stdout).toContain("coverage not checked");
  });

  it("rejects a bad file (exit 1) listing every broken rule, in the JSON document too", async () => {
    const { run, doc } = await runJson<{ exitCode: number; error: { code: string; path: string; problems: Array<{ rule: string }> } }>(
      ["validate", "bad.csv", "--tournament", "crypto", "--live", "live.parquet"],
      { cwd: dir },
    );
    expect(run.code).toBe(1);
    expect(doc.exitCode).toBe(1);
    expect(doc.error.code).toBe("INVALID_SUBMISSION");
    expect(doc.error.path).toBe("bad.csv");
    expect(doc.error.problems.map((p) => p.rule).sort()).toEqual(["duplicate-id", "missing-prediction", "out-of-range", "too-few-ids"].sort());
    expect(run.stderr).toContain("bad.csv");
  });

  it("names a misspelled tournament and the nearest one, exit 2", async () => {
    const run = await runCli(["validate", "good.csv", "--tournament", "crytpo"], { cwd: dir });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('did you mean "crypto"?');
  });
});

describe("nmrblox submit against the fake Numerai", () => {
  let fake: FakeNumerai;
  beforeEach(async () => {
    fake = await startFakeNumerai({ publicId: KEYS.NUMERAI_PUBLIC_ID, secretKey: KEYS.NUMERAI_SECRET_KEY, models: [MODEL], currentRound: { 12: 900 } });
  });
  afterEach(() => fake.close());

  const args = (...extra: string[]) => ["submit", "good.csv", "--model", "my_model", "--tournament", "crypto", "--live", "live.parquet", "--numerai-url", fake.url, "--dir", "upload", ...extra];

  it("--dry-run resolves the model, writes the file and sends none of the upload requests", async () => {
    const { run, doc } = await runJson<{ dryRun: boolean; modelId: string; path: string; requests: Array<{ step: string }> }>(args("--dry-run"), { cwd: dir, env: KEYS });
    expectOk(run);
    expect(doc.dryRun).toBe(true);
    expect(doc.modelId).toBe(MODEL.id);
    expect(doc.path).toBe(join(dir, "upload", "my_model_crypto.csv"));
    expect(doc.requests.map((r) => r.step)).toEqual(["upload-auth", "upload", "create"]);
    // Only the account lookup reached the server: no upload authorization, no PUT, no create.
    expect(fake.sequence()).toEqual(["POST models"]);
    expect(fake.count("submission_upload_auth") + fake.count("create_submission") + fake.count("upload")).toBe(0);
    expect(fake.uploads()).toEqual([]);
    // Keys never reach the output.
    expect(run.stdout + run.stderr).not.toContain(KEYS.NUMERAI_SECRET_KEY);
  });

  it("--dry-run with a model id needs no keys and sends no request at all", async () => {
    const run = await runCli(["submit", "good.csv", "--model", MODEL.id, "--tournament", "crypto", "--live", "live.parquet", "--numerai-url", fake.url, "--dir", "upload", "--dry-run"], {
      cwd: dir,
    });
    expectOk(run);
    expect(run.stdout).toContain("nothing was sent");
    expect(fake.sequence()).toEqual([]);
  });

  it("without --dry-run uploads in three steps and prints the submission id", async () => {
    const { run, doc } = await runJson<{ dryRun: boolean; submissionId: string }>(args(), { cwd: dir, env: KEYS });
    expectOk(run);
    expect(doc).toMatchObject({ dryRun: false, submissionId: FAKE_SUBMISSION_ID });
    expect(fake.uploads()).toHaveLength(1);
    expect(fake.uploads()[0]!.bytes.toString("utf8").split("\n")[0]).toBe("symbol,prediction");
  });

  it("without keys fails (exit 1) before any request, naming the missing credentials", async () => {
    const run = await runCli(args(), { cwd: dir });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("NUMERAI_SECRET_KEY");
    expect(fake.sequence()).toEqual([]);
  });
});
