// The secret scan's fresh credentials, fixture paths and helpers (secrets.test.ts): newly written files, a minimal report.
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { AgentReport } from '../../shared/reports';
import { ROOT } from './corpus';

export const hex = (n: number) => randomBytes(n).toString('hex');
// Fresh values no other test knows, so a hit in a shared temp folder can only come from this run.
export const TOKEN = `dapi${hex(16)}`;
export const CLIENT_ID = `sp-${hex(4)}`;
export const CLIENT_SECRET = `dose${hex(16)}`;
/** The secrets, and the token without its well-known prefix (a partial leak is a leak). */
export const NEEDLES = [TOKEN, TOKEN.slice(4), CLIENT_SECRET, CLIENT_SECRET.slice(4)];

export const PYTHON = process.env.OBO_TEST_PYTHON ?? 'python3';
export const DB_FIXTURES = path.join(ROOT, 'test', 'fixtures', 'databricks');
export const HARNESS = path.join(ROOT, 'client', 'python', 'harness.py');
export const SHIM = path.join(DB_FIXTURES, 'mlflow_shim');

/** Files written under `dir` since `since` (bounded depth and size), except under `skip`. */
export function newFiles(dir: string, since: number, skip: string[], depth = 0): string[] {
  const out: string[] = [];
  let names: string[] = [];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return out;
  }
  for (const n of names) {
    const f = path.join(dir, n);
    if (skip.some((s) => f === s || f.startsWith(`${s}${path.sep}`))) {
      continue;
    }
    try {
      const st = fs.statSync(f);
      if (st.isDirectory() && depth < 4) {
        out.push(...newFiles(f, since, skip, depth + 1));
      } else if (st.isFile() && st.mtimeMs >= since && st.size < 5_000_000) {
        out.push(f);
      }
    } catch {
      // Vanished or unreadable: another process's file.
    }
  }
  return out;
}

export function report(file: string): AgentReport {
  const loc = { file, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 5 } } };
  return {
    path: file,
    location: loc,
    agentKind: 'ResponsesAgent',
    className: 'Agent',
    needs: [
      {
        scope: 'serving.serving-endpoints',
        required: true,
        confidence: 'confirmed',
        because: 'queries',
        location: loc,
      },
    ],
    resources: [],
    logSites: [],
    usesUserAuth: true,
  };
}
