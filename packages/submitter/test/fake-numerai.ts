import { type LocalServer, startLocalServer } from "@nmrblox/fixtures";

/**
 * A local fake of Numerai's GraphQL endpoint and its signed-URL upload storage, answering in the
 * real shapes (research/numerai-api.md section 1). Kept in this package's tests: only the
 * submitter needs it.
 */
export interface FakeNumeraiOptions {
  publicId: string;
  secretKey: string;
  models: Array<{ id: string; name: string; tournament: number }>;
  /** HTTP 503 answers to the create mutation before it succeeds. */
  createFailures?: number;
  /** Answer the create mutation with this GraphQL error message (the `{auth}` placeholder echoes the Authorization header). */
  createError?: string;
  /** HTTP status of every PUT (200 by default). */
  putStatus?: number;
}

export interface GraphqlCall {
  operationName: string;
  field: string;
  variables: Record<string, unknown>;
  authorization: string | undefined;
}

export interface FakeNumerai {
  server: LocalServer;
  url: string;
  /** GraphQL calls in arrival order. */
  graphqlCalls(): GraphqlCall[];
  /** "POST <operation>" / "PUT <path>" in arrival order, retries included. */
  sequence(): string[];
  close(): Promise<void>;
}

export const SUBMISSION_ID = "5b7b0a4e-7f3c-4f52-9f0e-0c8d2e9a1f11";
export const SIGNATURE_QUERY = "X-Amz-Signature=deadbeefcafe";

function describeCall(body: string): { operationName: string; field: string; variables: Record<string, unknown> } {
  const { query, variables } = JSON.parse(body) as { query: string; variables?: Record<string, unknown> };
  const name = /^\s*(?:query|mutation)\s+([A-Za-z_]\w*)/.exec(query)?.[1] ?? "anonymous";
  const field = /\{\s*([A-Za-z_]\w*)/.exec(query)?.[1] ?? "";
  return { operationName: name, field, variables: variables ?? {} };
}

export async function startFakeNumerai(options: FakeNumeraiOptions): Promise<FakeNumerai> {
  let createFailures = options.createFailures ?? 0;
  const expectedAuth = `Token ${options.publicId}$${options.secretKey}`;
  let base = "";
  const server = await startLocalServer((req, res) => {
    const send = (status: number, body: unknown) => {
      res.statusCode = status;
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify(body));
    };
    if (req.method === "PUT") {
      res.statusCode = options.putStatus ?? 200;
      res.end();
      return;
    }
    const call = describeCall(req.body);
    if (req.headers.authorization !== expectedAuth) {
      send(200, { errors: [{ message: "You must be authenticated to perform this action" }], data: null });
      return;
    }
    const v = call.variables;
    switch (call.field) {
      case "account":
        send(200, { data: { account: { models: options.models } } });
        return;
      case "submission_upload_auth":
      case "submissionUploadSignalsAuth":
        send(200, {
          data: { [call.field]: { filename: `uploads/${String(v.modelId)}/${String(v.filename)}`, url: `${base}/bucket/${String(v.filename)}?${SIGNATURE_QUERY}` } },
        });
        return;
      case "create_submission":
      case "createSignalsSubmission":
        if (createFailures > 0) {
          createFailures--;
          send(503, { detail: "Service Unavailable" });
          return;
        }
        if (options.createError !== undefined) {
          send(200, { errors: [{ message: options.createError.replace("{auth}", String(req.headers.authorization)) }], data: null });
          return;
        }
        send(200, { data: { [call.field]: call.field === "createSignalsSubmission" ? { id: SUBMISSION_ID, firstEffectiveDate: null } : { id: SUBMISSION_ID } } });
        return;
      default:
        send(200, { errors: [{ message: `unknown field ${call.field}` }], data: null });
    }
  });
  base = server.url;
  return {
    server,
    url: server.url,
    graphqlCalls: () =>
      server.requests
        .filter((r) => r.method === "POST")
        .map((r) => ({ ...describeCall(r.body), authorization: r.headers.authorization })),
    sequence: () => server.requests.map((r) => (r.method === "POST" ? `POST ${describeCall(r.body).operationName}` : `${r.method} ${r.url.split("?")[0]}`)),
    close: () => server.close(),
  };
}
