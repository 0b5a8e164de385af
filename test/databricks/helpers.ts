// Shared test fixtures: an emulator per test file, sessions for its users, temp files, fixture paths.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { DatabricksSession } from '../../client/src/databricks/connection';
import { Redactor } from '../../client/src/databricks/redact';
import { EmulatorControl } from '../emulator/control';
import { ALICE_TOKEN, startEmulator, type Emulator } from '../emulator/emulator';

/** The repository root (tests run from out/test/databricks). */
export const ROOT = path.resolve(__dirname, '..', '..', '..');
export const FIXTURES = path.join(ROOT, 'test', 'fixtures', 'databricks');
export const PYTHON = process.env.OBO_TEST_PYTHON ?? 'python3';

export interface Env {
  emu: Emulator;
  ctl: EmulatorControl;
  url: string;
}

export async function emulator(): Promise<Env> {
  const emu = await startEmulator();
  return { emu, ctl: new EmulatorControl(emu.url), url: emu.url };
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
