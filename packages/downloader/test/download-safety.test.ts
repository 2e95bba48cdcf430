// Downloads that cannot lose or corrupt: faults injected against the shared fake Numerai,
// two processes on one cache, and child processes killed with SIGKILL at random points.
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { readFile, readdir, rm, truncate, writeFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { type FakeNumerai, mulberry32, startFakeNumerai, withTempDir } from "@nmrblox/fixtures";
import { afterEach, describe, expect, it } from "vitest";
import {
  ChecksumMismatchError,
  DeadlineExceededError,
  NumeraiClient,
  UnsafeNameError,
  cacheRecordPath,
  loadCryptoLive,
  marketCachePath,
  verifiedCacheSize,
} from "../src/index.js";

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, "../../..");
const NAME = "crypto/v1.0/train.parquet";
const ROUND = 900;
const bytesOf = (n: number, seed: number) => {
  const r = mulberry32(seed);
  return Uint8Array.from({ length: n }, () => Math.floor(r() * 256));
};
const V1 = bytesOf(200_000, 1);
const V2 = bytesOf(210_000, 2);
const sha = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");

let fake: FakeNumerai;
afterEach(async () => {
  await fake?.close();
});
async function start(options: Parameters<typeof startFakeNumerai>[0] = {}): Promise<FakeNumerai> {
  fake = await startFakeNumerai({ currentRound: { 12: ROUND }, datasets: { 12: { [ROUND]: { [NAME]: V1 } } }, ...options });
  return fake;
}
const client = (dir: string, retries = 4, extra: Record<string, unknown> = {}) =>
  new NumeraiClient({ baseUrl: fake.url, cacheDir: dir, retry: { retries, baseDelayMs: 1, maxDelayMs: 4 }, maxRequestsPerSecond: 1000, ...extra });
const fileGets = () => fake.server.requests.filter((r) => r.url.startsWith("/files/"));
async function leftovers(path: string): Promise<string[]> {
  return (await readdir(dirname(path)).catch(() => [] as string[])).filter((n) => n.includes(".nmrblox-") || n.endsWith(".partial"));
}

const figures = { faults: 0, survived: 0, kills: 0, intact: 0 };
const survived = () => {
  figures.faults++;
  figures.survived++;
};

