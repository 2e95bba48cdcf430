import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startFakeNumerai } from "@nmrblox/fixtures";
import { describe, expect, it } from "vitest";
import { NumeraiClient, type RetryInfo, fetchWithRetry, redactAndClip, redactSecrets } from "../src/index.js";

// Upper-case letters and digits only; the filler is lower-case, so no 4-character piece of the
// secret can appear by accident, and "[redacted]" shares none with it either.
const SECRET = "K7QX9ZP2MW4RT8VB";
const PUBLIC = "PUBIDLJ3H5N6";

/** Every substring of 4+ characters of `secret`. */
function pieces(secret: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < secret.length; i++) for (let j = i + 4; j <= secret.length; j++) out.push(secret.slice(i, j));
  return out;
}
const SECRET_PIECES = [...pieces(SECRET), ...pieces(PUBLIC)];

/** How many pieces of a secret a text contains (0 is the only acceptable answer). */
function leaks(text: string): number {
  let n = 0;
  for (const p of SECRET_PIECES) if (text.includes(p)) n++;
  return n;
}

const errorText = (err: unknown): string => {
  const e = err as { message?: string; stack?: string; detail?: string; errors?: unknown; cause?: unknown };
  return [e.message, JSON.stringify(err), e.cause instanceof Error ? e.cause.message : ""].join("\n");
};

describe("secrets never leak from error bodies (redact before truncate)", () => {
  it("fuzzes the secret's position in bodies of every length 0..N, through fetchWithRetry's error path", async () => {
    const N = 340; // past the 300-character cut, so the secret straddles it at every offset
    let tried = 0;
    let occurrences = 0;
    const logs: string[] = [];
    for (let len = 0; len <= N; len++) {
      // Every offset where the body is long enough to be cut; a stride of 3 (and both ends) below.
      for (let at = 0; at <= len; at += len >= 280 || at === len ? 1 : Math.min(3, len - at)) {
        const filler = "x".repeat(len);
        const body = `${filler.slice(0, at)}${SECRET}${filler.slice(at)}`;
        const fakeFetch = (async () => new Response(body, { status: 400 })) as typeof fetch;
        try {
          await fetchWithRetry("http://127.0.0.1:9/x?sig=abc", {}, { fetch: fakeFetch, retries: 0, secrets: [SECRET], onRetry: (i: RetryInfo) => logs.push(JSON.stringify(i)) });
          throw new Error("expected an HttpError");
        } catch (err) {
          tried++;
          occurrences += leaks(errorText(err));
          expect((err as { code?: string }).code).toBe("HTTP_STATUS");
        }
      }
    }
    expect(tried).toBeGreaterThan(20_000);
    expect(occurrences + leaks(logs.join("\n"))).toBe(0);
  });

  it("a body longer than the read cap with the secret across the cap still leaks nothing", async () => {
    let occurrences = 0;
    const cap = 64 * 1024;
    for (let shift = -SECRET.length - 2; shift <= 2; shift++) {
      const at = cap + longestSecretLen() + shift;
      const body = `${"y".repeat(at)}${SECRET}${"y".repeat(100)}`;
      const fakeFetch = (async () => new Response(body, { status: 404 })) as typeof fetch;
      const err = await fetchWithRetry("http://127.0.0.1:9/x", {}, { fetch: fakeFetch, retries: 0, secrets: [SECRET] }).catch((e: unknown) => e);
      occurrences += leaks(errorText(err));
    }
    expect(occurrences).toBe(0);
  });

  it("redactAndClip and redactSecrets(cut) never leave a piece, at every cut length", () => {
    let occurrences = 0;
    const text = `abc ${SECRET} def ${encodeURIComponent(SECRET)} ghi`;
    for (let max = 0; max <= text.length + 2; max++) occurrences += leaks(redactAndClip(text, [SECRET], max));
    for (let end = 0; end <= text.length; end++) occurrences += leaks(redactSecrets(text.slice(0, end), [SECRET], true));
    expect(occurrences).toBe(0);
    expect(redactAndClip("key=K7QX9ZP2MW4RT8VB and more", [SECRET], 14)).toBe("key=[redacted]…");
  });

  it("GraphQL errors echoing the Authorization header, of every length, leak nothing into errors, retries or files", async () => {
    const fake = await startFakeNumerai({ publicId: PUBLIC, secretKey: SECRET, currentRound: { 12: 5 }, datasets: { 12: { 5: { "crypto/v1.0/live.parquet": new Uint8Array(64) } } } });
    const dir = await mkdtemp(join(tmpdir(), "nmrblox-secret-"));
    const logs: string[] = [];
    let occurrences = 0;
    let tried = 0;
    try {
      const client = new NumeraiClient({ baseUrl: fake.url, publicId: PUBLIC, secretKey: SECRET, cacheDir: dir, retry: { retries: 1, baseDelayMs: 1, maxDelayMs: 2 }, onRetry: (i) => logs.push(JSON.stringify(i)) });
      for (let len = 0; len <= 1100; len += 37) {
        const pad = "z".repeat(len);
        fake.faults.push({ target: "account", kind: "graphql-error", message: `${pad}{auth}${pad}` });
        const err = await client.models().catch((e: unknown) => e);
        tried++;
        occurrences += leaks(errorText(err));
        fake.faults.push({ target: "account", kind: "status", status: 400, body: { detail: `${pad}${SECRET}${pad}` } });
        const err2 = await client.models().catch((e: unknown) => e);
        tried++;
        occurrences += leaks(errorText(err2));
      }
      await client.downloadDataset("crypto/v1.0/live.parquet", { tournament: "crypto", onProgress: (e) => logs.push(JSON.stringify(e)) });
      for (const name of await readdir(dir, { recursive: true })) {
        const path = join(dir, name);
        const text = await readFile(path, "utf8").catch(() => "");
        occurrences += leaks(text) + leaks(name);
      }
    } finally {
      await fake.close();
      await rm(dir, { recursive: true, force: true });
    }
    expect(tried).toBe(60);
    expect(occurrences + leaks(logs.join("\n"))).toBe(0);
  });
});

function longestSecretLen(): number {
  return Math.max(encodeURIComponent(SECRET).length, JSON.stringify(SECRET).length);
}
