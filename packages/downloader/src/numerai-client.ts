import { join } from "node:path";
import { InvalidOptionError, parseOptions } from "@nmrblox/numerframe";
import { z } from "zod";
import { defaultCacheDir } from "./default-cache-dir.js";
import { downloadFile, verifiedCacheSize } from "./download-file.js";
import { isSafeRelativePath, safeJoin } from "./safe-name.js";
import {
  DatasetNotFoundError,
  type GraphQLErrorEntry,
  InvalidResponseError,
  MissingCredentialsError,
  NumeraiGraphQLError,
} from "./errors.js";
import { type FetchWithRetryOptions, requestJson } from "./fetch-with-retry.js";
import type { OnProgress } from "./progress.js";
import { RateLimiter } from "./rate-limiter.js";
import { publicUrl, redactSecrets } from "./redact.js";
import { type RetryInfo, type RetryOptions, retryOptions } from "./retry.js";
import { type Tournament, tournamentId, tournamentName } from "./tournaments.js";

const fetchFunction = z.custom<typeof fetch>((v) => typeof v === "function", "must be a fetch function");
const callback = <T>() => z.custom<T>((v) => typeof v === "function", "must be a function");

/** Options of `new NumeraiClient()`: endpoint, keys, transport, rate limit, cache. */
export const numeraiClientOptions = z.strictObject({
  /** GraphQL endpoint; numerapi POSTs to the root path. */
  baseUrl: z.url().default("https://api-tournament.numer.ai"),
  /** API key id; defaults to NUMERAI_PUBLIC_ID. */
  publicId: z.string().min(1).optional(),
  /** API key secret; defaults to NUMERAI_SECRET_KEY. Never logged, stored or put in URLs. */
  secretKey: z.string().min(1).optional(),
  fetch: fetchFunction.optional(),
  retry: retryOptions.partial().optional(),
  /** Per-attempt timeout for GraphQL calls, ms; for file downloads, the stall timeout. */
  timeoutMs: z.number().positive().default(30_000),
  /** Requests per second across this client (GraphQL and files). */
  maxRequestsPerSecond: z.number().positive().default(10),
  /** Dataset cache folder; default NMRBLOX_CACHE_DIR or ~/.cache/nmrblox. */
  cacheDir: z.string().min(1).optional(),
  /** How long the current round number and current file list are reused, ms. */
  currentRoundTtlMs: z.number().min(0).default(10 * 60_000),
  /** Overall budget of each call (a GraphQL request, a whole file download), retries and waits included, ms. */
  deadlineMs: z.number().positive().optional(),
  /** Largest GraphQL answer read, bytes (default 64 MiB). */
  maxResponseBytes: z.number().int().positive().optional(),
  onRetry: callback<(info: RetryInfo) => void>().optional(),
});
/** Options of `new NumeraiClient()`, every one optional. */
export type NumeraiClientOptions = {
  baseUrl?: string;
  publicId?: string;
  secretKey?: string;
  fetch?: typeof fetch;
  retry?: RetryOptions;
  timeoutMs?: number;
  maxRequestsPerSecond?: number;
  cacheDir?: string;
  currentRoundTtlMs?: number;
  deadlineMs?: number;
  maxResponseBytes?: number;
  onRetry?: (info: RetryInfo) => void;
};

/** Which tournament and round a dataset call is about; `round` absent means the current one. */
export const datasetScope = z.strictObject({
  tournament: z.union([z.string(), z.number()]),
  round: z.number().int().positive().optional(),
});
/** A tournament (name or id) and an optional round. */
export type DatasetScope = { tournament: Tournament; round?: number };

/** Options of `NumeraiClient.downloadDataset`: the scope, plus cache folder, progress and abort signal. */
export const downloadDatasetOptions = datasetScope.extend({
  /** Cache folder for this call; the client's by default. */
  dir: z.string().min(1).optional(),
  onProgress: callback<OnProgress>().optional(),
  signal: z.instanceof(AbortSignal).optional(),
});
/** Options of `NumeraiClient.downloadDataset`, as callers give them. */
export type DownloadDatasetOptions = DatasetScope & { dir?: string; onProgress?: OnProgress; signal?: AbortSignal };

