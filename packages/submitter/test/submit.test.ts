import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { NumeraiClient } from "@nmrblox/downloader";
import {
  FAKE_SIGNED_QUERY as SIGNATURE_QUERY,
  FAKE_SUBMISSION_ID as SUBMISSION_ID,
  type Fault,
  type FakeNumerai,
  startFakeNumerai,
  withTempDir,
} from "@nmrblox/fixtures";
import { InvalidOptionError, readParquet } from "@nmrblox/numerframe";
import { afterEach, describe, expect, it } from "vitest";
import { SubmissionError, SubmitError, UnknownModelError, submit } from "../src/index.js";
import { makeIds, spreadValues, submissionFrame } from "./helpers.js";

const PUBLIC_ID = "PUBLICIDAAAA1111";
const SECRET = "SECRETKEYZZZZ9999NEVERSHOWN";
const MODELS = [
  { id: "11111111-1111-4111-8111-111111111111", name: "classic_model", tournament: 8 },
  { id: "22222222-2222-4222-8222-222222222222", name: "signals_model", tournament: 11 },
  { id: "33333333-3333-4333-8333-333333333333", name: "crypto_model", tournament: 12 },
  { id: "44444444-4444-4444-8444-444444444444", name: "other_classic", tournament: 8 },
];
const triggerId = process.env.TRIGGER_ID ?? null;

let fake: FakeNumerai | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

/** Numerai's gateway answering 503 to the create mutation `times` times. */
const createUnavailable = (times: number): Fault => ({
  target: "create_submission",
  kind: "status",
  status: 503,
  body: { detail: "Service Unavailable" },
  times,
});

async function setup(faults: Fault[] = []) {
  fake = await startFakeNumerai({ publicId: PUBLIC_ID, secretKey: SECRET, models: MODELS, faults });
  const client = new NumeraiClient({
    baseUrl: fake.url,
    publicId: PUBLIC_ID,
    secretKey: SECRET,
    retry: { retries: 2, baseDelayMs: 1, maxDelayMs: 5 },
    timeoutMs: 5000,
  });
  return { fake, client };
}

const classicIds = ["n0", "n1", "n2", "n3", "n4"];
const classicFrame = () => submissionFrame("id", classicIds, "prediction", [0.1, 0.3, 0.5, 0.7, 0.9]);
const cryptoIds = makeIds(100, "C");
const signalsIds = makeIds(100, "T");

