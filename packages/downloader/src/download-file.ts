import { mkdir, open, rename, rm, stat } from "node:fs/promises";
import { dirname } from "node:path";
import { parseOptions } from "@nmrblox/numerframe";
import { z } from "zod";
import { HttpError, IncompleteDownloadError } from "./errors.js";
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
}

/**
 * The temporary file a download writes before the rename; kept across runs so they resume.
 *
 * @param path - the final path
 * @returns `<path>.partial`
 * @throws nothing
 * @example
 * partialPath("/cache/live.parquet"); // "/cache/live.parquet.partial"
 */
export const partialPath = (path: string) => `${path}.partial`;

/**
 * Downloads `url` to `path`: bytes go to `<path>.partial`; after a dropped connection or a stall
 * the next attempt asks for the rest with `Range: bytes=N-`; the final size must equal the
 * announced one (Content-Length or the Content-Range total); then the file is flushed and
 * renamed into place, so `path` only ever holds a complete file.
 *
 * @param url - the file's URL (it may be signed: it never appears in errors or progress)
 * @param path - where the file goes
 * @param options - `transport` (retry policy, fetch, limiter, secrets), `label`, `onProgress`,
 *   `refreshUrl`, `signal`
 * @returns the size in bytes
 * @throws InvalidOptionError for a bad option (nothing is fetched); IncompleteDownloadError;
 *   HttpError or NetworkError after the retries
 * @example
 * const bytes = await downloadFile(url, "./cache/live.parquet", { transport: { retries: 3 }, label: "live.parquet" });
 */
export async function downloadFile(url: string, path: string, options: DownloadFileOptions): Promise<number> {
  parseOptions(downloadFileOptions, options, "downloadFile");
  const tmp = partialPath(path);
  await mkdir(dirname(path), { recursive: true });
  let current = url;
  let refreshes = 0;
  let restarts = 0;
  for (;;) {
    try {
      const size = await fetchIntoPartial(current, tmp, options);
      await rename(tmp, path);
      return size;
    } catch (err) {
      // A range the server cannot satisfy means the partial file is not a prefix of this file.
      if (err instanceof HttpError && err.status === 416 && restarts++ < 1) {
        await rm(tmp, { force: true });
        continue;
      }
      if (err instanceof HttpError && (err.status === 403 || err.status === 400) && options.refreshUrl && refreshes++ < 2) {
        current = await options.refreshUrl();
        continue;
      }
      throw err;
    }
  }
}

async function partialSize(tmp: string): Promise<number> {
  try {
    return (await stat(tmp)).size;
  } catch {
    return 0;
  }
}

async function fetchIntoPartial(url: string, tmp: string, options: DownloadFileOptions): Promise<number> {
  let validator: string | undefined;
  return requestWithRetry(
    url,
    async () => {
      const have = await partialSize(tmp);
      const headers: Record<string, string> = {};
      if (have > 0) {
        headers.range = `bytes=${have}-`;
        if (validator !== undefined) headers["if-range"] = validator;
      }
      return { method: "GET", headers, ...(options.signal ? { signal: options.signal } : {}) };
    },
    options.transport,
    async (res, ctx) => {
      validator = res.headers.get("etag") ?? undefined;
      let offset = 0;
      let total: number | undefined;
      if (res.status === 206) {
        const range = /^bytes (\d+)-(\d+)\/(\d+|\*)$/.exec(res.headers.get("content-range") ?? "");
        offset = range ? Number(range[1]) : -1;
        total = range && range[3] !== "*" ? Number(range[3]) : undefined;
        if (offset !== (await partialSize(tmp))) {
          await rm(tmp, { force: true });
          await res.body?.cancel().catch(() => undefined);
          const err = new IncompleteDownloadError(options.label, total ?? 0, 0);
          throw new RetryableFailure(err, "server answered a different range; restarting");
        }
      } else {
        const length = res.headers.get("content-length");
        total = length === null ? undefined : Number(length);
      }
      const handle = await open(tmp, offset > 0 ? "a" : "w");
      let size = offset;
      try {
        options.onProgress?.({ task: "download", item: options.label, done: size, ...(total !== undefined ? { total } : {}), unit: "bytes" });
        if (res.body) {
          for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
            await handle.write(chunk);
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
        if (size > total) await rm(tmp, { force: true });
        throw new RetryableFailure(new IncompleteDownloadError(options.label, total, size), "size mismatch");
      }
      return size;
    },
  );
}