/** Options of `NumeraiClient.graphql`. */
export const graphqlOptions = z.strictObject({
  /** true: keys required (MissingCredentialsError without them); false: never sent; absent: sent when known. */
  auth: z.boolean().optional(),
  /** The name used in errors; read from the query by default. */
  operationName: z.string().min(1).optional(),
});
/** Options of `NumeraiClient.graphql`, as callers give them. */
export type GraphqlOptions = z.input<typeof graphqlOptions>;

/** One of the account's models. `tournament` is 8, 11 or 12. */
export interface NumeraiModel {
  id: string;
  name: string;
  tournament: number;
}

interface Memo<T> {
  value: Promise<T>;
  expires: number;
}

/**
 * A client for Numerai's public GraphQL API and dataset files. Reads need no keys; `models()`
 * and authenticated calls send `Authorization: Token PUBLIC$SECRET` (keys from the options or
 * NUMERAI_PUBLIC_ID / NUMERAI_SECRET_KEY). Keys live in private fields and are scrubbed from
 * every error message.
 *
 * @example
 * const client = new NumeraiClient({ cacheDir: "./cache" });
 * const round = await client.currentRound("crypto");
 * const path = await client.downloadDataset("crypto/v1.0/live.parquet", { tournament: "crypto" });
 */
export class NumeraiClient {
  readonly baseUrl: string;
  readonly cacheDir: string;
  /** HTTP requests sent so far (GraphQL and files, retries included). */
  get requestCount(): number {
    return this.#requests;
  }
  readonly #publicId: string | undefined;
  readonly #secretKey: string | undefined;
  readonly #transport: FetchWithRetryOptions;
  readonly #ttlMs: number;
  readonly #memo = new Map<string, Memo<unknown>>();
  #requests = 0;

  /**
   * @param options - endpoint, keys, retry policy, timeouts, rate limit and cache folder
   * @throws InvalidOptionError naming every unknown or invalid option (no request is made)
   */
  constructor(options: NumeraiClientOptions = {}) {
    const opts = parseOptions(numeraiClientOptions, options, "NumeraiClient");
    this.baseUrl = opts.baseUrl;
    this.cacheDir = opts.cacheDir ?? defaultCacheDir();
    this.#publicId = opts.publicId ?? (process.env.NUMERAI_PUBLIC_ID || undefined);
    this.#secretKey = opts.secretKey ?? (process.env.NUMERAI_SECRET_KEY || undefined);
    this.#ttlMs = opts.currentRoundTtlMs;
    const baseFetch = opts.fetch ?? globalThis.fetch;
    this.#transport = {
      ...opts.retry,
      timeoutMs: opts.timeoutMs,
      ...(opts.deadlineMs !== undefined ? { deadlineMs: opts.deadlineMs } : {}),
      ...(opts.maxResponseBytes !== undefined ? { maxResponseBytes: opts.maxResponseBytes } : {}),
      limiter: new RateLimiter({ maxRequestsPerSecond: opts.maxRequestsPerSecond }),
      secrets: [this.#secretKey, this.#publicId],
      fetch: (input, init) => {
        this.#requests++;
        return baseFetch(input, init);
      },
      ...(opts.onRetry ? { onRetry: opts.onRetry } : {}),
    };
  }

  /** True when both the public id and the secret key are known. */
  hasCredentials(): boolean {
    return this.#publicId !== undefined && this.#secretKey !== undefined;
  }

