// A small HTTP client for the emulator's /__emulator control routes, so tests drive it the way e2e tests would.
import type { FaultSpec, Seed } from './emulator';
import type { LoggedRequest } from './state';

export class EmulatorControl {
  constructor(readonly url: string) {}

  private async call(method: string, path: string, body?: unknown): Promise<unknown> {
    const res = await fetch(`${this.url}/__emulator/${path}`, {
      method,
      headers: { 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = (await res.json()) as unknown;
    if (!res.ok) {
      throw new Error(`emulator control ${method} ${path} failed: ${res.status} ${JSON.stringify(json)}`);
    }
    return json;
  }

  reset = () => this.call('POST', 'reset');
  seed = (seed: Seed) => this.call('POST', 'seed', seed);
  fault = (spec: FaultSpec | FaultSpec[]) => this.call('POST', 'faults', spec);
  clearFaults = () => this.call('DELETE', 'faults');
  advance = (endpoint: string) => this.call('POST', `endpoints/${encodeURIComponent(endpoint)}/advance`);
  clearRequests = () => this.call('DELETE', 'requests');
  async requests(): Promise<LoggedRequest[]> {
    return ((await this.call('GET', 'requests')) as { requests: LoggedRequest[] }).requests;
  }
}