describe("submit: the three-step upload", () => {
  it("Classic: resolves the model, then upload auth, PUT of the exact CSV without Content-Type, then create", async () => {
    const { fake, client } = await setup();
    await withTempDir(async (dir) => {
      const result = await submit(classicFrame(), {
        tournament: "classic",
        model: "classic_model",
        client,
        liveIds: classicIds,
        format: "csv",
        dir,
        filename: "preds.csv",
      });
      expect(result).toMatchObject({
        dryRun: false,
        submissionId: SUBMISSION_ID,
        modelId: MODELS[0]!.id,
        serverFilename: `uploads/${MODELS[0]!.id}/preds.csv`,
        tournamentId: 8,
        path: join(dir, "preds.csv"),
      });
      expect(fake.sequence()).toEqual(["POST models", "POST SubmissionUploadAuth", "PUT /bucket/preds.csv", "POST CreateSubmission"]);
      const calls = fake.graphqlCalls();
      expect(calls.map((c) => c.authorization)).toEqual(Array(3).fill(`Token ${PUBLIC_ID}$${SECRET}`));
      expect(calls[1]).toMatchObject({
        field: "submission_upload_auth",
        variables: { filename: "preds.csv", tournament: 8, modelId: MODELS[0]!.id },
      });
      expect(calls[2]).toMatchObject({
        field: "create_submission",
        variables: { filename: `uploads/${MODELS[0]!.id}/preds.csv`, tournament: 8, modelId: MODELS[0]!.id, triggerId, dataDatestamp: null },
      });
      const put = fake.server.requests[2]!;
      expect(put.url).toBe(`/bucket/preds.csv?${SIGNATURE_QUERY}`);
      expect(put.headers["content-type"]).toBeUndefined();
      expect(put.headers.authorization).toBeUndefined();
      expect(put.body).toBe("id,prediction\nn0,0.1\nn1,0.3\nn2,0.5\nn3,0.7\nn4,0.9\n");
      expect(await readFile(join(dir, "preds.csv"), "utf8")).toBe(put.body);
      // No metadata sidecar goes next to the file.
      expect(await readdir(dir)).toEqual(["preds.csv"]);
    });
  });

  it("Signals: uses submissionUploadSignalsAuth (tournament 11) and createSignalsSubmission (no tournament)", async () => {
    const { fake, client } = await setup();
    await withTempDir(async (dir) => {
      const frame = submissionFrame("numerai_ticker", signalsIds, "signal", spreadValues(100));
      const result = await submit(frame, {
        tournament: "signals",
        model: "SIGNALS_MODEL",
        client,
        liveIds: signalsIds,
        dir,
        dataDatestamp: 20250606,
        triggerId: "trigger-7",
      });
      expect(result).toMatchObject({ dryRun: false, submissionId: SUBMISSION_ID, modelName: "signals_model", tournamentId: 11 });
      expect(fake.sequence()).toEqual([
        "POST models",
        "POST SubmissionUploadSignalsAuth",
        "PUT /bucket/signals_model_signals.csv",
        "POST CreateSignalsSubmission",
      ]);
      const calls = fake.graphqlCalls();
      expect(calls[1]).toMatchObject({
        field: "submissionUploadSignalsAuth",
        variables: { filename: "signals_model_signals.csv", tournament: 11, modelId: MODELS[1]!.id },
      });
      expect(calls[2]!.field).toBe("createSignalsSubmission");
      expect(calls[2]!.variables).toEqual({
        filename: `uploads/${MODELS[1]!.id}/signals_model_signals.csv`,
        modelId: MODELS[1]!.id,
        triggerId: "trigger-7",
        dataDatestamp: 20250606,
      });
      const lines = fake.server.requests[2]!.body.split("\n");
      expect(lines[0]).toBe("numerai_ticker,signal");
      expect(lines[1]).toBe(`T000,${0.5 / 100}`);
    });
  });

  it("Crypto as Parquet: tournament 12 with the generic operations; the PUT carries the file's bytes", async () => {
    const { fake, client } = await setup();
    await withTempDir(async (dir) => {
      const frame = submissionFrame("symbol", cryptoIds, "prediction", spreadValues(100));
      const result = await submit(frame, { tournament: "crypto", model: "crypto_model", client, liveIds: cryptoIds, format: "parquet", dir });
      expect(result).toMatchObject({ dryRun: false, submissionId: SUBMISSION_ID, format: "parquet", tournamentId: 12 });
      expect(fake.graphqlCalls().map((c) => [c.operationName, c.variables.tournament])).toEqual([
        ["models", undefined],
        ["SubmissionUploadAuth", 12],
        ["CreateSubmission", 12],
      ]);
      const path = join(dir, "crypto_model_crypto.parquet");
      const onDisk = await readFile(path);
      const put = fake.server.requests[2]!;
      expect(put.method).toBe("PUT");
      expect(put.headers["content-type"]).toBeUndefined();
      expect(put.headers["content-length"]).toBe(String(onDisk.byteLength));
      expect(fake.uploads().map((u) => u.serverFilename)).toEqual([`uploads/${MODELS[2]!.id}/crypto_model_crypto.parquet`]);
      expect(fake.uploads()[0]!.bytes.equals(onDisk)).toBe(true);
      // Parquet magic at both ends: the bytes sent are a whole Parquet file.
      expect(onDisk.subarray(0, 4).toString("latin1")).toBe("PAR1");
      const back = await readParquet(path);
      expect(back.columnNames).toEqual(["symbol", "prediction"]);
      expect(back.strings("symbol")).toEqual(cryptoIds);
      expect(Array.from(back.float64("prediction"))).toEqual(Array.from(spreadValues(100)));
    });
  });
});

