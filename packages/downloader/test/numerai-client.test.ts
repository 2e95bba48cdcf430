import { randomBytes } from "node:crypto";
import { readFile, readdir, stat } from "node:fs/promises";
import { dirname, join } from "node:path";
import { type FakeNumerai, startFakeNumerai, withTempDir } from "@nmrblox/fixtures";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  DatasetNotFoundError,
  InvalidOptionError,
  InvalidResponseError,
  MissingCredentialsError,
  NumeraiClient,
  NumeraiGraphQLError,
  type ProgressEvent,
  UnknownTournamentError,
  tournamentId,
} from "../src/index.js";

const PUBLIC = "PUBLICIDXYZ123";
const SECRET = "SECRETKEY-do-not-leak-9876";
const fast = { retries: 3, baseDelayMs: 1, maxDelayMs: 4 };
const fileA = randomBytes(300_000);
const fileB = randomBytes(300_000); // same size, other round

let fake: FakeNumerai;
beforeEach(async () => {
  fake = await startFakeNumerai({
    currentRound: { 8: 900, 11: 700, 12: 300 },
    datasets: {
      12: { 300: { "crypto/v2.0/train.parquet": fileA }, 299: { "crypto/v2.0/train.parquet": fileB } },
      8: { 900: { "v5.2/live.parquet": fileB } },
    },
    publicId: PUBLIC,
    secretKey: SECRET,
    models: [
      { id: "m1", name: "alpha", tournament: 8 },
      { id: "m2", name: "beta", tournament: 12 },
    ],
  });
});
afterEach(async () => {
  await fake.close();
});

const client = (dir: string, extra: Record<string, unknown> = {}) =>
  new NumeraiClient({ baseUrl: fake.url, publicId: PUBLIC, secretKey: SECRET, retry: fast, cacheDir: dir, ...extra });

/** Every file under `dir`, recursively, with its bytes. */
async function allFiles(dir: string): Promise<Array<{ path: string; text: string }>> {
  const out: Array<{ path: string; text: string }> = [];
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) {
      const path = join(entry.parentPath, entry.name);
      out.push({ path, text: (await readFile(path)).toString("latin1") });
    }
  }
  return out;
}

describe("tournamentId", () => {
  it("maps names and ids, rejects the rest", () => {
    expect(tournamentId("classic")).toBe(8);
    expect(tournamentId("signals")).toBe(11);
    expect(tournamentId("crypto")).toBe(12);
    expect(tournamentId(12)).toBe(12);
    expect(() => tournamentId("stocks" as "classic")).toThrow(UnknownTournamentError);
    expect(() => tournamentId(9)).toThrow(UnknownTournamentError);
  });
});

