// Local test-invoke: runs client/python/harness.py on an agent file and turns its JSON lines into playground events.
import {
  fromChunk,
  fromResult,
  type AgentShape,
  type ChatTurn,
  type Frame,
  type PlaygroundEvent,
} from './agentEvents';
import { CancelledError } from './errors';
import { runPython } from './python';
import type { Log, Redactor } from './redact';

export interface LocalInvokeRequest {
  file: string;
  /** The text of a `%%writefile` cell when the file is not on disk (or is stale). */
  source?: string;
  /** The shape to use when the class does not say (plain classes); from the analyser's agentKind. */
  shape?: AgentShape;
  messages: ChatTurn[];
  customInputs?: Record<string, unknown>;
}

export interface LocalInvokeOptions {
  python: string;
  harnessScript: string;
  /** Credentials of the profile to run as (DATABRICKS_HOST/TOKEN); empty to run without any. */
  env: Record<string, string>;
  redactor: Redactor;
  log: Log;
  signal: AbortSignal;
  onEvent(e: PlaygroundEvent): void;
  cwd?: string;
  pythonPath?: string[];
}

export interface LocalInvokeOutcome {
  ok: boolean;
  shape?: AgentShape;
  request?: unknown;
  /** Every raw chunk or result, for the "response JSON" view. */
  raw: unknown[];
  stderr: string[];
}

/** Runs one turn; resolves when the process ends (an agent error is an `error` event, not a rejection). */
export async function invokeLocally(
  req: LocalInvokeRequest,
  o: LocalInvokeOptions,
): Promise<LocalInvokeOutcome> {
  const r = o.redactor;
  const emit = (e: PlaygroundEvent) => o.onEvent(r.redactValue(e));
  const outcome: LocalInvokeOutcome = { ok: false, raw: [], stderr: [] };
  let shape: AgentShape = req.shape ?? 'responses';
  let sawError = false;
  let sawDone = false;
  const res = await runPython({
    python: o.python,
    script: o.harnessScript,
    stdin: JSON.stringify({
      file: req.file,
      source: req.source,
      kind: req.shape,
      messages: req.messages,
      custom_inputs: req.customInputs ?? {},
    }),
    env: o.env,
    cwd: o.cwd,
    pythonPath: o.pythonPath,
    signal: o.signal,
    onMessage: (m) => {
      switch (m.event) {
        case 'status':
          emit({ type: 'status', message: String(m.message) });
          break;
        case 'request':
          shape = m.kind === 'chat' ? 'chat' : 'responses';
          outcome.shape = shape;
          outcome.request = m.request;
          emit({
            type: 'request',
            payload: m.request,
            kind: shape,
            detail: `${String(m.class)}.${String(m.method)}()`,
          });
          break;
        case 'chunk':
          outcome.raw.push(r.redactValue(m.data));
          fromChunk(shape, m.data).forEach(emit);
          break;
        case 'result':
          outcome.raw.push(r.redactValue(m.data));
          fromResult(shape, m.data).forEach(emit);
          break;
        case 'error':
          sawError = true;
          emit({
            type: 'error',
            message: String(m.message),
            traceback: String(m.traceback ?? ''),
            frames: (m.frames as Frame[] | undefined) ?? [],
          });
          break;
        case 'done':
          sawDone = true;
          emit({ type: 'done', elapsedMs: Number(m.elapsed_ms) });
          break;
      }
    },
    onOutput: (line, stream) => {
      const clean = r.redact(line);
      outcome.stderr.push(clean);
      o.log.info(`agent ${stream}: ${clean}`);
    },
  }).catch((e: unknown) => {
    if (e instanceof CancelledError) {
      emit({ type: 'error', message: 'Stopped: the Python process was ended.' });
      throw e;
    }
    const code = (e as NodeJS.ErrnoException).code ?? (e as Error).message;
    emit({
      type: 'error',
      message: `Could not start Python "${o.python}" (${code}). Nothing ran. Select an interpreter with "Python: Select Interpreter" or set oboAgents.python.interpreter.`,
    });
    return undefined;
  });
  if (!res) {
    return outcome;
  }
  if (!sawError && !sawDone) {
    const tail = outcome.stderr
      .filter((l) => l.trim())
      .slice(-5)
      .join('\n');
    emit({
      type: 'error',
      message: `The harness ended with exit code ${res.code ?? res.signal} before finishing.${tail ? `\n${tail}` : ''}`,
    });
  }
  outcome.ok = sawDone && !sawError && res.code === 0;
  return outcome;
}
