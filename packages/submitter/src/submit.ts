import { readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fetchWithRetry } from "@nmrblox/downloader";
import { type NumerFrame, parseOptions, requireFrame, writeCsv, writeParquet } from "@nmrblox/numerframe";
import { z } from "zod";
import { SubmitError, type SubmitStep, UnknownModelError } from "./errors.js";
import { liveIdsInput } from "./live-ids.js";
import { describeFailure, publicUrl } from "./redact.js";
import { TOURNAMENT_IDS, type SubmissionTournament, submissionTournament } from "./rules.js";
import { type UploadOperation, uploadOperations } from "./upload-operations.js";
import { type ValidatedSubmission, validateSubmission } from "./validate-submission.js";

/** What submit needs from a Numerai client (`NumeraiClient` of @nmrblox/downloader has it). */
export interface SubmissionClient {
  graphql<T>(query: string, variables?: Record<string, unknown>, options?: { auth?: boolean; operationName?: string }): Promise<T>;
  models(): Promise<ReadonlyArray<{ id: string; name: string; tournament: number | string | null }>>;
}

/** A step of submit, reported through `onProgress` as it starts. */
export interface SubmitProgress {
  step: "validate" | SubmitStep;
  message: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const SAFE_FILENAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/** Options of `submit`. */
export const submitOptions = z.strictObject({
  tournament: submissionTournament,
  /** A model name of this account (resolved to its id), or a model id (UUID) used as is. */
  model: z.string().min(1),
  client: z.custom<SubmissionClient>(
    (v) => typeof v === "object" && v !== null && typeof (v as SubmissionClient).graphql === "function" && typeof (v as SubmissionClient).models === "function",
    { message: "client must be a NumeraiClient (with graphql and models)" },
  ),
  /** The live universe the submission is checked against. */
  liveIds: liveIdsInput,
  format: z.enum(["csv", "parquet"]).default("csv"),
  /** Validate, resolve the model and write the file, but make none of the three upload requests. */
  dryRun: z.boolean().default(false),
  /** Folder for the file (created if needed); default `<os tmpdir>/nmrblox-submissions`. */
  dir: z.string().min(1).optional(),
  /** File name; default `<model>_<tournament>.<format>`. Letters, digits, `.`, `_`, `-` only. */
  filename: z.string().regex(SAFE_FILENAME, "letters, digits, '.', '_' and '-' only").optional(),
  /** Declares the predictions were made from an earlier day's data (YYYYMMDD), for delayed pipelines. */
  dataDatestamp: z.number().int().positive().optional(),
  /** Numerai Compute trigger id; default the TRIGGER_ID environment variable. */
  triggerId: z.string().min(1).optional(),
  /** Sent as the `x_compute_id` header of the PUT; default the NUMERAI_COMPUTE_ID environment variable. */
  computeId: z.string().min(1).optional(),
  /** The `source` argument of the create mutation (numerapi sends "numerapi"). */
  source: z.string().regex(/^[A-Za-z0-9_.-]+$/).default("numerapi"),
  /** Retries of the PUT on 5xx, 408, 429 and dropped connections (the client retries its GraphQL calls). */
  retries: z.number().int().min(0).default(3),
  baseDelayMs: z.number().min(0).default(500),
  maxDelayMs: z.number().min(0).default(8000),
  /** Per-attempt timeout of the PUT, ms. */
  timeoutMs: z.number().int().positive().default(600_000),
  /** The fetch used for the PUT (tests, proxies); the global fetch by default. */
  fetch: z.custom<typeof fetch>((v) => typeof v === "function").optional(),
  /** Extra strings that must never appear in errors (NUMERAI_SECRET_KEY and NUMERAI_PUBLIC_ID are always scrubbed). */
  secrets: z.array(z.string()).default([]),
  onProgress: z.custom<(event: SubmitProgress) => void>((v) => typeof v === "function").optional(),
});
/** Options of `submit`, as callers give them. */
export type SubmitOptions = z.input<typeof submitOptions>;

/** One request of the upload flow, as sent (or, in a dry run, as it would be sent). */
export type PlannedRequest =
  | { step: "upload-auth" | "create"; operationName: string; query: string; variables: Record<string, unknown> }
  | { step: "upload"; method: "PUT"; url: string; bytes: number; headers: Record<string, string> };

interface SubmitCommon {
  tournament: SubmissionTournament;
  tournamentId: number;
  modelId: string;
  modelName: string;
  /** The local file written (kept after the upload). */
  path: string;
  format: "csv" | "parquet";
  bytes: number;
  validation: ValidatedSubmission;
}

/** A dry run: everything that would be sent. `url` and the server filename come from step 1, so they are placeholders. */
export interface DryRunResult extends SubmitCommon {
  dryRun: true;
  requests: PlannedRequest[];
}

/** A submission Numerai accepted. */
export interface SubmittedResult extends SubmitCommon {
  dryRun: false;
  submissionId: string;
  /** The server-side filename Numerai assigned in step 1. */
  serverFilename: string;
}

/** What `submit` returns: a dry run's plan or an accepted submission. */
export type SubmitResult = DryRunResult | SubmittedResult;

const SERVER_FILENAME_PLACEHOLDER = "<filename from upload-auth>";
const SIGNED_URL_PLACEHOLDER = "<signed url from upload-auth>";

/**
 * Validates a submission (nothing is sent if it is invalid), resolves the model name to its id,
 * writes the file atomically (CSV without sidecar, or Parquet) and uploads it in Numerai's three
 * steps: upload auth (a signed URL), PUT of the raw bytes to it with no Content-Type, then the
 * create mutation. Signals uses its own operations. Transient failures retry (the client retries
 * its GraphQL calls; the PUT retries here). A failure names its step in SubmitError; after the
 * PUT it says the file was uploaded but not registered. `dryRun` stops before the three requests
 * and returns them. Errors never contain the API secret or the signed URL's query string.
 * Options are checked first: a misspelled one (`dryrun`) stops everything before any request.
 *
 * @param frame - the submission (see `prepareSubmission`)
 * @param options - `tournament`, `model`, `client`, `liveIds`, `format`, `dryRun`, `dir`,
 *   `filename`, `dataDatestamp`, `triggerId`, `computeId`, `source`, retry and timeout settings,
 *   `fetch`, `secrets`, `onProgress`
 * @returns the submission id (or, for a dry run, the requests that would be sent), the file and
 *   the validation
 * @throws InvalidOptionError (nothing sent); SubmissionError (nothing sent); UnknownModelError;
 *   SubmitError naming the failed step and whether the file was already uploaded
 * @example
 * const client = new NumeraiClient();
 * const result = await submit(submission, { tournament: "crypto", model: "my_model", client, liveIds: live, dryRun: true });
 */
export async function submit(frame: NumerFrame, options: SubmitOptions): Promise<SubmitResult> {
  const opts = parseOptions(submitOptions, options, "submit");
  requireFrame(frame, "frame", "submit");
  // The client scrubs its own keys from its errors; this also covers keys it took from the environment.
  const secrets = [process.env.NUMERAI_SECRET_KEY, process.env.NUMERAI_PUBLIC_ID, ...opts.secrets];
  const progress = (step: SubmitProgress["step"], message: string) => opts.onProgress?.({ step, message });
  const tournamentId = TOURNAMENT_IDS[opts.tournament];

  progress("validate", `checking ${frame.numRows} rows against the ${opts.tournament} rules`);
  const validation = validateSubmission(frame, { tournament: opts.tournament, liveIds: opts.liveIds });

  progress("resolve-model", `resolving model "${opts.model}"`);
  const { modelId, modelName } = await resolveModel(opts.client, opts.model, opts.tournament, secrets);

  const filename = opts.filename ?? `${safeName(modelName)}_${opts.tournament}.${opts.format}`;
  const path = join(opts.dir ?? join(tmpdir(), "nmrblox-submissions"), filename);
  progress("write-file", `writing ${path}`);
  let bytes: Uint8Array;
  try {
    if (opts.format === "csv") await writeCsv(frame, path, { sidecar: false });
    else await writeParquet(frame, path);
    bytes = new Uint8Array(await readFile(path));
  } catch (err) {
    throw new SubmitError("write-file", describeFailure(err, secrets), { path });
  }

  const { auth, create } = uploadOperations(opts.tournament, opts.source);
  const triggerId = opts.triggerId ?? process.env.TRIGGER_ID;
  const computeId = opts.computeId ?? process.env.NUMERAI_COMPUTE_ID;
  const authVariables = { filename, tournament: tournamentId, modelId };
  const createVariables = (serverFilename: string): Record<string, unknown> => ({
    filename: serverFilename,
    ...(opts.tournament === "signals" ? {} : { tournament: tournamentId }),
    modelId,
    triggerId: triggerId ?? null,
    dataDatestamp: opts.dataDatestamp ?? null,
  });
  const putHeaders: Record<string, string> = computeId !== undefined ? { x_compute_id: computeId } : {};
  const common: SubmitCommon = {
    tournament: opts.tournament,
    tournamentId,
    modelId,
    modelName,
    path,
    format: opts.format,
    bytes: bytes.byteLength,
    validation,
  };

  if (opts.dryRun) {
    return {
      ...common,
      dryRun: true,
      requests: [
        { step: "upload-auth", operationName: auth.operationName, query: auth.query, variables: authVariables },
        { step: "upload", method: "PUT", url: SIGNED_URL_PLACEHOLDER, bytes: bytes.byteLength, headers: putHeaders },
        { step: "create", operationName: create.operationName, query: create.query, variables: createVariables(SERVER_FILENAME_PLACEHOLDER) },
      ],
    };
  }

  progress("upload-auth", `asking for an upload URL (${auth.operationName})`);
  const slot = await runGraphql<{ filename?: unknown; url?: unknown }>(opts.client, auth, authVariables, "upload-auth", secrets, false);
  if (typeof slot?.filename !== "string" || typeof slot.url !== "string") {
    throw new SubmitError("upload-auth", `${auth.operationName} answered without filename and url`);
  }
  const serverFilename = slot.filename;
  const signedUrl = slot.url;

  progress("upload", `uploading ${bytes.byteLength} bytes to ${publicUrl(signedUrl)}`);
  try {
    const res = await fetchWithRetry(
      signedUrl,
      // A Uint8Array body gets no Content-Type from fetch: the signed URL was not signed for one.
      { method: "PUT", body: bytes, headers: putHeaders },
      {
        retries: opts.retries,
        baseDelayMs: opts.baseDelayMs,
        maxDelayMs: opts.maxDelayMs,
        timeoutMs: opts.timeoutMs,
        fetch: putFollowingRedirects(opts.fetch ?? globalThis.fetch, bytes),
        secrets,
      },
    );
    await res.body?.cancel().catch(() => undefined);
  } catch (err) {
    const status = (err as { status?: unknown }).status;
    throw new SubmitError("upload", `PUT to ${publicUrl(signedUrl)} failed: ${describeFailure(err, secrets, [signedUrl])}`, {
      ...(typeof status === "number" ? { status } : {}),
    });
  }

  progress("create", `registering the upload (${create.operationName})`);
  const created = await runGraphql<{ id?: unknown }>(opts.client, create, createVariables(serverFilename), "create", secrets, true, serverFilename);
  if (typeof created?.id !== "string" && typeof created?.id !== "number") {
    throw new SubmitError("create", `${create.operationName} answered without a submission id (the file was uploaded as "${serverFilename}")`, {
      uploaded: true,
    });
  }
  return { ...common, dryRun: false, submissionId: String(created.id), serverFilename };
}

async function runGraphql<T>(
  client: SubmissionClient,
  op: UploadOperation,
  variables: Record<string, unknown>,
  step: SubmitStep,
  secrets: readonly (string | undefined)[],
  uploaded: boolean,
  serverFilename?: string,
): Promise<T | undefined> {
  try {
    const data = await client.graphql<Record<string, T | undefined>>(op.query, variables, { auth: true, operationName: op.operationName });
    return data?.[op.field];
  } catch (err) {
    const status = (err as { status?: unknown }).status;
    const after = uploaded ? `the file was uploaded as "${serverFilename}" but registering it failed: ` : "";
    throw new SubmitError(step, `${after}${op.operationName}: ${describeFailure(err, secrets)}`, {
      uploaded,
      ...(typeof status === "number" ? { status } : {}),
    });
  }
}

/** The model's id: a UUID is taken as is; a name is looked up among the account's models of this tournament. */
async function resolveModel(
  client: SubmissionClient,
  model: string,
  tournament: SubmissionTournament,
  secrets: readonly (string | undefined)[],
): Promise<{ modelId: string; modelName: string }> {
  if (UUID.test(model)) return { modelId: model, modelName: model };
  let models: Awaited<ReturnType<SubmissionClient["models"]>>;
  try {
    models = await client.models();
  } catch (err) {
    throw new SubmitError("resolve-model", `listing the account's models failed: ${describeFailure(err, secrets)}`);
  }
  const tid = TOURNAMENT_IDS[tournament];
  const own = models.filter((m) => Number(m.tournament) === tid);
  const hit = own.find((m) => m.name === model) ?? own.find((m) => m.name.toLowerCase() === model.toLowerCase());
  if (hit === undefined) throw new UnknownModelError(model, tournament, own.map((m) => m.name).sort());
  return { modelId: hit.id, modelName: hit.name };
}

/** Most 307/308 hops one PUT follows. */
const MAX_REDIRECTS = 5;

/**
 * A fetch for the PUT that sends a fresh copy of the body on every request and follows 307/308
 * itself: fetch's own redirect re-send fails on a Uint8Array body ("detached ArrayBuffer"), and
 * S3 answers 307 to send a PUT to a regional endpoint.
 */
function putFollowingRedirects(baseFetch: typeof fetch, bytes: Uint8Array): typeof fetch {
  return async (input, init) => {
    let url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
    for (let hop = 0; ; hop++) {
      const res = await baseFetch(url, { ...init, body: bytes.slice(), redirect: "manual" });
      const location = res.headers.get("location");
      if ((res.status !== 307 && res.status !== 308) || location === null || hop >= MAX_REDIRECTS) return res;
      await res.body?.cancel().catch(() => undefined);
      url = new URL(location, url).toString();
    }
  };
}

const safeName = (name: string) => name.replace(/[^A-Za-z0-9._-]/g, "_").replace(/^[._-]+/, "") || "model";