describe("NumeraiClient GraphQL", () => {
  it("lists datasets, the current round and the account's models with the Token header", async () => {
    await withTempDir(async (dir) => {
      const c = client(dir);
      expect(await c.listDatasets({ tournament: "crypto" })).toEqual(["crypto/v2.0/train.parquet"]);
      expect(await c.listDatasets({ tournament: 12, round: 299 })).toEqual(["crypto/v2.0/train.parquet"]);
      expect(await c.currentRound("classic")).toBe(900);
      expect(await c.models()).toEqual([
        { id: "m1", name: "alpha", tournament: 8 },
        { id: "m2", name: "beta", tournament: 12 },
      ]);
      // Public reads go without keys; only the account query carries the Token header.
      const auth = fake.server.requests.map((r) => r.headers.authorization);
      expect(auth).toEqual([undefined, undefined, undefined, `Token ${PUBLIC}$${SECRET}`]);
      expect(fake.server.requests.every((r) => r.method === "POST" && r.url === "/")).toBe(true);
    });
  });

  it("sends no Authorization when asked not to, and refuses auth calls without keys", async () => {
    await withTempDir(async (dir) => {
      const anon = new NumeraiClient({ baseUrl: fake.url, publicId: undefined, secretKey: undefined, retry: fast, cacheDir: dir });
      const saved = [process.env.NUMERAI_PUBLIC_ID, process.env.NUMERAI_SECRET_KEY];
      delete process.env.NUMERAI_PUBLIC_ID;
      delete process.env.NUMERAI_SECRET_KEY;
      try {
        const bare = new NumeraiClient({ baseUrl: fake.url, retry: fast, cacheDir: dir });
        expect(bare.hasCredentials()).toBe(false);
        await expect(bare.models()).rejects.toBeInstanceOf(MissingCredentialsError);
        await expect(bare.graphql("query { account { username } }", {}, { auth: true })).rejects.toBeInstanceOf(MissingCredentialsError);
        expect(fake.server.requests).toHaveLength(0);
      } finally {
        if (saved[0] !== undefined) process.env.NUMERAI_PUBLIC_ID = saved[0];
        if (saved[1] !== undefined) process.env.NUMERAI_SECRET_KEY = saved[1];
      }
      expect(anon).toBeDefined();
      const keyed = client(dir);
      await keyed.graphql("query { rounds(tournament: 8, number: 0) { number } }", {}, { auth: false });
      expect(fake.server.requests[0]!.headers.authorization).toBeUndefined();
    });
  });

  it("reads keys from NUMERAI_PUBLIC_ID / NUMERAI_SECRET_KEY", async () => {
    const saved = [process.env.NUMERAI_PUBLIC_ID, process.env.NUMERAI_SECRET_KEY];
    process.env.NUMERAI_PUBLIC_ID = PUBLIC;
    process.env.NUMERAI_SECRET_KEY = SECRET;
    try {
      const c = new NumeraiClient({ baseUrl: fake.url, retry: fast });
      expect(c.hasCredentials()).toBe(true);
      expect(await c.models()).toHaveLength(2);
    } finally {
      if (saved[0] === undefined) delete process.env.NUMERAI_PUBLIC_ID;
      else process.env.NUMERAI_PUBLIC_ID = saved[0];
      if (saved[1] === undefined) delete process.env.NUMERAI_SECRET_KEY;
      else process.env.NUMERAI_SECRET_KEY = saved[1];
    }
  });

  it("surfaces GraphQL errors as NumeraiGraphQLError with the operation name, without retrying", async () => {
    await withTempDir(async (dir) => {
      fake.faults.push({ target: "listDatasets", kind: "graphql-error" });
      const err = await client(dir).listDatasets({ tournament: "crypto" }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(NumeraiGraphQLError);
      expect((err as NumeraiGraphQLError).operationName).toBe("listDatasets");
      expect((err as NumeraiGraphQLError).errors[0]!.message).toBe("something failed in listDatasets");
      expect(fake.count("listDatasets")).toBe(1);
    });
  });

  it("retries a 500, a 429 with Retry-After, invalid JSON and a truncated body", async () => {
    await withTempDir(async (dir) => {
      fake.faults.push(
        { target: "rounds", kind: "status", status: 500 },
        { target: "rounds", kind: "status", status: 429, retryAfter: "0" },
        { target: "rounds", kind: "bad-json" },
        { target: "rounds", kind: "truncate" },
      );
      const reasons: string[] = [];
      const c = client(dir, { retry: { retries: 4, baseDelayMs: 1, maxDelayMs: 2 }, onRetry: (i: { reason: string }) => reasons.push(i.reason) });
      expect(await c.currentRound("signals")).toBe(700);
      expect(fake.count("rounds")).toBe(5);
      expect(reasons[0]).toBe("HTTP 500");
      expect(reasons[1]).toBe("HTTP 429");
      expect(reasons[2]).toBe("invalid JSON");
      expect(reasons[3]).toMatch(/connection dropped while reading the body/);
    });
  });

  it("raises InvalidResponseError when the body stays invalid", async () => {
    await withTempDir(async (dir) => {
      fake.faults.push({ target: "rounds", kind: "bad-json", times: 4 });
      await expect(client(dir).currentRound(8)).rejects.toBeInstanceOf(InvalidResponseError);
      expect(fake.count("rounds")).toBe(4);
    });
  });

  it("rejects bad input by name before any request", async () => {
    await withTempDir(async (dir) => {
      const c = client(dir);
      await expect(c.listDatasets({ tournament: "stocks" as "crypto" })).rejects.toBeInstanceOf(UnknownTournamentError);
      await expect(c.downloadDataset("crypto/v2.0/train.parquet", { tournament: 99 })).rejects.toBeInstanceOf(UnknownTournamentError);
      await expect(c.downloadDataset("../etc/passwd", { tournament: 12 })).rejects.toBeInstanceOf(InvalidOptionError);
      await expect(c.listDatasets({ tournament: 12, round: -3 })).rejects.toMatchObject({ code: "INVALID_OPTION", option: "round" });
      expect(fake.server.requests).toHaveLength(0);
    });
  });

  it("refuses a file that listDatasets does not offer, before asking for a URL or the file", async () => {
    await withTempDir(async (dir) => {
      const err = await client(dir).downloadDataset("crypto/v9.9/train.parquet", { tournament: "crypto" }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(DatasetNotFoundError);
      expect((err as Error).message).toContain("crypto/v9.9/train.parquet");
      expect(fake.count("dataset")).toBe(0);
      expect(fake.count("file")).toBe(0);
    });
  });
});

describe("NumeraiClient.downloadDataset", () => {
  it("downloads, caches by tournament/round/filename, and a second call makes no request", async () => {
    await withTempDir(async (dir) => {
      const events: ProgressEvent[] = [];
      const c = client(dir);
      const path = await c.downloadDataset("crypto/v2.0/train.parquet", { tournament: "crypto", onProgress: (e) => events.push(e) });
      expect(path).toBe(join(dir, "numerai", "crypto", "round-300", "crypto", "v2.0", "train.parquet"));
      expect((await readFile(path)).equals(fileA)).toBe(true);
      expect(events.at(-1)).toMatchObject({ task: "download", done: fileA.length, total: fileA.length, unit: "bytes" });
      const before = fake.server.requests.length;
      expect(await c.downloadDataset("crypto/v2.0/train.parquet", { tournament: "crypto" })).toBe(path);
      expect(fake.server.requests.length).toBe(before);
      // A fresh client with an explicit round also reuses the file without a request.
      const again = client(dir);
      expect(await again.downloadDataset("crypto/v2.0/train.parquet", { tournament: 12, round: 300 })).toBe(path);
      expect(fake.server.requests.length).toBe(before);
      expect(again.requestCount).toBe(0);
    });
  });

  it("does not reuse a same-size file from another round", async () => {
    await withTempDir(async (dir) => {
      const c = client(dir);
      const current = await c.downloadDataset("crypto/v2.0/train.parquet", { tournament: "crypto" });
      const older = await c.downloadDataset("crypto/v2.0/train.parquet", { tournament: "crypto", round: 299 });
      expect(older).not.toBe(current);
      expect((await readFile(older)).equals(fileB)).toBe(true);
      expect((await readFile(current)).equals(fileA)).toBe(true);
      expect(fake.count("file")).toBe(2);
    });
  });

  it("resumes with Range after a connection reset mid-file; the result is byte-identical", async () => {
    await withTempDir(async (dir) => {
      fake.faults.push({ target: "file", kind: "truncate", times: 2 });
      const path = await client(dir).downloadDataset("crypto/v2.0/train.parquet", { tournament: "crypto" });
      expect((await readFile(path)).equals(fileA)).toBe(true);
      const gets = fake.server.requests.filter((r) => r.url.startsWith("/files/"));
      expect(gets).toHaveLength(3);
      // The first request asks for bytes=0- so the Content-Range total checks the Content-Length.
      expect(gets[0]!.headers.range).toBe("bytes=0-");
      expect(gets[0]!.headers["if-range"]).toBeUndefined();
      expect(gets[1]!.headers["if-range"]).toBe(gets[2]!.headers["if-range"]);
      expect(gets[1]!.headers["if-range"]).toMatch(/^"/);
      const first = Number(/bytes=(\d+)-/.exec(String(gets[1]!.headers.range))![1]);
      const second = Number(/bytes=(\d+)-/.exec(String(gets[2]!.headers.range))![1]);
      expect(first).toBeGreaterThan(0);
      expect(second).toBeGreaterThan(first);
      expect(second).toBeLessThan(fileA.length);
      await expect(stat(`${path}.partial`)).rejects.toThrow();
      const left = (await readdir(dirname(path))).filter((n) => n.includes(".nmrblox-"));
      expect(left).toEqual([]);
    });
  });

  it("retries a 503 on the file host", async () => {
    await withTempDir(async (dir) => {
      fake.faults.push({ target: "file", kind: "status", status: 503 });
      const path = await client(dir).downloadDataset("v5.2/live.parquet", { tournament: "classic" });
      expect((await readFile(path)).equals(fileB)).toBe(true);
      expect(fake.count("file")).toBe(2);
    });
  });

  it("never puts the secret key in errors, URLs or files", async () => {
    await withTempDir(async (dir) => {
      const c = client(dir);
      const caught: unknown[] = [];
      fake.faults.push({ target: "account", kind: "graphql-error", message: "invalid token: {auth}" });
      caught.push(await c.models().catch((e: unknown) => e));
      fake.faults.push({ target: "listDatasets", kind: "status", status: 500, times: 4 });
      caught.push(await c.listDatasets({ tournament: 8 }).catch((e: unknown) => e));
      caught.push(await c.downloadDataset("nope.parquet", { tournament: 12 }).catch((e: unknown) => e));
      fake.faults.push({ target: "file", kind: "truncate" });
      await c.downloadDataset("crypto/v2.0/train.parquet", { tournament: 12 });
      expect(caught.every((e) => e instanceof Error)).toBe(true);
      expect((caught[0] as NumeraiGraphQLError).errors[0]!.message).toBe("invalid token: Token [redacted]$[redacted]");
      for (const e of caught) {
        const err = e as Error & { cause?: unknown };
        const text = [err.message, err.stack, JSON.stringify(err), String(err.cause)].join("\n");
        expect(text).not.toContain(SECRET);
      }
      for (const r of fake.server.requests) {
        expect(r.url).not.toContain(SECRET);
        expect(r.body).not.toContain(SECRET);
      }
      const files = await allFiles(dir);
      expect(files.length).toBeGreaterThan(0);
      for (const f of files) {
        expect(f.path).not.toContain(SECRET);
        expect(f.text).not.toContain(SECRET);
      }
      expect(JSON.stringify(c)).not.toContain(SECRET);
    });
  });
});
