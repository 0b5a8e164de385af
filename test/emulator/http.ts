// Minimal routing and JSON helpers for the emulator, on plain node:http.
import type { IncomingMessage, ServerResponse } from 'node:http';

/** The error envelope Databricks uses (§2.1); `details` is left out so the SDK's parser never trips on it. */
export class HttpFailure extends Error {
  constructor(
    readonly status: number,
    readonly errorCode: string | number,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export const notFound = (code: string, message: string) => new HttpFailure(404, code, message);
export const badRequest = (message: string, code = 'INVALID_PARAMETER_VALUE') =>
  new HttpFailure(400, code, message);
export const conflict = (code: string, message: string) => new HttpFailure(409, code, message);
export const forbidden = (message: string) => new HttpFailure(403, 'PERMISSION_DENIED', message);

export interface Request {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  body: unknown;
  params: Record<string, string>;
}

export type Reply =
  | { status?: number; json: unknown; headers?: Record<string, string> }
  | { status?: number; sse: AsyncIterable<string> | Iterable<string>; headers?: Record<string, string> };

export type Handler = (req: Request, res: ServerResponse) => Reply | Promise<Reply>;

interface Route {
  method: string;
  pattern: RegExp;
  keys: string[];
  handler: Handler;
}

/** Routes like `/api/2.0/serving-endpoints/:name/config`; `:full*` matches across slashes. */
export class Router {
  private readonly routes: Route[] = [];

  add(method: string, path: string, handler: Handler): this {
    const keys: string[] = [];
    const source = path.replace(/:(\w+)(\*)?/g, (_m, key: string, star?: string) => {
      keys.push(key);
      return star ? '(.+)' : '([^/]+)';
    });
    this.routes.push({ method, pattern: new RegExp(`^${source}$`), keys, handler });
    return this;
  }

  match(method: string, path: string): { handler: Handler; params: Record<string, string> } | undefined {
    for (const r of this.routes) {
      const m = r.method === method ? r.pattern.exec(path) : null;
      if (m) {
        const params: Record<string, string> = {};
        r.keys.forEach((k, i) => (params[k] = decodeURIComponent(m[i + 1])));
        return { handler: r.handler, params };
      }
    }
    return undefined;
  }

  /** True when some route serves this path with another method (so the caller can answer 405-ish 404). */
  knowsPath(path: string): boolean {
    return this.routes.some((r) => r.pattern.test(path));
  }
}

export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) {
    chunks.push(c as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
) {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

export function sendFailure(res: ServerResponse, f: HttpFailure) {
  sendJson(res, f.status, { error_code: f.errorCode, message: f.message }, f.headers);
}

/** Reads a required string field or fails with the platform's 400. */
export function requireString(body: unknown, field: string): string {
  const v = (body as Record<string, unknown> | undefined)?.[field];
  if (typeof v !== 'string' || v === '') {
    throw badRequest(`Missing required field: ${field}`);
  }
  return v;
}

export function asObject(body: unknown): Record<string, unknown> {
  return body && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
}