describe("submit: nothing leaves the machine unless it should", () => {
  it("an invalid submission makes no request at all and writes no file", async () => {
    const { fake, client } = await setup();
    await withTempDir(async (dir) => {
      const frame = submissionFrame("id", classicIds, "prediction", [0.1, Number.NaN, 0.5, 0.7, 1.5]);
      const err = await submit(frame, { tournament: "classic", model: "classic_model", client, liveIds: classicIds, dir }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(SubmissionError);
      expect((err as SubmissionError).rules).toEqual(["missing-prediction", "out-of-range"]);
      expect(fake.server.requests).toHaveLength(0);
      expect(await readdir(dir)).toEqual([]);
    });
  });

  it("dryRun writes the file and returns the three requests it would send, sending only the model lookup", async () => {
    const { fake, client } = await setup();
    await withTempDir(async (dir) => {
      const result = await submit(classicFrame(), { tournament: "classic", model: "classic_model", client, liveIds: classicIds, dir, dryRun: true });
      expect(fake.sequence()).toEqual(["POST models"]);
      if (!result.dryRun) throw new Error("expected a dry run");
      expect(result.requests.map((r) => r.step)).toEqual(["upload-auth", "upload", "create"]);
      expect(result.requests[0]).toMatchObject({
        operationName: "SubmissionUploadAuth",
        variables: { filename: "classic_model_classic.csv", tournament: 8, modelId: MODELS[0]!.id },
      });
      expect(result.requests[1]).toMatchObject({ method: "PUT", bytes: result.bytes, headers: {} });
      expect(result.requests[2]).toMatchObject({ operationName: "CreateSubmission", variables: { tournament: 8, modelId: MODELS[0]!.id } });
      expect((await readFile(result.path, "utf8")).split("\n")[0]).toBe("id,prediction");
      expect(result.bytes).toBe((await readFile(result.path)).byteLength);
    });
  });

  it("a misspelled dryRun is an InvalidOptionError naming dryRun, before any request or file", async () => {
    const { fake, client } = await setup();
    await withTempDir(async (dir) => {
      const options = { tournament: "classic", model: "classic_model", client, liveIds: classicIds, dir, dryrun: true };
      const err = await submit(classicFrame(), options as never).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(InvalidOptionError);
      expect((err as InvalidOptionError).code).toBe("INVALID_OPTION");
      expect((err as InvalidOptionError).problems).toEqual([{ path: "dryrun", message: "unknown option", suggestion: "dryRun" }]);
      expect((err as Error).message).toContain('did you mean "dryRun"?');
      expect(fake.server.requests).toHaveLength(0);
      expect(await readdir(dir)).toEqual([]);
    });
  });

  it("bad option values and a non-frame argument are InvalidOptionErrors, never ZodError or TypeError", async () => {
    const { fake, client } = await setup();
    const base = { tournament: "classic", model: "classic_model", client, liveIds: classicIds } as const;
    const bad = [
      () => submit(classicFrame(), { ...base, format: "xlsx" } as never),
      () => submit(classicFrame(), { ...base, retries: -1 }),
      () => submit(classicFrame(), { ...base, tournament: "stocks" } as never),
      () => submit(classicFrame(), { ...base, client: {} } as never),
      () => submit({ columnNames: ["id"] } as never, base),
    ];
    const paths: string[] = [];
    for (const call of bad) {
      const err = await call().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(InvalidOptionError);
      paths.push((err as InvalidOptionError).option!);
    }
    expect(paths).toEqual(["format", "retries", "tournament", "client", "frame"]);
    expect(fake.server.requests).toHaveLength(0);
  });

  it("a model id (UUID) is used as is, without the account lookup", async () => {
    const { fake, client } = await setup();
    await withTempDir(async (dir) => {
      await submit(classicFrame(), { tournament: "classic", model: MODELS[3]!.id, client, liveIds: classicIds, dir, dryRun: true });
      expect(fake.server.requests).toHaveLength(0);
    });
  });

  it("an unknown model name lists the account's models of that tournament and uploads nothing", async () => {
    const { fake, client } = await setup();
    await withTempDir(async (dir) => {
      const err = await submit(classicFrame(), { tournament: "classic", model: "crypto_model", client, liveIds: classicIds, dir }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(UnknownModelError);
      expect((err as UnknownModelError).message).toBe(
        'model "crypto_model" is not one of this account\'s classic models (classic_model, other_classic)',
      );
      expect(fake.sequence()).toEqual(["POST models"]);
    });
  });
});

describe("submit: failures", () => {
  it("a 5xx on the create step is retried and the submission succeeds", async () => {
    const { fake, client } = await setup([createUnavailable(2)]);
    await withTempDir(async (dir) => {
      const result = await submit(classicFrame(), { tournament: "classic", model: "classic_model", client, liveIds: classicIds, dir });
      expect(result).toMatchObject({ dryRun: false, submissionId: SUBMISSION_ID });
      expect(fake.sequence()).toEqual([
        "POST models",
        "POST SubmissionUploadAuth",
        "PUT /bucket/classic_model_classic.csv",
        "POST CreateSubmission",
        "POST CreateSubmission",
        "POST CreateSubmission",
      ]);
    });
  });

  it("a create failure after the upload names the step and the uploaded file, without the secret", async () => {
    const { client } = await setup([{ target: "create_submission", kind: "graphql-error", message: "token {auth} may not submit to this round" }]);
    await withTempDir(async (dir) => {
      const err = await submit(classicFrame(), { tournament: "classic", model: "classic_model", client, liveIds: classicIds, dir }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(SubmitError);
      const e = err as SubmitError;
      expect([e.step, e.uploaded, e.code]).toEqual(["create", true, "SUBMIT_CREATE"]);
      expect(e.message).toContain(`the file was uploaded as "uploads/${MODELS[0]!.id}/classic_model_classic.csv" but registering it failed`);
      expect(e.message).toContain("may not submit to this round");
      expect(`${e.message}\n${e.stack}`).not.toContain(SECRET);
    });
  });

  it("create failing with 5xx on every retry reports the create step", async () => {
    const { fake, client } = await setup([createUnavailable(10)]);
    await withTempDir(async (dir) => {
      const err = await submit(classicFrame(), { tournament: "classic", model: "classic_model", client, liveIds: classicIds, dir }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(SubmitError);
      expect([(err as SubmitError).step, (err as SubmitError).uploaded]).toEqual(["create", true]);
      expect((err as SubmitError).message).toContain("HTTP 503");
      expect(fake.sequence().filter((s) => s === "POST CreateSubmission")).toHaveLength(3);
    });
  });

  it("a failing PUT is retried, then reported as the upload step without the URL's signature", async () => {
    const { fake, client } = await setup([{ target: "upload", kind: "status", status: 500, times: Number.POSITIVE_INFINITY }]);
    await withTempDir(async (dir) => {
      const err = await submit(classicFrame(), {
        tournament: "classic",
        model: "classic_model",
        client,
        liveIds: classicIds,
        dir,
        retries: 2,
        baseDelayMs: 1,
        maxDelayMs: 2,
      }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(SubmitError);
      const e = err as SubmitError;
      expect([e.step, e.uploaded, e.status]).toEqual(["upload", false, 500]);
      expect(e.message).toContain(`PUT to ${fake.url}/bucket/classic_model_classic.csv failed`);
      expect(e.message).not.toContain(SIGNATURE_QUERY);
      expect(fake.sequence().filter((s) => s.startsWith("PUT"))).toHaveLength(3);
      expect(fake.sequence()).not.toContain("POST CreateSubmission");
    });
  });

  it("a PUT answered 307 is sent again, whole, to the new location (no detached ArrayBuffer); a retried PUT too", async () => {
    const { fake, client } = await setup([{ target: "upload", kind: "redirect" }]);
    await withTempDir(async (dir) => {
      // No retries: the redirect itself must work, not a retry after a crash.
      const first = await submit(classicFrame(), { tournament: "classic", model: "classic_model", client, liveIds: classicIds, dir, retries: 0 });
      expect(first.dryRun).toBe(false);
      expect(fake.server.requests.filter((r) => r.method === "PUT")).toHaveLength(2);
      fake.faults.push({ target: "upload", kind: "status", status: 503 }, { target: "upload", kind: "redirect" });
      const result = await submit(classicFrame(), { tournament: "classic", model: "classic_model", client, liveIds: classicIds, dir, baseDelayMs: 1, maxDelayMs: 2 });
      expect(result.dryRun).toBe(false);
      const puts = fake.server.requests.filter((r) => r.method === "PUT");
      expect(puts).toHaveLength(5);
      const file = await readFile(result.path, "utf8");
      for (const put of puts) expect(put.body).toBe(file);
      expect(fake.uploads()).toHaveLength(2);
      expect(fake.uploads()[1]!.bytes.toString("utf8")).toBe(file);
    });
  });

  it("the secret never appears in results, progress messages, errors or written files", async () => {
    const { client } = await setup([createUnavailable(1)]);
    await withTempDir(async (dir) => {
      const seen: string[] = [];
      const ok = await submit(classicFrame(), {
        tournament: "classic",
        model: "classic_model",
        client,
        liveIds: classicIds,
        dir,
        format: "parquet",
        onProgress: (e) => seen.push(`${e.step}: ${e.message}`),
      });
      seen.push(JSON.stringify(ok));
      expect(seen.map((s) => s.split(":")[0])).toContain("create");
      const wrongKey = new NumeraiClient({ baseUrl: client.baseUrl, publicId: PUBLIC_ID, secretKey: `${SECRET}X`, retry: { retries: 0 } });
      const err = await submit(classicFrame(), { tournament: "classic", model: "classic_model", client: wrongKey, liveIds: classicIds, dir }).catch(
        (e: unknown) => e as Error,
      );
      expect(err).toBeInstanceOf(SubmitError);
      expect((err as SubmitError).step).toBe("resolve-model");
      seen.push(String(err), (err as Error).stack ?? "");
      for (const name of await readdir(dir)) seen.push((await readFile(join(dir, name))).toString("latin1"));
      expect(seen.length).toBeGreaterThan(5);
      for (const text of seen) expect(text).not.toContain(SECRET);
    });
  });
});