describe("downloads: validators, verified publish, cache manifest", () => {
  it("a file replaced on the server between a failed run and the rerun restarts from 0 (If-Range), never stitched", async () => {
    await start();
    await withTempDir(async (dir) => {
      fake.faults.push({ target: "file", kind: "truncate" });
      await expect(client(dir, 0).downloadDataset(NAME, { tournament: "crypto", round: ROUND })).rejects.toThrow();
      const path = join(dir, "numerai", "crypto", `round-${ROUND}`, NAME);
      expect((await leftovers(path)).length).toBe(2); // the partial and its validator, kept for a resume
      fake.setDataset(12, ROUND, NAME, V2);
      const got = await client(dir).downloadDataset(NAME, { tournament: "crypto", round: ROUND });
      expect(sha(await readFile(got))).toBe(sha(V2));
      const gets = fileGets();
      const last = gets.at(-1)!;
      expect(last.headers["if-range"]).toBe(`"${createHash("md5").update(V1).digest("hex")}"`);
      expect(Number(/bytes=(\d+)-/.exec(String(last.headers.range))![1])).toBeGreaterThan(0);
      expect(await leftovers(path)).toEqual([]);
      survived();
    });
  });

  it("a too-small Content-Length is caught by the Content-Range total and completed", async () => {
    await start();
    await withTempDir(async (dir) => {
      fake.faults.push({ target: "file", kind: "short-length", missing: 1234 });
      const got = await client(dir).downloadDataset(NAME, { tournament: "crypto", round: ROUND });
      expect(sha(await readFile(got))).toBe(sha(V1));
      expect(fileGets().map((r) => r.headers.range)).toEqual(["bytes=0-", `bytes=${V1.length - 1234}-`]);
      survived();
    });
  });

  it("a body corrupted in transit fails the announced SHA-256 and is fetched again", async () => {
    await start({ checksums: true });
    await withTempDir(async (dir) => {
      let flips = 1;
      const corrupting: typeof fetch = async (input, init) => {
        const res = await fetch(input, init);
        if (!String(input).includes("/files/") || flips-- <= 0) return res;
        const body = new Uint8Array(await res.arrayBuffer());
        body[100] = body[100]! ^ 0xff;
        return new Response(body, { status: res.status, headers: res.headers });
      };
      const err = await client(dir, 0, { fetch: corrupting }).downloadDataset(NAME, { tournament: "crypto", round: ROUND }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ChecksumMismatchError);
      flips = 1;
      const got = await client(dir, 2, { fetch: corrupting }).downloadDataset(NAME, { tournament: "crypto", round: ROUND });
      expect(sha(await readFile(got))).toBe(sha(V1));
      survived();
    });
  });

  it("a cached file is served only while it matches its manifest record (truncated or edited: downloaded again)", async () => {
    await start();
    await withTempDir(async (dir) => {
      const c = client(dir);
      const path = await c.downloadDataset(NAME, { tournament: "crypto", round: ROUND });
      const record = JSON.parse(await readFile(cacheRecordPath(path), "utf8")) as { sha256: string; size: number };
      expect(record.sha256).toBe(sha(V1));
      expect(record.size).toBe(V1.length);
      await c.downloadDataset(NAME, { tournament: "crypto", round: ROUND });
      expect(fake.count("file")).toBe(1); // a verified hit: no request
      await truncate(path, 1000);
      expect(await verifiedCacheSize(path)).toBeUndefined();
      await c.downloadDataset(NAME, { tournament: "crypto", round: ROUND });
      expect(fake.count("file")).toBe(2);
      expect(sha(await readFile(path))).toBe(sha(V1));
      // Same size, other bytes: the modification time no longer matches the record.
      await new Promise((r) => setTimeout(r, 20));
      await writeFile(path, V2.subarray(0, V1.length));
      await c.downloadDataset(NAME, { tournament: "crypto", round: ROUND });
      expect(fake.count("file")).toBe(3);
      expect(sha(await readFile(path))).toBe(sha(V1));
      survived();
      survived();
    });
  });

  it("concurrent callers in one process share one download", async () => {
    await start();
    await withTempDir(async (dir) => {
      const c = client(dir);
      const paths = await Promise.all(Array.from({ length: 6 }, () => c.downloadDataset(NAME, { tournament: "crypto", round: ROUND })));
      expect(new Set(paths).size).toBe(1);
      expect(fake.count("file")).toBe(1);
      expect(fake.count("dataset")).toBe(1);
      expect(sha(await readFile(paths[0]!))).toBe(sha(V1));
    });
  });

  it("a 1-byte drip ends at deadlineMs with DeadlineExceededError; the partial is resumed by the next run", async () => {
    await start();
    await withTempDir(async (dir) => {
      fake.faults.push({ target: "file", kind: "drip", bytes: 1, everyMs: 2 });
      const err = await client(dir, 4, { deadlineMs: 300 }).downloadDataset(NAME, { tournament: "crypto", round: ROUND }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(DeadlineExceededError);
      expect((err as DeadlineExceededError).code).toBe("NETWORK");
      const got = await client(dir).downloadDataset(NAME, { tournament: "crypto", round: ROUND });
      expect(sha(await readFile(got))).toBe(sha(V1));
      survived();
    });
  });

  it("names from the server are checked before they become paths", async () => {
    await start({ datasets: { 12: { [ROUND]: { "crypto/v1.0/../../../../evil/live.parquet": V1 } } } });
    await withTempDir(async (dir) => {
      const err = await loadCryptoLive({ client: client(dir), round: ROUND }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(UnsafeNameError);
      expect((err as UnsafeNameError).code).toBe("INVALID_RESPONSE");
      expect((err as UnsafeNameError).path).toContain("../");
      expect(fake.count("file")).toBe(0);
    });
    expect(() => marketCachePath("/c", "linear", "../../etc/x")).toThrow(UnsafeNameError);
    expect(() => marketCachePath("/c", "linear", "A/B")).toThrow(UnsafeNameError);
    expect(() => marketCachePath("/c", "linear", "..")).toThrow(UnsafeNameError);
    expect(marketCachePath("/c", "linear", "1000PEPEUSDT")).toBe(join("/c", "bybit", "linear", "daily", "1000PEPEUSDT.json"));
    survived();
  });
});

/** Runs the download child; resolves with its exit code and output. */
function child(dir: string): { done: Promise<{ code: number | null; out: string }>; ready: Promise<void>; kill(): void } {
  const p = spawn(process.execPath, ["--import", "tsx", "--conditions=@nmrblox/source", join(here, "fixtures/download-child.ts"), fake.url, dir, NAME, "12", String(ROUND)], {
    cwd: root,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  let err = "";
  p.stderr.on("data", (d: Buffer) => (err += d.toString()));
  const ready = new Promise<void>((res, rej) => {
    p.stdout.on("data", (d: Buffer) => {
      out += d.toString();
      if (out.includes("ready")) res();
    });
    p.on("exit", (code) => rej(new Error(`child exited early with ${code}: ${err}`)));
  });
  const done = new Promise<{ code: number | null; out: string }>((res) => p.on("exit", (code) => res({ code, out: out + err })));
  return { done, ready, kill: () => p.kill("SIGKILL") };
}

describe("downloads across processes", () => {
  it("two processes downloading the same dataset into one cache: both succeed, one file, never corrupt", { timeout: 120_000 }, async () => {
    await start();
    fake.faults.push({ target: "file", kind: "drip", bytes: 8192, everyMs: 1, times: 2 });
    await withTempDir(async (dir) => {
      const a = child(dir);
      const b = child(dir);
      const [ra, rb] = await Promise.all([a.done, b.done]);
      expect([ra.code, rb.code]).toEqual([0, 0]);
      const path = join(dir, "numerai", "crypto", `round-${ROUND}`, NAME);
      expect(ra.out).toContain(`done ${path}`);
      expect(sha(await readFile(path))).toBe(sha(V1));
      expect(await verifiedCacheSize(path)).toBe(V1.length);
      expect(await leftovers(path)).toEqual([]);
    });
  });

  it("children killed with SIGKILL at random points leave no file or a complete verified one; the next run succeeds", { timeout: 240_000 }, async () => {
    await start();
    const KILLS = 6;
    const rand = mulberry32(2026);
    await withTempDir(async (dir) => {
      const path = join(dir, "numerai", "crypto", `round-${ROUND}`, NAME);
      for (let k = 0; k < KILLS; k++) {
        fake.faults.clear();
        fake.faults.push({ target: "file", kind: "drip", bytes: 4096, everyMs: 1, times: Number.POSITIVE_INFINITY });
        const c = child(dir);
        await c.ready;
        await new Promise((r) => setTimeout(r, Math.floor(rand() * 400)));
        c.kill();
        await c.done;
        figures.kills++;
        // Old (none) or new (complete): a file at the final path is always the whole file.
        const now = await readFile(path).catch(() => undefined);
        if (now === undefined || sha(now) === sha(V1)) figures.intact++;
        if (k % 2 === 1) {
          // Every other kill, the next run completes in-process: it resumes the dead child's partial.
          fake.faults.clear();
          const got = await client(dir).downloadDataset(NAME, { tournament: "crypto", round: ROUND });
          expect(sha(await readFile(got))).toBe(sha(V1));
          expect(await leftovers(path)).toEqual([]);
          // Start the next kill from "no file" again.
          await rm(path);
          await rm(cacheRecordPath(path));
        }
      }
      fake.faults.clear();
      const got = await client(dir).downloadDataset(NAME, { tournament: "crypto", round: ROUND });
      expect(sha(await readFile(got))).toBe(sha(V1));
      expect(await leftovers(path)).toEqual([]);
    });
    expect(figures.kills).toBe(KILLS);
    expect(figures.intact).toBe(KILLS);
    // The figures of the closing note.
    process.stderr.write(`download faults injected/survived: ${figures.faults}/${figures.survived}; kills/intact: ${figures.kills}/${figures.intact}\n`);
  });
});