  /**
   * Runs a GraphQL query or mutation and returns its `data`. `auth: true` requires keys
   * (MissingCredentialsError, no request), `auth: false` never sends them, absent sends them
   * when known. GraphQL `errors` (or a `{detail}` body) raise NumeraiGraphQLError carrying
   * `operationName` (given, or read from the query) and the server's errors.
   *
   * @param query - the GraphQL document
   * @param variables - its variables
   * @param options - `auth` and `operationName`
   * @returns the answer's `data`
   * @throws InvalidOptionError for an unknown option; MissingCredentialsError; NumeraiGraphQLError;
   *   HttpError, NetworkError or InvalidResponseError after the retries
   * @example
   * const data = await client.graphql<{ rounds: { number: number }[] }>(
   *   "query { rounds(tournament: 12, number: 0) { number } }", {}, { auth: false });
   */
  async graphql<T>(query: string, variables: Record<string, unknown> = {}, options: GraphqlOptions = {}): Promise<T> {
    const opts = parseOptions(graphqlOptions, options, "graphql");
    const operationName = opts.operationName ?? operationNameOf(query);
    const sendAuth = opts.auth ?? this.hasCredentials();
    if (sendAuth && !this.hasCredentials()) throw new MissingCredentialsError(operationName);
    const headers: Record<string, string> = { "content-type": "application/json", accept: "application/json" };
    if (sendAuth) headers.authorization = `Token ${this.#publicId}$${this.#secretKey}`;
    const url = this.baseUrl;
    const scrub = (s: string) => redactSecrets(s, [this.#secretKey, this.#publicId]);
    return requestJson(
      url,
      { method: "POST", headers, body: JSON.stringify({ query, variables }) },
      this.#transport,
      (json) => {
        if (json === null || typeof json !== "object") {
          throw new InvalidResponseError(publicUrl(url), "GraphQL answer is not an object");
        }
        const body = json as { data?: unknown; errors?: unknown; detail?: unknown };
        if (Array.isArray(body.errors) && body.errors.length > 0) {
          throw new NumeraiGraphQLError(operationName, body.errors.map((e) => cleanError(e, scrub)));
        }
        if (typeof body.detail === "string") {
          throw new NumeraiGraphQLError(operationName, [{ message: clip(scrub(body.detail)) }]);
        }
        if (body.data === undefined || body.data === null) {
          throw new InvalidResponseError(publicUrl(url), `GraphQL ${operationName} returned no data`);
        }
        return body.data as T;
      },
    );
  }

  /**
   * The dataset paths Numerai lists for a tournament and round (current round by default).
   *
   * @param scope - `tournament` (name or id) and optional `round`
   * @returns the listed paths, e.g. "crypto/v1.0/live.parquet"
   * @throws InvalidOptionError, UnknownTournamentError, NumeraiGraphQLError or a transport error
   * @example
   * const files = await client.listDatasets({ tournament: "crypto" });
   */
  async listDatasets(scope: DatasetScope): Promise<string[]> {
    const { tournament, round } = this.#scope(scope, "listDatasets");
    return this.#memoized(`list:${tournament}:${round ?? "current"}`, round === undefined, async () => {
      const data = await this.graphql<{ listDatasets: unknown }>(
        "query listDatasets($round: Int, $tournament: Int) { listDatasets(round: $round, tournament: $tournament) }",
        { round: round ?? null, tournament },
        { auth: false },
      );
      const list = z.array(z.string()).safeParse(data.listDatasets);
      if (!list.success) throw new InvalidResponseError(publicUrl(this.baseUrl), "listDatasets is not a list of strings");
      return list.data;
    });
  }

