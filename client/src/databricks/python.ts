// Runs a Python script as a child process: JSON lines on stdout, credentials only in the environment, killable.
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { CancelledError } from './errors';

export interface PythonRun {
  python: string;
  script: string;
  args?: string[];
  /** Sent on stdin then closed: requests travel here, never on the command line. */
  stdin?: string;
  /** Added to a copy of the editor's environment from which every DATABRICKS_* variable is removed. */
  env?: Record<string, string>;
  /** Prepended to PYTHONPATH. */
  pythonPath?: string[];
  cwd?: string;
  signal?: AbortSignal;
  /** Each stdout line that parses as a JSON object. */
  onMessage?(msg: Record<string, unknown>): void;
  /** Other stdout lines and every stderr line (already split). */
  onOutput?(line: string, stream: 'stdout' | 'stderr'): void;
}

export interface PythonResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  messages: Record<string, unknown>[];
  /** The last lines of stderr, for error messages. */
  stderrTail: string[];
}

/** The environment for a child: no inherited Databricks credentials, unbuffered UTF-8 output, no bytecode files. */
export function childEnvironment(
  base: NodeJS.ProcessEnv,
  extra: Record<string, string> = {},
  pythonPath: string[] = [],
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(base)) {
    if (v !== undefined && !k.startsWith('DATABRICKS_')) {
      env[k] = v;
    }
  }
  if (pythonPath.length) {
    env.PYTHONPATH = [...pythonPath, ...(env.PYTHONPATH ? [env.PYTHONPATH] : [])].join(path.delimiter);
  }
  // No __pycache__ left in the user's project by our runs.
  return { ...env, PYTHONUNBUFFERED: '1', PYTHONIOENCODING: 'utf-8', PYTHONDONTWRITEBYTECODE: '1', ...extra };
}

function lines(onLine: (l: string) => void) {
  let buf = '';
  return {
    push(chunk: string) {
      buf += chunk;
      let i: number;
      while ((i = buf.indexOf('\n')) >= 0) {
        onLine(buf.slice(0, i).replace(/\r$/, ''));
        buf = buf.slice(i + 1);
      }
    },
    end() {
      if (buf) {
        onLine(buf);
      }
      buf = '';
    },
  };
}

/** Runs the script to the end; rejects with CancelledError when `signal` aborts (the process is killed). */
export function runPython(run: PythonRun): Promise<PythonResult> {
  return new Promise((resolve, reject) => {
    if (run.signal?.aborted) {
      reject(new CancelledError());
      return;
    }
    const child = spawn(run.python, ['-u', run.script, ...(run.args ?? [])], {
      cwd: run.cwd,
      env: childEnvironment(process.env, run.env, run.pythonPath),
      stdio: ['pipe', 'pipe', 'pipe'],
      windowsHide: true,
    });
    const messages: Record<string, unknown>[] = [];
    const stderrTail: string[] = [];
    let killTimer: NodeJS.Timeout | undefined;
    const onAbort = () => {
      child.kill('SIGTERM');
      // A Python stuck in C code may ignore SIGTERM.
      killTimer = setTimeout(() => child.kill('SIGKILL'), 2000);
    };
    run.signal?.addEventListener('abort', onAbort, { once: true });
    const out = lines((l) => {
      let msg: unknown;
      try {
        msg = l.startsWith('{') ? JSON.parse(l) : undefined;
      } catch {
        msg = undefined;
      }
      if (msg && typeof msg === 'object' && !Array.isArray(msg)) {
        messages.push(msg as Record<string, unknown>);
        run.onMessage?.(msg as Record<string, unknown>);
      } else {
        run.onOutput?.(l, 'stdout');
      }
    });
    const err = lines((l) => {
      stderrTail.push(l);
      if (stderrTail.length > 40) {
        stderrTail.shift();
      }
      run.onOutput?.(l, 'stderr');
    });
    child.stdout.setEncoding('utf8').on('data', (c: string) => out.push(c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => err.push(c));
    child.stdin.on('error', () => undefined);
    child.stdin.end(run.stdin ?? '');
    child.on('error', (e) => {
      run.signal?.removeEventListener('abort', onAbort);
      reject(e);
    });
    child.on('close', (code, signal) => {
      out.end();
      err.end();
      clearTimeout(killTimer);
      run.signal?.removeEventListener('abort', onAbort);
      if (run.signal?.aborted) {
        reject(new CancelledError());
        return;
      }
      resolve({ code, signal, messages, stderrTail });
    });
  });
}
