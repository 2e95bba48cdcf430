import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { ServerResponse } from "node:http";
import { type LocalServer, startLocalServer } from "@nmrblox/fixtures";

/** A GraphQL call the fake Numerai answered: the first field of the query, its variables, and whether it carried a key. */
export interface GraphQLCall {
  field: string;
  variables: Record<string, unknown>;
  authorized: boolean;
}

export interface FakeNumerai {
  url: string;
  server: LocalServer;
  graphql: GraphQLCall[];
  /** Dataset names whose file was fetched through a download URL, in order. */
  downloads: string[];
  close(): Promise<void>;
}

/**
 * A local stand-in for api-tournament.numer.ai serving the dataset files found under `dir`
 * (paths as listDatasets names them, e.g. `crypto/v1.0/historical_meta_models.parquet`) for
 * one tournament's current round. GraphQL POSTs at "/" answer `listDatasets`, `dataset` (a
 * pre-signed-looking URL under /files/) and `rounds(number: 0)` in Numerai's shapes; the file
 * URLs honour `Range` as S3 does. Anything else gets a GraphQL error.
 */
export async function startFakeNumerai(options: {
  dir: string;
  datasets: readonly string[];
  tournament: number;
  currentRound: number;
}): Promise<FakeNumerai> {
  const files = new Map<string, Buffer>();
  for (const name of options.datasets) files.set(name, await readFile(join(options.dir, ...name.split("/"))));
  const graphql: GraphQLCall[] = [];
  const downloads: string[] = [];
  let base = "";
  const server = await startLocalServer((req, res) => {
    if (req.method === "POST" && req.url === "/") {
      const { query, variables = {} } = JSON.parse(req.body) as { query: string; variables?: Record<string, unknown> };
      // The first field of the selection set, e.g. `listDatasets` in `query listDatasets(...) { listDatasets(...) }`.
      const field = /\{\s*([A-Za-z_]\w*)/.exec(query)?.[1] ?? "";
      graphql.push({ field, variables, authorized: req.headers.authorization !== undefined });
      const tournament = Number(variables.tournament ?? 8);
      const round = (variables.round as number | null | undefined) ?? options.currentRound;
      const ours = tournament === options.tournament && round === options.currentRound;
      if (field === "listDatasets") return sendJson(res, 200, { data: { listDatasets: ours ? [...files.keys()] : [] } });
      if (field === "rounds") {
        return sendJson(res, 200, { data: { rounds: tournament === options.tournament ? [{ number: options.currentRound }] : [] } });
      }
      if (field === "dataset") {
        const filename = String(variables.filename);
        if (!ours || !files.has(filename)) return sendJson(res, 200, { data: null, errors: [{ message: "Dataset not found", path: ["dataset"] }] });
        const signed = `${base}/files/${encodeURIComponent(filename)}?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Expires=3600&X-Amz-Signature=fake${round}`;
        return sendJson(res, 200, { data: { dataset: signed } });
      }
      return sendJson(res, 200, { data: null, errors: [{ message: `Cannot query field "${field}" on type "Query".` }] });
    }
    const m = /^\/files\/([^?]+)\?.*X-Amz-Signature=/.exec(req.url ?? "");
    if (req.method === "GET" && m) {
      const name = decodeURIComponent(m[1]!);
      const bytes = files.get(name);
      if (bytes === undefined) return sendJson(res, 404, { error: "NoSuchKey" });
      downloads.push(name);
      const range = /^bytes=(\d+)-$/.exec(req.headers.range ?? "");
      const from = range ? Number(range[1]) : 0;
      const part = bytes.subarray(from);
      const headers: Record<string, string> = { "content-type": "application/octet-stream", "content-length": String(part.length), etag: '"v1"' };
      if (range) headers["content-range"] = `bytes ${from}-${bytes.length - 1}/${bytes.length}`;
      res.writeHead(range ? 206 : 200, headers);
      return void res.end(part);
    }
    return sendJson(res, 404, { error: "not found" });
  });
  base = server.url;
  return { url: server.url, server, graphql, downloads, close: () => server.close() };
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": String(Buffer.byteLength(text)) });
  res.end(text);
}
