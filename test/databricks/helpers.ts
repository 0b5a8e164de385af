// Shared test fixtures: one emulator per describe (reset and seeded per test), sessions, temp files, fixture paths.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, beforeEach } from 'node:test';
import { DatabricksSession } from '../../client/src/databricks/connection';
import { Redactor } from '../../client/src/databricks/redact';
import { EmulatorControl } from '../emulator/control';
import { ALICE_TOKEN, startEmulator, type Emulator, type Seed } from '../emulator/emulator';

/** The repository root (tests run from out/test/databricks). */
export const ROOT = path.resolve(__dirname, '..', '..', '..');
export const FIXTURES = path.join(ROOT, 'test', 'fixtures', 'databricks');
export const PYTHON = process.env.OBO_TEST_PYTHON ?? 'python3';

export interface Env {
  emu: Emulator;
  ctl: EmulatorControl;
  url: string;
}

/**
 * One emulator for the enclosing `describe`: started before its first test and closed after its last. With a seed,
 * every test starts from it: the listeners an earlier test added are dropped, the state is reset and the seed applied
 * (`{}` only resets). The returned object is filled in when the emulator has started, so read it inside hooks and
 * tests, not in the describe body.
 */
export function useEmulator(seed?: Seed): Env {
  const env = {} as Env;
  before(async () => {
    const emu = await startEmulator();
    Object.assign(env, { emu, ctl: new EmulatorControl(emu.url), url: emu.url });
  });
  after(() => env.emu.close());
  if (seed) {
    beforeEach(async () => {
      env.emu.events.removeAllListeners();
      await env.ctl.reset();
      if (Object.keys(seed).length) {
        await env.ctl.seed(seed);
      }
    });
  }
  return env;
}

export function session(
  url: string,
  token = ALICE_TOKEN,
  opts: { timeoutMs?: number; retrySeconds?: number } = {},
) {
  return new DatabricksSession({ kind: 'token', host: url, token }, new Redactor(), opts.timeoutMs ?? 5000, {
    retryTimeoutSeconds: opts.retrySeconds ?? 5,
  });
}

export function tempDir(prefix = 'obo-db-test-'): string {
  return mkdtempSync(path.join(tmpdir(), prefix));
}

export function writeTemp(name: string, text: string, dir = tempDir()): string {
  const file = path.join(dir, name);
  writeFileSync(file, text);
  return file;
}

/** Resolves when `predicate` holds for an event, or fails after `ms` (never a fixed sleep). */
export function eventually<T>(
  subscribe: (cb: (v: T) => void) => void,
  predicate: (v: T) => boolean,
  ms = 5000,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`event not seen within ${ms} ms`)), ms);
    subscribe((v) => {
      if (predicate(v)) {
        clearTimeout(t);
        resolve(v);
      }
    });
  });
}
