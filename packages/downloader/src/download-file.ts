import { createHash, randomBytes } from "node:crypto";
import { mkdir, open, readFile, readdir, rename, rm, stat } from "node:fs/promises";
import { hostname } from "node:os";
import { basename, dirname, join, resolve } from "node:path";
import { parseOptions, writeFileAtomic } from "@nmrblox/numerframe";
import { z } from "zod";
import { ChecksumMismatchError, DeadlineExceededError, HttpError, IncompleteDownloadError } from "./errors.js";
import { type FetchWithRetryOptions, fetchWithRetryOptions, requestWithRetry } from "./fetch-with-retry.js";
import type { OnProgress } from "./progress.js";
import { RetryableFailure } from "./retry.js";

const fn = <T>() => z.custom<T>((v) => typeof v === "function", "must be a function");

/** The schema of DownloadFileOptions, checked by `downloadFile`. */
export const downloadFileOptions = z.strictObject({
  transport: fetchWithRetryOptions,
  label: z.string().min(1),
  onProgress: fn<OnProgress>().optional(),
  refreshUrl: fn<() => Promise<string>>().optional(),
  signal: z.instanceof(AbortSignal).optional(),
  deadlineMs: z.number().positive().optional(),
});

/** Options of `downloadFile`. */
export interface DownloadFileOptions {
  transport: FetchWithRetryOptions;
  /** The name shown in progress events and errors (never the URL: it may be signed). */
  label: string;
  onProgress?: OnProgress;
  /** Gets a fresh URL when the current one is refused (an expired pre-signed URL answers 403). */
  refreshUrl?: () => Promise<string>;
  signal?: AbortSignal;
  /** Overall budget of the download (every attempt, resume, URL refresh and wait), ms. */
  deadlineMs?: number;
}

/** What the cache manifest records about a published file; a cached file is served only while it matches. */
export interface CacheRecord {
  format: "nmrblox.cache";
  version: 1;
  size: number;
  mtimeMs: number;
  sha256: string;
  etag?: string;
  lastModified?: string;
  label: string;
}

