// The local Databricks emulator (docs §5): node:http on 127.0.0.1, an ephemeral port, routes served at `/`.
import { EventEmitter } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HttpFailure, readBody, Router, sendFailure, sendJson, type Reply, type Request } from './http';
import { invocationRoutes } from './invocations';
import { modelRoutes } from './models';
import { servingRoutes, settle, findEndpoint } from './serving';
import { applySeed, DEFAULT_SEED, type FaultSpec, type Seed } from './seed';
import { EmulatorState, type LoggedRequest, type Principal } from './state';

export { ALICE_TOKEN, BOB_TOKEN, DEFAULT_SEED, type FaultSpec, type Seed } from './seed';

const DEFAULT_MESSAGES: Record<number, [string, string]> = {
  429: ['REQUEST_LIMIT_EXCEEDED', 'Too many requests. Please wait a moment and try again.'],
  500: ['INTERNAL_ERROR', 'The service hit an internal error while processing the request.'],
  503: ['TEMPORARILY_UNAVAILABLE', 'The service is temporarily unavailable.'],
  504: ['DEADLINE_EXCEEDED', 'The request did not finish in time.'],
};

/** Header values that are credentials never reach the request log. */
function redactHeaders(headers: IncomingMessage['headers'], state: EmulatorState): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) {
    const value = Array.isArray(v) ? v.join(', ') : String(v ?? '');
    const secret =
      k === 'authorization' || k === 'cookie' || [...state.principals.keys()].some((t) => value.includes(t));
    out[k] = secret ? (k === 'authorization' ? `${value.split(' ')[0]} <redacted>` : '<redacted>') : value;
  }
  return out;
}

function authenticate(state: EmulatorState, headers: Record<string, unknown>): Principal {
  const auth = typeof headers.authorization === 'string' ? headers.authorization : '';
  const reason = (msg: string) => ({ 'X-Databricks-Reason-Phrase': msg });
  if (!auth.startsWith('Bearer ')) {
    const msg = 'Credential was not sent or was of an unsupported type for this API.';
    throw new HttpFailure(401, 401, msg, reason(msg));
  }
  const p = state.principalByToken(auth.slice('Bearer '.length).trim());
  if (!p) {
    if (state.options.authStyle === 'structured') {
      throw new HttpFailure(401, 'UNAUTHENTICATED', 'Invalid access token.', reason('Invalid access token.'));
    }
    throw new HttpFailure(403, 403, 'Invalid access token.', reason('Invalid access token.'));
  }
  return p;
}

export class Emulator {
  readonly state = new EmulatorState();
  private readonly router = new Router();
  private readonly control = new Router();
  private server?: Server;
  url = '';
  /** `request` (a LoggedRequest, before it is answered): lets tests act at an exact moment instead of sleeping. */
  readonly events = new EventEmitter();

  constructor(private readonly initialSeed: Seed = DEFAULT_SEED) {
    const who = (h: Record<string, unknown>) => authenticate(this.state, h);
    this.router.add('GET', '/api/2.0/preview/scim/v2/Me', (req) => {
      const p = who(req.headers);
      return {
        json: {
          id: p.id,
          userName: p.userName,
          displayName: p.displayName,
          active: true,
          emails: [{ value: p.userName, primary: true, type: 'work' }],
          schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
        },
        headers: { 'X-Databricks-Org-Id': this.state.options.orgId },
      };
    });
    this.oauthRoutes();
    servingRoutes(this.router, this.state, who);
    invocationRoutes(this.router, this.state, who);
    modelRoutes(this.router, this.state, who);
    this.controlRoutes();
    applySeed(this.state, initialSeed);
  }

  /** OAuth M2M (§5.1, optional): discovery, then `client_credentials` with HTTP Basic client auth. */
  private oauthRoutes() {
    this.router.add('GET', '/oidc/.well-known/oauth-authorization-server', () => ({
      json: {
        authorization_endpoint: `${this.url}/oidc/v1/authorize`,
        token_endpoint: `${this.url}/oidc/v1/token`,
      },
    }));
    this.router.add('POST', '/oidc/v1/token', (req) => {
      const basic = /^Basic (.+)$/.exec(String(req.headers.authorization ?? ''))?.[1];
      const [id, secret] = basic ? Buffer.from(basic, 'base64').toString('utf8').split(':') : [];
      const p = [...this.state.principals.values()].find(
        (x) => x.clientId !== undefined && x.clientId === id && x.clientSecret === secret,
      );
      if (!p) {
        throw new HttpFailure(401, 'invalid_client', 'Client authentication failed.');
      }
      return { json: { access_token: p.token, token_type: 'Bearer', expires_in: 3600, scope: 'all-apis' } };
    });
  }

