import type { ServerResponse } from "node:http";

/** Faults a fake service can inject, consumed in order by the first matching request. */
export type FaultKind =
  | "500"
  | "429"
  | "403"
  | "10006"
  | "bad-json"
  | "truncate"
  | "reset-midway"
  | "graphql-error"
  | "echo-auth";

export interface Fault {
  /** Which endpoint it hits: a GraphQL operation field, "file", or a Bybit path suffix. */
  target: string;
  kind: FaultKind;
  retryAfter?: string;
}

export class FaultQueue {
  readonly pending: Fault[] = [];

  push(...faults: Fault[]): void {
    this.pending.push(...faults);
  }

  take(target: string): Fault | undefined {
    const i = this.pending.findIndex((f) => target.endsWith(f.target) || f.target === target);
    return i === -1 ? undefined : this.pending.splice(i, 1)[0];
  }
}

/** Sends a body announced at full length but cut in half, then drops the connection. */
export function sendTruncated(res: ServerResponse, body: Buffer | string, contentType: string, status = 200): void {
  const bytes = typeof body === "string" ? Buffer.from(body) : body;
  res.writeHead(status, { "content-type": contentType, "content-length": String(bytes.length) });
  res.write(bytes.subarray(0, Math.floor(bytes.length / 2)), () => {
    setTimeout(() => res.socket?.destroy(), 5);
  });
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": String(Buffer.byteLength(text)), ...headers });
  res.end(text);
}
