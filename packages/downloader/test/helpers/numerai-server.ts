import { type LocalServer, startLocalServer } from "@nmrblox/fixtures";
import { FaultQueue, sendJson, sendTruncated } from "./faults.js";

/** One tournament's files per round, as the fake Numerai serves them. */
export interface FakeNumeraiData {
  currentRound: Record<number, number>;
  /** tournament → round → filename → bytes */
  files: Record<number, Record<number, Record<string, Buffer>>>;
  publicId: string;
  secretKey: string;
  models?: Array<{ id: string; name: string; tournament: number }>;
}

export interface FakeNumerai {
  server: LocalServer;
  url: string;
  faults: FaultQueue;
  /** Requests per kind: GraphQL field names and "file". */
  count(kind: string): number;
  close(): Promise<void>;
}

/**
 * A local stand-in for api-tournament.numer.ai: GraphQL POSTs at "/" (listDatasets, dataset,
 * rounds, account) in the real shapes, plus "signed" file URLs under /files/ that honour Range.
 */
export async function startFakeNumerai(data: FakeNumeraiData): Promise<FakeNumerai> {
  const faults = new FaultQueue();
  const counts = new Map<string, number>();
  const bump = (k: string) => counts.set(k, (counts.get(k) ?? 0) + 1);
  let base = "";
  const server = await startLocalServer((req, res) => {
    if (req.method === "POST" && (req.url === "/" || req.url === "")) {
      const { query, variables } = JSON.parse(req.body) as { query: string; variables: Record<string, unknown> };
      const field = ["listDatasets", "dataset", "rounds", "account"].find((f) => new RegExp(`\\b${f}\\s*\\(|\\b${f}\\s*\\{`).test(query.replace(/^[^{]*\{/, "")))!;
      bump(field);
      const fault = faults.take(field);
      if (fault?.kind === "500") return sendJson(res, 500, { error: "internal" });
      if (fault?.kind === "429") return sendJson(res, 429, { error: "slow down" }, { "retry-after": fault.retryAfter ?? "0" });
      if (fault?.kind === "bad-json") {
        res.writeHead(200, { "content-type": "application/json" });
        return void res.end("<html>502 Bad Gateway</html>");
      }
      if (fault?.kind === "truncate") return sendTruncated(res, JSON.stringify({ data: { listDatasets: ["x".repeat(200)] } }), "application/json");
      if (fault?.kind === "graphql-error") return sendJson(res, 200, { data: null, errors: [{ message: `something failed in ${field}`, path: [field] }] });
      if (fault?.kind === "echo-auth") {
        return sendJson(res, 200, { errors: [{ message: `invalid token: ${req.headers.authorization ?? "none"}` }] });
      }
      const t = Number(variables.tournament ?? 8);
      const round = (variables.round as number | null | undefined) ?? data.currentRound[t]!;
      if (field === "listDatasets") {
        return sendJson(res, 200, { data: { listDatasets: Object.keys(data.files[t]?.[round] ?? {}) } });
      }
      if (field === "dataset") {
        const filename = String(variables.filename);
        if (!data.files[t]?.[round]?.[filename]) return sendJson(res, 200, { data: null, errors: [{ message: "Dataset not found" }] });
        return sendJson(res, 200, { data: { dataset: `${base}/files/${t}/${round}/${filename}?X-Amz-Signature=sig${round}` } });
      }
      if (field === "rounds") return sendJson(res, 200, { data: { rounds: [{ number: data.currentRound[t] }] } });
      if (field === "account") {
        if (req.headers.authorization !== `Token ${data.publicId}$${data.secretKey}`) {
          return sendJson(res, 200, { data: null, errors: [{ message: "You must be authenticated" }] });
        }
        return sendJson(res, 200, { data: { account: { models: data.models ?? [] } } });
      }
      return sendJson(res, 400, { errors: [{ message: "unknown operation" }] });
    }
    const m = /^\/files\/(\d+)\/(\d+)\/([^?]+)/.exec(req.url ?? "");
    if (req.method === "GET" && m) {
      bump("file");
      const bytes = data.files[Number(m[1])]?.[Number(m[2])]?.[decodeURIComponent(m[3]!)];
      if (!bytes) return sendJson(res, 404, { error: "no such key" });
      const fault = faults.take("file");
      if (fault?.kind === "500") return sendJson(res, 503, { error: "unavailable" });
      const range = /^bytes=(\d+)-$/.exec(req.headers.range ?? "");
      const from = range ? Number(range[1]) : 0;
      if (from >= bytes.length && range) {
        res.writeHead(416, { "content-range": `bytes */${bytes.length}` });
        return void res.end();
      }
      const part = bytes.subarray(from);
      const headers: Record<string, string> = { "content-type": "application/octet-stream", etag: '"v1"' };
      if (range) headers["content-range"] = `bytes ${from}-${bytes.length - 1}/${bytes.length}`;
      if (fault?.kind === "reset-midway") {
        res.writeHead(range ? 206 : 200, { ...headers, "content-length": String(part.length) });
        res.write(part.subarray(0, Math.floor(part.length / 2)), () => setTimeout(() => res.socket?.destroy(), 5));
        return;
      }
      res.writeHead(range ? 206 : 200, { ...headers, "content-length": String(part.length) });
      return void res.end(part);
    }
    return sendJson(res, 404, { error: "not found" });
  });
  base = server.url;
  return { server, url: server.url, faults, count: (k) => counts.get(k) ?? 0, close: () => server.close() };
}