  private controlRoutes() {
    const c = this.control;
    c.add('POST', '/__emulator/reset', () => {
      this.state.reset();
      applySeed(this.state, this.initialSeed);
      return { json: {} };
    });
    c.add('POST', '/__emulator/seed', (req) => {
      applySeed(this.state, req.body as Seed);
      return { json: {} };
    });
    c.add('POST', '/__emulator/faults', (req) => {
      const specs = (Array.isArray(req.body) ? req.body : [req.body]) as FaultSpec[];
      for (const f of specs) {
        if (f.deployFailure) {
          for (let i = 0; i < (f.times ?? 1); i++) {
            this.state.deployFailures.push(f.deployFailure);
          }
          continue;
        }
        this.state.faults.push({
          route: new RegExp(f.route),
          method: f.method,
          status: f.status,
          body: f.body,
          times: f.times ?? 1,
          delayMs: f.delayMs,
        });
      }
      return { json: {} };
    });
    c.add('DELETE', '/__emulator/faults', () => {
      this.state.faults = [];
      this.state.deployFailures = [];
      return { json: {} };
    });
    c.add('POST', '/__emulator/endpoints/:name/advance', (req) => {
      const ep = findEndpoint(this.state, req.params.name);
      settle(this.state, ep);
      return { json: { state: ep.state } };
    });
    c.add('GET', '/__emulator/requests', () => ({ json: { requests: this.state.requests } }));
    c.add('DELETE', '/__emulator/requests', () => {
      this.state.requests = [];
      return { json: {} };
    });
  }

  async start(port = 0): Promise<string> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(port, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this.url;
  }

  async close(): Promise<void> {
    const s = this.server;
    if (!s) {
      return;
    }
    this.server = undefined;
    s.closeAllConnections();
    await new Promise<void>((resolve) => s.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? '/', 'http://emulator');
    const method = req.method ?? 'GET';
    const isControl = url.pathname.startsWith('/__emulator/');
    const entry: LoggedRequest = {
      method,
      path: url.pathname,
      query: url.search,
      headers: redactHeaders(req.headers, this.state),
      body: undefined,
    };
    try {
      const text = await readBody(req);
      let body: unknown;
      if (String(req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')) {
        // Only the OAuth token endpoint takes a form; its secrets stay out of the request log.
        body = Object.fromEntries(new URLSearchParams(text));
        entry.body = '<form>';
      } else {
        try {
          body = text ? JSON.parse(text) : undefined;
        } catch {
          throw new HttpFailure(400, 'MALFORMED_REQUEST', 'Could not parse the request body as JSON.');
        }
        entry.body = body;
      }
      if (!isControl) {
        this.state.requests.push(entry);
        this.events.emit('request', entry);
        await this.applyFault(method, url.pathname, res);
        if (res.writableEnded || res.destroyed) {
          return;
        }
      }
      const found = (isControl ? this.control : this.router).match(method, url.pathname);
      if (!found) {
        throw new HttpFailure(404, 'ENDPOINT_NOT_FOUND', `No API found for '${method} ${url.pathname}'.`);
      }
      const request: Request = {
        method,
        path: url.pathname,
        query: url.searchParams,
        headers: req.headers,
        body,
        params: found.params,
      };
      const reply = await found.handler(request, res);
      try {
        entry.user = this.state.principalByToken(
          String(req.headers.authorization ?? '').replace(/^Bearer /, ''),
        )?.userName;
      } catch {
        // logging only
      }
      entry.status = reply.status ?? 200;
      await this.send(res, reply);
    } catch (e) {
      const f =
        e instanceof HttpFailure
          ? e
          : new HttpFailure(500, 'INTERNAL_ERROR', `Emulator bug: ${(e as Error).message}`);
      entry.status = f.status;
      if (!res.headersSent && !res.destroyed) {
        sendFailure(res, f);
      }
    }
  }

  /** Applies the first matching fault: delays, then answers with its status (or lets the route answer). */
  private async applyFault(method: string, path: string, res: ServerResponse) {
    const fault = this.state.faults.find(
      (f) => f.times !== 0 && (!f.method || f.method === method) && f.route.test(path),
    );
    if (!fault) {
      return;
    }
    if (fault.times > 0) {
      fault.times--;
    }
    if (fault.delayMs) {
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, fault.delayMs);
        res.once('close', () => {
          clearTimeout(t);
          resolve();
        });
      });
    }
    if (fault.status && !res.destroyed) {
      const [code, message] = DEFAULT_MESSAGES[fault.status] ?? [
        'INTERNAL_ERROR',
        `Injected failure ${fault.status}.`,
      ];
      throw new HttpFailure(fault.status, fault.body?.error_code ?? code, fault.body?.message ?? message);
    }
  }

  private async send(res: ServerResponse, reply: Reply) {
    if (res.destroyed) {
      return;
    }
    if ('json' in reply) {
      sendJson(res, reply.status ?? 200, reply.json, reply.headers);
      return;
    }
    res.writeHead(reply.status ?? 200, {
      'Content-Type': 'text/event-stream',
      'Cache-Control': 'no-cache',
      ...reply.headers,
    });
    for await (const chunk of reply.sse) {
      if (res.destroyed) {
        return;
      }
      res.write(chunk);
      // Separate writes so the client sees a real stream, not one buffer.
      const pause = this.state.options.streamDelayMs;
      await new Promise((r) => (pause > 0 ? setTimeout(r, pause) : setImmediate(r)));
    }
    res.end();
  }
}

/** Starts an emulator on an ephemeral loopback port. */
export async function startEmulator(seed: Seed = DEFAULT_SEED): Promise<Emulator> {
  const e = new Emulator(seed);
  await e.start();
  return e;
}