  /**
   * The number of the tournament's current round (`rounds(number: 0)`), reused for `currentRoundTtlMs`.
   *
   * @param tournament - "classic", "signals", "crypto" or the id
   * @returns the round number
   * @throws UnknownTournamentError, InvalidResponseError or a transport error
   * @example
   * const round = await client.currentRound("signals");
   */
  async currentRound(tournament: Tournament): Promise<number> {
    const id = tournamentId(tournament);
    return this.#memoized(`round:${id}`, true, async () => {
      const data = await this.graphql<{ rounds: unknown }>(
        "query currentRound($tournament: Int!) { rounds(tournament: $tournament, number: 0) { number } }",
        { tournament: id },
        { auth: false },
      );
      const rounds = z.array(z.object({ number: z.number().int() })).min(1).safeParse(data.rounds);
      if (!rounds.success) throw new InvalidResponseError(publicUrl(this.baseUrl), "rounds(number: 0) returned no round");
      return rounds.data[0]!.number;
    });
  }

  /**
   * A download URL (usually pre-signed, so treat it as a secret) for a file listed by
   * listDatasets; a name that is not listed raises DatasetNotFoundError before the URL query.
   *
   * @param filename - a path listDatasets offers
   * @param scope - `tournament` and optional `round`
   * @returns the URL
   * @throws InvalidOptionError for a bad filename or scope; DatasetNotFoundError; a transport error
   * @example
   * const url = await client.datasetUrl("v5.2/live.parquet", { tournament: "classic" });
   */
  async datasetUrl(filename: string, scope: DatasetScope): Promise<string> {
    const { tournament, round } = this.#scope(scope, "datasetUrl");
    checkFilename(filename, "datasetUrl");
    await this.#requireListed(filename, tournament, round);
    return this.#datasetUrl(filename, tournament, round);
  }

  /**
   * The account's models (auth): id, name and tournament (8, 11, 12).
   *
   * @returns every model of the account
   * @throws MissingCredentialsError without keys; NumeraiGraphQLError; a transport error
   * @example
   * const names = (await client.models()).map((m) => m.name);
   */
  async models(): Promise<NumeraiModel[]> {
    if (!this.hasCredentials()) throw new MissingCredentialsError("models");
    const data = await this.graphql<{ account: unknown }>(
      "query models { account { models { id name tournament } } }",
      {},
      { auth: true },
    );
    const parsed = z
      .object({ models: z.array(z.object({ id: z.string(), name: z.string(), tournament: z.number().int() })) })
      .safeParse(data.account);
    if (!parsed.success) throw new InvalidResponseError(publicUrl(this.baseUrl), "account.models has an unexpected shape");
    return parsed.data.models;
  }

  /**
   * Downloads a dataset file into the cache and returns its local path,
   * `<dir>/numerai/<tournament>/round-<round>/<filename>`. A file already there is returned
   * without any request when `round` is given (and, for the current round, once this client
   * knows the round number). Files arrive through `<path>.partial`, resume with Range after a
   * drop, are size-checked and renamed into place.
   *
   * @param filename - a path listDatasets offers
   * @param options - `tournament`, `round`, `dir`, `onProgress`, `signal`
   * @returns the local path
   * @throws InvalidOptionError; UnknownTournamentError; DatasetNotFoundError; IncompleteDownloadError;
   *   HttpError or NetworkError after the retries
   * @example
   * const path = await client.downloadDataset("crypto/v1.0/train_targets.parquet", { tournament: "crypto" });
   */
  async downloadDataset(filename: string, options: DownloadDatasetOptions): Promise<string> {
    const opts = parseOptions(downloadDatasetOptions, options, "downloadDataset");
    const { tournament, round } = resolveScope(opts);
    checkFilename(filename, "downloadDataset");
    const dir = opts.dir ?? this.cacheDir;
    const roundKey = round ?? (await this.currentRound(tournament));
    const path = datasetCachePath(dir, tournamentName(tournament), roundKey, filename);
    const cached = await verifiedCacheSize(path);
    if (cached !== undefined) {
      opts.onProgress?.({ task: "download", item: filename, done: cached, total: cached, unit: "bytes", fromCache: true });
      return path;
    }
    // Concurrent callers for the same file share one listing, URL and download.
    const running = sharedDownloads.get(path);
    if (running) return running;
    const job = (async () => {
      await this.#requireListed(filename, tournament, round);
      const url = await this.#datasetUrl(filename, tournament, round);
      await downloadFile(url, path, {
        transport: this.#transport,
        label: filename,
        refreshUrl: () => this.#datasetUrl(filename, tournament, round),
        ...(opts.onProgress ? { onProgress: opts.onProgress } : {}),
        ...(opts.signal ? { signal: opts.signal } : {}),
      });
      return path;
    })().finally(() => sharedDownloads.delete(path));
    sharedDownloads.set(path, job);
    return job;
  }

  #scope(scope: unknown, context: string): { tournament: number; round: number | undefined } {
    return resolveScope(parseOptions(datasetScope, scope, context));
  }

  async #requireListed(filename: string, tournament: number, round: number | undefined): Promise<void> {
    const listed = await this.listDatasets({ tournament, ...(round !== undefined ? { round } : {}) });
    if (!listed.includes(filename)) throw new DatasetNotFoundError(filename, tournament, listed, round);
  }

  async #datasetUrl(filename: string, tournament: number, round: number | undefined): Promise<string> {
    const data = await this.graphql<{ dataset: unknown }>(
      "query dataset($filename: String!, $round: Int, $tournament: Int) { dataset(filename: $filename, round: $round, tournament: $tournament) }",
      { filename, round: round ?? null, tournament },
      { auth: false },
    );
    if (typeof data.dataset !== "string" || data.dataset === "") {
      throw new InvalidResponseError(publicUrl(this.baseUrl), `dataset(${filename}) returned no URL`);
    }
    return new URL(data.dataset, this.baseUrl).toString();
  }

  /** Shares one in-flight or finished call per key; `expiring` entries live `currentRoundTtlMs`. */
  #memoized<T>(key: string, expiring: boolean, make: () => Promise<T>): Promise<T> {
    const now = Date.now();
    const hit = this.#memo.get(key);
    if (hit && hit.expires > now) return hit.value as Promise<T>;
    const value = make();
    this.#memo.set(key, { value, expires: expiring ? now + this.#ttlMs : Infinity });
    value.catch(() => this.#memo.delete(key));
    return value;
  }
}

