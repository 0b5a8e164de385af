// Step 2 of a deploy: log the agent with MLflow and register it in Unity Catalog, in the user's Python.
import type { DatabricksSession } from './connection';
import { CancelledError, UserFacingError } from './errors';
import type { AgentTask } from './plan';
import { runPython } from './python';
import type { Log } from './redact';

export interface ModelLogRequest {
  agentFile: string;
  modelName: string;
  experiment: string;
  userScopes: string[];
  resources: { resource: string; name?: string }[];
  task: AgentTask;
  inputExample: unknown;
}

export interface ModelLogResult {
  version: string;
  runId?: string;
  modelUri?: string;
  experimentId?: string;
}

/** Pluggable so tests (and the emulator) can use a stdlib script with the same JSON contract. */
export interface ModelLogStep {
  run(
    req: ModelLogRequest,
    ctx: { signal: AbortSignal; onProgress(message: string): void },
  ): Promise<ModelLogResult>;
}

export interface PythonLogStepOptions {
  python: string;
  /** `client/python/log_register.py`, or a replacement that prints the same JSON lines. */
  script: string;
  session: DatabricksSession;
  log: Log;
  cwd?: string;
  pythonPath?: string[];
}

/** Runs the log-and-register script: stdin gets the request, stdout gives `{"progress"}`, `{"result"}` or `{"error"}` lines. */
export class PythonModelLogStep implements ModelLogStep {
  constructor(private readonly o: PythonLogStepOptions) {}

  async run(
    req: ModelLogRequest,
    ctx: { signal: AbortSignal; onProgress(message: string): void },
  ): Promise<ModelLogResult> {
    const { o } = this;
    const r = o.session.redactor;
    const env = await o.session.childEnv();
    o.log.info(`log/register: ${o.python} ${o.script} for ${req.modelName}`);
    let error: { error?: string; traceback?: string } | undefined;
    let result: Record<string, unknown> | undefined;
    const res = await runPython({
      python: o.python,
      script: o.script,
      stdin: JSON.stringify({
        agent_file: req.agentFile,
        model_name: req.modelName,
        experiment: req.experiment,
        user_scopes: req.userScopes,
        resources: req.resources,
        task: req.task,
        input_example: req.inputExample,
      }),
      env,
      cwd: o.cwd,
      pythonPath: o.pythonPath,
      signal: ctx.signal,
      onMessage: (m) => {
        if (typeof m.progress === 'string') {
          ctx.onProgress(r.redact(m.progress));
          o.log.info(r.redact(`log/register: ${m.progress}`));
        } else if (m.result && typeof m.result === 'object') {
          result = m.result as Record<string, unknown>;
        } else if (typeof m.error === 'string') {
          error = m as typeof error;
        }
      },
      onOutput: (line, stream) => o.log.info(r.redact(`log/register ${stream}: ${line}`)),
    }).catch((e: unknown) => {
      if (e instanceof CancelledError) {
        throw e;
      }
      const code = (e as NodeJS.ErrnoException).code;
      throw new UserFacingError(
        'python',
        'Logging and registering the model',
        `could not start Python "${o.python}" (${code ?? (e as Error).message})`,
        'Nothing was logged and no endpoint was changed.',
        'Select an interpreter with "Python: Select Interpreter" or set oboAgents.python.interpreter.',
      );
    });
    if (error || res.code !== 0 || !result || result.version === undefined) {
      const why =
        error?.error ??
        res.stderrTail
          .filter((l) => l.trim())
          .slice(-3)
          .join(' | ') ??
        `exit code ${res.code}`;
      if (error?.traceback) {
        o.log.error(r.redact(`log/register traceback:\n${error.traceback}`));
      }
      const noMlflow = /No module named '?mlflow/.test(why);
      throw new UserFacingError(
        'python',
        'Logging and registering the model',
        r.redact(why || `the script exited with code ${res.code} without a result`),
        'No endpoint was changed; an MLflow run may be left unfinished in the experiment.',
        noMlflow
          ? `Install MLflow 3 in that interpreter (\`${o.python} -m pip install "mlflow>=3.1.3"\`) and deploy again.`
          : 'Fix the error shown in the OBO Agents log and deploy again.',
      );
    }
    return {
      version: String(result.version),
      runId: result.run_id === undefined ? undefined : String(result.run_id),
      modelUri: result.model_uri === undefined ? undefined : String(result.model_uri),
      experimentId: result.experiment_id === undefined ? undefined : String(result.experiment_id),
    };
  }
}