const cacheRecord = z.object({
  format: z.literal("nmrblox.cache"),
  version: z.literal(1),
  size: z.number().int().min(0),
  mtimeMs: z.number(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  etag: z.string().optional(),
  lastModified: z.string().optional(),
  label: z.string(),
});

/** What identifies the server's version of a file, kept beside a partial file for `If-Range`. */
const validatorSchema = z.object({
  etag: z.string().optional(),
  lastModified: z.string().optional(),
  total: z.number().int().min(0).optional(),
  sha256: z.string().optional(),
});
type Validator = z.infer<typeof validatorSchema>;

/**
 * The manifest record of a cached file, beside it.
 *
 * @param path - the cached file
 * @returns `<path>.manifest.json`
 * @throws nothing
 * @example
 * cacheRecordPath("/cache/live.parquet"); // "/cache/live.parquet.manifest.json"
 */
export const cacheRecordPath = (path: string) => `${path}.manifest.json`;

/**
 * The legacy single partial name (before per-process temp files); kept for callers that
 * clean it. Downloads now write `<path>.nmrblox-<host>-<pid>-<random>.partial`.
 *
 * @param path - the final path
 * @returns `<path>.partial`
 * @throws nothing
 * @example
 * partialPath("/cache/live.parquet"); // "/cache/live.parquet.partial"
 */
export const partialPath = (path: string) => `${path}.partial`;

const HOST = hostname().replace(/[^A-Za-z0-9]/g, "").slice(0, 24) || "host";
/** A partial untouched this long is abandoned, whoever owns it. */
const STALE_MS = 30 * 60_000;

/**
 * The size of a cached file when the cache manifest recorded it and it still matches (size and
 * modification time); undefined otherwise (absent, truncated, replaced or never recorded).
 *
 * @param path - the cached file
 * @returns its size, or undefined
 * @throws nothing
 * @example
 * const size = await verifiedCacheSize("/cache/numerai/crypto/round-900/crypto/v1.0/live.parquet");
 */
export async function verifiedCacheSize(path: string): Promise<number | undefined> {
  try {
    const [record, s] = await Promise.all([readFile(cacheRecordPath(path), "utf8"), stat(path)]);
    const parsed = cacheRecord.safeParse(JSON.parse(record));
    if (!parsed.success || !s.isFile()) return undefined;
    return parsed.data.size === s.size && parsed.data.mtimeMs === s.mtimeMs ? s.size : undefined;
  } catch {
    return undefined;
  }
}

const inflight = new Map<string, Promise<number>>();
/** Partials this process is writing right now; any other partial of this process is abandoned. */
const active = new Set<string>();

/**
 * Downloads `url` to `path`, safely against drops, kills and other processes. Bytes go to a
 * temp file unique to this process (`<path>.nmrblox-<host>-<pid>-<random>.partial`) with the
 * server's validator beside it (ETag or Last-Modified, total size, checksum when announced).
 * Every request asks `Range: bytes=N-` (N = 0 first, so the Content-Range total checks a short
 * Content-Length); a resume sends `If-Range` and a changed file on the server restarts from 0.
 * The size must equal the total, the SHA-256 the announced one (`x-amz-checksum-sha256`);
 * then the file is flushed and renamed into place and recorded in the cache manifest. A
 * partial left by a dead process is adopted and resumed; other leftovers are removed.
 * Concurrent calls for the same path in one process share one download.
 *
 * @param url - the file's URL (it may be signed: it never appears in errors or progress)
 * @param path - where the file goes
 * @param options - `transport`, `label`, `onProgress`, `refreshUrl`, `signal`, `deadlineMs`
 * @returns the size in bytes
 * @throws InvalidOptionError for a bad option (nothing is fetched); IncompleteDownloadError;
 *   ChecksumMismatchError; DeadlineExceededError; HttpError or NetworkError after the retries
 * @example
 * const bytes = await downloadFile(url, "./cache/live.parquet", { transport: { retries: 3 }, label: "live.parquet" });
 */
export function downloadFile(url: string, path: string, options: DownloadFileOptions): Promise<number> {
  parseOptions(downloadFileOptions, options, "downloadFile");
  const key = resolve(path);
  const running = inflight.get(key);
  if (running) return running;
  const job = download(url, key, options).finally(() => inflight.delete(key));
  inflight.set(key, job);
  return job;
}

interface Received {
  size: number;
  sha256: string;
  validator: Validator;
}

async function download(url: string, path: string, options: DownloadFileOptions): Promise<number> {
  await mkdir(dirname(path), { recursive: true });
  const mine = `${path}.nmrblox-${HOST}-${process.pid}-${randomBytes(4).toString("hex")}.partial`;
  active.add(mine);
  try {
    await adoptOrClean(path, mine);
    return await downloadInto(url, path, mine, options);
  } finally {
    active.delete(mine);
  }
}

async function downloadInto(url: string, path: string, mine: string, options: DownloadFileOptions): Promise<number> {
  const deadlineMs = options.deadlineMs ?? options.transport.deadlineMs;
  const deadlineAt = deadlineMs === undefined ? undefined : Date.now() + deadlineMs;
  const transport: FetchWithRetryOptions = {
    ...options.transport,
    ...(options.signal ? { signal: options.signal } : {}),
    ...(deadlineAt !== undefined ? { deadlineAt, deadlineMs } : {}),
  };
  let current = url;
  let refreshes = 0;
  let restarts = 0;
  // An abort or a deadline keeps the partial and its validator: once this process has exited,
  // the next run adopts and resumes it.
  for (;;) {
    try {
      const got = await fetchIntoPartial(current, mine, options, transport);
      await publish(mine, path, got, options.label);
      return got.size;
    } catch (err) {
      // A range the server cannot satisfy means the partial file is not a prefix of this file.
      if (err instanceof HttpError && err.status === 416 && restarts++ < 1) {
        await discard(mine);
        continue;
      }
      if (err instanceof HttpError && (err.status === 403 || err.status === 400) && options.refreshUrl && refreshes++ < 2) {
        if (deadlineAt !== undefined && Date.now() >= deadlineAt) throw new DeadlineExceededError(options.label, deadlineMs!, { cause: err });
        current = await options.refreshUrl();
        continue;
      }
      throw err;
    }
  }
}

const validatorPath = (partial: string) => `${partial}.json`;

async function discard(partial: string): Promise<void> {
  await rm(validatorPath(partial), { force: true });
  await rm(partial, { force: true });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Before a download: a partial of a dead process (or an abandoned one) with its validator is
 * renamed to `mine` (rename is atomic, so only one process can take it); other leftovers of
 * dead processes are removed, as is the legacy `<path>.partial`.
 */
async function adoptOrClean(path: string, mine: string): Promise<void> {
  const dir = dirname(path);
  const prefix = `${basename(path)}.nmrblox-`;
  await rm(partialPath(path), { force: true });
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return;
  }
  let adopted = false;
  for (const name of names) {
    if (!name.startsWith(prefix) || !name.endsWith(".partial")) continue;
    const m = /^([A-Za-z0-9]+)-(\d+)-[0-9a-f]+\.partial$/.exec(name.slice(prefix.length));
    const full = join(dir, name);
    let mtime: number;
    try {
      mtime = (await stat(full)).mtimeMs;
    } catch {
      continue;
    }
    const dead = m !== null && m[1] === HOST ? (Number(m[2]) === process.pid ? !active.has(full) : !alive(Number(m[2]))) : false;
    if (!dead && Date.now() - mtime < STALE_MS) continue;
    if (!adopted) {
      try {
        await rename(validatorPath(full), validatorPath(mine));
        await rename(full, mine);
        adopted = true;
        continue;
      } catch {
        // Taken by another process, or no validator: it cannot be resumed safely.
        await rm(validatorPath(mine), { force: true });
      }
    }
    await discard(full);
  }
  // Validators whose partial is gone (a kill between the two renames above).
  for (const name of names) {
    if (!name.startsWith(prefix) || !name.endsWith(".partial.json")) continue;
    const full = join(dir, name);
    const owner = /-(\d+)-[0-9a-f]+\.partial\.json$/.exec(name);
    const partialExists = await stat(full.slice(0, -5)).then(() => true, () => false);
    const ownerGone = owner === null || (Number(owner[1]) === process.pid ? !active.has(full.slice(0, -5)) : !alive(Number(owner[1])));
    if (!partialExists && ownerGone) await rm(full, { force: true });
  }
}

async function readValidator(partial: string): Promise<Validator | undefined> {
  try {
    const parsed = validatorSchema.safeParse(JSON.parse(await readFile(validatorPath(partial), "utf8")));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

async function partialSize(tmp: string): Promise<number> {
  try {
    return (await stat(tmp)).size;
  } catch {
    return 0;
  }
}

/** An ETag usable in If-Range (a strong one), else the Last-Modified date. */
function ifRangeValue(v: Validator): string | undefined {
  if (v.etag !== undefined && !v.etag.startsWith("W/")) return v.etag;
  return v.lastModified;
}

/** The server's SHA-256 of the whole file, as lower-case hex, when it announces one. */
function announcedSha256(res: Response): string | undefined {
  const b64 = res.headers.get("x-amz-checksum-sha256");
  if (b64 === null) return undefined;
  const hex = Buffer.from(b64, "base64").toString("hex");
  return hex.length === 64 ? hex : undefined;
}

async function hashPrefix(tmp: string, bytes: number): Promise<ReturnType<typeof createHash>> {
  const hash = createHash("sha256");
  if (bytes === 0) return hash;
  const handle = await open(tmp, "r");
  try {
    const buf = Buffer.allocUnsafe(1 << 20);
    let at = 0;
    while (at < bytes) {
      const { bytesRead } = await handle.read(buf, 0, Math.min(buf.length, bytes - at), at);
      if (bytesRead === 0) break;
      hash.update(buf.subarray(0, bytesRead));
      at += bytesRead;
    }
  } finally {
    await handle.close();
  }
  return hash;
}

async function fetchIntoPartial(url: string, tmp: string, options: DownloadFileOptions, transport: FetchWithRetryOptions): Promise<Received> {
  return requestWithRetry(
    url,
    async () => {
      let have = await partialSize(tmp);
      const validator = have > 0 ? await readValidator(tmp) : undefined;
      const ifRange = validator ? ifRangeValue(validator) : undefined;
      if (have > 0 && ifRange === undefined) {
        // Without a validator the bytes on disk may belong to another version: start over.
        await discard(tmp);
        have = 0;
      }
      const headers: Record<string, string> = { range: `bytes=${have}-` };
      if (have > 0) headers["if-range"] = ifRange!;
      return { method: "GET", headers };
    },
    transport,
    async (res, ctx) => {
      const have = await partialSize(tmp);
      const stored = have > 0 ? await readValidator(tmp) : undefined;
      const etag = res.headers.get("etag") ?? undefined;
      const lastModified = res.headers.get("last-modified") ?? undefined;
      let offset = 0;
      let total: number | undefined;
      if (res.status === 206) {
        const range = /^bytes (\d+)-(\d+)\/(\d+|\*)$/.exec(res.headers.get("content-range") ?? "");
        offset = range ? Number(range[1]) : -1;
        total = range && range[3] !== "*" ? Number(range[3]) : undefined;
        const sameVersion =
          offset === 0 ||
          (stored !== undefined &&
            (stored.etag === undefined || etag === undefined || stored.etag === etag) &&
            (stored.total === undefined || total === undefined || stored.total === total));
        if (offset !== have || !sameVersion) {
          // A range of another version, or not where the partial ends: the pieces do not belong together.
          await discard(tmp);
          await res.body?.cancel().catch(() => undefined);
          throw new RetryableFailure(new IncompleteDownloadError(options.label, total ?? 0, 0), "the server's file changed or answered another range; restarting");
        }
      } else {
        const length = res.headers.get("content-length");
        total = length === null ? undefined : Number(length);
      }
      const sha256 = offset === 0 ? announcedSha256(res) : (stored?.sha256 ?? announcedSha256(res));
      const validator: Validator = {
        ...(etag !== undefined ? { etag } : {}),
        ...(lastModified !== undefined ? { lastModified } : {}),
        ...(total !== undefined ? { total } : {}),
        ...(sha256 !== undefined ? { sha256 } : {}),
      };
      // The validator goes to disk before the first byte: a partial is never without one.
      if (offset === 0) await writeFileAtomic(validatorPath(tmp), JSON.stringify(validator));
      const hash = await hashPrefix(tmp, offset);
      const handle = await open(tmp, offset > 0 ? "a" : "w");
      let size = offset;
      try {
        options.onProgress?.({ task: "download", item: options.label, done: size, ...(total !== undefined ? { total } : {}), unit: "bytes" });
        if (res.body) {
          for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
            await handle.write(chunk);
            hash.update(chunk);
            size += chunk.byteLength;
            ctx.touch();
            options.onProgress?.({ task: "download", item: options.label, done: size, ...(total !== undefined ? { total } : {}), unit: "bytes" });
          }
        }
        await handle.sync();
      } finally {
        await handle.close();
      }
      if (total !== undefined && size !== total) {
        // Longer than announced means the pieces do not belong together: start over.
        if (size > total) await discard(tmp);
        throw new RetryableFailure(new IncompleteDownloadError(options.label, total, size), "size mismatch");
      }
      const digest = hash.digest("hex");
      if (validator.sha256 !== undefined && digest !== validator.sha256) {
        await discard(tmp);
        throw new RetryableFailure(new ChecksumMismatchError(options.label, "sha256", validator.sha256, digest), "checksum mismatch");
      }
      return { size, sha256: digest, validator };
    },
  );
}

/** Renames the verified partial into place, then records it in the cache manifest. */
async function publish(tmp: string, path: string, got: Received, label: string): Promise<void> {
  const s = await stat(tmp);
  if (s.size !== got.size) throw new IncompleteDownloadError(label, got.size, s.size);
  await rename(tmp, path);
  const record: CacheRecord = {
    format: "nmrblox.cache",
    version: 1,
    size: s.size,
    mtimeMs: s.mtimeMs,
    sha256: got.sha256,
    ...(got.validator.etag !== undefined ? { etag: got.validator.etag } : {}),
    ...(got.validator.lastModified !== undefined ? { lastModified: got.validator.lastModified } : {}),
    label,
  };
  await writeFileAtomic(cacheRecordPath(path), JSON.stringify(record));
  await rm(validatorPath(tmp), { force: true });
  try {
    const d = await open(dirname(path), "r");
    await d.sync().finally(() => d.close());
  } catch {
    // Directory fsync is not supported everywhere; the rename itself is atomic.
  }
}