/**
 * The operation name of a GraphQL document: its declared name, else its first field.
 *
 * @param query - the GraphQL document
 * @returns the name
 * @example
 * operationNameOf("query models { account { models { id } } }"); // "models"
 * @throws nothing: a document without a name or field is "anonymous"
 */
export function operationNameOf(query: string): string {
  const named = /^\s*(?:query|mutation|subscription)\s+([A-Za-z_]\w*)/.exec(query);
  if (named) return named[1]!;
  const field = /\{\s*([A-Za-z_]\w*)/.exec(query);
  return field ? field[1]! : "anonymous";
}

/** Longest GraphQL error message kept, characters (after redaction). */
const GRAPHQL_MESSAGE_CHARS = 1000;

function cleanError(e: unknown, scrub: (s: string) => string): GraphQLErrorEntry {
  // Redact the whole entry first, then shorten: a secret straddling the cut never leaves a prefix.
  if (e !== null && typeof e === "object" && typeof (e as { message?: unknown }).message === "string") {
    const entry = JSON.parse(scrub(JSON.stringify(e))) as GraphQLErrorEntry;
    return { ...entry, message: clip(entry.message) };
  }
  return { message: clip(scrub(JSON.stringify(e) ?? String(e))) };
}

const clip = (s: string) => (s.length <= GRAPHQL_MESSAGE_CHARS ? s : `${s.slice(0, GRAPHQL_MESSAGE_CHARS)}…`);

function resolveScope(scope: { tournament: string | number; round?: number | undefined }): { tournament: number; round: number | undefined } {
  return { tournament: tournamentId(scope.tournament as Tournament), round: scope.round };
}

function checkFilename(filename: string, where: string): void {
  if (typeof filename !== "string" || !isSafeRelativePath(filename)) {
    throw new InvalidOptionError(where, [{ path: "filename", message: `not a dataset path: ${JSON.stringify(filename)}` }]);
  }
}

const sharedDownloads = new Map<string, Promise<string>>();

/**
 * Where a dataset file is cached; the path is checked to stay inside the cache folder.
 *
 * @param dir - the cache folder
 * @param tournament - "classic", "signals" or "crypto"
 * @param round - the round number
 * @param filename - the dataset path as listed
 * @returns `<dir>/numerai/<tournament>/round-<round>/<filename>`
 * @throws UnsafeNameError for a name with "..", a backslash, a control character or an absolute path
 * @example
 * datasetCachePath("/c", "crypto", 900, "crypto/v1.0/live.parquet"); // "/c/numerai/crypto/round-900/crypto/v1.0/live.parquet"
 */
export function datasetCachePath(dir: string, tournament: string, round: number, filename: string): string {
  const root = join(dir, "numerai", tournament, `round-${round}`);
  return safeJoin(root, filename, "dataset path");
}
